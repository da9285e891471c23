"""Building blocks for the project's own admin screens, taken from Wagtail's admin components.

The custom screens (registrations of an event, sign-in locks, the contests' jury, audit and exports)
are views on Wagtail's generic base (`wagtail.admin.views.generic`: header, breadcrumbs, header
buttons), whose templates extend `wagtailadmin/generic/*.html` and show data with Wagtail's table
component, panels, help blocks, dropdowns and `{% formattedfield %}`: they look, read and behave
(keyboard, dark mode, screen readers) like the rest of the admin, with no hand-written table or
header markup of their own.
"""

from django.middleware.csrf import get_token
from django.utils import timezone
from django.utils.formats import date_format
from django.views.generic import TemplateView
from wagtail.admin.ui.tables import Column, Table
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin


class LocalDateTimeColumn(Column):
    """A moment in Moscow time, as organisers compare it with other times: «05.12.2026 15:30»."""

    empty_value_display = "—"

    def __init__(self, name, seconds=False, **kwargs):
        super().__init__(name, **kwargs)
        self.format = "d.m.Y H:i:s" if seconds else "d.m.Y H:i"

    def get_value(self, instance):
        value = super().get_value(instance)
        return date_format(timezone.localtime(value), self.format) if value else None


class PostButtonColumn(Column):
    """A button that POSTs one value of the row (an action such as «Разблокировать»)."""

    cell_template_name = "core/admin/tables/post_button_cell.html"

    def __init__(self, name, button_label, action_url, field_name="value", **kwargs):
        super().__init__(name, **kwargs)
        self.button_label = button_label
        self.action_url = action_url
        self.field_name = field_name

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        context.update(button_label=self.button_label, action_url=self.action_url, field_name=self.field_name)
        request = context.get("request")
        context["csrf_token"] = get_token(request) if request is not None else ""  # cells render without a request
        return context


def table(columns, rows, caption=None) -> Table:
    """Wagtail's table component over any rows (model instances or dicts)."""
    return Table(columns, list(rows), caption=caption)


class AdminPageView(WagtailAdminTemplateMixin, TemplateView):
    """A read-mostly admin screen with Wagtail's header and breadcrumbs («Главная → … → this page»).

    `parent_breadcrumbs()` returns the items between the dashboard and this page."""

    def parent_breadcrumbs(self) -> list[dict]:
        return []

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            *self.parent_breadcrumbs(),
            {"url": "", "label": self.get_page_title(), "sublabel": self.get_page_subtitle()},
        ]

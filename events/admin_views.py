"""Organisers' view of one event's registrations, with CSV and XLSX export (core.exports)."""

from django.core.exceptions import PermissionDenied
from django.db.models import F, Window
from django.db.models.functions import RowNumber
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic.base import BaseListingView
from wagtail.admin.widgets.button import HeaderButton

from core.admin_ui import LocalDateTimeColumn
from core.exports import table_response

from .models import EventPage, Registration

HEADERS = [
    "№",
    "ФИО",
    "Образовательное учреждение",
    "Должность",
    "E-mail",
    "Статус",
    "Заявка подана",
    "E-mail подтверждён",
    "Переведён из листа ожидания",
    "Отменена",
    "Согласие (версия текста)",
]


def rows_for(event):
    registrations = Registration.objects.filter(event=event).select_related("consent").order_by("created_at", "pk")
    for number, r in enumerate(registrations, start=1):
        yield [
            number,
            r.full_name,
            r.organisation,
            r.position,
            r.email,
            r.get_status_display(),
            r.created_at,
            r.confirmed_at or "",
            r.promoted_at or "",
            r.cancelled_at or "",
            f"{timezone.localtime(r.consent.given_at):%d.%m.%Y %H:%M}, редакция № {r.consent.revision_id}",
        ]


class RegistrationsView(BaseListingView):
    """One event's registrations as Wagtail's listing (generic view, table component, header buttons);
    `?format=csv|xlsx` downloads the full list. Whoever may edit the event may see it."""

    template_name = "events/admin/registrations.html"
    page_title = "Регистрации"
    header_icon = "user"
    no_results_message = "Регистраций пока нет."
    columns = [
        Column("number", label="№"),
        Column("full_name", label="ФИО"),
        Column("organisation", label="Учреждение"),
        Column("position", label="Должность"),
        Column("email", label="E-mail"),
        Column("get_status_display", label="Статус"),
        LocalDateTimeColumn("created_at", label="Подана"),
        LocalDateTimeColumn("confirmed_at", label="Подтверждена"),
    ]

    def setup(self, request, *args, page_id, **kwargs):
        super().setup(request, *args, page_id=page_id, **kwargs)
        self.event = get_object_or_404(EventPage, pk=page_id)

    def dispatch(self, request, *args, **kwargs):
        if not self.event.permissions_for_user(request.user).can_edit():
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        fmt = request.GET.get("format")
        if fmt:
            return table_response(f"registrations-{self.event.slug}"[:60], HEADERS, rows_for(self.event), fmt=fmt)
        return super().get(request, *args, **kwargs)

    def get_base_queryset(self):
        order = [F("created_at").asc(), F("pk").asc()]
        return (
            Registration.objects.filter(event=self.event)
            .annotate(number=Window(RowNumber(), order_by=order))
            .order_by(*order)
        )

    def get_page_subtitle(self):
        return self.event.title

    def get_index_url(self):
        return reverse("events_registrations", args=[self.event.pk])

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("wagtailadmin_pages:edit", args=[self.event.pk]), "label": self.event.title},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_header_buttons(self):
        return [
            HeaderButton("Скачать XLSX", url="?format=xlsx", icon_name="download"),
            HeaderButton("Скачать CSV", url="?format=csv", icon_name="download"),
            HeaderButton(
                "Редактировать мероприятие",
                url=reverse("wagtailadmin_pages:edit", args=[self.event.pk]),
                icon_name="edit",
            ),
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        counts = dict.fromkeys(Registration.State.values, 0)
        for status in Registration.objects.filter(event=self.event).values_list("status", flat=True):
            counts[status] += 1
        context.update(
            event=self.event,
            registered=counts[Registration.State.REGISTERED],
            waitlist=counts[Registration.State.WAITLIST],
            cancelled=counts[Registration.State.CANCELLED],
        )
        return context


registrations = RegistrationsView.as_view()

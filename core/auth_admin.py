"""«Блокировки входа»: superusers see current sign-in locks and lift them (see core/auth.py).

Built from Wagtail's admin components (core/admin_ui.py): the generic header, a table with a POST
button per lock, and the unlock-by-name form rendered with `{% formattedfield %}`.
"""

from datetime import UTC, datetime

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import path, reverse, reverse_lazy
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_http_methods
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column

from .admin_ui import AdminPageView, LocalDateTimeColumn, PostButtonColumn, table
from .auth import active_locks, unlock

KIND_LABELS = {"user": "учётная запись", "ip": "IP-адрес"}


class UnlockForm(forms.Form):
    value = forms.CharField(
        label="Имя пользователя или IP-адрес",
        max_length=254,
        error_messages={"required": "Укажите имя пользователя или IP-адрес."},
    )


@method_decorator(require_http_methods(["GET", "HEAD", "POST"]), name="dispatch")
class LoginLocksView(AdminPageView):
    template_name = "core/admin/login_locks.html"
    page_title = "Блокировки входа"
    header_icon = "lock"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_superuser:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        form = UnlockForm({"value": request.POST.get("value", "").strip()[:254]})
        if not form.is_valid():
            messages.error(request, form.errors["value"][0])
        elif unlock(value := form.cleaned_data["value"]):
            messages.success(request, f"Блокировка «{value}» снята.")
        else:
            messages.warning(request, f"«{value}» не заблокирован; счётчик неудачных попыток обнулён.")
        return redirect("core_login_locks")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        locks = [
            dict(lock, until=datetime.fromtimestamp(lock["until"], tz=UTC), kind_label=KIND_LABELS[lock["kind"]])
            for lock in active_locks()
        ]
        context["locks"] = table(
            [
                Column("kind_label", label="Что заблокировано"),
                Column("label", label="Имя или адрес"),
                LocalDateTimeColumn("until", label="До", seconds=True),
                PostButtonColumn(
                    "unlock", "Разблокировать", reverse_lazy("core_login_locks"), accessor="label", label="Действие"
                ),
            ],
            locks,
            caption="Действующие блокировки входа",
        )
        context["form"] = UnlockForm()
        return context


login_locks = LoginLocksView.as_view()


class SuperuserMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.is_superuser


@hooks.register("register_admin_urls")
def login_locks_urls():
    return [path("login-locks/", login_locks, name="core_login_locks")]


@hooks.register("register_settings_menu_item")
def login_locks_menu_item():
    return SuperuserMenuItem("Блокировки входа", reverse("core_login_locks"), icon_name="lock", order=900)

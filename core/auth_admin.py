"""«Блокировки входа»: superusers see current sign-in locks and lift them (see core/auth.py)."""

from datetime import UTC, datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_http_methods
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from .auth import active_locks, unlock


@require_http_methods(["GET", "HEAD", "POST"])
def login_locks(request):
    if not request.user.is_superuser:
        raise PermissionDenied
    if request.method == "POST":
        value = request.POST.get("value", "").strip()[:254]
        if not value:
            messages.error(request, "Укажите имя пользователя или IP-адрес.")
        elif unlock(value):
            messages.success(request, f"Блокировка «{value}» снята.")
        else:
            messages.warning(request, f"«{value}» не заблокирован; счётчик неудачных попыток обнулён.")
        return redirect("core_login_locks")
    locks = [
        dict(lock, until=datetime.fromtimestamp(lock["until"], tz=UTC), kind_label=KIND_LABELS[lock["kind"]])
        for lock in active_locks()
    ]
    return render(request, "core/admin/login_locks.html", {"locks": locks})


KIND_LABELS = {"user": "учётная запись", "ip": "IP-адрес"}


class SuperuserMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.is_superuser


@hooks.register("register_admin_urls")
def login_locks_urls():
    return [path("login-locks/", login_locks, name="core_login_locks")]


@hooks.register("register_settings_menu_item")
def login_locks_menu_item():
    return SuperuserMenuItem("Блокировки входа", reverse("core_login_locks"), icon_name="lock", order=900)

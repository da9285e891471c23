"""«Двухэтапный вход»: the code page after the password, and the setup page under «Аккаунт»
(core/twofactor.py says why and when each is shown)."""

from base64 import b32encode

import segno
from django import forms
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from wagtail import hooks

from .admin_ui import AdminPageView
from .twofactor import confirmed_device, pending_device

WRONG_CODE = "Код не подошёл. Введите шесть цифр, которые приложение показывает сейчас, и проверьте время на телефоне."
WAIT = "Слишком много неверных кодов подряд. Подождите немного и введите новый код."


class CodeForm(forms.Form):
    code = forms.RegexField(
        label="Код из приложения",
        regex=r"^\s*\d{6}\s*$",
        max_length=12,
        error_messages={"required": "Введите код из приложения.", "invalid": "Код — это шесть цифр."},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class SetupForm(CodeForm):
    password = forms.CharField(
        label="Ваш пароль",
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": "Введите пароль: так мы убедимся, что это вы."},
    )


class DisableForm(forms.Form):
    password = SetupForm.base_fields["password"]


def reauth():
    """core.reauth, which builds on this module's forms."""
    from . import reauth as module

    return module


def check_code(form, device) -> int:
    """Validates the code against the device; the status to answer with (200 when it matched)."""
    if not form.is_valid():
        return 400
    allowed, _ = device.verify_is_allowed()
    if not allowed:
        form.add_error("code", WAIT)
        return 429
    if not device.verify_token(form.cleaned_data["code"].strip()):
        form.add_error("code", WRONG_CODE)
        return 400
    return 200


def safe_next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return target
    return reverse("wagtailadmin_home")


@method_decorator(require_http_methods(["GET", "HEAD", "POST"]), name="dispatch")
class CodeView(AdminPageView):
    template_name = "core/admin/two_factor_code.html"
    page_title = "Код из приложения"
    header_icon = "key"

    def dispatch(self, request, *args, **kwargs):
        self.device = confirmed_device(request.user)
        if self.device is None or request.user.is_verified():
            return redirect(safe_next(request))
        return super().dispatch(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        form = CodeForm(request.POST)
        status = check_code(form, self.device)
        if status == 200:
            otp_login(request, self.device)
            reauth().mark(request)  # password and code both just entered
            return redirect(safe_next(request))
        return self.render_to_response(self.get_context_data(form=form), status=status)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", CodeForm())
        context["form"].fields["code"].widget.attrs["autofocus"] = True  # the page's only question
        context["next"] = safe_next(self.request)
        return context


@method_decorator(require_http_methods(["GET", "HEAD", "POST"]), name="dispatch")
class SetupView(AdminPageView):
    template_name = "core/admin/two_factor_setup.html"
    page_title = "Двухэтапный вход"
    header_icon = "key"

    def dispatch(self, request, *args, **kwargs):
        # Changing or disabling it needs a recent confirmation; setting it up for the first time does not
        # (it asks for the password itself, and STAFF_2FA_REQUIRED sends people here first thing).
        if confirmed_device(request.user) is not None and (asked := reauth().challenge(request)):
            return asked
        return super().dispatch(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        device = confirmed_device(request.user)
        if device is not None:
            return self.disable(request, device)
        device = pending_device(request.user)
        form = SetupForm(request.POST)
        status = check_code(form, device)
        if status == 200 and not request.user.check_password(form.cleaned_data["password"]):
            form.add_error("password", "Пароль не подошёл.")
            status = 400
        if status != 200:
            return self.render_to_response(self.get_context_data(form=form, device=device), status=status)
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        otp_login(request, device)
        reauth().mark(request)
        messages.success(request, "Двухэтапный вход включён: при следующем входе понадобится код из приложения.")
        return redirect(safe_next(request) if request.GET.get("next") else reverse("core_two_factor"))

    def disable(self, request, device):
        form = DisableForm(request.POST)
        if settings.STAFF_2FA_REQUIRED:
            messages.error(request, "Двухэтапный вход обязателен для сотрудников: отключить его нельзя.")
            return redirect("core_two_factor")
        if not form.is_valid() or not request.user.check_password(form.cleaned_data["password"]):
            if form.is_valid():
                form.add_error("password", "Пароль не подошёл.")
            return self.render_to_response(self.get_context_data(disable_form=form), status=400)
        request.user.totpdevice_set.all().delete()
        messages.success(request, "Двухэтапный вход отключён.")
        return redirect("core_two_factor")

    def get_context_data(self, form=None, device=None, **kwargs):
        context = super().get_context_data(**kwargs)
        context["required"] = settings.STAFF_2FA_REQUIRED
        context["enabled"] = confirmed_device(self.request.user) is not None
        if context["enabled"]:
            context.setdefault("disable_form", DisableForm())
            return context
        device = device or pending_device(self.request.user)
        context["form"] = form or SetupForm()
        # The QR code is drawn here as inline SVG: the secret never leaves the site for a chart service.
        context["qr"] = mark_safe(segno.make(device.config_url, error="m").svg_inline(scale=5, title="QR-код"))
        secret = b32encode(device.bin_key).decode()
        context["secret"] = " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
        return context


@hooks.register("register_admin_urls")
def two_factor_urls():
    return [
        path("login/code/", CodeView.as_view(), name="core_two_factor_code"),
        path("account/two-factor/", SetupView.as_view(), name="core_two_factor"),
    ]


@hooks.register("register_account_menu_item")
def two_factor_account_item(request):
    enabled = confirmed_device(request.user) is not None
    return {
        "url": reverse("core_two_factor"),
        "label": "Двухэтапный вход",
        "help_text": "Включён: при входе нужен код из приложения."
        if enabled
        else "Код из приложения на телефоне после пароля: вход не удастся по одному украденному паролю.",
    }

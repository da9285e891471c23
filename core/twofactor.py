"""Two-factor sign-in for staff: a code from a TOTP app (Яндекс Ключ, Google Authenticator, …) after the
password, on django-otp.

Optional by default: an editor turns it on in «Аккаунт → Двухэтапный вход», and from then on every
sign-in asks for the code. `STAFF_2FA_REQUIRED=1` makes it compulsory: staff without a device can open
only the setup page until they add one. The password step (core/auth.py, with its lockout) is
unchanged; the code step is this middleware sending a signed-in but unverified user to the code page.
Failed codes slow down exponentially (django-otp's throttling on the device).
"""

from urllib.parse import urlencode

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse
from django_otp import user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

ADMIN_PREFIX = "/admin/"


def needs_admin(user) -> bool:
    return user.is_authenticated and (user.is_superuser or user.has_perm("wagtailadmin.access_admin"))


def confirmed_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def pending_device(user) -> TOTPDevice:
    """The device being set up: one unconfirmed per person, kept until confirmed or replaced."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name="Приложение-аутентификатор", confirmed=False)


class TwoFactorMiddleware:
    """After django_otp's OTPMiddleware: admin pages wait for the code (or, if compulsory, the setup)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        target = self._redirect_to(request)
        if target:
            return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)

    @staticmethod
    def _redirect_to(request) -> str | None:
        if not request.path_info.startswith(ADMIN_PREFIX) or not needs_admin(request.user):
            return None
        if request.user.is_verified():
            return None
        open_paths = (reverse("core_two_factor_code"), reverse("wagtailadmin_logout"))
        if request.path_info in open_paths or request.path_info.startswith(("/admin/jsi18n/", "/admin/sprite")):
            return None
        if user_has_device(request.user, confirmed=True):
            return "core_two_factor_code"
        if settings.STAFF_2FA_REQUIRED and request.path_info != reverse("core_two_factor"):
            return "core_two_factor"
        return None

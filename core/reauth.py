"""Re-authentication before sensitive admin actions: the password (and the two-factor code, for those
who have an app) entered within the last ADMIN_REAUTH_MINUTES, or the action waits for it.

Sensitive is what a stolen session could do the most harm with: users, groups and their
permissions, two-factor sign-in, sign-in locks, site settings, bulk page deletion and the downloads
of personal data. Which admin URLs those are is declared, not coded here: ADMIN_REAUTH_REQUIRED_FOR
in the settings (Wagtail's own URLs) and the `register_sensitive_admin_urls` hook (each app's own
URLs, in its wagtail_hooks.py), each a list of rules:

- `"wagtailusers_users:*"` — a URL name (shell-style wildcards, namespace included);
- `"/admin/bulk/wagtailcore/page/delete/"` — a path prefix (it starts with a slash);
- either followed by `?param`: only requests whose query string has that parameter
  (`"*?export"`: every CSV/XLSX download of a Wagtail listing).

A GET or HEAD without a recent confirmation is sent to the confirmation page and, once confirmed,
back (a `next` of this site only). A POST is answered in place, 403, with the confirmation form that
carries everything the form sent (files excepted) and posts it again with the password: a
confirmation that succeeds lets the original action run with the original data; nothing runs
before. The password is checked by `authenticate()`, so a wrong one counts towards the sign-in
lockout (core/auth.py); when the account gets locked, the session is signed out.
"""

import time
from fnmatch import fnmatchcase
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, logout
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.cache import add_never_cache_headers
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_http_methods
from wagtail import hooks

from .admin_ui import AdminPageView
from .auth import clear_failures, lock_remaining, locked_message
from .twofactor import ADMIN_PREFIX, confirmed_device, needs_admin
from .twofactor_admin import CodeForm, check_code, safe_next

REAUTH_KEY = "imc_reauth_at"
PREFIX = "reauth"  # the confirmation form's field names («reauth-password»): apart from any form it carries
REFUSED = "Пароль не подошёл."
NOT_CARRIED = frozenset({"csrfmiddlewaretoken"})


def window_seconds() -> int:
    return max(1, settings.ADMIN_REAUTH_MINUTES) * 60


def mark(request) -> None:
    """The password (and the code) have just been entered: sensitive actions are open for a while."""
    request.session[REAUTH_KEY] = int(time.time())


@receiver(user_logged_in, dispatch_uid="core-reauth-signed-in")
def _signed_in(sender, request=None, user=None, **kwargs):
    """Signing in is a confirmation; with two-factor, the code page records it once the code is entered."""
    if request is not None and hasattr(request, "session") and confirmed_device(user) is None:
        mark(request)


def is_recent(request) -> bool:
    confirmed_at = request.session.get(REAUTH_KEY)
    return confirmed_at is not None and time.time() - confirmed_at <= window_seconds()


def rules() -> list[str]:
    found = list(settings.ADMIN_REAUTH_REQUIRED_FOR)
    for hook in hooks.get_hooks("register_sensitive_admin_urls"):
        found.extend(hook())
    return found


def _matches(rule: str, request) -> bool:
    target, _, param = rule.partition("?")
    if param and param not in request.GET:
        return False
    if target.startswith("/"):
        return request.path_info.startswith(target)
    match = request.resolver_match
    return match is not None and fnmatchcase(match.view_name, target)


def is_sensitive(request) -> bool:
    return any(_matches(rule, request) for rule in rules())


class ReauthForm(forms.Form):
    password = forms.CharField(
        label="Ваш пароль",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "autofocus": True}),
        error_messages={"required": "Введите пароль."},
    )
    code = CodeForm.base_fields["code"]

    def __init__(self, *args, device=None, **kwargs):
        super().__init__(*args, prefix=PREFIX, **kwargs)
        if device is None:
            del self.fields["code"]


def verify(request):
    """Checks the confirmation in request.POST: (form, status), 200 when it was right and is recorded;
    (None, 0) when the account got locked and the session was signed out."""
    device = confirmed_device(request.user)
    form = ReauthForm(request.POST, device=device)
    if not form.is_valid():
        return form, 400
    username = request.user.get_username()
    user = authenticate(request, username=username, password=form.cleaned_data["password"])
    if user is None or user.pk != request.user.pk:
        if lock_remaining(request, username):
            return None, 0
        form.add_error("password", REFUSED)
        return form, 400
    if device is not None:
        status = check_code(form, device)
        if status != 200:
            return form, status
    clear_failures(username)
    mark(request)
    return form, 200


def _locked_out(request):
    """The account is locked (too many wrong passwords): this session ends too."""
    remaining = lock_remaining(request, request.user.get_username())
    logout(request)
    messages.error(request, locked_message(remaining))
    return redirect(reverse("wagtailadmin_login"))


@method_decorator(require_http_methods(["GET", "HEAD", "POST"]), name="dispatch")
class ReauthView(AdminPageView):
    """«Подтвердите, что это вы»: on its own address before a GET, or in place of a POST (`carried`)."""

    template_name = "core/admin/reauth.html"
    page_title = "Подтвердите, что это вы"
    header_icon = "key"
    carried = None  # the original POST's fields, when answering in place

    def post(self, request, *args, **kwargs):
        form, status = verify(request)
        if form is None:
            return _locked_out(request)
        if status == 200:
            return redirect(safe_next(request))
        return self.render_to_response(self.get_context_data(form=form), status=status)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", ReauthForm(device=confirmed_device(self.request.user)))
        context["minutes"] = window_seconds() // 60
        context["failures"] = settings.ADMIN_LOGIN_ACCOUNT_FAILURES
        context["carried"] = self.carried
        if self.carried is None:
            context["next"] = safe_next(self.request)
            context["action"] = ""
        else:
            context["action"] = self.request.get_full_path()
            context["files_dropped"] = bool(self.request.FILES)
        return context


def _in_place(request, form=None, status=403):
    view = ReauthView(
        carried=[
            (name, value)
            for name, values in request.POST.lists()
            if name not in NOT_CARRIED and not name.startswith(f"{PREFIX}-")
            for value in values
        ]
    )
    view.setup(request)
    response = view.render_to_response(view.get_context_data(**({"form": form} if form else {})), status=status)
    add_never_cache_headers(response)  # it holds what the form sent, perhaps a new password
    return response


def challenge(request):
    """None when the user may go on; else the response that asks for the password first."""
    if is_recent(request):
        return None
    if request.method in ("GET", "HEAD"):
        return redirect(f"{reverse('core_reauth')}?{urlencode({'next': request.get_full_path()})}")
    if request.method != "POST":
        return _in_place(request)
    if f"{PREFIX}-password" not in request.POST:
        return _in_place(request)
    form, status = verify(request)
    if form is None:
        return _locked_out(request)
    if status != 200:
        return _in_place(request, form, status)
    # Confirmed: the action runs with what its own form sent, without the confirmation's fields.
    data = request.POST.copy()
    for name in list(data):
        if name.startswith(f"{PREFIX}-"):
            del data[name]
    data._mutable = False
    request.POST = data
    return None


class ReauthMiddleware:
    """After the CSRF check (process_view) and the sign-in middlewares: sensitive admin URLs wait
    for a recent confirmation."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not request.path_info.startswith(ADMIN_PREFIX) or not needs_admin(request.user):
            return None
        if not is_sensitive(request):
            return None
        return challenge(request)


@hooks.register("register_admin_urls")
def reauth_urls():
    return [path("reauth/", ReauthView.as_view(), name="core_reauth")]

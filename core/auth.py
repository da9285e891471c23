"""Admin sign-in security: lockout after failed logins, a password-reset throttle, session lifetime.

Failed logins are counted per account and per client address (core.hashing.client_ip, which
honours TRUSTED_PROXY_COUNT) with core.ratelimit's counters: in Redis, shared by every gunicorn
instance, and in PostgreSQL (the `durable` cache) while Redis does not answer. After
ADMIN_LOGIN_ACCOUNT_FAILURES failures for one account, or ADMIN_LOGIN_ADDRESS_FAILURES from one
address, within a fixed ADMIN_LOGIN_WINDOW_MINUTES window, that account or address is locked for
ADMIN_LOGIN_LOCKOUT_MINUTES: every attempt, the right password included, is refused with a Russian
message and HTTP 429. The lock itself is written to the `durable` cache only: locks are rare, one
indexed read per sign-in attempt costs nothing, and a Redis outage or restart never lifts one.
`manage.py unlock_login` and the superusers' admin page «Блокировки входа» lift a lock early.

Why not django-axes: it applies one failure limit to every lockout parameter, so a school network
sharing one address would be locked after as few failures as a single account; it refuses
authenticate() calls without a request (Django's test client login among them); and its messages and
pages are its own. The few lines below reuse the project's cache, client address and Russian pages.

The lock is enforced twice: by LoginLockoutBackend, the authentication backend, so no login
path that passes the request can check a password while locked, and by LockoutLoginForm, which turns
it into the message on Wagtail's login page. Unknown user names are counted and locked like real
ones, so the answers say nothing about which accounts exist. A Redis outage does not open the
lockout; only if PostgreSQL fails as well are attempts let through (the passwords are still checked).
"""

import contextlib
import ipaddress
import logging
import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.backends import ModelBackend, UserModel
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.core.cache import caches
from django.core.exceptions import PermissionDenied, ValidationError
from django.dispatch import receiver
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from wagtail.admin.forms.auth import LoginForm
from wagtail.admin.views import account as wagtail_account

from .hashing import client_ip, keyed_hash
from .ratelimit import count_hits, forget_hits

logger = logging.getLogger(__name__)

LOCKED_MESSAGE = (
    "Вход временно заблокирован: слишком много неудачных попыток входа. "
    "Попробуйте снова через {minutes} мин. или обратитесь к администратору портала — он может снять блокировку."
)
RESET_THROTTLED_MESSAGE = (
    "Слишком много запросов на восстановление пароля. Письмо не отправлено. "
    "Попробуйте снова через час или обратитесь к администратору портала."
)
IDLE_MESSAGE = "Сеанс завершён: в админке не было действий больше {minutes} мин. Войдите снова."
LIFETIME_MESSAGE = "Сеанс завершён: с момента входа прошло больше {hours} ч. Войдите снова."
LOCK_INDEX_KEY = "login:locks"
LAST_ACTIVITY_KEY = "imc_last_activity"
SIGNED_IN_KEY = "imc_signed_in_at"


def _setting(name, default):
    return getattr(settings, name, default)


def normalise_username(username) -> str:
    return str(username or "").strip().lower()


def _ident(kind: str, value: str) -> str:
    return keyed_hash(f"login-{kind}:{value}")


def _failures(kind: str, value: str) -> list[tuple[str, int]]:
    """The failure counter of an account or an address, as core.ratelimit counts it."""
    return [(f"login:fail:{kind}:{_ident(kind, value)}", _setting("ADMIN_LOGIN_WINDOW_MINUTES", 15) * 60)]


def _lock_key(kind: str, value: str) -> str:
    return f"login:lock:{kind}:{_ident(kind, value)}"


def _locks():
    """Where locks live: PostgreSQL, never Redis alone (see the module's docstring)."""
    return caches["durable"]


def clear_failures(username) -> None:
    """A successful sign-in or re-authentication starts the account's failure count afresh."""
    forget_hits(_failures("user", normalise_username(username)))


# --- login lockout -------------------------------------------------------------------------------


def _lock(kind: str, value: str) -> None:
    seconds = _setting("ADMIN_LOGIN_LOCKOUT_MINUTES", 15) * 60
    until = time.time() + seconds
    store = _locks()
    try:
        store.set(_lock_key(kind, value), until, timeout=seconds)
        # The index only feeds the admin list; a lost update there never unlocks anybody.
        index = {k: v for k, v in (store.get(LOCK_INDEX_KEY) or {}).items() if v["until"] > time.time()}
        index[_lock_key(kind, value)] = {"kind": kind, "label": value, "until": until}
        store.set(LOCK_INDEX_KEY, index, timeout=seconds)
    except Exception:
        logger.warning("sign-in limiter: cache unavailable", exc_info=True)
        return
    forget_hits(_failures(kind, value))  # a fresh allowance once the lock ends
    logger.warning("admin sign-in locked for %s minutes: %s %s", seconds // 60, kind, value)


def lock_remaining(request, username) -> int:
    """Seconds until the account's or the address's lock ends (the later of the two); 0 when not locked."""
    keys = [_lock_key("user", normalise_username(username)), _lock_key("ip", client_ip(request))]
    try:
        found = _locks().get_many(keys)
    except Exception:
        logger.warning("sign-in limiter: cache unavailable", exc_info=True)
        return 0
    until = max(found.values(), default=0)
    return max(0, int(until - time.time()))


def locked_message(seconds: int) -> str:
    return LOCKED_MESSAGE.format(minutes=max(1, -(-seconds // 60)))


@receiver(user_login_failed, dispatch_uid="core-auth-login-failed")
def _count_failure(sender, credentials, request=None, **kwargs):
    if request is None or getattr(request, "_imc_login_locked", False):
        return  # no address to count, or an attempt refused by the lock itself
    username = normalise_username(credentials.get("username"))
    ip = client_ip(request)
    counters = _failures("ip", ip) + (_failures("user", username) if username else [])
    by_ip, *by_user = count_hits(counters)
    if by_user and by_user[0] >= _setting("ADMIN_LOGIN_ACCOUNT_FAILURES", 5):
        _lock("user", username)
    if by_ip >= _setting("ADMIN_LOGIN_ADDRESS_FAILURES", 20):
        _lock("ip", ip)


@receiver(user_logged_in, dispatch_uid="core-auth-logged-in")
def _signed_in(sender, request=None, user=None, **kwargs):
    if user is not None:
        clear_failures(user.get_username())
    if request is not None and hasattr(request, "session"):
        request.session[LAST_ACTIVITY_KEY] = request.session[SIGNED_IN_KEY] = int(time.time())


class LoginLockoutBackend(ModelBackend):
    """Django's ModelBackend that, while the account or the address is locked, checks no password.

    It replaces ModelBackend rather than standing before it: code that takes the first backend for
    a session (Wagtail's test utilities, the test client) then gets one that also loads users.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is not None and lock_remaining(request, username or kwargs.get(UserModel.USERNAME_FIELD)):
            request._imc_login_locked = True
            raise PermissionDenied("sign-in locked")
        return super().authenticate(request, username=username, password=password, **kwargs)


class LockoutLoginForm(LoginForm):
    """Wagtail's login form that says, in Russian, when the account or the address is locked."""

    def clean(self):
        username = self.cleaned_data.get("username")
        if self.request is not None:
            remaining = lock_remaining(self.request, username)
            if remaining:
                raise ValidationError(locked_message(remaining), code="locked_out")
        try:
            return super().clean()
        except ValidationError:
            # This failure may have been the one that locked: say so now rather than on the next try.
            remaining = lock_remaining(self.request, username) if self.request is not None else 0
            if remaining:
                raise ValidationError(locked_message(remaining), code="locked_out") from None
            raise


class LoginView(wagtail_account.LoginView):
    """Wagtail's login view, answering 429 while the sign-in is locked."""

    def form_invalid(self, form):
        response = super().form_invalid(form)
        if form.has_error("__all__", "locked_out"):
            response.status_code = 429
        return response


def active_locks() -> list[dict]:
    """Current locks for the admin page, soonest to end first."""
    try:
        index = _locks().get(LOCK_INDEX_KEY) or {}
        alive = _locks().get_many(list(index))
    except Exception:
        logger.warning("sign-in limiter: cache unavailable", exc_info=True)
        return []
    locks = [dict(entry, until=alive[key]) for key, entry in index.items() if key in alive]
    return sorted(locks, key=lambda lock: lock["until"])


def unlock(value: str) -> bool:
    """Lifts the lock and clears the failure count of an account name or an address; True if one was locked."""
    value = value.strip()
    candidates = [("user", normalise_username(value))]
    with contextlib.suppress(ValueError):  # not an address: an account name only
        candidates.append(("ip", str(ipaddress.ip_address(value))))
    found = False
    store = _locks()
    for kind, ident in candidates:
        key = _lock_key(kind, ident)
        found = bool(store.get(key)) or found
        store.delete(key)
        forget_hits(_failures(kind, ident))
        index = store.get(LOCK_INDEX_KEY)
        if index and key in index:
            del index[key]
            store.set(LOCK_INDEX_KEY, index, timeout=_setting("ADMIN_LOGIN_LOCKOUT_MINUTES", 15) * 60)
    if found:
        logger.warning("admin sign-in unlocked: %s", value)
    return found


# --- password reset ------------------------------------------------------------------------------


def reset_limited(request, email: str) -> bool:
    """Counts a reset request for the address and the e-mail; True when either is over its hourly limit.

    The same answer whether or not an account has that e-mail, so the limit reveals nothing.
    """
    per_email, per_ip = count_hits(
        [
            (f"login:reset:email:{_ident('email', email.strip().lower())}", 3600),
            (f"login:reset:ip:{_ident('ip', client_ip(request))}", 3600),
        ]
    )
    return per_email > _setting("ADMIN_PASSWORD_RESET_PER_EMAIL", 3) or per_ip > _setting(
        "ADMIN_PASSWORD_RESET_PER_ADDRESS", 10
    )


class PasswordResetView(wagtail_account.PasswordResetView):
    """Wagtail's password reset, refusing (429, no e-mail) over the hourly limits."""

    def form_valid(self, form):
        if reset_limited(self.request, form.cleaned_data["email"]):
            form.add_error(None, ValidationError(RESET_THROTTLED_MESSAGE, code="throttled"))
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().form_valid(form)


# --- session lifetime ----------------------------------------------------------------------------


def _passive(request) -> bool:
    """Requests the admin makes by itself: an open editor's presence ping without unsaved changes."""
    ping_prefix = reverse("wagtailadmin_home") + "editing-sessions/"
    return request.path.startswith(ping_prefix) and request.method == "POST" and not request.POST.get("is_editing")


class AdminIdleTimeoutMiddleware:
    """Signs a user out after ADMIN_IDLE_TIMEOUT_MINUTES without activity, and ADMIN_SESSION_MAX_HOURS
    after signing in whatever the activity (a stolen session cookie is worth a working day at most).

    Only signed-in users are looked at, so anonymous visitors get no session (and no cookie) from
    this: the page cache relies on that. The last activity is written at most once a minute. An open
    editor's presence ping counts only when it reports unsaved changes, so an idle tab does not keep
    the session alive, while somebody typing a long text is not signed out under it.
    """

    WRITE_EVERY = 60

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.SESSION_COOKIE_NAME in request.COOKIES and request.user.is_authenticated:
            response = self._check(request)
            if response is not None:
                return response
        return self.get_response(request)

    def _check(self, request):
        now = int(time.time())
        max_age = _setting("ADMIN_SESSION_MAX_HOURS", 12) * 3600
        started = request.session.get(SIGNED_IN_KEY)
        if started is None:  # a session from before this rule: its clock starts now
            request.session[SIGNED_IN_KEY] = started = now
        if max_age > 0 and now - started > max_age:
            return self._expire(request, LIFETIME_MESSAGE.format(hours=max_age // 3600))
        timeout = _setting("ADMIN_IDLE_TIMEOUT_MINUTES", 30) * 60
        if timeout <= 0:
            return None
        last = request.session.get(LAST_ACTIVITY_KEY)
        if last is not None and now - last > timeout:
            return self._expire(request, IDLE_MESSAGE.format(minutes=timeout // 60))
        if (last is None or now - last >= self.WRITE_EVERY) and not _passive(request):
            request.session[LAST_ACTIVITY_KEY] = now
        return None

    @staticmethod
    def _expire(request, message):
        """Signs out; in the admin, back to its login page with the reason, then to where they were."""
        logout(request)
        if request.path.startswith(reverse("wagtailadmin_home")):
            messages.warning(request, message)
            login_url = reverse("wagtailadmin_login")
            return redirect(f"{login_url}?{urlencode({'next': request.get_full_path()})}")
        return None

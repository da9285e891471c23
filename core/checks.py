"""Is the site told how many proxies stand in front of it? Checked at deploy and at run time.

Behind nginx every request's REMOTE_ADDR is nginx's. Unless TRUSTED_PROXY_COUNT says how many
proxies append to X-Forwarded-For, every visitor shares that one address, and the per-address rate
limits (votes, registrations, questions) become limits for the whole site.

- Run time: the first request that carries X-Forwarded-For while TRUSTED_PROXY_COUNT is 0 (outside
  DEBUG) logs an error, at most once an hour per process, and leaves a marker in the shared cache.
  A count the header cannot satisfy (nginx not setting it) is logged the same way by client_ip().
- `check --deploy` reports the marker (and an impossible count) as an error, so the next deploy
  stops on it. In development (DEBUG) nothing is reported: runserver has no proxy to configure.
"""

import logging
import time

from django.conf import settings
from django.core.cache import cache
from django.core.checks import Error, Tags, register
from django.utils import timezone

logger = logging.getLogger(__name__)

MARKER_KEY = "core:proxy-misconfigured"
MARKER_SECONDS = 7 * 86400
REPORT_EVERY = 3600
_reported: dict[str, float] = {}

HINT = (
    "Behind nginx set TRUSTED_PROXY_COUNT=1 (2 with a CDN or load balancer before nginx) and "
    "`proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;` in nginx (README, «Running in production»)."
)


def report_once(kind: str, message: str, *args) -> bool:
    """Logs an error at most once per REPORT_EVERY seconds per process and kind; True when it logged."""
    now = time.monotonic()
    last = _reported.get(kind)
    if last is not None and now - last < REPORT_EVERY:
        return False
    _reported[kind] = now
    logger.error(message + " " + HINT, *args)
    return True


def forwarded_without_trusted_proxy(sender=None, environ=None, **kwargs) -> None:
    """request_started receiver: a proxied request while the site believes there is no proxy."""
    if not environ or "HTTP_X_FORWARDED_FOR" not in environ:
        return
    if settings.DEBUG or getattr(settings, "TRUSTED_PROXY_COUNT", 0):
        return
    if report_once(
        "forwarded-without-count",
        "A request arrived with X-Forwarded-For but TRUSTED_PROXY_COUNT is 0: every visitor is seen "
        "as the proxy's address %s and the rate limits apply to the whole site.",
        environ.get("REMOTE_ADDR", "?"),
    ):
        try:
            cache.set(MARKER_KEY, timezone.now().isoformat(timespec="seconds"), MARKER_SECONDS)
        except Exception:
            logger.warning("could not store the proxy misconfiguration marker", exc_info=True)


@register(Tags.security, deploy=True)
def check_trusted_proxies(app_configs=None, **kwargs):
    count = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if not isinstance(count, int) or isinstance(count, bool) or count < 0:
        return [
            Error(f"TRUSTED_PROXY_COUNT must be 0 or a positive integer, not {count!r}.", hint=HINT, id="core.E001")
        ]
    if count or settings.DEBUG:
        return []
    try:
        seen = cache.get(MARKER_KEY)
    except Exception:  # noqa: BLE001 - no shared cache, no evidence
        seen = None
    if not seen:
        return []
    return [
        Error(
            f"Requests arrived through a proxy (X-Forwarded-For, last seen {seen}) but TRUSTED_PROXY_COUNT "
            "is 0: every visitor shares the proxy's address, so the rate limits apply to the whole site.",
            hint=HINT,
            id="core.E002",
        )
    ]

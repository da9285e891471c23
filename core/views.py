import logging
import sys
import time

from django.core.cache import caches
from django.db import InterfaceError, OperationalError, connection
from django.http import HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.template.response import TemplateResponse
from django.utils.cache import patch_cache_control
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .cache import cache_public
from .dboutage import database_unavailable, describe, report_due
from .lowvision import COOKIE_MAX_AGE, COOKIE_NAME, LowVision
from .siteurl import absolute_url
from .taskqueue import overdue_tasks

logger = logging.getLogger(__name__)


@require_GET
@cache_public
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /search/",
        "Disallow: /lv/",
        f"Sitemap: {absolute_url('/sitemap.xml')}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


SLOW_CACHE_SECONDS = 0.1  # a local Redis answers a PING in well under a millisecond


def cache_health() -> str | None:
    """ "ok", "slow" or "unavailable" for a shared (Redis) default cache; None for one in process memory.
    A hung Redis costs this one PING the breaker's socket timeout (core.redisbreaker), then fails at once."""
    get_client = getattr(getattr(caches["default"], "client", None), "get_client", None)
    if get_client is None:
        return None
    started = time.monotonic()
    try:
        get_client(write=False).ping()
    except Exception:  # noqa: BLE001 — whatever the cause, the cache is not there for the pages
        return "unavailable"
    return "slow" if time.monotonic() - started > SLOW_CACHE_SECONDS else "ok"


@never_cache
def healthz(request):
    """For load balancers: 200 when the database answers, 503 otherwise. A task queue nobody works
    (core/taskqueue.py) and a slow or unreachable Redis are reported as "degraded" with 200: the
    instance still serves pages."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as error:  # whatever failed, no traffic should come here
        if not database_unavailable(error):
            logger.exception("health check: the database query failed")
        elif (suppressed := report_due()) is not None:  # polled every few seconds: a line a minute at most
            logger.warning("health check: database unavailable (%s); %d more since", describe(error), suppressed)
        response = JsonResponse({"status": "error", "database": "unavailable"}, status=503)
        response._has_been_logged = True  # reported above, throttled: not Django's line per poll too
        return response
    body = {"status": "ok", "database": "ok"}
    cache_state = cache_health()
    if cache_state is not None:
        # Degraded, not down: pages render from the database without it, and every instance shares it,
        # so taking this one out of the balancer would not help.
        body["cache"] = cache_state
        if cache_state != "ok":
            body["status"] = "degraded"
    overdue = overdue_tasks()
    if overdue is not None:
        body["tasks"] = "stuck" if overdue else "ok"
        if overdue:
            body.update(status="degraded", overdue_tasks=overdue)
    return JsonResponse(body)


def _safe_next(request, default="/"):
    target = request.GET.get("next") or request.POST.get("next") or default
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return default


def low_vision_settings(request):
    """GET with parameters stores the preferences and returns to the page; without, shows the form.

    A GET form keeps the panel working without JavaScript and keeps pages free of CSRF tokens, so they
    stay cacheable; the only state changed is the visitor's own preference cookie.
    """
    if request.GET.get("apply") or request.GET.get("on") == "0":
        preferences = LowVision.from_mapping(request.GET)
        response = HttpResponseRedirect(_safe_next(request))
        if preferences.enabled:
            response.set_cookie(COOKIE_NAME, preferences.to_cookie(), max_age=COOKIE_MAX_AGE, samesite="Lax")
        else:
            response.delete_cookie(COOKIE_NAME, samesite="Lax")
        return response
    return TemplateResponse(request, "pages/low_vision.html", {"next": _safe_next(request)})


def bad_request(request, exception=None):
    """The Russian 400 page: refused input (core.middleware), a malformed form upload, a bad Host."""
    from .middleware import HostileInput

    message = str(exception) if isinstance(exception, HostileInput) else ""
    try:
        return render(request, "400.html", {"message": message}, status=400)
    except Exception:  # the request itself may be what breaks the site chrome (a bad Host)
        logger.warning("400 page: rendering with the site chrome failed", exc_info=True)
        return HttpResponse(loader.render_to_string("400_plain.html"), status=400)


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


DATABASE_RETRY_AFTER = 30  # seconds: a restart or failover of PostgreSQL


def server_error(request):
    """The Russian 500 page; when the database is unreachable (an outage, a failover, statements timing
    out under overload) a 503 with Retry-After instead: the visitor may come back, crawlers and nginx
    don't keep the page, and monitoring tells an outage from a bug. Both pages need no database."""
    error = sys.exc_info()[1]
    if isinstance(error, (OperationalError, InterfaceError)):
        response = render(request, "503.html", status=503)
        response["Retry-After"] = str(DATABASE_RETRY_AFTER)
        patch_cache_control(response, no_store=True)
        return response
    return render(request, "500.html", status=500)

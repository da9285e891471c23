"""Anonymous page cache in the shared cache, invalidated whenever content is published.

Anonymous visitors get the same HTML, so we store it once (Redis in production) and serve it to
the next ones. Anything personal is never stored: logged-in editors, responses that set cookies or
contain a CSRF token (forms), non-200 answers and non-GET requests. A publish, unpublish, move or
delete bumps a generation number, which invalidates every stored page at once; the nginx cache in
front is purged by Wagtail's frontend cache on the same events. A page that changes by itself at a
known moment (a contest's voting window closing) says so with valid_until() while it renders, and is
kept only until then.

The same generation keys what pages share between requests even with the page cache off: the menu,
the site settings, each URL's route (core.routing) and fragments the same for every visitor
(cached_fragment, the {% fragment %} tag). Those are kept in the process and cost one round trip per
request, for the generation itself. Saves that no publish reports (a venue renamed) invalidate through
invalidate_on_change(); anything else is rebuilt after at most `timeout` seconds.
"""

import logging
import time
import uuid
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.safestring import mark_safe

from .lowvision import COOKIE_NAME, LowVision

logger = logging.getLogger(__name__)
GENERATION_KEY = "pagecache:generation"
SKIP_PREFIXES = ("/admin/", "/django-admin/", "/documents/", "/lv/", "/altcha/", "/healthz")
STORED_HEADERS = ("Content-Type", "Content-Language", "Cache-Control", "Link", "Vary")


def generation() -> str:
    """A random token, replaced on every invalidation.

    A token rather than a counter: if the cache evicts or loses the key, the next request starts a
    new generation instead of counting up from 1 again and finding pages stored long ago.
    """
    try:
        value = cache.get(GENERATION_KEY)
        if value is None:
            cache.add(GENERATION_KEY, uuid.uuid4().hex, timeout=None)
            value = cache.get(GENERATION_KEY)
        return value or "none"
    except Exception:  # noqa: BLE001 — a cache outage is a miss, never an error page
        return "none"


def request_generation(request) -> str:
    """generation(), asked once per request (the page cache and the page chrome share it)."""
    value = getattr(request, "_pagecache_generation", None)
    if value is None:
        value = generation()
        if request is not None:
            request._pagecache_generation = value
    return value


_local = {"generation": None, "values": {}}
LOCAL_LIMIT = 2000  # entries per process (pages, fragments); beyond it the memo starts again


def cached_for_generation(
    request, name: str, build, timeout: int = 300, shared: bool = True, fresh=None, local: bool = True
):
    """A value derived from content (menu, site settings, a rendered fragment), rebuilt after every
    publish or content save, and at the latest after `timeout` seconds (for changes no signal reports).

    Kept in this process as long as the generation is unchanged (one cache round trip per request,
    for the generation itself) unless `local` is off (large values), and, when `shared`, in the shared
    cache for the other processes. `fresh(value)` may declare a kept value out of date earlier (a
    fragment that lists the next events).
    """
    current = request_generation(request)
    if _local["generation"] != current or len(_local["values"]) > LOCAL_LIMIT:
        _local["generation"], _local["values"] = current, {}
    now = time.monotonic()
    kept = _local["values"].get(name)
    if kept is not None and kept[1] > now and (fresh is None or fresh(kept[0])):
        return kept[0]
    key = f"chrome:{name}:{current}"
    value = None
    if shared:
        try:
            value = cache.get(key)
        except Exception:  # noqa: BLE001
            value = None
        if value is not None and fresh is not None and not fresh(value):
            value = None
    if value is None:
        value = build()
        if shared:
            try:
                cache.set(key, value, timeout)
            except Exception:
                logger.warning("chrome cache write failed", exc_info=True)
    if local and current != "none":  # never memoise while the cache is unreachable
        _local["values"][name] = (value, now + timeout)
    return value


@dataclass(frozen=True)
class Fragment:
    html: str
    until: datetime | None  # the earliest valid_until() moment met while rendering


def cached_fragment(request, name: str, render) -> str:
    """HTML that is the same for every visitor (a home page block), rendered once per generation.

    `render()` must not depend on the visitor: no forms (CSRF tokens), no low-vision state. Moments
    it declares with valid_until() end the fragment's life too, and are passed on to the page on
    every use, so the page cache keeps the page no longer than its freshest part.
    """
    if request is None or getattr(request, "is_preview", False):  # a draft shows its own content
        return render()

    def build():
        outer = getattr(request, "_page_cache_until", None)
        request._page_cache_until = None
        try:
            html = str(render())
            until = request._page_cache_until
        finally:
            request._page_cache_until = outer
        return Fragment(html, until)

    fragment = cached_for_generation(
        request, f"fragment:{name}", build, fresh=lambda f: f.until is None or f.until > timezone.now()
    )
    valid_until(request, fragment.until)
    return mark_safe(fragment.html)  # our own template output, escaped when it was rendered


def invalidate_on_change(*models) -> None:
    """Saving or deleting one of these (a venue, an event type, a site) changes public pages."""
    for model in models:
        label = model._meta.label_lower
        post_save.connect(invalidate_all, sender=model, dispatch_uid=f"pagecache-save-{label}")
        post_delete.connect(invalidate_all, sender=model, dispatch_uid=f"pagecache-delete-{label}")


def valid_until(request, *moments) -> None:
    """The page being rendered changes by itself at these moments (a voting window opens or closes):
    the page cache and the caches in front keep it no longer than the nearest one in the future."""
    if request is None:
        return
    now = timezone.now()
    future = [moment for moment in moments if moment and moment > now]
    if future:
        current = getattr(request, "_page_cache_until", None)
        request._page_cache_until = min(future) if current is None else min(current, *future)


def _page_cache_seconds(request) -> int:
    seconds = settings.PAGE_CACHE_SECONDS
    until = getattr(request, "_page_cache_until", None)
    if until is not None:
        seconds = min(seconds, int((until - timezone.now()).total_seconds()))
    return seconds


def invalidate_all(**kwargs) -> None:
    """Called on publish/unpublish/move/delete and settings saves: every page may show the change."""
    try:
        cache.set(GENERATION_KEY, uuid.uuid4().hex, timeout=None)
    except Exception:
        logger.warning("page cache invalidation failed", exc_info=True)


# Saves that only record a draft or a lock: the public page is unchanged.
DRAFT_ONLY_FIELDS = frozenset(
    {
        "latest_revision",
        "latest_revision_created_at",
        "has_unpublished_changes",
        "draft_title",
        "locked",
        "locked_at",
        "locked_by",
        "live_revision",
    }
)


def page_saved(sender, instance, update_fields=None, **kwargs) -> None:
    """post_save for any model: a saved Page (tree changes, scripts, the demo loader) invalidates too.

    Publishing through Wagtail also sends page_published; the duplicate bump is harmless.
    """
    from wagtail.models import Page

    if not isinstance(instance, Page):
        return
    if update_fields and set(update_fields) <= DRAFT_ONLY_FIELDS:
        return
    invalidate_all()


def _cacheable_request(request) -> bool:
    if request.method not in ("GET", "HEAD") or settings.PAGE_CACHE_SECONDS <= 0:
        return False
    if request.path.startswith(SKIP_PREFIXES):
        return False
    cookies = request.COOKIES
    return settings.SESSION_COOKIE_NAME not in cookies and "messages" not in cookies


def _key(request) -> str:
    lv = LowVision.from_cookie(request.COOKIES.get(COOKIE_NAME)).to_cookie()
    return f"pagecache:{request_generation(request)}:{lv}:{request.get_host()}{request.get_full_path()}"


class AnonymousPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not _cacheable_request(request):
            return self.get_response(request)
        try:
            key = _key(request)
            stored = cache.get(key)
        except Exception:  # noqa: BLE001 — a cache outage is a miss, never an error page
            key, stored = None, None
        if stored is not None:
            content, headers = stored
            response = HttpResponse(content)
            for name, value in headers:
                response[name] = value
            response["X-Cache"] = "HIT"
            return response

        response = self.get_response(request)
        seconds = _page_cache_seconds(request)
        if key and seconds > 0 and self._cacheable_response(request, response):
            patch_cache_control(
                response,
                public=True,
                max_age=0,
                s_maxage=seconds,
                # a page that changes at a known moment must not be served stale after it
                stale_while_revalidate=60 if seconds == settings.PAGE_CACHE_SECONDS else 0,
            )
            # The low-vision cookie changes the HTML: shared caches in front must keep the variants apart.
            patch_vary_headers(response, ["Cookie"])
            headers = [(name, response[name]) for name in STORED_HEADERS if response.has_header(name)]
            try:
                cache.set(key, (response.content, headers), seconds)
            except Exception:
                logger.warning("page cache write failed", exc_info=True)
            response["X-Cache"] = "MISS"
        return response

    @staticmethod
    def _cacheable_response(request, response) -> bool:
        if response.status_code != 200 or response.streaming or response.cookies:
            return False
        if request.META.get("CSRF_COOKIE_USED") or getattr(request, "user", None) and request.user.is_authenticated:
            return False
        cache_control = response.get("Cache-Control", "")
        if any(word in cache_control for word in ("private", "no-cache", "no-store")):
            return False
        return getattr(response, "page_cacheable", True)

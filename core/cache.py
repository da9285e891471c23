"""The anonymous page cache: a response is stored only when it says it may be. The contract is
docs/dev/caching.md; in short:

- Stored: responses carrying `Cache-Control: public, s-maxage=N`, which only mark_public() writes —
  through BasePage.serve (a page's own URL), RoutableBasePage's index route and @cache_public (the
  routes and views that show every visitor the same thing: feeds, other views of a list, the sitemap).
  Even then nothing personal is kept: not for a logged-in user or a visitor with a session, not when
  the response sets a cookie or its page used a CSRF token (a form), not a preview, only a 200.
  Everything else (search, forms, receipts, live counts, the admin) is never stored, with no word
  from its author. nginx in front reads the same header.
- Keyed by: the generation, the low-vision variant, the host, the path and only the GET parameters the
  page type (`cache_query_params`) or route (`@cache_public(params=…)`) declares: junk query strings
  share the canonical entry. A view that reads an undeclared parameter is not stored (RecordingQueryDict).
- For how long: PAGE_CACHE_SECONDS (s-maxage), shortened to the nearest valid_until() moment a
  page declared while rendering (a contest's voting window closing), so no copy outlives it.
- What invalidates: a publish, unpublish, move or delete bumps a generation number that every key
  carries, so every stored page goes at once; saves of models pages show (a venue renamed, a site
  setting) do the same through invalidate_on_change(), which core.checks requires of every model a
  page refers to. The proxy in front (nginx) is told what to drop by core.frontendcache.

The same generation keys what pages share between requests even with the page cache off: the menu,
the site settings, each URL's route (core.routing) and fragments the same for every visitor
(cached_fragment, the {% fragment %} tag). Those cost one round trip per request, for the generation —
none while this process watches it (GenerationWatch): a page-cache hit then never asks Redis.
"""

import contextlib
import logging
import os
import threading
import time
import uuid
from collections import OrderedDict
from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import InvalidCacheBackendError, cache, caches
from django.core.cache.utils import make_template_fragment_key
from django.core.signals import setting_changed
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, QueryDict
from django.template.response import SimpleTemplateResponse
from django.utils import timezone
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.safestring import mark_safe

from .lowvision import COOKIE_NAME, LowVision

logger = logging.getLogger(__name__)
GENERATION_KEY = "pagecache:generation"
STORED_HEADERS = ("Content-Type", "Content-Language", "Cache-Control", "Link", "Vary")
FRAGMENT_SECONDS = 300  # at the latest; a publish ends a fragment at once


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


class GenerationWatch:
    """This process's copy of the generation, kept right by Redis itself, so that a request needs no
    round trip to learn it: the connection that reads it asks Redis to track it (CLIENT TRACKING over
    RESP3), and when any client replaces or deletes the key Redis pushes an invalidation on that
    connection. A request asks the socket whether something is waiting (a poll, no round trip) and
    reads the generation again only after an invalidation. Redis queues the push before it answers
    the client that changed the key, but may write it to this socket just after that answer: another
    process's publish reaches this one within that moment (its own publishes at once: `forget()`).

    Only with django-redis on plain TCP (redis://); otherwise, and after any error (the connection is
    dropped and rebuilt on a later request), `current()` says None and the caller reads the generation
    the usual way. One connection per process (rebuilt after a fork), used under a lock."""

    def __init__(self):
        self.lock = threading.Lock()
        self.connection = None
        self.source = None  # (pid, location, key) the connection was made for
        self.value = None
        self.retry_at = 0.0  # after a failure, the plain read serves until then

    def _invalidated(self, message) -> None:
        self.value = None  # the only key this connection reads; None = the whole database was flushed

    def forget(self) -> None:
        """This process replaced the generation: the push is on its way, but don't wait for it."""
        self.value = None

    def reset(self) -> None:
        with self.lock:
            self._drop()
            self.retry_at = 0.0

    def _drop(self) -> None:
        connection, self.connection, self.source, self.value = self.connection, None, None, None
        if connection is not None:
            with contextlib.suppress(Exception):
                connection.disconnect()

    def _connect(self, source):
        from django_redis.cache import RedisCache

        backend = caches["default"]
        if not isinstance(backend, RedisCache) or not str(source[1]).startswith("redis://"):
            return None
        pool = backend.client.get_client(write=False).connection_pool
        kwargs = {**pool.connection_kwargs, "protocol": 3}
        connection = pool.connection_class(**kwargs)
        connection.connect()
        connection._parser.set_invalidation_push_handler(self._invalidated)
        connection.send_command("CLIENT", "TRACKING", "ON")
        connection.read_response()
        return connection

    def current(self) -> str | None:
        if not WATCH_GENERATION:
            return None
        with self.lock:
            try:
                source = (os.getpid(), getattr(cache, "_server", None), cache.make_key(GENERATION_KEY))
                if self.source != source:
                    if time.monotonic() < self.retry_at:
                        return None
                    self._drop()
                    self.source = source
                    self.connection = self._connect(source)
                connection = self.connection
                if connection is None:
                    return None
                while connection.can_read(timeout=0):  # pushes only: nothing else is ever left unread
                    connection.read_response(push_request=True, timeout=0, disconnect_on_error=False)
                if self.value is None:
                    connection.send_command("GET", source[2])
                    raw = connection.read_response()
                    if raw is None:
                        return None  # no generation yet: generation() starts one
                    self.value = cache.client.decode(raw)
                return self.value
            except Exception:  # noqa: BLE001 — Redis away or hung: the usual read decides (and fails fast)
                self._drop()
                self.retry_at = time.monotonic() + WATCH_RETRY_SECONDS
                return None


WATCH_GENERATION = True
WATCH_RETRY_SECONDS = 30.0  # as long as the Redis circuit breaker stays open (core/redisbreaker.py)
watch = GenerationWatch()


@receiver(setting_changed)
def _cache_settings_changed(setting, **kwargs):
    if setting in ("CACHES", "PAGE_CACHE_SECONDS"):
        watch.reset()
        local_pages.clear()


def request_generation(request) -> str:
    """The generation, learnt once per request (the page cache and the page chrome share it): from
    this process's watched copy, else read from the cache."""
    value = getattr(request, "_pagecache_generation", None)
    if value is None:
        value = watch.current() or generation()
        if request is not None:
            request._pagecache_generation = value
    return value


_local = {"generation": None, "values": {}}
LOCAL_LIMIT = 2000  # entries per process (menus, routes); beyond it the memo starts again


def cached_for_generation(
    request, name: str, build, timeout: int = 300, shared: bool = True, fresh=None, local: bool = True
):
    """A value derived from content (menu, site settings, a route), rebuilt after every publish or
    content save, and at the latest after `timeout` seconds (for changes no signal reports).

    Kept in this process as long as the generation is unchanged (one cache round trip per request,
    for the generation itself) unless `local` is off (large values), and, when `shared`, in the shared
    cache for the other processes. `fresh(value)` may declare a kept value out of date earlier.
    Values kept in the process are shared by its threads: keep them immutable (no model instances).
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


# --- fragments -------------------------------------------------------------------------------------


class FragmentHTML(str):
    """Rendered HTML that remembers the earliest valid_until() moment met while rendering it."""

    until = None


def fragment_cache():
    """Where fragments are kept: Django's "template_fragments" cache when configured (each process's
    memory in our settings: the keys carry the generation, so a hit costs no round trip), else the default.
    The same choice as Django's {% cache %} tag, on which {% fragment %} is built."""
    try:
        return caches["template_fragments"]
    except InvalidCacheBackendError:
        return caches["default"]


def render_fragment(request, render) -> FragmentHTML:
    """render(), with the valid_until() moments it declares kept apart from the page's own."""
    if request is None:
        return FragmentHTML(render())
    outer = getattr(request, "_page_cache_until", None)
    request._page_cache_until = None
    try:
        html = FragmentHTML(render())
        html.until = request._page_cache_until
    finally:
        request._page_cache_until = outer
    return html


def fragment_expired(html) -> bool:
    until = getattr(html, "until", None)
    return until is not None and until <= timezone.now()


def cached_fragment(request, name: str, render) -> str:
    """HTML that is the same for every visitor (a home page block), rendered once per generation:
    the Python form of the {% fragment %} tag, kept in the same place under the same kind of key.

    `render()` must not depend on the visitor: no forms (CSRF tokens), no low-vision state. Moments
    it declares with valid_until() end the fragment's life too, and are passed on to the page on
    every use, so the page cache keeps the page no longer than its freshest part.
    """
    if request is None or getattr(request, "is_preview", False):  # a draft shows its own content
        return render()
    current = request_generation(request)
    html = None
    if current != "none":  # never kept while the cache (and so the generation) is unreachable
        key = make_template_fragment_key("fragment", [name, current])
        store = fragment_cache()
        try:
            html = store.get(key)
        except Exception:  # noqa: BLE001 — a cache outage is a miss
            html = None
    if html is None or fragment_expired(html):
        html = render_fragment(request, render)
        if current != "none":
            try:
                store.set(key, html, FRAGMENT_SECONDS)
            except Exception:
                logger.warning("fragment cache write failed", exc_info=True)
    valid_until(request, html.until)
    return mark_safe(html)  # our own template output, escaped when it was rendered


def cached_fragments(request, names: list[str], build) -> list[str]:
    """cached_fragment() for a list of fragments (the cards of a list), in `names`' order: one cache read
    for them all and one `build(missing_names)` for those not kept, which returns {name: render} —
    loading what the missing ones show at once, not one by one; a name it leaves out (a page gone
    since) is left out of the result. The same keys, rules and lifetime as cached_fragment."""
    if request is None or getattr(request, "is_preview", False):
        renders = build(list(names))
        return [mark_safe(renders[name]()) for name in names if name in renders]
    current = request_generation(request)
    keys = {name: make_template_fragment_key("fragment", [name, current]) for name in names}
    store, found = fragment_cache(), {}
    if current != "none":
        try:
            found = store.get_many(list(keys.values()))
        except Exception:  # noqa: BLE001 — a cache outage is a miss
            found = {}
    html = {name: found[key] for name, key in keys.items() if key in found and not fragment_expired(found[key])}
    missing = [name for name in names if name not in html]
    if missing:
        renders, new = build(missing), {}
        for name in missing:
            if name in renders:
                html[name] = new[keys[name]] = render_fragment(request, renders[name])
        if current != "none" and new:
            try:
                store.set_many(new, FRAGMENT_SECONDS)
            except Exception:
                logger.warning("fragment cache write failed", exc_info=True)
    valid_until(request, *(getattr(fragment, "until", None) for fragment in html.values()))
    return [mark_safe(html[name]) for name in names if name in html]  # our own template output


# --- invalidation ----------------------------------------------------------------------------------

INVALIDATING_MODELS: set[type] = set()  # read by core.checks: every model a page shows must be here


def invalidate_on_change(*models) -> None:
    """Saving or deleting one of these (a venue, an event type, a site) changes public pages."""
    for model in models:
        label = model._meta.label_lower
        INVALIDATING_MODELS.add(model)
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


def new_generation() -> None:
    """Drops every stored page, fragment, route and menu at once (a new token in every key)."""
    watch.forget()
    try:
        cache.set(GENERATION_KEY, uuid.uuid4().hex, timeout=None)
    except Exception:
        logger.warning("page cache invalidation failed", exc_info=True)
    watch.forget()


def invalidate_all(**kwargs) -> None:
    """Something every page may show has changed (a site setting, a venue, a confirmed adoption): a new
    generation now and once more after the commit, and the proxy in front drops everything then.
    Page changes go through core.frontendcache, which drops only what lists the page from the proxy."""
    from .frontendcache import everything_changed

    new_generation()
    everything_changed()


# Saves that only record a draft or a lock: the public page is unchanged (core.frontendcache._saved).
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


# --- what may be stored ------------------------------------------------------------------------------


def _anonymous_request(request) -> bool:
    """A GET from a visitor without a session: the only requests the cache answers or stores for."""
    if request.method not in ("GET", "HEAD") or settings.PAGE_CACHE_SECONDS <= 0:
        return False
    cookies = request.COOKIES
    return settings.SESSION_COOKIE_NAME not in cookies and "messages" not in cookies


def shareable(request, response) -> bool:
    """The safety rules: may this response, rendered for this request, be shown to anyone else?"""
    if not _anonymous_request(request) or getattr(request, "is_preview", False):
        return False
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    user = getattr(request, "user", None)
    return not request.META.get("CSRF_COOKIE_USED") and not (user is not None and user.is_authenticated)


def _mark(request, response) -> None:
    if response.has_header("Cache-Control") or not shareable(request, response):
        return  # a view that set its own Cache-Control has decided
    seconds = _page_cache_seconds(request)
    if seconds <= 0:
        return
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


def mark_public(request, response, params=None):
    """Declares `response` the same for every anonymous visitor, so the page cache and nginx may keep
    it: `Cache-Control: public, max-age=0, s-maxage=…` — if the safety rules (shareable) agree once it
    is rendered, and for no longer than the valid_until() moments met while rendering. `params`: the GET
    parameters it depends on (declare_params); None keys it by its whole query string. Returns it."""
    declare_params(request, params)
    if settings.PAGE_CACHE_SECONDS <= 0:
        return response
    if isinstance(response, SimpleTemplateResponse) and not response.is_rendered:
        # A form's CSRF token and the valid_until() moments are known only once it is rendered.
        response.add_post_render_callback(lambda rendered: _mark(request, rendered))
    else:
        _mark(request, response)
    return response


def cache_public(view=None, *, params=()):
    """@cache_public on a view, or on a route of a routable page (under its @path): what it answers
    is the same for every anonymous visitor (a feed, the sitemap, another view of a list) and may be
    stored (mark_public). Never on anything that shows a form, a receipt or a visitor's own data.

    `@cache_public(params=("page", "tag"))` names the GET parameters it reads: the page cache keys it
    by those only, so other query strings share its entry. Plain `@cache_public` reads none."""

    def decorate(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            request = args[0] if isinstance(args[0], HttpRequest) else args[1]  # view(request) or route(page, request)
            return mark_public(request, view(*args, **kwargs), params)

        wrapped.cache_query_params = tuple(params)
        return wrapped

    return decorate(view) if view is not None else decorate


def _stored_seconds(response) -> int:
    """s-maxage of a response that says `public`; 0 for everything else."""
    directives = {part.strip().split("=", 1)[0]: part.strip() for part in response.get("Cache-Control", "").split(",")}
    if "public" not in directives or "s-maxage" not in directives:
        return 0
    try:
        return int(directives["s-maxage"].split("=", 1)[1])
    except (IndexError, ValueError):
        return 0


ALL_PARAMS = "*"  # the declaration of a response whose view named no parameters: keyed by its whole query


class RecordingQueryDict(QueryDict):
    """request.GET while the page cache serves a request: remembers which parameters the view read, so
    a response is stored under a key of its declared parameters only if it read no other one."""

    def __init__(self, source):
        super().__init__(mutable=True, encoding=source.encoding)
        for name, values in source.lists():
            self.setlist(name, values)
        self._mutable = False
        self.read: set[str] = set()
        self.read_all = False

    def __getitem__(self, key):
        # A template's {{ request.GET.lists }} tries GET["lists"] before the method: not a parameter.
        if not (isinstance(key, str) and hasattr(QueryDict, key) and not dict.__contains__(self, key)):
            self.read.add(key)
        return super().__getitem__(key)

    def get(self, key, default=None):
        self.read.add(key)
        return super().get(key, default)

    def getlist(self, key, default=None):
        self.read.add(key)
        return super().getlist(key, default)

    def __contains__(self, key):
        self.read.add(key)
        return super().__contains__(key)

    def _reads_all(self):
        self.read_all = True

    # Anything that sees every parameter (a copy, a loop, a form bound to `request.GET or None`).
    def __iter__(self):
        self._reads_all()
        return super().__iter__()

    def __len__(self):
        self._reads_all()
        return super().__len__()

    def keys(self):
        self._reads_all()
        return super().keys()

    def items(self):
        self._reads_all()
        return super().items()

    def lists(self):
        self._reads_all()
        return super().lists()

    def values(self):
        self._reads_all()
        return super().values()

    def dict(self):
        self._reads_all()
        return super().dict()

    def urlencode(self, safe=None):
        self._reads_all()
        return super().urlencode(safe)

    def copy(self):
        self._reads_all()
        return QueryDict(super().urlencode(), mutable=True, encoding=self.encoding)

    def __copy__(self):
        return self.copy()

    def __deepcopy__(self, memo):
        return self.copy()


def declare_params(request, params) -> None:
    """The GET parameters the response being built depends on (a page type's `cache_query_params`, a
    route's `@cache_public(params=…)`). The innermost declaration wins (a route before its page's serve)."""
    if request is not None and not hasattr(request, "_pagecache_params"):
        request._pagecache_params = ALL_PARAMS if params is None else tuple(sorted(set(params)))


def _declaration_key(request) -> str:
    return f"pagecache:params:{request.get_host()}{request.path}"


def _key(request, declared=()) -> str:
    """The low-vision variant, the host, the path and the declared parameters only (sorted by name, values
    in their order), with the declaration itself: `?utm_x=1` shares the entry of the bare path when no
    declared parameter is present. No generation: the entry holds the one it was stored under."""
    lv = LowVision.from_cookie(request.COOKIES.get(COOKIE_NAME)).to_cookie()
    query = request.GET
    names = sorted(dict.keys(query)) if declared == ALL_PARAMS else declared
    pairs = [(name, value) for name in names for value in dict.get(query, name, [])]
    tail = ""
    if pairs:
        label = ALL_PARAMS if declared == ALL_PARAMS else ",".join(declared)
        tail = f"?[{label}]" + urlencode(pairs)
    return f"pagecache:page:{lv}:{request.get_host()}{request.path}{tail}"


class LocalPages:
    """Stored pages (and declarations) kept in this process as well, at most `limit` bytes, least
    recently used first out: served only while the watched generation (GenerationWatch) is the one they
    were stored under and their s-maxage lasts, so a hit costs no round trip at all. Without the watch
    they are never read."""

    def __init__(self):
        self.lock = threading.Lock()
        self.entries: OrderedDict[str, tuple] = OrderedDict()
        self.size = 0

    @staticmethod
    def _weight(entry) -> int:
        return len(entry[2]) + 200 if isinstance(entry[2], bytes) else 200

    def get(self, key: str, current: str):
        with self.lock:
            entry = self.entries.get(key)
            if entry is None:
                return None
            if not _fresh(entry, current):
                self.size -= self._weight(self.entries.pop(key))
                return None
            self.entries.move_to_end(key)
            return entry

    def put(self, key: str, entry) -> None:
        limit = settings.PAGE_CACHE_LOCAL_BYTES
        weight = self._weight(entry)
        if weight > limit:
            return
        with self.lock:
            old = self.entries.pop(key, None)
            if old is not None:
                self.size -= self._weight(old)
            self.entries[key] = entry
            self.size += weight
            while self.size > limit:
                self.size -= self._weight(self.entries.popitem(last=False)[1])

    def clear(self) -> None:
        with self.lock:
            self.entries.clear()
            self.size = 0


local_pages = LocalPages()


def _fresh(entry, current) -> bool:
    """An entry is (generation, expires at, …): current if stored under this generation and not expired."""
    return entry is not None and entry[0] == current and entry[1] > time.time()


def _entry(key: str, current: str, watched: bool, fetched=None):
    """The entry under `key` if it is current: from this process (watched generation only), else from
    the cache (`fetched`, when the caller already has it), then kept in this process."""
    if watched:
        entry = local_pages.get(key, current)
        if entry is not None:
            return entry
    entry = cache.get(key) if fetched is None else fetched
    if not _fresh(entry, current):
        return None
    if watched:
        local_pages.put(key, entry)
    return entry


def _lookup(request):
    """The stored (generation, expires at, content, headers) for this request, or None.

    The generation is not in the key but in the entry: an entry stored under another generation is a
    miss, and is overwritten by the next store. With the generation watched (GenerationWatch) a page
    kept in this process costs no round trip, one kept only in Redis one GET. Otherwise the generation
    and the page come in one round trip (MGET). A query string first needs the path's declaration (the
    same way), then the page."""
    query = bool(request.GET)
    first = _declaration_key(request) if query else _key(request)
    current = watch.current()
    watched = current is not None
    if watched:
        request._pagecache_generation = current  # the page chrome and fragments read it, no round trip
        entry = _entry(first, current, True)
    else:
        found = cache.get_many([GENERATION_KEY, first])
        current = found.get(GENERATION_KEY)
        if current is None:
            request_generation(request)  # starts a generation (or says "none" while Redis is away)
            return None
        request._pagecache_generation = current
        entry = _entry(first, current, False, fetched=found.get(first))
    if entry is None or not query:
        return entry
    return _entry(_key(request, entry[2]), current, watched)


def _replay(entry) -> HttpResponse:
    """The stored response: its body and every header it had on the way out of this middleware."""
    _generation, _expires, content, headers = entry
    response = HttpResponse(content)
    for name, value in headers:
        response[name] = value
    response["X-Cache"] = "HIT"
    return response


def undeclared_reads(request) -> set[str]:
    """The parameters outside its declaration that the view asked for by name — present in this request
    or not: stored under a key without them, its answer would be shown whatever their value — and, if it
    went through the whole query (a copy for its links, a loop, `request.GET or None`), those this
    request carries. Either way the response is not stored."""
    recorder = request.GET
    declared = getattr(request, "_pagecache_params", ALL_PARAMS)
    if not isinstance(recorder, RecordingQueryDict) or declared == ALL_PARAMS:
        return set()
    read = set(recorder.read)
    if recorder.read_all:
        read |= set(dict.keys(recorder))
    return read - set(declared)


class AnonymousPageCacheMiddleware:
    """Answers anonymous GETs from the shared cache, and stores what says `public, s-maxage`."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not _anonymous_request(request):
            return self.get_response(request)
        reachable = True
        try:
            stored = _lookup(request)
        except Exception:  # noqa: BLE001 — a cache outage is a miss, never an error page
            reachable, stored = False, None
        if stored is not None:
            return _replay(stored)

        query = request.GET
        recorder = request.GET = RecordingQueryDict(query)
        try:
            response = self.get_response(request)
        finally:
            request.GET = query
        seconds = _stored_seconds(response)
        if not seconds:
            return response
        if not shareable(request, response):
            # Declared public, but a middleware below set a cookie since: neither we nor nginx keep it.
            response["Cache-Control"] = "private"
            return response
        if not reachable:
            return response
        current = request_generation(request)
        if generation() != current:
            # Content changed while this page rendered: it may show the old rows, and the proxy in front
            # may already have dropped its copy (core.frontendcache). Neither we nor nginx keep it.
            response["Cache-Control"] = "private"
            return response
        request.GET = recorder
        missing = undeclared_reads(request)
        request.GET = query
        if missing:
            # The view read a parameter it did not declare: stored under its declared ones, the answer
            # would be shown for other values too. Not stored (a bug to fix: declare the parameter).
            logger.error("page cache: %s read undeclared query parameters %s", request.path, sorted(missing))
            response["Cache-Control"] = "private"
            return response
        declared = getattr(request, "_pagecache_params", ALL_PARAMS)
        # Every header as it leaves this middleware (Content-Length included): a hit answers exactly as
        # this miss does, apart from X-Cache. Those added above (security, CSP) are added to both alike.
        expires = time.time() + seconds
        entries = {
            _key(request, declared): (current, expires, response.content, list(response.items())),
            _declaration_key(request): (current, expires, declared),
        }
        try:
            cache.set_many(entries, seconds)
        except Exception:
            logger.warning("page cache write failed", exc_info=True)
        if watch.value == current:
            for key, entry in entries.items():
                local_pages.put(key, entry)
        response["X-Cache"] = "MISS"
        return response

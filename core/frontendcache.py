"""The proxy cache in front of gunicorn (nginx, deploy/nginx/imc.conf) and what a change drops from it.

The Redis page cache (core/cache.py) drops everything at once: every key carries the generation. nginx
cannot read the generation, so it is told what to drop, after the transaction commits:

- a page published, unpublished, moved, deleted, renamed (slug) or saved outside the workflow → the URLs
  the page declares with `get_cache_purge_urls()` (core.models.BasePage: the page, its parent and the
  parent's listing routes, the home page, the sitemap, the pages that link to it or choose it; page types
  add their own — a feed, the calendar's views and months, a contest's results, «related» blocks of the
  siblings). A page whose title is in every page's menu or in its descendants' breadcrumbs declares
  EVERYTHING (`PurgeURLs.everything`);
- whatever else starts a new generation (core.cache.invalidate_all: a site setting, a venue renamed, a
  confirmed adoption, an image) → EVERYTHING.

After the commit, not at the signal: a visitor's request between a purge and the commit would read the old
rows and put the old page back. For the same reason the generation is replaced again at the commit, and
the page cache middleware withholds from nginx a response rendered while the generation changed
(core.cache.AnonymousPageCacheMiddleware).

nginx (stock Debian, no purge module) is purged by `NginxCacheBackend`: its purge server (imc.conf, a
private address) serves the cache directory with `dav_methods DELETE`, and the backend deletes the file
of each URL — named by the MD5 of nginx's cache key `$host$uri`. nginx keeps no address with a query
string nor any low-vision variant (imc.conf), so a page's path names its one cached file. Other Wagtail
backends (a CDN) work too: they get the URLs; EVERYTHING goes only to backends with `purge_everything()`.
"""

import hashlib
import http.client
import logging
import threading
from functools import partial
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.db import transaction
from wagtail.contrib.frontend_cache.backends.base import BaseBackend
from wagtail.contrib.frontend_cache.utils import get_backends

logger = logging.getLogger(__name__)


class PurgeURLs(set):
    """Full URLs to drop from the proxy; `everything` when the whole cache must go."""

    everything = False


def full_url(page, route: str = "", cache_object=None) -> str | None:
    """The page's full URL (a routable page's sub-URL with `route`, e.g. "rss/"), None if it has none."""
    url = page.get_full_url(cache_object)
    return url + route if url else None


def page_purge_urls(page, cache_object=None) -> PurgeURLs:
    """core.models.BasePage.get_cache_purge_urls(): what lists any page (docs/dev/caching.md)."""
    from wagtail.models import Page

    urls = PurgeURLs()
    parts = page.get_url_parts(cache_object)
    if not parts or not parts[1]:
        return urls  # not routable: nothing to drop
    root_url = parts[1]
    # Home (depth 2) and the sections (3) are in every page's menu; a page with children is in their breadcrumbs.
    if page.depth <= 3 or page.numchild:
        urls.everything = True
        return urls
    urls.add(full_url(page, cache_object=cache_object))
    urls.update((root_url + "/", root_url + "/sitemap.xml"))  # the home page's blocks; every page is listed
    parent = page.get_parent()
    if parent is not None:
        urls.update(full_url(parent, route, cache_object) for route in ("", *getattr(page, "purge_parent_routes", ())))
        if getattr(page, "purge_siblings", False):
            siblings = Page.objects.child_of(parent).live().exclude(pk=page.pk).only("url_path", "path", "depth")
            urls.update(sibling.get_full_url(cache_object) for sibling in siblings)
    urls.update(_referring_urls(page, cache_object, urls))
    urls.discard(None)
    return urls


def _referring_urls(page, cache_object, urls: PurgeURLs) -> list[str]:
    """Pages that link to this page or choose it (Wagtail's reference index: a quick link, an event's
    organiser, a collection of practices). A site setting that chooses it is on every page."""
    from django.contrib.contenttypes.models import ContentType
    from wagtail.models import Page, ReferenceIndex

    if any(model.objects.filter(**{field: page.pk}).exists() for model, field in _settings_choosing_pages()):
        urls.everything = True
    page_type = ContentType.objects.get_for_model(Page)
    references = ReferenceIndex.get_references_to(page).filter(base_content_type=page_type)
    page_ids = {int(pk) for pk in references.values_list("object_id", flat=True).distinct()}  # stored as text
    referring = Page.objects.filter(pk__in=page_ids).live().only("url_path", "path", "depth")
    return [other.get_full_url(cache_object) for other in referring]


def _settings_choosing_pages() -> list[tuple[type, str]]:
    """(site setting, field) for every page chosen in a site setting (the privacy policy in the footer)."""
    from django.apps import apps
    from wagtail.contrib.settings.models import BaseSiteSetting
    from wagtail.models import Page

    return [
        (model, field.name)
        for model in apps.get_models()
        if issubclass(model, BaseSiteSetting)
        for field in model._meta.get_fields()
        if field.many_to_one and field.related_model and issubclass(field.related_model, Page)
    ]


# --- after the commit ------------------------------------------------------------------------------


class _Flushed(threading.local):
    """What this thread has dropped, numbered: a change registered before a flush that covered it (the
    same page computed after the same commit, or everything) needs no second one. A publish sends
    several signals (page_published, post_save…); only the first after the commit does the work."""

    def __init__(self):
        self.counter = 0
        self.pages: dict[int, int] = {}  # page id → when its URLs were last dropped
        self.everything = -1

    def next(self) -> int:
        self.counter += 1
        return self.counter


_flushed = _Flushed()


def proxy_configured() -> bool:
    return bool(getattr(settings, "WAGTAILFRONTENDCACHE", None))


def _after_commit(page_id=None, urls=None, everything=False) -> None:
    # Each change its own callback: a rolled-back transaction takes its callbacks with it.
    transaction.on_commit(partial(_flush, _flushed.next(), page_id, urls, everything), robust=True)


def everything_changed() -> None:
    """core.cache.invalidate_all(): every page may show the change."""
    _after_commit(everything=True)


def page_changed(page) -> None:
    """Published, unpublished, moved, saved: what lists it is computed after the commit (its new state)."""
    _after_commit(page_id=page.pk)


def page_leaving(page) -> None:
    """About to move, be deleted or change its address: what lists it now, before the change."""
    _after_commit(urls=purge_urls(page) if proxy_configured() else PurgeURLs())


def purge_urls(page, cache_object=None) -> PurgeURLs:
    page = page.specific_deferred if type(page) is not page.specific_class else page
    if hasattr(page, "get_cache_purge_urls"):
        return page.get_cache_purge_urls(cache_object)
    urls = PurgeURLs({page.get_full_url(cache_object)})  # a plain Page (the root): itself
    urls.discard(None)
    return urls


def _flush(registered: int, page_id, urls, everything) -> None:
    from .cache import new_generation

    if _flushed.everything > registered or _flushed.pages.get(page_id, -1) > registered:
        return  # dropped after this change was committed
    new_generation()  # a request that read the rows before the commit may have stored them meanwhile
    if not proxy_configured():
        return
    if page_id is not None:
        from wagtail.models import Page

        page = Page.objects.filter(pk=page_id).first()
        if len(_flushed.pages) > 10_000:
            _flushed.pages.clear()
        _flushed.pages[page_id] = _flushed.next()
        if page is None:
            return  # deleted since: its pre_delete dropped what listed it
        urls = purge_urls(page)
    if everything or urls.everything:
        _flushed.everything = _flushed.next()
        urls = PurgeURLs()
        urls.everything = True
    purge(urls)


def purge(urls: PurgeURLs) -> None:
    """Sends the URLs (or EVERYTHING) to every configured backend, now."""
    for name, backend in get_backends().items():
        try:
            if urls.everything:
                if hasattr(backend, "purge_everything"):
                    backend.purge_everything()
                else:
                    logger.warning("Frontend cache %s cannot drop everything; pages may lag until s-maxage", name)
            elif urls:
                backend.purge_batch(sorted(url for url in urls if backend.invalidates_hostname(urlsplit(url).hostname)))
        except Exception:
            logger.exception("Frontend cache %s: purge failed; pages may lag until s-maxage", name)


# --- signal receivers (connected by connect(), from core.apps) --------------------------------------


def _published(sender, instance, **kwargs):
    from .cache import new_generation

    new_generation()
    page_changed(instance)


def _moving(sender, instance, **kwargs):
    page_leaving(instance)


def _deleting(sender, instance, **kwargs):
    """pre_delete of a page (and of each descendant): its listings, while it is still in the tree. Django
    sends it for every table of the page (wagtailcore_page and the type's own): only the latter counts."""
    from .cache import new_generation

    if type(instance) is instance.specific_class:
        new_generation()
        page_leaving(instance)


def _slug_changed(sender, instance, instance_before, **kwargs):
    """Sent after the commit with the page as it was: its old address (and its descendants') must go."""
    page_leaving(instance_before)


def _saved(sender, instance, update_fields=None, raw=False, **kwargs):
    """A page saved outside the workflow (scripts, the demo loader; publishing too): as a publish.
    Saves that only record a draft or a lock change nothing public."""
    from wagtail.models import Page

    from .cache import DRAFT_ONLY_FIELDS, new_generation

    if not isinstance(instance, Page) or (update_fields and set(update_fields) <= DRAFT_ONLY_FIELDS):
        return
    new_generation()
    page_changed(instance)


def _snippet_published(sender, instance, **kwargs):
    """`published`/`unpublished` of a snippet with drafts (consent texts); pages send them too, and
    page_published as well (above)."""
    from wagtail.models import Page

    from .cache import invalidate_all

    if not isinstance(instance, Page):
        invalidate_all()


def connect() -> None:
    from django.db.models.signals import post_save, pre_delete
    from wagtail.signals import (
        page_published,
        page_slug_changed,
        page_unpublished,
        post_page_move,
        pre_page_move,
        published,
        unpublished,
    )

    for signal in (page_published, page_unpublished, post_page_move):
        signal.connect(_published, dispatch_uid=f"frontendcache-{id(signal)}")
    for signal in (published, unpublished):
        signal.connect(_snippet_published, dispatch_uid=f"frontendcache-snippet-{id(signal)}")
    pre_page_move.connect(_moving, dispatch_uid="frontendcache-moving")
    page_slug_changed.connect(_slug_changed, dispatch_uid="frontendcache-slug")
    # Per page model: a receiver for every model would stop Django's fast deletes everywhere (expired votes…).
    from django.apps import apps
    from wagtail.models import Page

    for model in apps.get_models():
        if issubclass(model, Page):
            pre_delete.connect(_deleting, sender=model, dispatch_uid=f"frontendcache-deleting-{model._meta.label}")
    post_save.connect(_saved, dispatch_uid="frontendcache-saved")


# --- the nginx backend -----------------------------------------------------------------------------


class NginxCacheBackend(BaseBackend):
    """Deletes pages from nginx's proxy cache through its purge server (deploy/nginx/imc.conf).

    WAGTAILFRONTENDCACHE = {"nginx": {"BACKEND": "core.frontendcache.NginxCacheBackend",
                                      "LOCATION": "http://127.0.0.1:8081/", "LEVELS": "1:2"}}

    LOCATION is the purge server (it maps paths onto the `proxy_cache_path` directory), LEVELS that
    directive's `levels`. The key is `$host$uri` (imc.conf): the host without port, the decoded path.
    """

    def __init__(self, params):
        super().__init__(params)
        location = urlsplit(params["LOCATION"])
        self.host, self.port = location.hostname, location.port or 80
        self.prefix = location.path.rstrip("/") + "/"
        self.levels = [int(level) for level in str(params.get("LEVELS", "1:2")).split(":")]
        self.timeout = float(params.get("TIMEOUT", 5))

    def cache_file(self, url: str) -> str:
        """The cache file of a URL, relative to the cache directory: nginx's own layout
        (md5 of the key; directories named by its last characters, `levels` long each)."""
        parts = urlsplit(url)
        digest = hashlib.md5(
            f"{parts.hostname}{unquote(parts.path or '/')}".encode(), usedforsecurity=False
        ).hexdigest()
        directories, end = [], len(digest)
        for level in self.levels:
            directories.append(digest[end - level : end])
            end -= level
        return "/".join([*directories, digest])

    def purge(self, url) -> None:
        self.purge_batch([url])

    def purge_batch(self, urls) -> None:
        self._delete(sorted({self.cache_file(url) for url in urls}))

    def purge_everything(self) -> None:
        """Every first-level directory of the cache (temporary files live in the top directory)."""
        width = self.levels[0] if self.levels else 0
        if not width:
            logger.warning("nginx cache without levels: cannot drop everything")
            return
        self._delete([f"{number:0{width}x}/" for number in range(16**width)])

    def _delete(self, paths: list[str]) -> None:
        connection = None
        try:
            for path in paths:
                for attempt in (1, 2):  # nginx closes a keep-alive connection after keepalive_requests
                    if connection is None:
                        connection = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
                    try:
                        connection.request("DELETE", self.prefix + path)
                        response = connection.getresponse()
                        response.read()
                        break
                    except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                        connection.close()
                        connection = None
                        if attempt == 2:
                            raise
                if response.status not in (200, 204, 404):  # 404: not in the cache, nothing to do
                    logger.error("nginx purge of %s answered %s", path, response.status)
        except OSError as exc:
            logger.error("nginx purge server %s:%s unreachable: %s", self.host, self.port, exc)
        finally:
            if connection is not None:
                connection.close()

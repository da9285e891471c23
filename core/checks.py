"""System checks of core: the proxies in front of the site (core.E001, core.E002) and the page
cache's invalidation (core.W010, at the end of this module).

Is the site told how many proxies stand in front of it? Checked at deploy and at run time.

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
from django.core.checks import Error, Tags, Warning, register
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


# --- the page cache: every model a page shows must invalidate it (docs/dev/caching.md) --------------


def _foreign_models(model, via=""):
    """(path, model) for every model `model` refers to: its own foreign keys and many-to-many fields,
    the chooser blocks of its StreamFields, and the same for its inline children (ParentalKey)."""
    from modelcluster.fields import ParentalKey
    from wagtail.fields import StreamField

    for field in model._meta.get_fields():
        if field.auto_created and not field.concrete:  # a reverse relation: follow inline children only
            child = field.related_model
            if isinstance(getattr(field, "field", None), ParentalKey) and not _wagtails(child):
                yield from _foreign_models(child, f"{via}{field.name}.")
            continue
        if _wagtails(field.model) or isinstance(field, ParentalKey):
            continue  # Wagtail's own page fields; a child's link to its page
        linked = field.is_relation and (field.many_to_one or field.one_to_one or field.many_to_many)
        if linked and not getattr(field.remote_field, "parent_link", False):
            yield via + field.name, field.related_model
        if isinstance(field, StreamField):
            for target in _chooser_models(field.stream_block):
                yield f"{via}{field.name}", target


def _chooser_models(block):
    from django.apps import apps

    target = getattr(block, "target_model", None)
    if target is not None:
        yield apps.get_model(target) if isinstance(target, str) else target
    for child in (getattr(block, "child_blocks", None) or {}).values():
        yield from _chooser_models(child)
    if getattr(block, "child_block", None) is not None:
        yield from _chooser_models(block.child_block)


def _wagtails(model) -> bool:
    return model._meta.app_label.startswith("wagtail") or model._meta.app_label == "taggit"


def _invalidates(model, registered) -> bool:
    """Saving it reaches the page cache: a page (publish), a site or site setting, a page's inline
    child (saved with its page's publish), or a model registered with core.cache.invalidate_on_change."""
    from modelcluster.fields import ParentalKey
    from wagtail.contrib.settings.models import BaseGenericSetting, BaseSiteSetting
    from wagtail.models import Page, Site

    if issubclass(model, (Page, Site, BaseSiteSetting, BaseGenericSetting)) or model in registered:
        return True
    return any(isinstance(field, ParentalKey) and issubclass(field.related_model, Page) for field in model._meta.fields)


def unregistered_page_relations(registered=None):
    """{(page class, model): [paths]} for models pages refer to whose saves leave stored pages stale."""
    from django.apps import apps
    from wagtail.models import Page

    from .cache import INVALIDATING_MODELS

    registered = INVALIDATING_MODELS if registered is None else registered
    found: dict[tuple[type, type], list[str]] = {}
    for page_class in apps.get_models():
        if not issubclass(page_class, Page) or _wagtails(page_class):
            continue
        hidden = set(getattr(page_class, "relations_not_shown", ()))
        for path, model in _foreign_models(page_class):
            if path.split(".")[0] not in hidden and not _invalidates(model, registered):
                found.setdefault((page_class, model), []).append(path)
    return found


@register(Tags.caches)
def check_page_relations(app_configs=None, **kwargs):
    """core.W010: a page shows a model whose saves would not refresh the stored copies of that page."""
    return [
        Warning(
            f"{page_class._meta.label} shows {model._meta.label} ({', '.join(sorted(set(paths)))}), "
            "but saving one does not invalidate the page cache: visitors would see the old value until "
            "the next publish.",
            hint="Call core.cache.invalidate_on_change() for it in the app's AppConfig.ready(), or, if the "
            "page never shows it, name the field in the page's relations_not_shown (docs/dev/caching.md).",
            obj=page_class,
            id="core.W010",
        )
        for (page_class, model), paths in unregistered_page_relations().items()
    ]

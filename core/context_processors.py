import hashlib

from django.conf import settings

from .cache import cached_for_generation
from .lowvision import COOKIE_NAME, OPTIONS, LowVision

_SETTINGS_SHAPE = None


def low_vision(request):
    """The visitor's low-vision preferences (server-rendered classes) and site-wide constants."""
    prime_site_settings(request)
    return {
        "low_vision": LowVision.from_cookie(request.COOKIES.get(COOKIE_NAME)),
        "low_vision_options": OPTIONS,
        "gosuslugi_appeals_url": settings.GOSUSLUGI_APPEALS_URL,
    }


def prime_site_settings(request):
    """Every page shows the site settings (title, footer). Keep them in the shared cache between
    publishes instead of querying them per request: Wagtail's `settings` context processor reads the
    object we put on the request. A settings save bumps the generation (core.apps), so edits show at once.
    """
    global _SETTINGS_SHAPE
    from .models import SiteSettings
    from .routing import site_for_request

    attr = SiteSettings.get_cache_attr_name()
    if request is None or hasattr(request, attr):
        return
    try:
        site = site_for_request(request)
    except Exception:  # noqa: BLE001 — let Wagtail's own lookup report it
        return
    if site is None:
        return
    names = tuple(f.attname for f in SiteSettings._meta.concrete_fields)
    if _SETTINGS_SHAPE is None:  # values kept under an older schema must not be read as this one
        _SETTINGS_SHAPE = hashlib.sha1(",".join(names).encode(), usedforsecurity=False).hexdigest()[:8]

    def values():
        instance = SiteSettings.for_site(site)
        return tuple(getattr(instance, name) for name in names)

    # Values, not the instance: what the process keeps is shared by its requests (threads).
    kept = cached_for_generation(request, f"sitesettings:{site.pk}:{_SETTINGS_SHAPE}", values, timeout=600)
    instance = SiteSettings.from_db("default", names, kept)
    instance._request = request
    setattr(request, attr, instance)


def organisation_json_ld(request) -> dict:
    """schema.org Organization of the centre for JSON-LD, from the site settings (the organisation's
    facts, kept once; the copy every page's footer reads)."""
    from .models import SiteSettings
    from .siteurl import public_origin

    origin = public_origin()
    try:
        prime_site_settings(request)
        return SiteSettings.for_request(request).schema_org(origin)
    except Exception:  # noqa: BLE001 - structured data is optional, never a reason to fail a page
        return {"@type": "Organization", "name": "Портал ИМЦ", "url": origin + "/"}

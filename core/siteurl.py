"""The site's public origin: SITE_URL, and nothing else.

Absolute links come from two places: Wagtail builds page URLs (canonical, og:url, sitemap, RSS,
JSON-LD, iCal, links in registration e-mails) from the Site record's hostname and port, and
everything else (media URLs, robots.txt, vote confirmation links) needs an origin too. A fresh
install's Site says localhost:80, so the first kind pointed at http://localhost/ while e-mails built
from the request or SITE_URL pointed elsewhere. Here SITE_URL (settings.WAGTAILADMIN_BASE_URL reads
it) is the one source: `absolute_url()` builds the second kind, and `sync_default_site()` keeps the
default Site's hostname and port in step, run after every `migrate` (post_migrate) and by
`manage.py sync_site`. Wagtail's Site has no scheme: its root_url is https for port 443, http for
any other port, so an https origin must use port 443 (checked by `check_site_url`).
"""

import logging
import sys
from urllib.parse import urlsplit

from django.conf import settings
from django.core import checks

logger = logging.getLogger(__name__)

DEFAULT_PORTS = {"http": 80, "https": 443}


def public_origin() -> str:
    """scheme://host[:port] of the public site, from SITE_URL, without a trailing slash."""
    scheme = urlsplit(settings.WAGTAILADMIN_BASE_URL).scheme or "http"
    hostname, port = site_address()
    host = f"[{hostname}]" if ":" in hostname else hostname
    return f"{scheme}://{host}" + ("" if port == DEFAULT_PORTS.get(scheme) else f":{port}")


def absolute_url(path: str) -> str:
    """A site path (/media/…, /contests/vote/…) as an absolute URL at the public origin."""
    if not path or urlsplit(path).scheme:
        return path
    return public_origin() + (path if path.startswith("/") else "/" + path)


def site_address(url: str | None = None) -> tuple[str, int]:
    """(hostname, port) of a Wagtail Site whose root_url is this origin."""
    parts = urlsplit(url if url is not None else settings.WAGTAILADMIN_BASE_URL)
    scheme = parts.scheme or "http"
    return (parts.hostname or "localhost", parts.port or DEFAULT_PORTS.get(scheme, 80))


def site_url_problems(url: str | None = None) -> list[str]:
    """What a Wagtail Site cannot express about this SITE_URL (Russian is for operators too)."""
    url = url if url is not None else settings.WAGTAILADMIN_BASE_URL
    parts = urlsplit(url)
    problems = []
    if parts.scheme not in DEFAULT_PORTS or not parts.hostname:
        problems.append(f"SITE_URL={url!r}: нужен адрес вида https://imc.example.ru")
        return problems
    try:
        port = parts.port or DEFAULT_PORTS[parts.scheme]
    except ValueError:
        return [f"SITE_URL={url!r}: неверный порт"]
    if parts.scheme == "https" and port != 443:
        problems.append(f"SITE_URL={url!r}: Wagtail строит https-ссылки только для порта 443")
    if parts.scheme == "http" and port == 443:
        problems.append(f"SITE_URL={url!r}: порт 443 Wagtail считает https")
    if parts.path.strip("/") or parts.query:
        problems.append(f"SITE_URL={url!r}: сайт обслуживается только от корня домена, без пути")
    return problems


def sync_default_site(using: str = "default", url: str | None = None):
    """Give the default Site SITE_URL's hostname and port; returns (site, changed), site None if absent.

    Saved with save() so that Wagtail's site-root cache and the page cache (core.cache) drop the old
    host. Another Site already holding that address (a multi-site setup) is left alone, loudly."""
    from wagtail.models import Site

    site = Site.objects.using(using).filter(is_default_site=True).first()
    if site is None:
        return None, False
    hostname, port = site_address(url)
    if (site.hostname, site.port) == (hostname, port):
        return site, False
    if Site.objects.using(using).exclude(pk=site.pk).filter(hostname=hostname, port=port).exists():
        logger.warning(
            "Another Site already has %s:%s; the default Site keeps %s:%s", hostname, port, site.hostname, site.port
        )
        return site, False
    site.hostname, site.port = hostname, port
    site.save(using=using, update_fields=["hostname", "port"])
    return site, True


def sync_site_after_migrate(using="default", **kwargs):
    """post_migrate: every `migrate` (install, deploy) leaves the default Site at SITE_URL."""
    if site_url_problems():
        return  # reported by check_site_url; a wrong port would make every link wrong
    from django.db import DatabaseError

    try:
        site, changed = sync_default_site(using=using)
    except DatabaseError:  # a partial migrate (e.g. to zero): the Site table is not what the model says
        logger.warning("The default Site was not synced with SITE_URL", exc_info=True)
        return
    if changed and kwargs.get("verbosity", 1) >= 1:
        kwargs.get("stdout", sys.stdout).write(f"  Site: {site.root_url} (SITE_URL)\n")


def check_site_url(app_configs=None, **kwargs):
    """SITE_URL must be an origin Wagtail's Site can express (scheme by port, no path)."""
    return [checks.Error(problem, id="core.E120") for problem in site_url_problems()]


def check_default_site(app_configs=None, databases=None, **kwargs):
    """`manage.py check --database default`: the default Site is at SITE_URL (else run sync_site)."""
    if not databases or site_url_problems():
        return []
    from django.db import DatabaseError
    from wagtail.models import Site

    try:
        site = Site.objects.filter(is_default_site=True).first()
    except DatabaseError:
        return []  # not migrated yet: migrate will sync it
    if site is not None and (site.hostname, site.port) != site_address():
        return [
            checks.Warning(
                f"Сайт по умолчанию — {site.root_url}, а SITE_URL — {public_origin()}: ссылки в письмах, RSS и "
                "карте сайта ведут не туда.",
                hint="Выполните manage.py sync_site (или migrate).",
                id="core.W121",
            )
        ]
    return []

"""The site with the page cache ON, as production runs it: Redis (a key prefix per test, so parallel
runs never meet), AnonymousPageCacheMiddleware with PAGE_CACHE_SECONDS=300, fragments in each process.
Without Redis these tests fail: the cache contract is not checked against a stand-in."""

import pytest
from django.core.cache import cache
from django.db import transaction
from wagtail.models import Site

from tests.core.public_site import build_public_site
from tests.own_redis import redis_caches, require_redis, unique_prefix


@pytest.fixture(scope="module")
def public(django_db_setup, django_db_blocker):
    """Every public page type (tests/core/public_site.py), built once per module and rolled back after."""
    from core.models import SiteSettings

    with django_db_blocker.unblock(), transaction.atomic():
        site = Site.objects.get(is_default_site=True)
        SiteSettings.for_site(site)
        yield build_public_site(site.root_page.specific)
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def page_cache_in_redis(settings, db):
    require_redis()
    settings.CACHES = {
        **redis_caches(unique_prefix("imc-cache-on"), ignore_exceptions=True),
        "template_fragments": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "cache-on"},
    }
    settings.PAGE_CACHE_SECONDS = 300
    yield
    cache.delete_pattern("*")

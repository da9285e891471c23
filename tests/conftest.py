"""Suite-wide fixtures. App fixtures and factories live in tests/<app>/."""

import pytest
from django.core.cache import cache
from wagtail.models import Site


@pytest.fixture(autouse=True)
def _clean_cache():
    """Page cache and rate-limit counters must not leak between tests."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def site(db):
    """The default site, with its settings row: created on first use otherwise, and that save (rightly)
    starts a new cache generation in the middle of a test, hiding whether caches follow publishing."""
    from core.models import SiteSettings

    site = Site.objects.get(is_default_site=True)
    SiteSettings.for_site(site)
    return site


@pytest.fixture
def page_cache_on(settings, site):
    """The anonymous page cache switched on (test settings keep it off), starting empty."""
    from core.models import SiteSettings

    settings.PAGE_CACHE_SECONDS = 300
    SiteSettings.for_site(site)  # created on first use otherwise, which (rightly) invalidates the cache
    cache.clear()


@pytest.fixture
def home_page(site):
    return site.root_page.specific

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
    return Site.objects.get(is_default_site=True)


@pytest.fixture
def home_page(site):
    return site.root_page.specific

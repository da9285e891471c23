"""Fixtures of tests/core: a small public site shared by a module's tests (tests/core/public_site.py)."""

import pytest
from wagtail.models import Site

from tests.conftest import module_data
from tests.core.public_site import build_public_site


@pytest.fixture(scope="module")
def public(django_db_setup, django_db_blocker):
    """build_public_site() once per test module (it publishes some 20 pages: ~4 s)."""
    with module_data(django_db_blocker):
        yield build_public_site(Site.objects.get(is_default_site=True).root_page.specific)

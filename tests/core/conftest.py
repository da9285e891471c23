"""Fixtures of tests/core: a small public site shared by a module's tests (tests/core/public_site.py)."""

import pytest
from django.db import transaction
from wagtail.models import Site

from tests.core.public_site import build_public_site


@pytest.fixture(scope="module")
def public(django_db_setup, django_db_blocker):
    """build_public_site() once per test module (it publishes some 20 pages: ~4 s), in a transaction
    rolled back at the end; each test runs inside it in its own savepoint, as Django's setUpTestData."""
    from core.models import SiteSettings

    with django_db_blocker.unblock(), transaction.atomic():
        site = Site.objects.get(is_default_site=True)
        SiteSettings.for_site(site)
        yield build_public_site(site.root_page.specific)
        transaction.set_rollback(True)

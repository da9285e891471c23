"""Pages a data migration creates (/sveden/ and its 14 subsections, the home page) are searchable after
`migrate` alone: the test database is built by `migrate` and nothing here runs `update_index`."""

import pytest
from bs4 import BeautifulSoup
from django.apps import apps
from django.core.management import call_command
from django.db.models.signals import post_migrate
from wagtail.models import Page
from wagtail.search.models import IndexEntry

from core.searchindex import unindexed_pages
from search.models import SearchEntry

pytestmark = pytest.mark.django_db


def result_links(client, query):
    response = client.get("/search/", {"q": query})
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    return [a["href"] for a in soup.select("main a[href]")]


@pytest.mark.parametrize(
    ("query", "path"),
    [
        ("питание", "/sveden/catering/"),
        ("стипендии", "/sveden/grants/"),
        ("сведения об образовательной организации", "/sveden/"),
    ],
)
def test_sveden_pages_found_right_after_migrate(client, query, path):
    assert any(href.endswith(path) for href in result_links(client, query)), path


def test_no_page_is_missing_from_the_index_after_migrate():
    assert Page.objects.filter(url_path__contains="/sveden/").count() == 15
    assert list(unindexed_pages()) == []


def test_migrate_indexes_pages_that_have_no_entry(client):
    """What a fresh install goes through: pages exist, no index entries; `migrate` ends with them indexed."""
    sveden = Page.objects.filter(url_path__contains="/sveden/")
    deleted, _ = IndexEntry.objects.filter(
        object_id__in=[str(pk) for pk in sveden.values_list("pk", flat=True)]
    ).delete()
    assert deleted >= 15
    deleted, _ = SearchEntry.objects.filter(page__in=sveden).delete()  # the public search's own index
    assert deleted == 15
    assert not any(href.endswith("/sveden/catering/") for href in result_links(client, "питание"))

    for app in ("core", "search"):
        config = apps.get_app_config(app)
        post_migrate.send(sender=config, app_config=config, verbosity=0, interactive=False, using="default")

    assert list(unindexed_pages()) == []
    assert SearchEntry.objects.filter(page__in=sveden).count() == 15
    assert any(href.endswith("/sveden/catering/") for href in result_links(client, "питание"))


def test_migrate_command_itself_runs_the_indexing(client):
    """`manage.py migrate` with nothing to apply still ends with the indexing (as every deploy runs it)."""
    catering = Page.objects.get(url_path__endswith="/sveden/catering/")
    IndexEntry.objects.filter(object_id=str(catering.pk), content_type_id=catering.content_type_id).delete()
    SearchEntry.objects.filter(page=catering).delete()
    assert list(unindexed_pages()) == [catering]
    call_command("migrate", verbosity=0, interactive=False)
    assert list(unindexed_pages()) == []
    assert SearchEntry.objects.filter(page=catering).exists()

"""Search through Elasticsearch (search/backend.py), run when ELASTICSEARCH_URL points at a server with
the Russian analyzer; reported as skipped otherwise (CI has none). What differs from PostgreSQL is in
docs/dev/search.md: facets over the first 1,000 matches, no «Возможно, вы искали» line; relaxing by
`operator="or"`, typos by fuzzy matching, suggestions by the backend's autocomplete."""

import json
import os

import pytest
from bs4 import BeautifulSoup
from django.core.management import call_command

from tests.news.factories import make_standard_page

URL = os.environ.get("ELASTICSEARCH_URL", "")
pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not URL, reason="ELASTICSEARCH_URL is not set: no Elasticsearch server to test against"),
]


@pytest.fixture
def elasticsearch(settings, home_page):
    settings.WAGTAILSEARCH_BACKENDS = {
        "default": {
            "BACKEND": "wagtail.search.backends.elasticsearch9",
            "URLS": [URL],
            "INDEX": f"imc-test-{os.getpid()}",
            "TIMEOUT": 5,
            "INDEX_SETTINGS": {"settings": {"analysis": {"analyzer": {"default": {"type": "russian"}}}}},
        }
    }
    make_standard_page(home_page, "Вебинары для воспитателей", slug="vebinary", lead="Расписание на неделю.")
    make_standard_page(home_page, "Курсы повышения квалификации", slug="kursy", lead="Запись открыта.")
    call_command("update_index", verbosity=0)
    yield
    from wagtail.search.backends import get_search_backend

    get_search_backend().reset_index()


def titles(client, query):
    soup = BeautifulSoup(client.get("/search/", {"q": query}).content, "html.parser")
    return [a.get_text(strip=True) for a in soup.select("ol.search-results .search-result__title a")]


def test_morphology_and_relaxing(client, elasticsearch):
    assert titles(client, "вебинаров воспитателям")[0] == "Вебинары для воспитателей"
    assert "Вебинары для воспитателей" in titles(client, "вебинары воспитателям кукуруза")


def test_typos_by_fuzzy_matching(client, elasticsearch):
    assert "Вебинары для воспитателей" in titles(client, "вебинры")


def test_suggestions_by_autocomplete(client, elasticsearch):
    data = json.loads(client.get("/search/suggest/", {"q": "вебин"}).content)
    assert "Вебинары для воспитателей" in [item["title"] for item in data["suggestions"]]

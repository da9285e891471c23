"""Entries of the «Безопасный интернет» registries are site search results of their own (core.searchsources):
a normative document found by its number, a child-safe site by its name, each leading to the page that
shows it; deleting or hiding one takes it out of the results."""

import datetime
import io

import pytest
from bs4 import BeautifulSoup
from django.core.management import call_command
from wagtail.models import PageViewRestriction

from core.searchsources import items_changed
from safe_internet.models import NormativeDocument, SafeInternetSubsectionPage, SafeResource
from search.models import SearchEntry
from tests.conftest import module_data
from tests.safe_internet.factories import NormativeDocumentFactory, SafeResourceFactory, subsection

# One xdist worker builds the module-scoped registry once (scripts/test.sh runs --dist loadgroup).
pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("search_registry_items")]


def search(client, **params):
    response = client.get("/search/", params)
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def results(soup):
    return soup.select("ol.search-results .search-result")


def find(client, query, title_part, **params):
    """The result whose title holds `title_part`, or None."""
    for result in results(search(client, q=query, **params)):
        if title_part in result.select_one(".search-result__title").get_text():
            return result
    return None


def shown_at(client, url):
    """The registry or catalogue entry the URL's anchor names, on the page the URL gives."""
    path, _, anchor = url.partition("#")
    response = client.get(path)
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser").find(id=anchor)


@pytest.fixture(scope="module")
def registry_ids(django_db_setup, django_db_blocker):
    """The registries, built once for the module: each test's edits and deletions roll back with it."""
    with module_data(django_db_blocker):
        yield {key: item.pk for key, item in build_registry().items()}


@pytest.fixture
def registry(registry_ids):
    """Fresh instances of the module's documents and child-safe site."""
    documents = NormativeDocument.objects.in_bulk([pk for key, pk in registry_ids.items() if key != "site"])
    return {
        **{key: documents[pk] for key, pk in registry_ids.items() if key != "site"},
        "site": SafeResource.objects.get(pk=registry_ids["site"]),
    }


def build_registry():
    law = NormativeDocumentFactory(
        title="О защите детей от информации, причиняющей вред их здоровью и развитию",
        number="436-ФЗ",
        date=datetime.date(2010, 12, 29),
        summary="Возрастная классификация информационной продукции.",
    )
    letter = NormativeDocumentFactory(
        title="О методических рекомендациях по размещению информации",
        kind=NormativeDocument.Kind.LETTER,
        number="08-1184",
        date=datetime.date(2018, 5, 14),
        issuer="Министерство образования и науки Российской Федерации",
    )
    old = NormativeDocumentFactory(
        title="Об утверждении Концепции информационной безопасности детей",
        kind=NormativeDocument.Kind.DIRECTIVE,
        number="2471-р",
        date=datetime.date(2015, 12, 2),
        status=NormativeDocument.Status.LOST_FORCE,
        lost_force_on=datetime.date(2023, 4, 28),
    )
    local = NormativeDocumentFactory(
        title="Положение об использовании сети «Интернет» в гимназии",
        kind=NormativeDocument.Kind.LOCAL,
        level=NormativeDocument.Level.LOCAL,
        number="",
        date=None,
    )
    # Many more documents than a registry page lists (50): the link must still show the one found.
    # Numbers of their own: the factory's sequence reaches «436-ФЗ» after 336 documents in one worker.
    for number in range(700, 755):
        NormativeDocumentFactory(number=f"{number}-ФЗ", date=datetime.date(2024, 1, 1))
    site = SafeResourceFactory(
        name="Смешарики", url="https://smeshariki.example.test/", description="Мультфильмы и игры для малышей."
    )
    return {"law": law, "letter": letter, "old": old, "local": local, "site": site}


@pytest.mark.parametrize(
    ("query", "key", "title_part"),
    [
        ("закон 436-ФЗ", "law", "436-ФЗ"),
        ("436-фз", "law", "436-ФЗ"),
        ("письмо 08-1184", "letter", "08-1184"),
        ("положение об использовании интернета", "local", "Положение об использовании"),
    ],
)
def test_a_normative_document_is_found_and_its_link_shows_it(client, registry, query, key, title_part):
    result = find(client, query, title_part)
    assert result is not None, f"«{query}» does not find the document"
    document = registry[key]
    assert result.select_one(".search-result__title").get_text() == document.full_title
    meta = result.select_one(".search-result__meta").get_text(" ", strip=True)
    assert "Безопасный интернет" in meta and "Нормативный документ" in meta
    if document.date:
        assert result.select_one("time")["datetime"] == document.date.isoformat()
    url = result.select_one("a")["href"]
    entry = shown_at(client, url)
    assert entry is not None, f"{url} does not show the document"
    assert document.number in entry.get_text() or document.title in entry.get_text()


def test_a_document_that_lost_force_says_so_in_the_result(client, registry):
    result = find(client, "2471-р", "2471-р")
    assert "утратил силу" in result.select_one(".search-result__meta").get_text()
    assert "утратил силу" not in find(client, "436-ФЗ", "436-ФЗ").select_one(".search-result__meta").get_text()
    assert "Утратил силу" in shown_at(client, result.select_one("a")["href"]).get_text()


def test_a_child_safe_site_is_found_by_its_name_and_its_link_shows_it(client, registry):
    result = find(client, "смешарики", "Смешарики")
    assert result is not None
    meta = result.select_one(".search-result__meta").get_text(" ", strip=True)
    assert "Безопасный интернет" in meta and "Безопасный сайт" in meta
    assert "Мультфильмы" in result.select_one(".search-result__snippet").get_text()
    url = result.select_one("a")["href"]
    assert url.startswith(subsection_url(SafeInternetSubsectionPage.Kind.RESOURCES))
    assert "Смешарики" in shown_at(client, url).get_text()


def subsection_url(kind):
    return SafeInternetSubsectionPage.objects.live().get(kind=kind).url


def test_the_section_facet_counts_registry_entries_and_filters_to_them(client, registry):
    soup = search(client, q="смешарики")
    facets = [a.get_text(" ", strip=True) for a in soup.select(".search-facets a")]
    assert "Безопасный интернет 1" in facets
    soup = search(client, q="смешарики", section="safe-internet")
    assert [a.get_text() for a in soup.select(".search-result__title a")] == ["Смешарики"]
    assert soup.select_one(".search-summary").get_text().endswith("найдено: 1")
    assert not results(search(client, q="смешарики", section="news"))


def test_an_edit_changes_the_result_and_a_deletion_removes_it(client, registry):
    letter = registry["letter"]
    letter.title = "О размещении информации о безопасном интернете"
    letter.save()
    assert find(client, "08-1184", "08-1184").select_one("a").get_text() == letter.full_title
    letter.delete()
    assert find(client, "08-1184", "08-1184") is None
    registry["site"].delete()
    assert find(client, "смешарики", "Смешарики") is None


def test_a_site_the_link_checker_hid_is_not_found_until_it_answers_again(client, registry):
    site = registry["site"]
    # As manage.py check_safe_links does: bulk_update, then the announcement (no post_save).
    site.record_check(False, "сайт недоступен", datetime.datetime.now(datetime.UTC))
    site.record_check(False, "сайт недоступен", datetime.datetime.now(datetime.UTC))
    SafeResource.objects.bulk_update([site], ["hidden", "failures", "last_check_ok"])
    items_changed(SafeResource, [site])
    assert find(client, "смешарики", "Смешарики") is None
    site.record_check(True, "", datetime.datetime.now(datetime.UTC))
    site.save()
    assert find(client, "смешарики", "Смешарики") is not None


def test_the_link_checker_command_takes_a_hidden_site_out_of_the_results(client, registry, monkeypatch):
    from safe_internet.linkcheck import CheckResult

    def all_down(targets, **kwargs):
        return {url: CheckResult(url, False, "сайт недоступен") for url, _ in targets}

    monkeypatch.setattr("safe_internet.management.commands.check_safe_links.check_urls", all_down)
    call_command("check_safe_links", stdout=io.StringIO())
    assert find(client, "смешарики", "Смешарики") is not None  # one failure: still listed
    call_command("check_safe_links", stdout=io.StringIO())
    assert find(client, "смешарики", "Смешарики") is None


def test_entries_of_a_restricted_or_unpublished_registry_page_are_not_found(client, registry):
    page = SafeInternetSubsectionPage.objects.live().get(kind=SafeInternetSubsectionPage.Kind.RESOURCES)
    restriction = PageViewRestriction.objects.create(page=page, restriction_type="password", password="x")
    assert find(client, "смешарики", "Смешарики") is None
    restriction.delete()
    assert find(client, "смешарики", "Смешарики") is not None


def test_unpublishing_the_listing_page_takes_its_entries_out(client, registry, django_capture_on_commit_callbacks):
    page = SafeInternetSubsectionPage.objects.live().get(kind=SafeInternetSubsectionPage.Kind.RESOURCES)
    with django_capture_on_commit_callbacks(execute=True):
        page.unpublish()
    assert find(client, "смешарики", "Смешарики") is None
    with django_capture_on_commit_callbacks(execute=True):
        page.save_revision().publish()
    assert find(client, "смешарики", "Смешарики") is not None


def test_the_rebuild_command_indexes_registry_entries(client, registry):
    SearchEntry.objects.filter(object_id__isnull=False).delete()
    assert find(client, "436-ФЗ", "436-ФЗ") is None
    call_command("rebuild_site_search", stdout=io.StringIO())
    assert find(client, "436-ФЗ", "436-ФЗ") is not None
    assert not SearchEntry.objects.filter(object_id=registry["site"].pk, title="Смешарики").count() > 1


def test_the_registry_shows_one_document_by_its_link_and_ignores_a_bad_one(client, registry):
    url = subsection("normativnoe-regulirovanie").url
    soup = BeautifulSoup(client.get(url, {"document": registry["law"].pk}).content, "html.parser")
    assert [li["id"] for li in soup.select(".si-document")] == [f"doc-{registry['law'].pk}"]
    assert soup.select_one('a[href="?"]')  # «Сбросить отбор» back to the whole registry
    for bad in ("abc", "²", "9" * 30, "-1"):
        response = client.get(url, {"document": bad})
        assert response.status_code == 200
        assert len(BeautifulSoup(response.content, "html.parser").select(".si-document")) == 50


def test_through_wagtails_backend_registry_entries_follow_the_pages(client, registry, monkeypatch):
    """As on SQLite (`make run`) or with Elasticsearch: the backend finds the objects, their entries
    give the URL and the label; a hidden site stays out."""
    from search import views

    monkeypatch.setattr(views, "uses_own_index", lambda: False)
    # Every word in its title: first, above the pages that hold only some of them.
    first = results(search(client, q="концепции информационной безопасности детей"))[0]
    assert first.select_one(".search-result__title").get_text() == registry["old"].full_title
    result = find(client, "смешарики", "Смешарики")
    assert result is not None
    assert "Безопасный сайт" in result.select_one(".search-result__meta").get_text()
    assert "Смешарики" in shown_at(client, result.select_one("a")["href"]).get_text()
    law = find(client, "436-ФЗ", "436-ФЗ")
    assert law is not None and shown_at(client, law.select_one("a")["href"]) is not None
    site = registry["site"]
    site.hidden = True
    site.save()
    assert find(client, "смешарики", "Смешарики") is None

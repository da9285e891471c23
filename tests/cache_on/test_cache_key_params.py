"""Hostile traffic (issue 14): the page cache keys a page by the query parameters it reads, nothing else,
so junk query strings share the canonical entry and add no Redis keys, while `?page=2` and `?tag=…` keep
entries of their own. Every stored route declares what it reads, and reads nothing else.
"""

from datetime import date, timedelta

import pytest
from django.core.cache import cache
from taggit.models import Tag

from events.models import FILTER_PARAMS
from practices_atlas.models import CATALOGUE_PARAMS
from tests.cache_on.test_cache_contract import stored, twice, urls
from tests.news.factories import make_news
from tests.practices_atlas import conftest as atlas_fixtures
from tests.safe_internet.factories import NormativeDocumentFactory

pytestmark = [pytest.mark.cache_on, pytest.mark.django_db]


def page_keys() -> list[str]:
    return sorted(key for key in cache.keys("pagecache:*") if key != "pagecache:generation")


def text(response) -> str:
    return response.content.decode()


def test_two_hundred_junk_query_strings_on_the_news_list_add_no_key_and_get_the_same_page(client, public):
    first, second = twice(client, public.news.url)
    assert stored(first, second)
    keys = page_keys()
    junk = [f"?utm_x={n}" for n in range(100)] + [f"?a={n}" for n in range(99)] + ["?fbclid=1&utm_source=vk"]
    for query in junk:
        response = client.get(public.news.url + query)
        assert (response.get("X-Cache"), response.content) == ("HIT", first.content), query
    assert page_keys() == keys


def test_page_and_tag_keep_entries_of_their_own_with_their_own_content(client, public):
    for number in range(12):  # two pages of ten
        make_news(public.news, title=f"Архивная заметка {number:02}", date=date(2020, 1, 1) + timedelta(days=number))
    tag = Tag.objects.get(name="Олимпиады")
    base = public.news.url
    pages = {}
    for query in ("", "?page=2", f"?tag={tag.slug}"):
        first, second = twice(client, base + query)
        assert stored(first, second), query
        pages[query] = text(first)
    assert "Архивная заметка 00" in pages["?page=2"] and "Архивная заметка 00" not in pages[""]
    assert "Новость центра 2" in pages[f"?tag={tag.slug}"] and "Новость центра 1" not in pages[f"?tag={tag.slug}"]
    assert len(set(pages.values())) == 3
    keys = page_keys()
    for query, canonical in (("?page=2&utm_x=1", "?page=2"), (f"?utm_x=1&tag={tag.slug}", f"?tag={tag.slug}")):
        response = client.get(base + query)
        assert (response.get("X-Cache"), text(response)) == ("HIT", pages[canonical])
    assert page_keys() == keys


# What each stored route declares (its cache_query_params or @cache_public(params=…)).
DECLARED = {
    "home": (),
    "news list": ("page", "tag", "year"),
    "news list filtered": ("page", "tag", "year"),
    "news item": (),
    "news RSS": (),
    "calendar month": (*FILTER_PARAMS, "month"),
    "calendar week": (*FILTER_PARAMS, "start"),
    "calendar upcoming": (*FILTER_PARAMS, "page"),
    "calendar archive": (*FILTER_PARAMS, "page"),
    "calendar iCal feed": FILTER_PARAMS,
    "event without registration": (),
    "event iCal": (),
    "contests list": (),
    "contest": (),
    "contest entry": (),
    "methodists": (),
    "methodist": (),
    "sveden": (),
    "sveden subsection": (),
    "robots.txt": (),
    "sitemap": ("p",),
}


def test_the_atlas_catalogue_declares_its_facets_query_sort_and_page():
    from practices_atlas import catalogue

    assert {spec.key for spec in catalogue.FACETS} <= set(CATALOGUE_PARAMS)
    assert {"q", "sort", "page"} <= {*CATALOGUE_PARAMS, "page"}


def test_every_stored_route_is_in_the_table(public):
    assert set(DECLARED) == {name for name, (_url, is_stored) in urls(public).items() if is_stored}


@pytest.mark.parametrize("name", DECLARED)
def test_every_stored_route_declares_what_it_reads_and_reads_nothing_else(client, public, name, caplog):
    url = urls(public)[name][0]
    # First visited with junk: stored all the same (it read nothing undeclared), under the canonical key.
    response = client.get(url + ("&" if "?" in url else "?") + "utm_source=vk&zz=1")
    assert response.get("X-Cache") == "MISS", (url, response.get("Cache-Control"))
    assert tuple(sorted(response.wsgi_request._pagecache_params)) == tuple(sorted(set(DECLARED[name])))
    assert client.get(url).get("X-Cache") == "HIT"
    assert "undeclared" not in caplog.text


# The atlas's fixtures (tests/practices_atlas/conftest.py), shared with this directory.
vocab, atlas, make_practice = atlas_fixtures.vocab, atlas_fixtures.atlas, atlas_fixtures.make_practice


@pytest.mark.parametrize("route", ["", "feed/"])
def test_the_atlas_catalogue_and_its_feed_declare_their_facets_and_read_nothing_else(
    client, make_practice, route, caplog
):
    make_practice("Онлайн-школа: единое расписание", org="school")
    url = f"/atlas/{route}?sort=adopted&q=школа"
    response = client.get(url + "&utm_source=vk")
    assert response.get("X-Cache") == "MISS", response.get("Cache-Control")
    expected = (*CATALOGUE_PARAMS, "page") if route == "" else CATALOGUE_PARAMS
    assert set(response.wsgi_request._pagecache_params) == set(expected)
    again = client.get(url)
    assert (again.get("X-Cache"), again.content) == ("HIT", response.content)
    assert "undeclared" not in caplog.text


def test_the_safe_internet_registry_shares_its_entry_with_junk_and_keeps_its_filters_apart(client, caplog):
    NormativeDocumentFactory(title="Первый закон")
    url = "/safe-internet/normativnoe-regulirovanie/?kind=law"
    first, second = twice(client, url)
    assert stored(first, second) and "Первый закон" in text(first)
    params = {"kind", "level", "issuer", "year", "status", "page", "document"}
    assert set(first.wsgi_request._pagecache_params) == params
    junk = client.get(url + "&utm_x=1")
    assert (junk.get("X-Cache"), junk.content) == ("HIT", first.content)
    other = client.get("/safe-internet/normativnoe-regulirovanie/?kind=order")
    assert other.get("X-Cache") == "MISS" and other.content != first.content
    assert "undeclared" not in caplog.text


def test_a_site_search_link_to_one_registry_document_is_stored_apart_per_document(client, caplog):
    first_law = NormativeDocumentFactory(title="Первый закон")
    second_law = NormativeDocumentFactory(title="Второй закон")
    url = "/safe-internet/normativnoe-regulirovanie/?document="
    first, again = twice(client, f"{url}{first_law.pk}")
    assert stored(first, again)
    assert "Первый закон" in text(first) and "Второй закон" not in text(first)
    second = client.get(f"{url}{second_law.pk}")
    assert second.get("X-Cache") == "MISS"
    assert "Второй закон" in text(second) and "Первый закон" not in text(second)
    assert "undeclared" not in caplog.text

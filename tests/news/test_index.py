"""/news/: filters by tag and year (shareable links), pagination, the tag and year lists."""

import datetime

import pytest
from bs4 import BeautifulSoup

from tests.conftest import module_data

from .factories import NewsIndexPageFactory, make_news

# One xdist worker builds the module-scoped data once (scripts/test.sh runs --dist loadgroup).
pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("news_catalogue")]


def titles(response):
    soup = BeautifulSoup(response.content, "html.parser")
    return [a.get_text(strip=True) for a in soup.select(".news-list .card__title a")]


@pytest.fixture(scope="module")
def catalogue(django_db_setup, django_db_blocker):
    """Five news over two years and two tags (one unpublished, which must never show), built once for
    the module's read-only tests."""
    with module_data(django_db_blocker):
        news_index = NewsIndexPageFactory()
        make_news(news_index, "Олимпиада стартовала", datetime.date(2026, 11, 5), tags=["ВСОШ"])
        make_news(news_index, "Курсы весеннего семестра", datetime.date(2026, 10, 28), tags=["Курсы"])
        make_news(news_index, "Итоги олимпиады прошлого года", datetime.date(2025, 11, 26), tags=["ВСОШ"])
        make_news(news_index, "Курсы и олимпиада", datetime.date(2025, 9, 9), tags=["Курсы", "ВСОШ"])
        make_news(news_index, "Черновик новости", datetime.date(2026, 11, 20), tags=["ВСОШ"], live=False)
        yield news_index


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (
            {},
            ["Олимпиада стартовала", "Курсы весеннего семестра", "Итоги олимпиады прошлого года", "Курсы и олимпиада"],
        ),
        ({"tag": "всош"}, ["Олимпиада стартовала", "Итоги олимпиады прошлого года", "Курсы и олимпиада"]),
        ({"tag": "курсы"}, ["Курсы весеннего семестра", "Курсы и олимпиада"]),
        ({"year": "2026"}, ["Олимпиада стартовала", "Курсы весеннего семестра"]),
        ({"year": "2025"}, ["Итоги олимпиады прошлого года", "Курсы и олимпиада"]),
        ({"tag": "всош", "year": "2025"}, ["Итоги олимпиады прошлого года", "Курсы и олимпиада"]),
        ({"tag": "курсы", "year": "2026"}, ["Курсы весеннего семестра"]),
        ({"year": "2019"}, []),
    ],
)
def test_filters_show_the_matching_news_newest_first(client, catalogue, query, expected):
    response = client.get("/news/", query)
    assert response.status_code == 200
    assert titles(response) == expected


@pytest.mark.parametrize(
    "query",
    [
        {"year": "abc"},
        {"year": "20266"},
        {"year": "-1"},
        {"year": ""},
        {"page": "abc"},
        {"page": "999"},
        {"page": "-3"},
        {"tag": "x" * 500},
        {"tag": "<script>alert(1)</script>"},
        {"tag": "", "year": "0000"},
    ],
)
def test_bad_filter_values_never_fail(client, catalogue, query):
    response = client.get("/news/", query)
    assert response.status_code == 200
    assert b"<script>alert(1)</script>" not in response.content


def test_bad_year_is_ignored(client, catalogue):
    assert len(titles(client.get("/news/", {"year": "abc"}))) == 4


def test_unknown_tag_says_so(client, catalogue):
    response = client.get("/news/", {"tag": "нет-такого"})
    assert titles(response) == []
    assert "Тега «нет-такого» на сайте нет." in response.content.decode()


def test_tag_and_year_lists_with_counts_and_shareable_links(client, catalogue):
    soup = BeautifulSoup(client.get("/news/").content, "html.parser")
    filters = soup.select_one(".news-filters")
    links = {a.get_text(" ", strip=True): a["href"] for a in filters.select("a.tag")}
    assert links["ВСОШ (3)"] == "?tag=%D0%B2%D1%81%D0%BE%D1%88"
    assert links["Курсы (2)"] == "?tag=%D0%BA%D1%83%D1%80%D1%81%D1%8B"
    assert links["2026 (2)"] == "?year=2026"
    assert links["2025 (2)"] == "?year=2025"


def test_active_filters_are_marked_and_combined_links_keep_the_other_filter(client, catalogue):
    soup = BeautifulSoup(client.get("/news/", {"tag": "всош", "year": "2025"}).content, "html.parser")
    current = [a.get_text(" ", strip=True) for a in soup.select(".news-filters a[aria-current]")]
    assert current == ["ВСОШ (3)", "2025 (2)"]
    year_link = next(a for a in soup.select(".news-filters a.tag") if a.get_text().startswith("2026"))
    assert year_link["href"] == "?year=2026&tag=%D0%B2%D1%81%D0%BE%D1%88"
    assert soup.select_one("h2#news-list-heading").get_text(strip=True) == "Новости с тегом «ВСОШ» за 2025 год"
    assert soup.find("a", string="Сбросить фильтры")["href"] == "/news/"


def test_filtered_lists_are_not_indexed_but_the_full_list_is(client, catalogue):
    assert b'content="noindex, follow"' in client.get("/news/", {"tag": "всош"}).content
    assert b"noindex" not in client.get("/news/").content


def test_cards_show_russian_dates_and_webp_images(client, catalogue):
    soup = BeautifulSoup(client.get("/news/").content, "html.parser")
    card = soup.select_one(".news-card")
    assert card.select_one("time").get_text() == "5 ноября 2026"
    assert card.select_one("time")["datetime"] == "2026-11-05"
    img = card.select_one("img")
    assert img["width"] and img["height"]
    assert ".webp" in img["src"] and ".webp" in img["srcset"]


def test_tag_and_year_counts_follow_publishing(client, catalogue):
    """The lists are rendered once per publish ({% fragment %}): a new or withdrawn news item shows at once."""

    def counts():
        soup = BeautifulSoup(client.get("/news/").content, "html.parser")
        return sorted(a.get_text(" ", strip=True) for a in soup.select(".news-filters a.tag"))

    assert counts() == ["2025 (2)", "2026 (2)", "ВСОШ (3)", "Курсы (2)"]
    added = make_news(catalogue, "Новая олимпиада", datetime.date(2026, 11, 25), tags=["ВСОШ"])
    assert counts() == ["2025 (2)", "2026 (3)", "ВСОШ (4)", "Курсы (2)"]
    added.unpublish()
    assert counts() == ["2025 (2)", "2026 (2)", "ВСОШ (3)", "Курсы (2)"]

"""Site search on PostgreSQL: Russian morphology, editors' picks first, pagination, edge cases."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from wagtail.contrib.search_promotions.models import Query, SearchPromotion
from wagtail.models import PageViewRestriction
from wagtail.rich_text import RichText

from search.views import MAX_QUERY_LENGTH, clean_query
from tests.news.factories import make_news, make_standard_page
from tests.own_redis import redis_caches, unique_prefix

pytestmark = pytest.mark.django_db


def search(client, q, **params):
    response = client.get("/search/", {"q": q, **params})
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def result_titles(soup, promoted=False):
    selector = (
        ".search-results--promoted .search-result__title" if promoted else "ol.search-results .search-result__title"
    )
    return [h.get_text(strip=True) for h in soup.select(selector)]


@pytest.fixture
def pages(home_page, news_index):
    courses = make_standard_page(
        home_page,
        "Повышение квалификации",
        slug="povyshenie-kvalifikacii",
        lead="Курсы и постоянно действующие семинары для педагогов района.",
        body=[("paragraph", RichText("<p>Заявки на курсы принимает ответственный в ОУ.</p>"))],
    )
    olymp = make_standard_page(
        home_page, "Олимпиадное движение", slug="olimpiady", lead="Всероссийская олимпиада школьников: этапы и итоги."
    )
    news = make_news(
        news_index,
        "Подведены итоги конкурса «Дети в Интернете»",
        datetime.date(2026, 11, 18),
        lead="Голосовали посетители портала и экспертное жюри.",
        tags=["Безопасный интернет"],
    )
    return {"courses": courses, "olymp": olymp, "news": news}


def test_the_database_uses_the_russian_configuration():
    assert connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_tsvector('russian', 'курсы') @@ plainto_tsquery('russian', 'курсов')")
        assert cursor.fetchone()[0] is True


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("курсов", "Повышение квалификации"),  # the page says «курсы»
        ("курсами", "Повышение квалификации"),
        ("семинаров педагогам", "Повышение квалификации"),
        ("олимпиады", "Олимпиадное движение"),
        ("олимпиадой школьника", "Олимпиадное движение"),
        ("конкурсов", "Подведены итоги конкурса «Дети в Интернете»"),
        ("жюри", "Подведены итоги конкурса «Дети в Интернете»"),
        ("безопасный интернет", "Подведены итоги конкурса «Дети в Интернете»"),  # a tag of the news
    ],
)
def test_russian_morphology(client, pages, query, expected):
    assert expected in result_titles(search(client, query))


def test_results_have_snippets_type_and_date(client, pages):
    soup = search(client, "конкурс")  # also finds the section «Конкурсы» (base page tree)
    result = next(r for r in soup.select("ol.search-results .search-result") if r.a["href"] == pages["news"].url)
    # No word of the query is in the text: the snippet is its beginning.
    assert (
        result.select_one(".search-result__snippet")
        .get_text()
        .startswith("Голосовали посетители портала и экспертное жюри.")
    )
    assert "Новость" in result.select_one(".search-result__meta").get_text()
    assert "18 ноября 2026" in result.select_one(".search-result__meta").get_text()


def test_drafts_and_private_pages_are_not_found(client, pages, news_index):
    make_news(news_index, "Черновик про курсы", live=False)
    PageViewRestriction.objects.create(page=pages["olymp"], restriction_type="password", password="x")
    assert result_titles(search(client, "курсы")) == ["Повышение квалификации"]
    assert result_titles(search(client, "олимпиада")) == []


def test_promotions_come_first_and_are_not_repeated(client, pages):
    query = Query.get("курсы")
    SearchPromotion.objects.create(query=query, page=pages["olymp"], description="Рекомендуем методистам", sort_order=1)
    SearchPromotion.objects.create(
        query=query, page=pages["courses"], description="Главная страница о курсах", sort_order=0
    )
    SearchPromotion.objects.create(
        query=query,
        external_link_url="https://do.example.ru/",
        external_link_text="Портал дистанционного обучения",
        sort_order=2,
    )
    soup = search(client, "  Курсы ")
    assert result_titles(soup, promoted=True) == [
        "Повышение квалификации",
        "Олимпиадное движение",
        "Портал дистанционного обучения",
    ]
    assert "Главная страница о курсах" in soup.select_one(".search-promotions").get_text()
    assert "Повышение квалификации" not in result_titles(soup)  # shown once, as the promotion


def test_promotions_precede_the_other_results(client, pages):
    SearchPromotion.objects.create(query=Query.get("конкурс"), page=pages["courses"], sort_order=0)
    soup = search(client, "конкурс")
    titles = [h.get_text(strip=True) for h in soup.select(".search-result__title")]
    # The promoted page, then the hits: the section «Конкурсы» (base page tree) and the news.
    assert titles == ["Повышение квалификации", "Конкурсы", "Подведены итоги конкурса «Дети в Интернете»"]
    assert soup.select_one(".search-summary").get_text() == "По запросу «конкурс» найдено: 3"


def test_promotion_of_an_unpublished_page_is_hidden(client, pages):
    SearchPromotion.objects.create(query=Query.get("жюри"), page=pages["olymp"], sort_order=0)
    pages["olymp"].unpublish()
    assert result_titles(search(client, "жюри"), promoted=True) == []


def test_query_hits_are_recorded(client, pages):
    search(client, "курсы")
    search(client, "Курсы")
    assert Query.get("курсы").hits == 2


def test_every_search_is_counted_with_the_page_cache_on(client, pages, page_cache_on, settings):
    """A repeated search is never answered from the page cache: the search-terms report must see it."""
    settings.CACHES = redis_caches(unique_prefix("imc-test-search"))
    first = client.get("/search/", {"q": "курсы"})
    second = client.get("/search/", {"q": "курсы"})
    assert first.status_code == second.status_code == 200
    assert second.get("X-Cache") != "HIT"
    assert "no-store" in second["Cache-Control"] and "private" in second["Cache-Control"]
    assert Query.get("курсы").hits == 2


def test_pagination_keeps_the_query(client, home_page):
    for n in range(23):
        make_standard_page(home_page, f"Семинар для педагогов {n}", slug=f"seminar-{n}", lead="Районный семинар.")
    soup = search(client, "семинар")
    assert soup.select_one(".search-summary").get_text() == "По запросу «семинар» найдено: 23"
    assert len(result_titles(soup)) == 10
    next_href = soup.select_one('.pagination a[rel="next"]')["href"]
    assert "q=%D1%81%D0%B5%D0%BC%D0%B8%D0%BD%D0%B0%D1%80" in next_href and "page=2" in next_href
    last = search(client, "семинар", page="3")
    assert len(result_titles(last)) == 3
    assert last.select_one("ol.search-results")["start"] == "21"
    assert len(result_titles(search(client, "семинар", page="abc"))) == 10
    assert len(result_titles(search(client, "семинар", page="999"))) == 3


def test_nothing_found_message_in_russian(client, pages):
    soup = search(client, "квазиголография")
    assert "По запросу «квазиголография» ничего не найдено." in soup.select_one(".search-empty").get_text()


@pytest.mark.parametrize("q", ["", "   ", "\t\n"])
def test_empty_query_shows_the_form_only(client, pages, q):
    soup = search(client, q)
    assert soup.select_one("ol.search-results") is None
    assert "Введите слово или фразу" in soup.get_text()
    assert not Query.objects.exists()


def test_overlong_query_is_cut_and_said_so(client, pages):
    soup = search(client, "курсы " * 100)
    assert f"искали по первым {MAX_QUERY_LENGTH} символам" in soup.get_text()
    assert len(soup.select_one("#search-page-q")["value"]) <= MAX_QUERY_LENGTH
    assert "Повышение квалификации" in result_titles(soup)


@pytest.mark.parametrize(
    "q",
    ["'", '"', "курсы & | !", "(((", "курс:", "<script>alert(1)</script>", "%", "\\", "курсы -олимпиада"],
)
def test_odd_characters_never_fail(client, pages, q):
    response = client.get("/search/", {"q": q})
    assert response.status_code == 200
    assert b"<script>alert(1)</script>" not in response.content


def test_a_nul_byte_is_refused_with_the_russian_400_page(client, pages):
    """No search box sends one; core.middleware refuses it for every view (issue 8.5)."""
    response = client.get("/search/", {"q": "\x00курсы"})
    assert response.status_code == 400
    assert "В адресе страницы есть недопустимые символы." in response.content.decode()


@pytest.mark.parametrize(
    ("raw", "cleaned", "truncated"),
    [
        ("  курсы   повышения ", "курсы повышения", False),
        ("а" * 250, "а" * 200, True),
        ("слово " * 50, ("слово " * 33).strip(), True),
    ],
)
def test_clean_query(raw, cleaned, truncated):
    assert clean_query(raw) == (cleaned, truncated)


def test_search_page_is_not_indexed(client):
    assert b'content="noindex, follow"' in client.get("/search/?q=курсы").content


class BrokenElasticsearch:
    """Stands in for an Elasticsearch backend whose cluster went away after start-up."""

    def search(self, *args, **kwargs):
        raise ConnectionError("elasticsearch is down")


BrokenElasticsearch.__module__ = "modelsearch.backends.elasticsearch9"


def test_search_falls_back_to_postgresql_when_elasticsearch_fails(client, pages, monkeypatch):
    from search import backend, views

    monkeypatch.setattr(views, "uses_own_index", lambda: False)  # as with ELASTICSEARCH_URL set
    monkeypatch.setattr(backend, "get_search_backend", lambda *args, **kwargs: BrokenElasticsearch())
    assert "Повышение квалификации" in result_titles(search(client, "курсов"))

"""What the news pages of bench/peer.py's pairs cost, pinned (issue 14: uncached rendering ≥ 3× bakerydemo).

A warm news list costs two queries and a warm news page three, whatever the number of news, and the news
page looks up its images' renditions without a cache round trip. (bench/README.md, «bench/peer.py»,
has the figures; the section's breadcrumbs, the sites' root paths, the view restrictions and the news
cards are kept per generation, the list's count comes with its page.)
"""

import datetime

import pytest
from django.core.cache.utils import make_template_fragment_key
from wagtail.images import get_image_model

from core.cache import fragment_cache, request_generation
from tests.news.factories import make_news

pytestmark = pytest.mark.django_db


def add_news(index, count, start=0):
    return [
        make_news(index, f"Новость {n}", datetime.date(2026, 1, 1) + datetime.timedelta(days=n), tags=["Курсы"])
        for n in range(start, start + count)
    ]


def warm(client, url):
    for _ in range(2):  # renditions are made on the first view; the generation's memos filled
        assert client.get(url).status_code == 200


def test_a_warm_news_list_costs_two_queries_whatever_the_number_of_news(client, news_index, django_assert_num_queries):
    """Its page; the ids of the page's news with the whole list's count (COUNT(*) OVER ()). The cards are
    kept per generation; those missing are loaded together (the news with their images, the renditions)."""
    add_news(news_index, 4)
    warm(client, "/news/")
    with django_assert_num_queries(2):
        assert client.get("/news/").status_code == 200
    news = add_news(news_index, 14, start=4)  # two pages now
    warm(client, "/news/")
    generation = request_generation(None)
    keys = [make_template_fragment_key("fragment", [f"news-card:{n.pk}:3", generation]) for n in news]
    fragment_cache().delete_many(keys)  # the cards missing: loaded together, the news and their renditions
    with django_assert_num_queries(2 + 2, info="cards missing"):
        html = client.get("/news/").content.decode()
    assert html.count('class="card news-card"') == 10
    for url in ("/news/", "/news/?page=2", "/news/?year=2026"):
        warm(client, url)
        with django_assert_num_queries(2, info=url):
            html = client.get(url).content.decode()
        assert "Страница" in html and "из 2" in html, url


def test_a_warm_news_page_costs_three_queries(client, news_index, django_assert_num_queries):
    """Its page (with its images), its tags, its images' renditions; «Читайте также» is a fragment, the
    breadcrumbs and «Все новости» come from the section's ancestors kept per generation."""
    news = add_news(news_index, 5)
    url = news[2].url
    warm(client, url)
    with django_assert_num_queries(3):
        html = client.get(url).content.decode()
    assert 'aria-label="Навигационная цепочка"' in html and 'href="/news/">Все новости' in html
    assert 'property="og:image"' in html and "srcset=" in html


def test_a_warm_news_page_asks_no_cache_for_its_renditions(client, news_index, monkeypatch):
    """Its renditions come with one query; Wagtail's {% image %} would also write each to the cache."""
    news = add_news(news_index, 2)
    url = news[0].url
    warm(client, url)
    backend = get_image_model().get_rendition_model().cache_backend
    calls = []
    for name in ("get_many", "set", "set_many"):  # what Image.get_rendition(s) call; `get` is the generation
        original = getattr(backend, name)
        monkeypatch.setattr(backend, name, lambda *a, _o=original, _n=name, **k: calls.append(_n) or _o(*a, **k))
    assert client.get(url).status_code == 200
    assert calls == []


def test_a_kept_card_shows_a_republished_title_at_once(client, news_index):
    news = add_news(news_index, 3)
    warm(client, "/news/")
    news[1].title = "Заголовок исправлен"
    news[1].save_revision().publish()
    html = client.get("/news/").content.decode()
    assert "Заголовок исправлен" in html and "Новость 1<" not in html

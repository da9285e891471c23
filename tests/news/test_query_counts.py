"""Queries per page do not grow with the number of news (no N+1; renditions prefetched)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from .factories import make_news

pytestmark = pytest.mark.django_db

TAGS = ["ВСОШ", "Курсы", "Семинары"]


def add_news(index, count, start=0):
    pages = []
    for i in range(start, start + count):
        pages.append(
            make_news(
                index,
                f"Новость {i}",
                datetime.date(2026, 1, 1) + datetime.timedelta(days=i),
                tags=[TAGS[i % 3], TAGS[(i + 1) % 3]],
            )
        )
    return pages


def count_queries(client, url):
    client.get(url)  # warm up: renditions are generated once, then only read
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def test_queries_do_not_grow_with_the_number_of_news(client, news_index, django_assert_max_num_queries):
    """Every listing measured with 5 news, then with 15: a full list page (10), the home page's four,
    related news. One set of news for all four pages (building 30 news per page cost a minute)."""
    first = add_news(news_index, 5)
    urls = {
        "home": "/",
        "news list": "/news/",
        "news list filtered": "/news/?tag=%D0%BA%D1%83%D1%80%D1%81%D1%8B&year=2026",
        "news page": first[2].url,
    }
    with_five = {which: count_queries(client, url) for which, url in urls.items()}
    assert all(count <= 30 for count in with_five.values()), with_five
    add_news(news_index, 10, start=5)
    for which, url in urls.items():
        client.get(url)  # renditions of the newly listed news
        with django_assert_max_num_queries(with_five[which], info=which):
            response = client.get(url)
        assert response.status_code == 200, which

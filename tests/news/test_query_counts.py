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


@pytest.mark.parametrize("which", ["home", "news list", "news list filtered", "news page"])
def test_queries_do_not_grow_with_the_number_of_news(client, news_index, django_assert_max_num_queries, which):
    first = add_news(news_index, 5)
    urls = {
        "home": "/",
        "news list": "/news/",
        "news list filtered": "/news/?tag=%D0%BA%D1%83%D1%80%D1%81%D1%8B&year=2026",
        "news page": first[2].url,
    }
    with_five = count_queries(client, urls[which])
    add_news(news_index, 25, start=5)
    client.get(urls[which])  # renditions of the newly listed news
    with django_assert_max_num_queries(with_five):
        response = client.get(urls[which])
    assert response.status_code == 200
    assert with_five <= 30

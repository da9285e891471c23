"""/news/ without the shared catalogue of tests/news/test_index.py (its module-scoped news would show
here): the empty list, and pagination over many news."""

import datetime

import pytest
from bs4 import BeautifulSoup

from .factories import make_news
from .test_index import titles

pytestmark = pytest.mark.django_db


def test_pagination_ten_per_page_and_filters_kept(client, news_index):
    for day in range(1, 24):
        make_news(news_index, f"Новость дня {day}", datetime.date(2026, 10, day), tags=["Семинары"], image=False)
    first = client.get("/news/", {"tag": "семинары"})
    assert titles(first)[0] == "Новость дня 23"
    assert len(titles(first)) == 10
    soup = BeautifulSoup(first.content, "html.parser")
    next_link = soup.select_one('.pagination a[rel="next"]')["href"]
    assert "tag=%D1%81%D0%B5%D0%BC%D0%B8%D0%BD%D0%B0%D1%80%D1%8B" in next_link and "page=2" in next_link
    assert "Страница 1 из 3" in soup.select_one(".pagination").get_text()
    third = client.get("/news/", {"tag": "семинары", "page": "3"})
    assert titles(third) == ["Новость дня 3", "Новость дня 2", "Новость дня 1"]


def test_empty_index_says_there_is_no_news(client, news_index):
    response = client.get("/news/")
    assert response.status_code == 200
    assert "Новостей с такими условиями пока нет." in response.content.decode()

import pytest

from tests.news.factories import make_news_index


@pytest.fixture
def news_index(home_page):
    return make_news_index(home_page)

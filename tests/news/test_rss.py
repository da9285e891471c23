"""RSS 2.0 at /news/rss/: valid XML, Russian titles, absolute links and pubDate, the same news as the site."""

import datetime
import xml.etree.ElementTree as ET
from email.utils import parsedate_to_datetime

import pytest

from news.feeds import FEED_ITEMS
from news.models import NewsPage

from .factories import make_news

pytestmark = pytest.mark.django_db


def parse_xml(content):
    return ET.fromstring(content)  # noqa: S314 - the site's own feed


@pytest.fixture
def feed(client, news_index):
    make_news(news_index, "Итоги конкурса «Дети в Интернете»", datetime.date(2026, 11, 18), tags=["Конкурсы"])
    make_news(news_index, "Единый урок безопасности", datetime.date(2026, 11, 10), tags=["Безопасный интернет"])
    make_news(news_index, "Черновик", datetime.date(2026, 11, 20), live=False)
    response = client.get("/news/rss/")
    assert response.status_code == 200
    return response


def test_feed_is_rss_2_in_utf8(feed):
    assert feed["Content-Type"] == "application/rss+xml; charset=utf-8"
    root = parse_xml(feed.content)
    assert root.tag == "rss"
    assert root.attrib["version"] == "2.0"
    channel = root.find("channel")
    assert channel.findtext("language") == "ru"
    assert channel.findtext("title") == "Новости — ГБУ ИМЦ Центрального района"
    assert channel.findtext("link") == "http://testserver/news/"
    self_link = channel.find("{http://www.w3.org/2005/Atom}link")
    assert self_link.attrib["href"] == "http://testserver/news/rss/"
    assert self_link.attrib["rel"] == "self"


def test_feed_items_match_the_live_news(feed, news_index):
    items = parse_xml(feed.content).find("channel").findall("item")
    live = list(NewsPage.objects.live().order_by("-date"))
    assert [item.findtext("title") for item in items] == [page.title for page in live]
    for item, page in zip(items, live, strict=True):
        assert item.findtext("link") == page.full_url
        assert item.findtext("link").startswith("http")
        assert item.findtext("guid") == page.full_url
        assert item.findtext("description") == page.lead
        published = parsedate_to_datetime(item.findtext("pubDate"))
        assert published.date() == page.date
        assert published.utcoffset() == datetime.timedelta(hours=3)  # Europe/Moscow
        assert [c.text for c in item.findall("category")] == [t.name for t in page.tags.all()]


def test_feed_is_limited_and_newest_first(client, news_index):
    for day in range(1, FEED_ITEMS + 3):
        make_news(news_index, f"Новость {day}", datetime.date(2026, 1, 1) + datetime.timedelta(days=day), image=False)
    items = parse_xml(client.get("/news/rss/").content).find("channel").findall("item")
    assert len(items) == FEED_ITEMS
    assert items[0].findtext("title") == f"Новость {FEED_ITEMS + 2}"


def test_feed_is_advertised_on_the_news_list(client, feed):
    assert b'type="application/rss+xml"' in client.get("/news/").content

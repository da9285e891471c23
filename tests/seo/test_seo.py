"""Machines: sitemap.xml, robots.txt, canonical, OpenGraph/Twitter, favicon, /healthz, 404 and 500 in Russian."""

import datetime
import xml.etree.ElementTree as ET  # our own responses, not untrusted input

import pytest
from bs4 import BeautifulSoup
from django.db import OperationalError
from django.test import RequestFactory
from django.utils import timezone

from tests.news.factories import make_image, make_news, make_standard_page

pytestmark = pytest.mark.django_db
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def parse_xml(content):
    return ET.fromstring(content)  # noqa: S314 - the site's own sitemap


@pytest.fixture
def content(home_page, news_index):
    page = make_standard_page(home_page, "Повышение квалификации", slug="povyshenie-kvalifikacii", lead="Курсы ИМЦ.")
    news = make_news(news_index, "Итоги олимпиады", datetime.date(2026, 11, 5), tags=["ВСОШ"])
    draft = make_news(news_index, "Черновик", live=False)
    return {"page": page, "news": news, "draft": draft, "index": news_index}


def test_sitemap_lists_live_pages_with_lastmod(client, content, home_page):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    root = parse_xml(response.content)
    entries = {
        url.findtext(f"{SITEMAP}loc"): url.findtext(f"{SITEMAP}lastmod") for url in root.findall(f"{SITEMAP}url")
    }
    published = {key: content[key].last_published_at for key in ("page", "news")}
    # the list's lastmod is its newest publication, its own or a news item's (the index may be older by a day)
    published["index"] = max(content["index"].last_published_at, content["news"].last_published_at)
    for key, when in published.items():
        page = content[key]
        assert page.full_url in entries
        assert entries[page.full_url] == timezone.localdate(when).isoformat()
    assert home_page.full_url in entries
    assert content["draft"].full_url not in entries
    assert all(loc.startswith("http") for loc in entries)


def test_sitemap_lastmod_of_the_news_list_follows_its_latest_news(client, content):
    index = content["index"]
    index.last_published_at = index.last_published_at - datetime.timedelta(days=30)
    index.save(update_fields=["last_published_at"])
    root = parse_xml(client.get("/sitemap.xml").content)
    lastmod = {u.findtext(f"{SITEMAP}loc"): u.findtext(f"{SITEMAP}lastmod") for u in root.findall(f"{SITEMAP}url")}
    assert lastmod[index.full_url] == timezone.localdate(content["news"].last_published_at).isoformat()


def test_robots_txt(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert "User-agent: *" in lines
    assert "Disallow: /admin/" in lines
    assert "Sitemap: http://testserver/sitemap.xml" in lines


@pytest.mark.parametrize("which", ["home", "page", "index", "news"])
def test_canonical_and_social_meta(client, content, home_page, which):
    page = home_page if which == "home" else content[which]
    soup = BeautifulSoup(client.get(page.url).content, "html.parser")
    assert soup.find("link", rel="canonical")["href"] == page.full_url
    assert soup.find("meta", property="og:url")["content"] == page.full_url
    assert soup.find("meta", property="og:locale")["content"] == "ru_RU"
    assert soup.find("meta", property="og:title")["content"] == page.title
    assert soup.find("meta", attrs={"name": "twitter:title"})["content"] == page.title
    description = soup.find("meta", attrs={"name": "description"})["content"]
    assert description and soup.find("meta", property="og:description")["content"] == description
    expected_type = "article" if which == "news" else "website"
    assert soup.find("meta", property="og:type")["content"] == expected_type


def test_description_comes_from_the_page_fields(client, content):
    soup = BeautifulSoup(client.get(content["page"].url).content, "html.parser")
    assert soup.find("meta", attrs={"name": "description"})["content"] == "Курсы ИМЦ."
    news = content["news"]
    news.search_description = "Описание для поисковиков"
    news.save_revision().publish()
    soup = BeautifulSoup(client.get(news.url).content, "html.parser")
    assert soup.find("meta", attrs={"name": "description"})["content"] == "Описание для поисковиков"


def test_social_image_overrides_the_main_image(client, content):
    news = content["news"]
    news.social_image = make_image("Обложка для соцсетей", size=(300, 200))
    news.save_revision().publish()
    soup = BeautifulSoup(client.get(news.url).content, "html.parser")
    og_image = soup.find("meta", property="og:image")["content"]
    assert og_image.startswith("http://testserver/media/images/test-")
    rendition = news.social_image.get_rendition("fill-1200x630|format-jpeg")
    assert og_image.endswith(rendition.url)
    assert soup.find("meta", attrs={"name": "twitter:image"})["content"] == og_image


def test_page_without_image_has_a_summary_card(client, content):
    soup = BeautifulSoup(client.get(content["page"].url).content, "html.parser")
    assert soup.find("meta", property="og:image") is None
    assert soup.find("meta", attrs={"name": "twitter:card"})["content"] == "summary"


def test_favicon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/x-icon"
    assert b"".join(response)[:4] == b"\x00\x00\x01\x00"  # the ICO signature
    assert "max-age=86400" in response["Cache-Control"]


def test_favicon_links_in_every_page(client, content):
    soup = BeautifulSoup(client.get("/").content, "html.parser")
    icons = [link["href"] for link in soup.find_all("link", rel="icon")]
    assert any(href.endswith(".svg") for href in icons) and any(href.endswith(".ico") for href in icons)


def test_healthz_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert response["Cache-Control"] == "max-age=0, no-cache, no-store, must-revalidate, private"  # never_cache


def test_healthz_reports_a_database_outage(client, monkeypatch):
    def broken_cursor(*args, **kwargs):
        raise OperationalError("database is down")

    monkeypatch.setattr("core.views.connection.cursor", broken_cursor)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "unavailable"


@pytest.mark.parametrize("url", ["/net-takoj-stranicy/", "/news/net-takoj-novosti/", "/news/rss/lishnee/"])
def test_404_in_russian(client, content, url):
    response = client.get(url)
    assert response.status_code == 404
    soup = BeautifulSoup(response.content, "html.parser")
    assert soup.h1.get_text() == "Страница не найдена"
    assert soup.find("html")["lang"] == "ru"
    assert soup.find("form", action="/search/")  # a way on: search from the error page


def test_500_in_russian(client, settings):
    from imc_site import urls

    assert urls.handler500 == "core.views.server_error"
    from core.views import server_error

    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    text = response.content.decode()
    assert "Ошибка на сервере" in text
    assert 'lang="ru"' in text


def test_sitemap_lastmod_is_the_moscow_date(client, content):
    """A page published at 22:30 UTC was published on the next day in Moscow."""
    news = content["news"]
    news.last_published_at = datetime.datetime(2026, 11, 5, 22, 30, tzinfo=datetime.UTC)
    news.save(update_fields=["last_published_at"])
    root = parse_xml(client.get("/sitemap.xml").content)
    lastmod = {u.findtext(f"{SITEMAP}loc"): u.findtext(f"{SITEMAP}lastmod") for u in root.findall(f"{SITEMAP}url")}
    assert lastmod[news.full_url] == "2026-11-06"

"""SITE_URL is the one public origin: a fresh install at https://imc.example.ru links there everywhere.

The test database was created by `migrate`, so its default Site is whatever post_migrate made it; each
test here first puts the Site back to what Wagtail's own migration creates (localhost:80), then sets
SITE_URL and syncs as an install or deploy would, and reads what a user or a robot would get.
"""

import datetime
import io
import json
import re
import xml.etree.ElementTree as ET  # our own responses, not untrusted input

import pytest
from bs4 import BeautifulSoup
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models.signals import post_migrate
from django.test import Client
from icalendar import Calendar

from core.siteurl import check_default_site, public_origin, site_url_problems
from tests.contests.conftest import altcha_test_mode, contest, make_contest, post_vote  # noqa: F401
from tests.events.conftest import index, make_event, vocab  # noqa: F401
from tests.news.factories import make_news

pytestmark = pytest.mark.django_db
ORIGIN = "https://imc.example.ru"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
URL_RE = re.compile(r"https?://[^\s\"'<>]+")


def reset_site_to_wagtail_default(site):
    site.hostname, site.port = "localhost", 80
    site.save()


@pytest.fixture
def public_site(settings, site):
    """A fresh install (Site localhost:80) with SITE_URL=https://imc.example.ru, synced by the command."""
    reset_site_to_wagtail_default(site)
    settings.WAGTAILADMIN_BASE_URL = ORIGIN
    out = io.StringIO()
    call_command("sync_site", stdout=out)
    assert "https://imc.example.ru" in out.getvalue()
    site.refresh_from_db()
    return site


def urls_in(text):
    return URL_RE.findall(text)


def assert_all_public(urls, *, at_least=1):
    ours = [u for u in urls if "example.ru" in u or "localhost" in u or "testserver" in u or "127.0.0.1" in u]
    assert len(ours) >= at_least, urls
    for url in ours:
        assert url.startswith(ORIGIN + "/") or url == ORIGIN, url
    return ours


def test_sync_site_gives_the_default_site_https_and_port_443(public_site):
    assert (public_site.hostname, public_site.port) == ("imc.example.ru", 443)
    assert public_site.root_url == ORIGIN
    assert check_default_site(databases=["default"]) == []


def test_migrate_syncs_the_site_without_any_command(settings, site):
    """post_migrate (every `migrate`, also on a fresh install) keeps the Site at SITE_URL."""
    reset_site_to_wagtail_default(site)
    settings.WAGTAILADMIN_BASE_URL = ORIGIN
    assert check_default_site(databases=["default"])[0].id == "core.W121"  # what `check --database` reports
    from django.apps import apps

    post_migrate.send(
        sender=apps.get_app_config("core"),
        app_config=apps.get_app_config("core"),
        verbosity=0,
        interactive=False,
        using="default",
    )
    site.refresh_from_db()
    assert site.root_url == ORIGIN


@pytest.mark.parametrize(
    ("url", "origin", "problem"),
    [
        ("https://imc.example.ru/", "https://imc.example.ru", False),
        ("http://127.0.0.1:8000", "http://127.0.0.1:8000", False),
        ("http://imc.example.ru:80", "http://imc.example.ru", False),
        ("https://imc.example.ru:8443", None, True),  # Wagtail would build http://…:8443 links
        ("https://imc.example.ru/portal/", None, True),
        ("imc.example.ru", None, True),
    ],
)
def test_site_url_forms(settings, url, origin, problem):
    settings.WAGTAILADMIN_BASE_URL = url
    assert bool(site_url_problems()) is problem
    if origin:
        assert public_origin() == origin


def test_sync_site_refuses_an_origin_wagtail_cannot_express(settings, site):
    settings.WAGTAILADMIN_BASE_URL = "https://imc.example.ru:8443"
    with pytest.raises(CommandError, match="443"):
        call_command("sync_site")


def test_registration_email_links(public_site, altcha_test_mode, make_event, django_capture_on_commit_callbacks):  # noqa: F811
    event = make_event("Семинар по функциональной грамотности", registration_open=True, capacity=5)
    data = {
        "full_name": "Иванова Мария Петровна",
        "organisation": "ГБОУ школа № 204",
        "position": "учитель",
        "email": "ivanova@school204.example.ru",
        "consent": "on",
        "altcha": "test-payload",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = Client().post(f"{event.url}register/", data, REMOTE_ADDR="10.1.2.3")
    assert response.status_code == 302
    (message,) = mail.outbox
    urls = assert_all_public(urls_in(message.body), at_least=3)
    assert any(u.endswith("/confirm/") for u in urls) and any(u.endswith("/cancel/") for u in urls)
    assert "localhost" not in message.body


def test_vote_email_link(public_site, altcha_test_mode, contest, django_capture_on_commit_callbacks):  # noqa: F811
    with django_capture_on_commit_callbacks(execute=True):
        response = post_vote(Client(), contest.entry_list[0], "mama@example.ru")
    assert response.status_code == 200, response.content.decode()[:3000]
    (message,) = mail.outbox
    urls = assert_all_public(urls_in(message.body))
    assert any("/contests/vote/confirm/" in u for u in urls)


def test_rss_sitemap_robots(public_site, news_index):
    make_news(news_index, "Итоги олимпиады", datetime.date(2026, 11, 5))
    client = Client()

    rss = client.get("/news/rss/").content.decode()
    assert "localhost" not in rss and "testserver" not in rss
    channel = ET.fromstring(rss).find("channel")  # noqa: S314 - the site's own feed
    links = [item.findtext("link") for item in channel.findall("item")] + [channel.findtext("link")]
    assert_all_public(links, at_least=2)

    root = ET.fromstring(client.get("/sitemap.xml").content)  # noqa: S314 - the site's own sitemap
    locs = [u.findtext(f"{SITEMAP}loc") for u in root.findall(f"{SITEMAP}url")]
    assert_all_public(locs, at_least=3)
    assert len(assert_all_public(locs)) == len(locs)

    assert f"Sitemap: {ORIGIN}/sitemap.xml" in client.get("/robots.txt").content.decode()


def test_canonical_og_and_json_ld_of_a_news_page(public_site, news_index):
    news = make_news(news_index, "Итоги олимпиады", datetime.date(2026, 11, 5))
    html = Client().get(news.url).content.decode()
    soup = BeautifulSoup(html, "html.parser")
    expected = f"{ORIGIN}/news/{news.slug}/"
    assert soup.find("link", rel="canonical")["href"] == expected
    assert soup.find("meta", property="og:url")["content"] == expected
    assert soup.find("meta", property="og:image")["content"].startswith(ORIGIN + "/media/")
    data = json.loads(soup.find("script", type="application/ld+json").string)
    assert data["url"] == data["mainEntityOfPage"] == expected
    assert data["publisher"]["url"] == ORIGIN + "/"
    assert data["image"][0].startswith(ORIGIN + "/media/")
    assert "localhost" not in html and "testserver" not in html


def test_ical_urls_and_event_json_ld(public_site, make_event):  # noqa: F811
    event = make_event("Вебинар для учителей математики")
    client = Client()
    for path in ("/events/ical/", f"{event.url}ical/"):
        body = client.get(path).content
        calendar = Calendar.from_ical(body)
        urls = [str(c["URL"]) for c in calendar.walk("VEVENT")]
        assert urls == [f"{ORIGIN}/events/{event.slug}/"], path
        assert b"localhost" not in body and b"testserver" not in body
    html = client.get(event.url).content.decode()
    soup = BeautifulSoup(html, "html.parser")
    assert soup.find("link", rel="canonical")["href"] == f"{ORIGIN}/events/{event.slug}/"
    data = json.loads(soup.find("script", type="application/ld+json").string)
    assert data["url"] == f"{ORIGIN}/events/{event.slug}/"

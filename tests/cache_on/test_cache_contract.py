"""The page cache's contract (docs/dev/caching.md), checked on every public page type with the cache on
in Redis: what is stored and what never is, that a publish shows at once, that a search is always
counted and that a page changing at a known moment is kept no longer than until then.

A page type or view that breaks a rule fails here: the rest of the suite runs with the cache off.
"""

import re
from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone
from wagtail.contrib.search_promotions.models import Query

from contests.models import ContestPage
from events.models import Registration
from tests.news.factories import make_news

pytestmark = [pytest.mark.cache_on, pytest.mark.django_db]


def twice(client, url):
    """The second answer to the same anonymous GET: from the cache when the first was stored."""
    first = client.get(url)
    return first, client.get(url)


def stored(first, second) -> bool:
    return first.get("X-Cache") == "MISS" and second.get("X-Cache") == "HIT"


def s_maxage(response) -> int:
    return int(re.search(r"s-maxage=(\d+)", response["Cache-Control"]).group(1))


def urls(public):
    contest, entry, event = public.contest, public.entry, public.event
    past_event = event.get_siblings().live().exclude(pk=event.pk).specific().first()
    news = public.news.get_children().live().first()
    return {
        # stored: the same for every anonymous visitor
        "home": ("/", True),
        "news list": (public.news.url, True),
        "news list filtered": (public.news.url + "?year=2026&page=2", True),
        "news item": (news.url, True),
        "news RSS": (public.news.url + "rss/", True),
        "calendar month": (public.events.url, True),
        "calendar week": (public.events.url + "week/", True),
        "calendar upcoming": (public.events.url + "upcoming/", True),
        "calendar archive": (public.events.url + "archive/", True),
        "calendar iCal feed": (public.events.url + "ical/", True),
        "event without registration": (past_event.url, True),
        "event iCal": (event.url + "ical/", True),
        "contests list": (contest.get_parent().url, True),
        "contest": (contest.url, True),
        "contest entry": (entry.url, True),
        "methodists": ("/metodisty/", True),
        "methodist": ("/metodisty/sokolova/", True),
        "sveden": ("/sveden/", True),
        "sveden subsection": ("/sveden/common/", True),
        "robots.txt": ("/robots.txt", True),
        "sitemap": ("/sitemap.xml", True),
        # never stored: personal, a form, counted, live or not a page at all
        "search": ("/search/?q=семинар", False),
        "event with the registration form": (event.url, False),
        "vote form": (f"/contests/vote/{entry.pk}/", False),
        "contest application form": (contest.url + "zayavka/", False),
        "contest results with live counts": (contest.url + "itogi/", False),
        "live vote counts": (f"/contests/votes/{contest.pk}.json", False),
        "question to a methodist": ("/vopros-metodistu/", False),
        "low-vision settings": ("/lv/", False),
        "health check": ("/healthz", False),
        "favicon": ("/favicon.ico", False),
        "a missing page": ("/net-takoy-stranicy/", False),
        "admin login": ("/admin/login/", False),
    }


PAGES = [
    "home", "news list", "news list filtered", "news item", "news RSS", "calendar month", "calendar week",
    "calendar upcoming", "calendar archive", "calendar iCal feed", "event without registration", "event iCal",
    "contests list", "contest", "contest entry", "methodists", "methodist", "sveden", "sveden subsection",
    "robots.txt", "sitemap", "search", "event with the registration form", "vote form",
    "contest application form", "contest results with live counts", "live vote counts",
    "question to a methodist", "low-vision settings", "health check", "favicon", "a missing page", "admin login",
]  # fmt: skip


@pytest.mark.parametrize("name", PAGES)
def test_what_is_stored_and_what_never_is(client, public, name):
    url, expected = urls(public)[name]
    first, second = twice(client, url)
    assert stored(first, second) is expected, (url, first.status_code, first.get("Cache-Control"))
    if expected:
        assert first.status_code == 200 and second.content == first.content
        assert "csrfmiddlewaretoken" not in first.content.decode() and not first.cookies
        assert s_maxage(first) == 300 and "Cookie" in first["Vary"]
    else:  # neither may nginx in front keep it
        assert "public" not in first.get("Cache-Control", "") or "s-maxage" not in first["Cache-Control"]


def test_a_publish_shows_on_the_next_anonymous_request_on_the_page_and_its_lists(client, public):
    news = public.news.get_children().live().specific().first()
    for url in ("/", public.news.url, news.url):
        assert stored(*twice(client, url))

    news.title = "Итоги районного конкурса педагогов"
    news.save_revision().publish()
    make_news(public.news, title="Открыт приём заявок на курсы")
    for url in ("/", public.news.url, news.url):
        response = client.get(url)
        assert response["X-Cache"] == "MISS", url
        assert "Итоги районного конкурса педагогов" in response.content.decode(), url
    for url in ("/", public.news.url):
        assert "Открыт приём заявок на курсы" in client.get(url).content.decode(), url


def test_every_search_is_counted_in_the_search_terms_report(client, public):
    for _ in range(3):
        response = client.get("/search/", {"q": "семинар"})
        assert response.status_code == 200 and response.get("X-Cache") is None
    assert Query.get("семинар").hits == 3


@override_settings(ALTCHA_TEST_MODE=True)
def test_the_registration_receipt_is_never_stored(client, public, django_capture_on_commit_callbacks):
    form = {
        "full_name": "Иванова Мария Петровна",
        "organisation": "ГБОУ школа № 204",
        "position": "учитель математики",
        "email": "ivanova@school204.example.ru",
        "consent": "on",
        "altcha": "test-payload",
    }
    with django_capture_on_commit_callbacks(execute=True):
        posted = client.post(public.event.url + "register/", form, REMOTE_ADDR="10.1.2.3")
    assert posted.status_code == 302 and Registration.objects.filter(event=public.event).exists()
    first, second = twice(client, posted["Location"])
    assert first.status_code == second.status_code == 200
    assert "iv***@school204.example.ru" in second.content.decode()
    assert not stored(first, second) and "public" not in first.get("Cache-Control", "")


def test_live_counts_follow_the_votes(client, public):
    counts_url = f"/contests/votes/{public.contest.pk}.json"
    for url in (counts_url, public.contest.url + "itogi/"):
        first, second = twice(client, url)
        assert second.get("X-Cache") is None, url
    assert "s-maxage" not in first.get("Cache-Control", "")


@pytest.mark.parametrize("which", ["contest", "entry", "home"])
def test_a_page_is_kept_no_longer_than_its_next_change(client, public, which):
    """Voting closes in 90 s: no copy of a page showing the «Голосовать» button may outlive it."""
    ContestPage.objects.filter(pk=public.contest.pk).update(voting_closes_at=timezone.now() + timedelta(seconds=90))
    url = {"contest": public.contest.url, "entry": public.entry.url, "home": "/"}[which]
    first, second = twice(client, url)
    assert stored(first, second)
    assert 0 < s_maxage(first) <= 90 and "stale-while-revalidate=0" in first["Cache-Control"]
    assert s_maxage(second) == s_maxage(first)


def test_editors_neither_get_nor_fill_the_cache(client, public, django_user_model):
    editor = django_user_model.objects.create_user("redaktor", password="x", is_staff=True, is_superuser=True)
    client.force_login(editor)
    for url in ("/", public.news.url, public.entry.url):
        first, second = twice(client, url)
        assert first.get("X-Cache") is None and second.get("X-Cache") is None
        assert "public" not in first.get("Cache-Control", "")
    client.logout()
    client.cookies.clear()
    assert client.get("/")["X-Cache"] == "MISS"

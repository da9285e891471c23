"""The proxy in front is told what to drop (core/frontendcache.py, docs/dev/caching.md): each page type
declares what lists it; a publish, unpublish, move, delete or rename drops those URLs once the
transaction commits; anything else that invalidates drops everything. Through a real nginx:
tests/deploy/test_proxy_cache.py."""

from datetime import datetime, timedelta

import pytest
from django.test import override_settings
from django.utils import timezone
from wagtail.models import Page

from core.cache import generation
from core.frontendcache import NginxCacheBackend
from core.models import SiteSettings
from events.recurrence import MSK
from tests.contests.factories import ContestBuilder
from tests.core.factories import publish
from tests.events.factories import EventPageFactory, VenueFactory
from tests.home.factories import StandardPageFactory
from tests.methodists.factories import MethodistPageFactory
from tests.news.factories import NewsPageFactory

pytestmark = pytest.mark.django_db

SITE = "http://testserver"
PURGED: list = []


class RecordingBackend:
    """A frontend cache backend that remembers what it was asked to drop."""

    def __init__(self, params):
        pass

    def invalidates_hostname(self, hostname):
        return True

    def purge_batch(self, urls):
        PURGED.append(set(urls))

    def purge_everything(self):
        PURGED.append("everything")


@pytest.fixture
def proxy():
    PURGED.clear()
    with override_settings(WAGTAILFRONTENDCACHE={"proxy": {"BACKEND": f"{__name__}.RecordingBackend"}}):
        yield PURGED
    PURGED.clear()


def purged_urls(purged) -> set:
    assert "everything" not in purged
    return set().union(*purged) if purged else set()


# --- what each page type declares -------------------------------------------------------------------


def test_a_news_item_is_listed_by_the_list_its_feed_the_home_page_the_sitemap_and_the_other_news(news_index):
    other = NewsPageFactory(parent=news_index, slug="drugaya")
    news = NewsPageFactory(parent=news_index, slug="itogi")
    urls = news.get_cache_purge_urls()
    assert not urls.everything
    assert urls == {
        f"{SITE}/news/itogi/",
        f"{SITE}/news/",
        f"{SITE}/news/rss/",
        f"{SITE}/",
        f"{SITE}/sitemap.xml",
        other.full_url,  # its «Читайте также» may show the new one
    }


def test_an_event_is_listed_by_every_view_of_the_calendar_and_the_months_it_appears_in(events_index):
    start = datetime(2026, 5, 30, 10, tzinfo=MSK)  # in May's grid and in June's (its first week starts on 25 May)
    event = EventPageFactory(parent=events_index, slug="seminar", start=start, end=start + timedelta(hours=2))
    urls = event.get_cache_purge_urls()
    calendar = f"{SITE}/events/"
    assert {calendar, *(calendar + view for view in ("week/", "upcoming/", "archive/", "ical/"))} <= urls
    assert {f"{SITE}/events/seminar/", f"{SITE}/events/seminar/ical/", f"{SITE}/"} <= urls
    assert {f"{calendar}?month=2026-05", f"{calendar}?month=2026-06"} <= urls
    assert f"{calendar}?month=2026-08" not in urls


def test_a_contest_entry_is_listed_by_its_contest_and_the_results(contests_index):
    contest = ContestBuilder(contests_index)(entries_per_nomination=1)
    entry = contest.entry_list[0]
    urls = entry.get_cache_purge_urls()
    assert {contest.full_url, contest.full_url + "itogi/", contest.full_url + "itogi/fail/", entry.full_url} <= urls
    assert not urls.everything


def test_pages_that_choose_a_page_are_dropped_with_it(events_index):
    methodist = MethodistPageFactory(title="Соколова Марина Николаевна", slug="sokolova")
    event = EventPageFactory(parent=events_index, slug="s-sokolovoy", organiser=methodist, organiser_name="")
    assert event.full_url in methodist.get_cache_purge_urls()  # the event page names its organiser


def test_a_page_chosen_in_the_site_settings_drops_everything(site, home_page):
    policy = StandardPageFactory(parent=StandardPageFactory(parent=home_page, slug="docs"), slug="policy")
    assert not policy.get_cache_purge_urls().everything
    settings_row = SiteSettings.for_site(site)
    settings_row.privacy_policy_page = policy
    settings_row.save()
    assert policy.get_cache_purge_urls().everything  # linked from every page's footer


@pytest.mark.parametrize("which", ["home", "section", "with children"])
def test_a_page_in_the_menu_or_in_breadcrumbs_drops_everything(home_page, news_index, which):
    page = {
        "home": lambda: home_page,
        "section": lambda: news_index,
        "with children": lambda: StandardPageFactory(
            parent=StandardPageFactory(parent=StandardPageFactory(parent=home_page, slug="a"), slug="b"), slug="c"
        ).get_parent(),
    }[which]()
    assert page.specific.get_cache_purge_urls().everything


# --- when and what is dropped -----------------------------------------------------------------------


def test_a_publish_drops_the_page_and_its_lists_after_the_commit(proxy, news_index, django_capture_on_commit_callbacks):
    news = NewsPageFactory(parent=news_index, slug="itogi")
    proxy.clear()
    with django_capture_on_commit_callbacks() as callbacks:
        news.title = "Итоги конкурса"
        news.save_revision().publish()
    # Nothing before the commit (a request meanwhile would store the old list again); Wagtail's own task
    # drops the page itself, after the commit too when a worker runs it (immediately in tests).
    assert all(f"{SITE}/news/" not in batch for batch in proxy)
    before = generation()
    for callback in callbacks:
        callback()
    assert generation() != before  # the Redis copy of a request that read the old rows goes too
    assert {news.full_url, f"{SITE}/news/", f"{SITE}/news/rss/", f"{SITE}/"} <= purged_urls(proxy)


def test_unpublishing_drops_the_page_and_its_lists(proxy, news_index, django_capture_on_commit_callbacks):
    news = NewsPageFactory(parent=news_index, slug="itogi")
    proxy.clear()
    with django_capture_on_commit_callbacks(execute=True):
        news.unpublish()
    assert {news.full_url, f"{SITE}/news/", f"{SITE}/"} <= purged_urls(proxy)


def test_moving_drops_the_old_address_and_both_lists(proxy, home_page, django_capture_on_commit_callbacks):
    old_parent = StandardPageFactory(parent=home_page, slug="old-section")
    new_parent = StandardPageFactory(parent=home_page, slug="new-section")
    page = StandardPageFactory(parent=old_parent, slug="kursy")
    proxy.clear()
    with django_capture_on_commit_callbacks(execute=True):
        page.move(new_parent, pos="last-child")
    urls = purged_urls(proxy)
    assert {f"{SITE}/old-section/kursy/", f"{SITE}/old-section/"} <= urls
    assert {f"{SITE}/new-section/kursy/", f"{SITE}/new-section/"} <= urls


def test_deleting_drops_the_page_and_its_lists(proxy, events_index, django_capture_on_commit_callbacks):
    event = EventPageFactory(parent=events_index, slug="seminar")
    proxy.clear()
    with django_capture_on_commit_callbacks(execute=True):
        Page.objects.get(pk=event.pk).delete()
    assert {f"{SITE}/events/seminar/", f"{SITE}/events/", f"{SITE}/events/upcoming/"} <= purged_urls(proxy)


def test_a_new_slug_drops_the_old_address(proxy, news_index, django_capture_on_commit_callbacks):
    news = NewsPageFactory(parent=news_index, slug="staryy-adres")
    proxy.clear()
    with django_capture_on_commit_callbacks(execute=True):
        news.slug = "novyy-adres"
        news.save_revision().publish()
    assert {f"{SITE}/news/staryy-adres/", f"{SITE}/news/novyy-adres/"} <= purged_urls(proxy)


def test_a_draft_drops_nothing(proxy, news_index, django_capture_on_commit_callbacks):
    news = NewsPageFactory(parent=news_index, slug="itogi")
    proxy.clear()
    with django_capture_on_commit_callbacks(execute=True):
        news.title = "Черновик"
        news.save_revision()
    assert proxy == []


@pytest.mark.parametrize("change", ["site settings", "venue"])
def test_a_change_every_page_may_show_drops_everything(proxy, site, change, django_capture_on_commit_callbacks):
    row = SiteSettings.for_site(site)
    proxy.clear()
    with django_capture_on_commit_callbacks(execute=True):
        if change == "site settings":
            row.phone = "(812) 417-34-44"
            row.save()
        else:
            VenueFactory(name="Аничков дворец")
    assert proxy == ["everything"]


def test_without_a_proxy_nothing_is_computed(
    news_index, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    news = NewsPageFactory(parent=news_index, slug="itogi")
    with django_capture_on_commit_callbacks() as callbacks:
        publish(news)
    with django_assert_max_num_queries(0):
        for callback in callbacks:
            callback()


def test_a_failing_proxy_never_fails_the_publish(news_index, django_capture_on_commit_callbacks, caplog):
    backend = {"nginx": {"BACKEND": "core.frontendcache.NginxCacheBackend", "LOCATION": "http://127.0.0.1:9/"}}
    with override_settings(WAGTAILFRONTENDCACHE=backend), django_capture_on_commit_callbacks(execute=True):
        news = NewsPageFactory(parent=news_index, slug="itogi")
    assert news.live and "unreachable" in caplog.text


# --- the nginx backend ------------------------------------------------------------------------------


def test_the_cache_file_is_named_as_nginx_names_it():
    """The MD5 of the key `$host$uri` (0570905fd72c7dfc3a69f18c2a65824e); levels=1:2: its last character, then the two before.
    The same file for any scheme, port, case of the host or query string (nginx keeps no query string)."""
    backend = NginxCacheBackend({"LOCATION": "http://127.0.0.1:8081/"})
    for url in ("http://testserver/news/", "https://TESTSERVER:8443/news/", "http://testserver/news/?page=2"):
        assert backend.cache_file(url) == "e/24/0570905fd72c7dfc3a69f18c2a65824e"
    levels_2 = NginxCacheBackend({"LOCATION": "http://127.0.0.1:8081/", "LEVELS": "2"})
    assert levels_2.cache_file("http://testserver/news/") == "4e/0570905fd72c7dfc3a69f18c2a65824e"


def test_an_event_in_the_middle_of_a_month_is_in_that_months_grid_only(events_index):
    start = timezone.make_aware(datetime(2026, 7, 15, 10), MSK)
    event = EventPageFactory(parent=events_index, slug="mid", start=start, end=start + timedelta(hours=1))
    months = {url.rsplit("=", 1)[1] for url in event.get_cache_purge_urls() if "?month=" in url}
    assert months == {"2026-07"}


def test_other_models_keep_djangos_fast_delete():
    """The purge listens to the deletion of pages only: expiring thousands of sessions or votes stays one
    DELETE query instead of loading every row to send it a signal."""
    from django.contrib.sessions.models import Session
    from django.db.models.deletion import Collector

    assert Collector(using="default").can_fast_delete(Session.objects.all())

"""Through the shipped proxy: nginx with deploy/nginx/imc.conf (paths and ports substituted by
scripts/stack.py's render_nginx) in front of the site served by a live server thread, with the page cache
on and the purge backend pointing at nginx's purge server, as `make stack` and production run it.

An anonymous GET fills nginx's cache; an edit published as the admin publishes (a revision published, in a
request of its own: its own thread and database connection, committed) is on the page and on every page
that lists it in the very next request, while unrelated pages stay cached.
"""

import http.client
import threading
from datetime import timedelta

import pytest
from django.test.utils import override_settings
from django.utils import timezone
from wagtail.models import Page

from core.models import SiteSettings
from scripts.stack import check_nginx, nginx_command, render_nginx
from tests.contests.factories import ContestBuilder
from tests.deploy.servers import free_port, start, stop
from tests.events.factories import EventPageFactory
from tests.news.factories import NewsPageFactory

# Marked for pytest-django to create the test database; what a test changes is committed by committed().
# One xdist worker runs the module: one nginx and one live server over the module's pages.
pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("proxy-cache")]

HOST = "testserver"  # the default Site of the test settings (WAGTAILADMIN_BASE_URL): purges name it


class Site:
    def __init__(self, port, purge_port, cache_dir):
        self.port, self.purge_port, self.cache_dir = port, purge_port, cache_dir

    def get(self, path, headers=None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=20)
        try:
            connection.request("GET", path, headers={"Host": HOST, **(headers or {})})
            response = connection.getresponse()
            return response, response.read().decode()
        finally:
            connection.close()

    def status(self, path, headers=None) -> str | None:
        return self.get(path, headers)[0].getheader("X-Proxy-Cache")

    def purge(self, *paths):
        from core.frontendcache import NginxCacheBackend

        backend = NginxCacheBackend({"LOCATION": f"http://127.0.0.1:{self.purge_port}/"})
        backend.purge_batch([f"http://{HOST}{path}" for path in paths])

    def warm(self, *paths):
        for path in paths:
            self.get(path)
            assert self.status(path) == "HIT", path


@pytest.fixture(scope="module")
def pages(django_db_setup, django_db_blocker):
    """Committed content (the live server reads it through its own connection), deleted afterwards."""
    from news.models import NewsIndexPage

    with django_db_blocker.unblock():
        news_index = NewsIndexPage.objects.get()
        from contests.models import ContestIndexPage
        from events.models import EventIndexPage

        created = {
            "news": NewsPageFactory(parent=news_index, slug="itogi", title="Итоги конкурса", main_image=None),
            "other_news": NewsPageFactory(parent=news_index, slug="seminar", title="Семинар", main_image=None),
            "event": EventPageFactory(
                parent=EventIndexPage.objects.get(),
                slug="vstrecha",
                title="Встреча молодых педагогов",
                start=(timezone.now() + timedelta(days=2)).replace(microsecond=0),
            ),
        }
        contest = ContestBuilder(ContestIndexPage.objects.get())(state="upcoming", entries_per_nomination=1)
        created.update(contest=contest, entry=contest.entry_list[0])
    yield created
    with django_db_blocker.unblock():
        for key in ("news", "other_news", "event", "contest"):
            page = Page.objects.filter(pk=created[key].pk).first()
            if page is not None:
                page.delete()
        Page.objects.filter(slug__in=["novaya", "ustarevshaya"]).delete()


@pytest.fixture(scope="module")
def site(pages, tmp_path_factory, django_db_blocker):
    """nginx (the shipped configuration) → a live server thread of the site."""
    from django.test.testcases import LiveServerThread, _StaticFilesHandler

    tmp = tmp_path_factory.mktemp("proxy")
    purge_port, site_port = free_port(), free_port()
    purge = {
        "nginx": {"BACKEND": "core.frontendcache.NginxCacheBackend", "LOCATION": f"http://127.0.0.1:{purge_port}/"}
    }
    with override_settings(PAGE_CACHE_SECONDS=300, WAGTAILFRONTENDCACHE=purge):
        django_db_blocker.unblock()
        thread = LiveServerThread("127.0.0.1", _StaticFilesHandler, port=0)
        thread.daemon = True
        thread.start()
        thread.is_ready.wait()
        conf = render_nginx(
            tmp / "nginx",
            site_port=site_port,
            purge_port=purge_port,
            upstream_ports=[thread.port],
            static_root=tmp,
            media_root=tmp,
            workers="1",
        )
        check_nginx(conf)
        nginx = start(nginx_command(conf), site_port)
        yield Site(site_port, purge_port, tmp / "nginx" / "cache")
        stop(nginx)
        thread.terminate()
        django_db_blocker.restore()


def committed(action):
    """Runs `action` as a request of its own would: another thread, its own connection, committed at once
    (the test's own transaction is never committed, so nothing in it would reach nginx)."""
    from django.db import connections

    outcome = {}

    def run():
        try:
            outcome["value"] = action()
        except BaseException as exc:  # raised again in the test's thread
            outcome["error"] = exc
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome.get("value")


def publish(page, **changes):
    """As the admin's «Опубликовать»: a revision of the edited page, published."""

    def edit():
        for name, value in changes.items():
            setattr(page, name, value)
        page.save_revision().publish()

    committed(edit)


def test_an_anonymous_get_fills_the_proxy_cache(site, pages):
    url = pages["news"].url
    site.purge(url)  # whatever another test left there
    first, body = site.get(url)
    assert first.status == 200 and "Итоги конкурса" in body
    assert first.getheader("X-Proxy-Cache") == "MISS"
    second, again = site.get(url)
    assert second.getheader("X-Proxy-Cache") == "HIT" and again == body


def test_an_edit_published_shows_on_the_page_and_every_list_in_the_next_request(site, pages):
    news = pages["news"]
    lists = ["/", "/news/", "/news/rss/", pages["other_news"].url]  # the other news: «Читайте также»
    unrelated = [pages["event"].url, pages["contest"].url]
    site.warm(news.url, *lists, *unrelated)

    publish(news, title="Итоги районного конкурса педагогов")

    for path in (news.url, *lists):
        response, body = site.get(path)
        assert response.getheader("X-Proxy-Cache") == "MISS", path
        assert "Итоги районного конкурса педагогов" in body, path
    for path in unrelated:  # not listing it: still served by nginx
        assert site.status(path) == "HIT", path


def test_a_new_page_is_listed_at_once(site, pages):
    site.warm("/", "/news/", "/news/rss/", "/sitemap.xml")
    index = pages["news"].get_parent()
    committed(lambda: NewsPageFactory(parent=index, slug="novaya", title="Открыт приём заявок", main_image=None))
    for path in ("/", "/news/", "/news/rss/", "/sitemap.xml"):
        response, body = site.get(path)
        assert ("Открыт приём заявок" in body or "/news/novaya/" in body) and response.status == 200, path


def test_an_unpublished_page_is_gone_from_the_page_and_its_lists_at_once(site, pages):
    index = pages["news"].get_parent()
    old = committed(lambda: NewsPageFactory(parent=index, slug="ustarevshaya", title="Устаревшая", main_image=None))
    site.warm(old.url, "/news/", "/")
    committed(old.unpublish)
    assert site.get(old.url)[0].status == 404
    for path in ("/news/", "/"):
        assert old.url not in site.get(path)[1], path


def test_an_event_edit_shows_on_the_calendar_and_a_contest_entry_on_its_contest(site, pages):
    event, entry, contest = pages["event"], pages["entry"], pages["contest"]
    site.warm(event.url, "/events/upcoming/", entry.url, contest.url)
    publish(event, title="Встреча наставников")
    publish(entry, title="Лучший урок года")
    for path, text in (
        (event.url, "Встреча наставников"),
        ("/events/upcoming/", "Встреча наставников"),
        (entry.url, "Лучший урок года"),
        (contest.url, "Лучший урок года"),
    ):
        assert text in site.get(path)[1], path


def test_a_site_setting_drops_every_page(site, pages):
    site.warm("/", pages["news"].url, pages["event"].url)

    def set_phone(phone):
        settings_row = SiteSettings.objects.get()
        settings_row.phone, before = phone, settings_row.phone
        settings_row.save()
        return before

    before = committed(lambda: set_phone("(812) 417-34-44"))
    try:
        for path in ("/", pages["news"].url, pages["event"].url):
            response, body = site.get(path)
            assert response.getheader("X-Proxy-Cache") == "MISS" and "417-34-44" in body, path
    finally:
        committed(lambda: set_phone(before))  # the row is shared with the rest of the session


@pytest.mark.parametrize(
    "headers",
    [
        {"Cookie": "sessionid=abc"},  # signed in: never the shared copy, never stored
        {"Cookie": "csrftoken=abc; _ym_uid=1"},
        {"Cookie": "lv=size-150.scheme-wb"},  # a low-vision choice: the application keeps its variants
    ],
)
def test_personal_requests_reach_the_application(site, pages, headers):
    url = pages["news"].url
    site.warm(url)
    response, _ = site.get(url, headers)
    assert response.getheader("X-Proxy-Cache") == "BYPASS"


def test_cookies_that_do_not_matter_share_the_copy(site, pages):
    url = pages["news"].url
    site.warm(url)
    assert site.status(url, {"Cookie": "_ym_uid=1; lv="}) == "HIT"


def test_addresses_with_a_query_string_and_undeclared_views_are_not_kept(site):
    site.warm("/news/")
    assert site.status("/news/?page=1") == "BYPASS"  # a purge could not name every query string
    for _ in range(2):
        assert site.status("/healthz") == "MISS"  # never declared public: never stored


def test_the_cache_file_the_backend_deletes_is_the_one_nginx_wrote(site, pages):
    from core.frontendcache import NginxCacheBackend

    url = pages["event"].url
    site.warm(url)
    cache_file = site.cache_dir / NginxCacheBackend({"LOCATION": "http://unused/"}).cache_file(f"http://{HOST}{url}")
    assert f"KEY: {HOST}{url}".encode() in cache_file.read_bytes()[:1024]


def test_the_purge_server_only_deletes(site):
    connection = http.client.HTTPConnection("127.0.0.1", site.purge_port, timeout=5)
    connection.request("GET", "/")
    assert connection.getresponse().status == 403
    connection.close()

"""What pages remember between requests while nothing is published (core/routing.py, cached_fragment,
{% fragment %}): the site, the route to each page and blocks the same for every visitor. A visitor must
never see the difference — every publish, unpublish, move, delete or new restriction shows at once —
except in speed (the query counts below). Routes are remembered as identities: every request gets page
instances of its own, so concurrent requests (threads) share nothing mutable.
"""

import dataclasses
import datetime

import pytest
from bs4 import BeautifulSoup
from django.db import models
from django.template import Context, Template
from django.test import RequestFactory
from wagtail.models import PageViewRestriction

from core import cache as core_cache
from core.cache import cached_fragment, valid_until
from tests.news.factories import make_news, make_news_index, make_standard_page

pytestmark = pytest.mark.django_db


def titles(client, url):
    response = client.get(url)
    return response.status_code, [h.get_text(strip=True) for h in BeautifulSoup(response.content, "html.parser")("h1")]


def test_a_republished_title_shows_at_once(client, home_page):
    page = make_standard_page(home_page, "Повышение квалификации", slug="kursy")
    assert titles(client, "/kursy/") == (200, ["Повышение квалификации"])
    page.title = "Курсы повышения квалификации"
    page.save_revision().publish()
    assert titles(client, "/kursy/") == (200, ["Курсы повышения квалификации"])


def test_an_address_that_was_404_serves_the_page_published_there(client, home_page):
    assert client.get("/olimpiady/").status_code == 404
    make_standard_page(home_page, "Олимпиадное движение", slug="olimpiady")
    assert titles(client, "/olimpiady/") == (200, ["Олимпиадное движение"])


def test_unpublished_deleted_and_moved_pages_leave_their_address_at_once(client, home_page):
    kept = make_standard_page(home_page, "Отчеты и мониторинги", slug="otchety")
    gone = make_standard_page(home_page, "Архив", slug="arhiv")
    moved = make_standard_page(home_page, "ЕГЭ/ОГЭ", slug="ege")
    for url in ("/otchety/", "/arhiv/", "/ege/"):
        assert client.get(url).status_code == 200

    kept.unpublish()
    gone.delete()
    moved.move(kept, pos="last-child")

    assert client.get("/otchety/").status_code == 404
    assert client.get("/arhiv/").status_code == 404
    moved_away = client.get("/ege/")  # Wagtail's redirects app follows the move
    assert (moved_away.status_code, moved_away["Location"]) == (301, "/otchety/ege/")
    kept.save_revision().publish()
    assert titles(client, "/otchety/ege/") == (200, ["ЕГЭ/ОГЭ"])


def test_a_site_moved_to_another_root_is_followed(client, home_page, site):
    other_root = make_standard_page(home_page, "Новая главная", slug="novaya-glavnaya")
    assert titles(client, "/")[1] == [home_page.title]
    site.root_page = other_root
    site.save()
    assert titles(client, "/") == (200, ["Новая главная"])


def test_news_published_after_the_home_page_was_seen_appears_on_it(client, home_page):
    index = make_news_index(home_page)
    make_news(index, "Итоги районного семинара", datetime.date(2026, 11, 2))
    assert "Итоги районного семинара" in client.get("/").content.decode()
    make_news(index, "Открыт приём заявок на конкурс", datetime.date(2026, 11, 20))
    html = client.get("/").content.decode()
    assert html.index("Открыт приём заявок на конкурс") < html.index("Итоги районного семинара")


def test_a_warm_home_page_costs_one_query_its_own_page(client, home_page, django_assert_num_queries):
    index = make_news_index(home_page)
    for day in range(1, 6):
        make_news(index, f"Новость {day}", datetime.date(2026, 11, day))
    make_standard_page(home_page, "Сведения", slug="sveden-test", show_in_menus=True)
    client.get("/")
    with django_assert_num_queries(1):  # the page by its id; the route found no view restriction
        html = client.get("/").content.decode()
    assert "Новость 5" in html and "Сведения" in html


def test_each_request_gets_page_instances_of_its_own(client, home_page):
    """Nothing kept between requests is a model instance: one would be shared by concurrent threads."""
    index = make_news_index(home_page)
    make_news(index, "Итоги семинара", datetime.date(2026, 11, 2))
    first, second = client.get("/news/"), client.get("/news/")
    pages = [response.wsgi_request._wagtail_route_for_request.page for response in (first, second)]
    assert pages[0] == pages[1] and pages[0] is not pages[1]
    assert first.wsgi_request._wagtail_site is not second.wsgi_request._wagtail_site

    def instances(value):
        if isinstance(value, models.Model):
            return [value]
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            value = [getattr(value, field.name) for field in dataclasses.fields(value)]
        if isinstance(value, list | tuple | set | dict):
            items = value.values() if isinstance(value, dict) else value
            return [found for item in items for found in instances(item)]
        return []

    client.get("/")  # the home page: menu, site settings, slots
    kept = core_cache._local["values"]
    assert {"route", "site", "sitesettings", "menu"} <= {name.split(":")[0] for name in kept}
    assert [name for name, (value, _expiry) in kept.items() if instances(value)] == []


def test_a_page_made_private_is_refused_at_once(client, home_page):
    page = make_standard_page(home_page, "Внутренние документы", slug="vnutrennie")
    assert titles(client, "/vnutrennie/") == (200, ["Внутренние документы"])
    PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.PASSWORD, password="x")
    response = client.get("/vnutrennie/")
    assert "Внутренние документы" not in [
        h.get_text(strip=True) for h in BeautifulSoup(response.content, "html.parser")("h1")
    ]
    assert 'name="password"' in response.content.decode()


def test_a_routable_page_keeps_its_routes(client, home_page):
    index = make_news_index(home_page)
    make_news(index, "Итоги семинара", datetime.date(2026, 11, 2))
    for _ in range(2):  # the second answer comes from the remembered route
        feed = client.get("/news/rss/")
        assert feed.status_code == 200 and "Итоги семинара" in feed.content.decode()
        assert feed.wsgi_request.routable_resolver_match.url_name == "rss"


# --- cached_fragment -----------------------------------------------------------------------------


@pytest.fixture
def request_():
    return RequestFactory().get("/")


def render_counter():
    calls = []

    def render():
        calls.append(1)
        return f"<p>{len(calls)}</p>"

    return render, calls


def test_a_fragment_is_rendered_once_until_the_next_publish(request_, home_page):
    render, calls = render_counter()
    assert cached_fragment(request_, "t", render) == "<p>1</p>"
    assert cached_fragment(RequestFactory().get("/"), "t", render) == "<p>1</p>"
    make_standard_page(home_page, "Новая страница", slug="novaya")  # a publish
    assert cached_fragment(RequestFactory().get("/"), "t", render) == "<p>2</p>"
    assert len(calls) == 2


def test_a_fragment_ends_at_its_valid_until_moment_and_passes_it_to_the_page(request_, monkeypatch):
    from django.utils import timezone

    now = timezone.now()
    moment = now + datetime.timedelta(minutes=5)
    calls = []

    def render():
        calls.append(1)
        valid_until(request_, moment)
        return "<p>ближайшее</p>"

    cached_fragment(request_, "t2", render)
    assert request_._page_cache_until == moment
    later_request = RequestFactory().get("/")
    cached_fragment(later_request, "t2", render)
    assert later_request._page_cache_until == moment  # the page learns the moment on a hit too
    assert len(calls) == 1
    monkeypatch.setattr(timezone, "now", lambda: moment + datetime.timedelta(seconds=1))
    cached_fragment(RequestFactory().get("/"), "t2", render)
    assert len(calls) == 2


def test_a_preview_renders_its_fragments_afresh(request_):
    render, calls = render_counter()
    cached_fragment(request_, "t3", render)
    preview = RequestFactory().get("/")
    preview.is_preview = True  # set by Wagtail on preview requests
    assert cached_fragment(preview, "t3", render) == "<p>2</p>"
    assert len(calls) == 2


FRAGMENT = Template('{% load core_tags %}{% fragment "tag-test" n %}[{{ n }}:{{ calls }}]{% endfragment %}')


class Calls:
    """Counts its renderings: `{{ calls }}` in a template."""

    def __init__(self):
        self.count = 0

    def __str__(self):
        self.count += 1
        return str(self.count)


def test_fragment_template_tag_varies_by_its_values(request_):
    calls = Calls()
    assert FRAGMENT.render(Context({"request": request_, "n": 1, "calls": calls})) == "[1:1]"
    assert FRAGMENT.render(Context({"request": request_, "n": 2, "calls": calls})) == "[2:2]"
    assert FRAGMENT.render(Context({"request": RequestFactory().get("/"), "n": 1, "calls": calls})) == "[1:1]"


def test_fragment_template_tag_is_rendered_again_after_a_publish(request_, home_page):
    calls = Calls()
    FRAGMENT.render(Context({"request": request_, "n": 1, "calls": calls}))
    make_standard_page(home_page, "Новая страница", slug="novaya")  # a publish
    assert FRAGMENT.render(Context({"request": RequestFactory().get("/"), "n": 1, "calls": calls})) == "[1:2]"


def test_fragment_template_tag_is_skipped_in_previews(request_):
    calls = Calls()
    FRAGMENT.render(Context({"request": request_, "n": 1, "calls": calls}))
    preview = RequestFactory().get("/")
    preview.is_preview = True  # Wagtail's {% wagtailcache %}: a draft shows its own content
    assert FRAGMENT.render(Context({"request": preview, "n": 1, "calls": calls})) == "[1:2]"


def test_fragment_template_tag_passes_its_valid_until_to_the_page_and_ends_then(request_, monkeypatch):
    from django.utils import timezone

    moment = timezone.now() + datetime.timedelta(minutes=5)

    class Soon:
        """Declares, while rendered, that what it shows changes in five minutes (an event ending)."""

        def __init__(self):
            self.count = 0

        def __str__(self):
            self.count += 1
            valid_until(request_, moment)
            return str(self.count)

    template = Template('{% load core_tags %}{% fragment "soon" %}[{{ soon }}]{% endfragment %}')
    soon = Soon()
    assert template.render(Context({"request": request_, "soon": soon})) == "[1]"
    assert request_._page_cache_until == moment
    later = RequestFactory().get("/")
    assert template.render(Context({"request": later, "soon": soon})) == "[1]"
    assert later._page_cache_until == moment  # the page learns the moment on a hit too
    monkeypatch.setattr(timezone, "now", lambda: moment + datetime.timedelta(seconds=1))
    assert template.render(Context({"request": RequestFactory().get("/"), "soon": soon})) == "[2]"


def test_a_fragment_with_an_empty_name_is_rendered_every_time(request_):
    calls = Calls()
    template = Template("{% load core_tags %}{% fragment name %}[{{ calls }}]{% endfragment %}")
    for expected in ("[1]", "[2]"):
        assert template.render(Context({"request": request_, "name": "", "calls": calls})) == expected

"""What pages remember between requests while nothing is published (core/routing.py, cached_fragment):
the site, the route to each page and the home page's blocks. A visitor must never see the difference
— every publish, unpublish, move or delete shows at once — except in speed (the query counts below).
"""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.template import Context, Template
from django.test import RequestFactory

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


def test_a_warm_home_page_costs_only_the_view_restriction_check(client, home_page, django_assert_max_num_queries):
    index = make_news_index(home_page)
    for day in range(1, 6):
        make_news(index, f"Новость {day}", datetime.date(2026, 11, day))
    make_standard_page(home_page, "Сведения", slug="sveden-test", show_in_menus=True)
    client.get("/")
    with django_assert_max_num_queries(2):  # Wagtail's check of the page's view restrictions
        html = client.get("/").content.decode()
    assert "Новость 5" in html and "Сведения" in html


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


def test_fragment_template_tag_varies_by_its_values(request_):
    template = Template('{% load core_tags %}{% fragment "tag-test" n %}[{{ n }}]{% endfragment %}')
    assert template.render(Context({"request": request_, "n": 1})) == "[1]"
    assert template.render(Context({"request": request_, "n": 2})) == "[2]"

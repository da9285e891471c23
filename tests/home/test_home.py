"""The home page and standard pages: creation rules, rendering, previews, announcements, quick links, slots."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.template import engines
from django.utils import timezone
from wagtail.models import Page
from wagtail.rich_text import RichText
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import rich_text

from core import slots
from home.models import HomePage, StandardPage
from news.models import NewsIndexPage, NewsPage
from tests.news.factories import make_news, make_news_index, make_standard_page, preview_post_data


class HomePageTypesTest(WagtailPageTestCase):
    def setUp(self):
        self.home = HomePage.objects.get()
        self.page = make_standard_page(
            self.home,
            "Повышение квалификации",
            lead="Курсы для педагогов.",
            body=[("paragraph", RichText("<p>Текст</p>"))],
        )

    def test_home_page_is_the_single_site_root(self):
        self.assertAllowedParentPageTypes(HomePage, {Page})
        self.assertFalse(HomePage.can_create_at(Page.get_first_root_node()))  # max_count = 1

    def test_standard_pages_nest_under_home_and_each_other(self):
        self.assertCanCreateAt(HomePage, StandardPage)
        self.assertCanCreateAt(StandardPage, StandardPage)
        self.assertCanNotCreateAt(NewsIndexPage, StandardPage)
        self.assertCanNotCreateAt(NewsPage, StandardPage)

    def test_pages_render(self):
        self.assertPageIsRenderable(self.home)
        self.assertPageIsRenderable(self.page)

    def test_pages_are_previewable(self):
        user = self.login()
        self.client.force_login(user)
        data = preview_post_data(self.client, self.home, announcements=[], quick_links=[])
        self.assertPageIsPreviewable(self.home, post_data=data, user=user)
        self.client.force_login(user)
        body = [("paragraph", rich_text("<p>Содержание страницы</p>"))]
        data = preview_post_data(self.client, self.page, body=body)
        self.assertPageIsPreviewable(self.page, post_data=data, user=user)


pytestmark = pytest.mark.django_db


def announcement(title, show_until=None, page=None, url=""):
    return ("announcement", {"title": title, "text": "", "page": page, "url": url, "show_until": show_until})


def soup_of(client, url="/"):
    response = client.get(url)
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


@pytest.mark.parametrize(
    ("days", "shown"),
    [(None, True), (-1, False), (0, True), (1, True), (-30, False)],
)
def test_announcement_is_shown_until_its_date_inclusive(client, home_page, days, shown):
    today = timezone.localdate()
    until = None if days is None else today + datetime.timedelta(days=days)
    home_page.announcements = [announcement("Приём заявок на курсы", until)]
    home_page.save_revision().publish()
    titles = [h.get_text(strip=True) for h in soup_of(client).select(".announcement .card__title")]
    assert titles == (["Приём заявок на курсы"] if shown else [])


def test_announcement_links_to_a_page_or_url(client, home_page):
    target = make_standard_page(home_page, "ЕГЭ/ОГЭ", slug="ege-oge")
    home_page.announcements = [
        announcement("Горячая линия ГИА", page=target),
        announcement("Портал Moodle", url="https://do.example.ru/"),
        announcement("Без ссылки"),
    ]
    home_page.save_revision().publish()
    items = soup_of(client).select(".announcement .card__title")
    assert items[0].a["href"] == "/ege-oge/"
    assert items[1].a["href"] == "https://do.example.ru/"
    assert items[2].a is None and items[2].get_text(strip=True) == "Без ссылки"


def test_quick_links_render_and_skip_deleted_pages(client, home_page):
    ege = make_standard_page(home_page, "ЕГЭ/ОГЭ", slug="ege-oge")
    olymp = make_standard_page(home_page, "Олимпиадное движение", slug="olimpiady")
    courses = make_standard_page(home_page, "Повышение квалификации", slug="povyshenie-kvalifikacii")
    home_page.quick_links = [
        ("link", {"title": "ЕГЭ/ОГЭ", "page": ege, "description": "Расписание и горячая линия"}),
        ("link", {"title": "Олимпиадное движение", "page": olymp, "description": ""}),
        ("link", {"title": "Повышение квалификации", "page": courses, "description": ""}),
    ]
    home_page.save_revision().publish()
    olymp.delete()
    links = [(a.select_one(".quick-link__title").get_text(), a["href"]) for a in soup_of(client).select("a.quick-link")]
    assert links == [("ЕГЭ/ОГЭ", "/ege-oge/"), ("Повышение квалификации", "/povyshenie-kvalifikacii/")]


def test_latest_news_on_home(client, home_page):
    index = make_news_index(home_page)
    for day in range(1, 7):
        make_news(index, f"Новость {day}", datetime.date(2026, 11, day))
    make_news(index, "Черновик", datetime.date(2026, 11, 20), live=False)
    soup = soup_of(client)
    assert [a.get_text() for a in soup.select(".card-grid .card__title a")] == [
        "Новость 6",
        "Новость 5",
        "Новость 4",
        "Новость 3",
    ]
    assert soup.select_one(".card-grid time").get_text() == "6 ноября 2026"
    assert soup.find("a", string="Все новости")["href"] == "/news/"


def test_home_without_news_has_no_empty_news_section(client, home_page):
    assert soup_of(client).select_one("#news-heading") is None


@pytest.fixture
def test_slot(settings, tmp_path):
    template_dir = tmp_path / "templates"
    (template_dir / "slots").mkdir(parents=True)
    (template_dir / "slots" / "test_slot.html").write_text(
        '<section class="test-slot"><h2>Ближайшие мероприятия</h2>{{ slot.title }}</section>'
    )
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], template_dir]}]
    saved = dict(slots.HOME_SLOTS)
    slots.register_home_slot("test-full", 99, "slots/test_slot.html", lambda request, page: {"title": "Семинар"})
    slots.register_home_slot("test-empty", 98, "slots/test_slot.html", lambda request, page: {})
    engines._engines = {}
    yield
    slots.HOME_SLOTS.clear()
    slots.HOME_SLOTS.update(saved)


def test_registered_slots_render_and_empty_ones_are_left_out(client, home_page, test_slot):
    sections = soup_of(client).select(".test-slot")
    assert [s.get_text(" ", strip=True) for s in sections] == ["Ближайшие мероприятия Семинар"]


def test_standard_page_shows_lead_body_and_subpages(client, home_page):
    parent = make_standard_page(
        home_page,
        "Повышение квалификации",
        slug="pk",
        lead="Курсы и семинары.",
        body=[("paragraph", RichText("<p>Как записаться</p>"))],
    )
    make_standard_page(parent, "Каталог курсов", slug="katalog")
    soup = soup_of(client, "/pk/")
    assert soup.h1.get_text() == "Повышение квалификации"
    assert soup.select_one(".lead").get_text() == "Курсы и семинары."
    assert "Как записаться" in soup.select_one(".prose").get_text()
    assert [a["href"] for a in soup.select(".subpages a")] == ["/pk/katalog/"]


def test_news_block_comes_first_and_the_home_page_links_the_rss(client, home_page):
    """The news block is news's home slot (core/slots.py): before the other slots, with the feed in <head>."""
    from core.slots import HOME_SLOTS

    assert min(HOME_SLOTS.values(), key=lambda slot: slot.order).name == "news"
    make_news(make_news_index(home_page), "Новость", datetime.date(2026, 11, 1))
    soup = soup_of(client)
    assert soup.select_one('head link[type="application/rss+xml"]')["href"] == "/news/rss/"
    assert soup.select_one("#news-heading").get_text() == "Новости"

"""Shared chrome of every page: main menu, breadcrumbs, footer from site settings, age mark.

The chrome costs a constant number of queries, whatever the size of the page tree.
"""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.models import SiteSettings
from home.models import StandardPage
from tests.home.factories import StandardPageFactory

pytestmark = pytest.mark.django_db


def add(parent, title, slug, in_menu=False, **fields):
    return StandardPageFactory(parent=parent, title=title, slug=slug, show_in_menus=in_menu, **fields)


def queries(client, url, cold=True):
    """Queries for one request; cold: with the shared cache emptied first (menu and settings rebuilt)."""
    client.get(url)  # warm per-process caches (content types)
    if cold:
        cache.clear()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


@pytest.fixture
def site_settings(site):
    s = SiteSettings.for_site(site)
    s.address = "191024, Санкт-Петербург, Невский пр., д. 154"
    s.phone = "(812) 717-04-72"
    s.phone_extra = "8 (812) 717-16-04"
    s.email = "imc@example.ru"
    s.work_time = "Пн–Пт 9:00–18:00"
    s.vk_url = "https://vk.com/imc_example"
    s.ok_url = "https://ok.ru/imc_example"
    s.age_mark = "6+"
    s.save()
    return s


def test_menu_lists_live_in_menu_children_of_the_root(client, home_page):
    add(home_page, "Повышение квалификации", "kursy", in_menu=True)
    add(home_page, "Скрытая страница", "skrytaya", in_menu=False)
    draft = StandardPage(title="Черновик в меню", slug="chernovik", show_in_menus=True, live=False)
    home_page.add_child(instance=draft)
    html = client.get("/").content.decode()
    nav = html[html.index('aria-label="Главное меню"') :]
    nav = nav[: nav.index("</nav>")]
    assert "Повышение квалификации" in nav
    assert "Скрытая страница" not in nav
    assert "Черновик в меню" not in nav


def test_menu_marks_the_current_section(client, home_page):
    section = add(home_page, "ЕГЭ/ОГЭ", "ege-oge", in_menu=True)
    child = add(section, "Расписание", "raspisanie")
    html = client.get(child.url).content.decode()
    assert f'<a href="{section.url}" aria-current="true">' in html
    html = client.get(section.url).content.decode()
    assert f'<a href="{section.url}" aria-current="page">' in html


def test_menu_and_breadcrumb_queries_do_not_grow_with_the_tree(client, home_page):
    section = add(home_page, "Раздел", "razdel", in_menu=True)
    deep = add(add(add(section, "Уровень 2", "l2"), "Уровень 3", "l3"), "Уровень 4", "l4")
    shallow = add(section, "Неглубокая", "shallow")
    before_home, before_deep, before_shallow = (
        queries(client, "/"),
        queries(client, deep.url),
        queries(client, shallow.url),
    )
    for n in range(12):
        add(home_page, f"Раздел меню {n}", f"menu-{n}", in_menu=True)
        add(section, f"Подстраница {n}", f"sub-{n}")
    assert queries(client, "/") == before_home
    assert queries(client, deep.url) == before_deep
    # warm: the menu and the site settings come from the shared cache
    assert queries(client, shallow.url, cold=False) <= before_shallow - 3


def test_breadcrumbs_cost_one_query_however_deep_the_page(home_page, rf, django_assert_num_queries):
    from django.template import Context, Template

    page = home_page
    for level in range(6):
        page = add(page, f"Уровень {level}", f"uroven-{level}")
    template = Template("{% load core_tags %}{% breadcrumbs %}")
    request = rf.get(page.url)
    page.get_url(request)  # site root paths, cached per request
    with django_assert_num_queries(1):
        html = template.render(Context({"page": page, "request": request}))
    assert html.count("<li>") == 7


def test_breadcrumbs_show_the_path_from_home(client, home_page):
    section = add(home_page, "Олимпиадное движение", "olimpiady")
    page = add(section, "Региональный этап", "regionalnyy")
    html = client.get(page.url).content.decode()
    crumbs = html[html.index('aria-label="Навигационная цепочка"') :]
    crumbs = crumbs[: crumbs.index("</nav>")]
    assert crumbs.index("Главная") < crumbs.index("Олимпиадное движение") < crumbs.index("Региональный этап")
    assert '<span aria-current="page">Региональный этап</span>' in crumbs


def test_home_page_has_no_breadcrumbs(client, home_page):
    assert 'aria-label="Навигационная цепочка"' not in client.get("/").content.decode()


def test_footer_shows_contacts_and_official_pages_from_settings(client, home_page, site_settings):
    html = client.get("/").content.decode()
    footer = html[html.index("<footer") :]
    assert "191024, Санкт-Петербург, Невский пр., д. 154" in footer
    assert '<a href="tel:+78127170472">(812) 717-04-72</a>' in footer
    assert '<a href="tel:+78127171604">8 (812) 717-16-04</a>' in footer
    assert '<a href="mailto:imc@example.ru">imc@example.ru</a>' in footer
    assert 'href="https://vk.com/imc_example"' in footer and "ВКонтакте" in footer
    assert 'href="https://ok.ru/imc_example"' in footer and "Одноклассники" in footer
    assert "gosuslugi.ru" in footer
    assert "Сведения об образовательной организации" in footer


def test_age_mark_from_settings_with_a_per_page_override(client, home_page, site_settings):
    plain = add(home_page, "Обычная", "obychnaya")
    adult = add(home_page, "Для родителей", "roditelyam", age_mark="16+")
    assert '<span class="age-mark">6+</span>' in client.get(plain.url).content.decode()
    assert '<span class="age-mark">16+</span>' in client.get(adult.url).content.decode()


@pytest.mark.parametrize(
    ("phone", "href"),
    [("(812) 717-04-72", "+78127170472"), ("8 (812) 717-16-04", "+78127171604"), ("+7 812 000-00-00", "+78120000000")],
)
def test_tel_href(phone, href):
    from core.templatetags.core_tags import tel_href

    assert tel_href(phone) == href

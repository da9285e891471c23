"""The header search box as the server sends it (issue 13, as-you-type): a plain GET form that works
without JavaScript, the suggestion script on every page, and the empty listbox and status line the
script fills. The combobox role and states are the script's to set: without JavaScript no list can
open, so the server must not announce one. What the script does is tests/browser/test_search_browser.py."""

import re

import pytest
from bs4 import BeautifulSoup
from wagtail.rich_text import RichText

from tests.news.factories import make_standard_page

pytestmark = pytest.mark.django_db

COMBOBOX_ATTRIBUTES = ("role", "aria-expanded", "aria-controls", "aria-activedescendant", "aria-autocomplete")


def soup_of(client, path, status=200):
    response = client.get(path)
    assert response.status_code == status, (path, response.status_code)
    return BeautifulSoup(response.content, "html.parser")


@pytest.fixture
def webinars(home_page):
    return make_standard_page(
        home_page,
        "Вебинары для воспитателей",
        slug="vebinary",
        body=[("paragraph", RichText("<p>Расписание вебинаров на неделю.</p>"))],
    )


PATHS = [("/", 200), ("/vebinary/", 200), ("/search/?q=вебинар", 200), ("/net-takoy-stranicy/", 404)]


@pytest.mark.parametrize(("path", "status"), PATHS, ids=["home", "page", "search", "404"])
def test_every_page_has_the_search_box_and_its_script(client, webinars, path, status):
    soup = soup_of(client, path, status)
    form = soup.select_one("header.site-header form.site-search")
    assert form["action"] == "/search/" and form["method"] == "get" and form["role"] == "search"
    box = form.select_one("input#site-search-q")
    assert box["name"] == "q" and box["type"] == "search"
    assert soup.select_one(f'label[for="{box["id"]}"]').get_text(strip=True) == "Поиск по сайту"
    assert form.select_one('button[type="submit"]').get_text(strip=True) == "Найти"
    scripts = soup.find_all("script", src=re.compile(r"/static/js/search-suggest\.js$"))
    assert len(scripts) == 1 and scripts[0].has_attr("defer")


def test_the_listbox_and_the_status_line_are_rendered_empty_and_silent(client, webinars):
    soup = soup_of(client, "/")
    form = soup.select_one("form.site-search")
    listbox = soup.find(id=form["data-suggest-list"])
    assert listbox is not None and listbox.name == "ul" and listbox.find_parent("form") is form
    assert listbox["role"] == "listbox" and listbox["aria-label"] == "Подсказки"
    assert listbox.has_attr("hidden") and not listbox.find_all(True) and not listbox.get_text(strip=True)
    status = soup.find(id=form["data-suggest-status"])
    assert status["role"] == "status" and status["aria-live"] == "polite" and status["aria-atomic"] == "true"
    assert "visually-hidden" in status["class"] and status.get_text(strip=True) == ""
    # Ids are unique: the script finds exactly these.
    for element_id in ("site-search-q", form["data-suggest-list"], form["data-suggest-status"]):
        assert len(soup.select(f"#{element_id}")) == 1


@pytest.mark.parametrize("path", ["/", "/search/?q=вебинар"])
def test_without_javascript_no_input_announces_a_popup(client, webinars, path):
    """role=combobox, aria-expanded and the rest appear only when the script runs; the browser's own
    autocomplete stays on for visitors without it."""
    soup = soup_of(client, path)
    for box in soup.select("input[type=search]"):
        assert not [name for name in COMBOBOX_ATTRIBUTES if box.has_attr(name)], box
        assert not box.has_attr("autocomplete")
    assert not soup.select('[role="combobox"], [role="option"], [aria-activedescendant]')
    # One listbox on the page: the header's. The search page's own form is not enhanced.
    assert [element["id"] for element in soup.select('[role="listbox"]')] == ["site-search-listbox"]


def test_the_box_keeps_the_query_on_the_results_page(client, webinars):
    soup = soup_of(client, "/search/?q=вебинары+для")
    assert soup.select_one("#site-search-q")["value"] == "вебинары для"
    assert soup.select_one("#search-page-q")["value"] == "вебинары для"


def test_the_address_the_script_asks_answers_titles_with_their_sections(client, webinars):
    form = soup_of(client, "/").select_one("form.site-search")
    response = client.get(form["data-suggest-url"], {"q": "вебин"})
    assert response.status_code == 200 and response["Content-Type"].startswith("application/json")
    suggestions = response.json()["suggestions"]
    assert suggestions and suggestions[0]["title"] == "Вебинары для воспитателей"
    assert suggestions[0]["url"] == "/vebinary/" and suggestions[0]["section"]


def test_the_script_and_the_results_stylesheet_are_served(client, webinars):
    soup = soup_of(client, "/search/?q=вебинар")
    stylesheet = soup.find("link", rel="stylesheet", href=re.compile(r"/static/search/search\.css$"))
    assert stylesheet is not None
    assert soup.select_one(".search-layout.search-layout--with-facets > nav.search-facets") is not None
    script = soup.find("script", src=re.compile(r"search-suggest\.js$"))
    for url in (script["src"], stylesheet["href"]):
        response = client.get(url)
        assert response.status_code == 200, url
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert len(body) > 500, url

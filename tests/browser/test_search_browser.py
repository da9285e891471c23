"""Site search in real Chromium over the demo (issue 13): suggestions as you type in the header box,
chosen with the keyboard (the WAI-ARIA combobox pattern) or a tap on a 320 px phone; the results page
filtered by section with the query kept and the found words highlighted; axe-core clean with the
results and with the suggestion list open; the box without JavaScript is the plain form it always was."""

import re
from urllib.parse import parse_qs, unquote, urlsplit

from .conftest import axe_violations

BOX = "#site-search-q"
LISTBOX = "#site-search-listbox"
OPTIONS = "#site-search-listbox [role=option]"
PREFIX = "вебин"  # the demo's webinars: events, documents, practices, a methodist


def _type_and_wait(tab, text):
    tab.locator(BOX).click()
    tab.locator(BOX).fill("")
    tab.keyboard.type(text)
    tab.wait_for_selector(f"{LISTBOX}:not([hidden]) [role=option]")


def _state(tab) -> dict:
    return tab.evaluate(
        """() => { const box = document.getElementById('site-search-q');
        const list = document.getElementById('site-search-listbox');
        const active = box.getAttribute('aria-activedescendant');
        return {role: box.getAttribute('role'), expanded: box.getAttribute('aria-expanded'),
                controls: box.getAttribute('aria-controls'), autocomplete: box.getAttribute('aria-autocomplete'),
                active: active, hidden: list.hidden, focused: document.activeElement.id,
                selected: [...list.querySelectorAll('[aria-selected=true]')].map(o => o.id),
                activeText: active ? document.getElementById(active).innerText : null,
                status: document.getElementById('site-search-status').textContent,
                value: box.value}; }"""
    )


def _options(tab) -> list[dict]:
    return tab.eval_on_selector_all(
        OPTIONS,
        """items => items.map(o => ({id: o.id, role: o.getAttribute('role'),
            title: o.querySelector('.site-search__option-title').innerText,
            section: (o.querySelector('.site-search__option-section') || {}).innerText || '',
            name: o.textContent}))""",
    )


def test_a_prefix_suggests_pages_and_arrow_down_enter_opens_the_chosen_one(page):
    asked = []
    page.on("request", lambda request: asked.append(request.url) if "/search/suggest/" in request.url else None)
    page.goto("/")
    state = _state(page)
    assert (state["role"], state["expanded"], state["controls"]) == ("combobox", "false", "site-search-listbox")
    assert state["autocomplete"] == "list" and state["hidden"] and state["active"] is None

    _type_and_wait(page, PREFIX)
    options = _options(page)
    state = _state(page)
    assert len(options) >= 3
    assert state["expanded"] == "true" and state["active"] is None and state["focused"] == "site-search-q"
    assert state["status"] == f"Найдено подсказок: {len(options)}"
    assert all(option["role"] == "option" and option["title"] and option["section"] for option in options)
    assert all(PREFIX in option["title"].lower() for option in options)
    assert "Календарь мероприятий" in {option["section"] for option in options}
    # Each option is read as its title and its section.
    assert options[0]["name"] == f"{options[0]['title']}, раздел: {options[0]['section']}"
    # Debounced: one request for the whole prefix, none for «веб», «веби».
    page.wait_for_timeout(400)
    assert [parse_qs(urlsplit(url).query)["q"] for url in asked] == [[PREFIX]]

    # ArrowDown moves into the list, ArrowUp back; the focus stays in the box (aria-activedescendant).
    page.keyboard.press("ArrowDown")
    assert _state(page)["active"] == options[0]["id"] == _state(page)["selected"][0]
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowUp")
    state = _state(page)
    assert state["active"] == options[0]["id"] and state["selected"] == [options[0]["id"]]
    assert state["focused"] == "site-search-q" and state["value"] == PREFIX

    # The first suggestion that is a page (not a document to download), chosen with the keyboard.
    target = next(i for i, option in enumerate(options) if option["section"] != "Документы")
    for _ in range(target):
        page.keyboard.press("ArrowDown")
    assert _state(page)["active"] == options[target]["id"]
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_load_state()
    assert "/search/" not in page.url
    assert page.locator("h1").inner_text() == options[target]["title"]


def test_escape_closes_the_list_tab_leaves_and_enter_without_a_choice_searches(page):
    """Keyboard only: Tab to the box, type, move, close, reopen, leave."""
    page.goto("/")
    for _ in range(12):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "site-search-q":
            break
    assert page.evaluate("document.activeElement.id") == "site-search-q"
    page.keyboard.type("олимп")
    page.wait_for_selector(f"{LISTBOX}:not([hidden]) [role=option]")
    page.keyboard.press("ArrowDown")
    assert _state(page)["active"]

    page.keyboard.press("Escape")
    state = _state(page)
    assert state["hidden"] and state["expanded"] == "false" and state["active"] is None and state["selected"] == []
    assert state["focused"] == "site-search-q" and state["value"] == "олимп"
    assert not page.locator(LISTBOX).is_visible()

    # ArrowDown opens the list again on its first option; Tab leaves the box for «Найти», list closed.
    page.keyboard.press("ArrowDown")
    state = _state(page)
    assert not state["hidden"] and state["expanded"] == "true" and state["active"] == _options(page)[0]["id"]
    page.keyboard.press("Tab")
    state = _state(page)
    assert state["hidden"] and state["expanded"] == "false" and state["active"] is None
    assert page.evaluate("document.activeElement.textContent.trim()") == "Найти"
    assert urlsplit(page.url).path == "/"

    # Back in the box with nothing chosen, Enter is the ordinary search for the text typed.
    page.keyboard.press("Shift+Tab")
    assert page.evaluate("document.activeElement.id") == "site-search-q"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert urlsplit(page.url).path == "/search/" and unquote(urlsplit(page.url).query) == "q=олимп"
    assert page.locator(".search-summary").inner_text().startswith("По запросу «олимп» найдено:")


def test_facets_filter_the_list_keep_the_query_and_the_words_found_are_marked(page):
    page.goto("/search/?q=вебинар")
    assert page.locator(".search-result").count() > 0
    everything = int(re.search(r"найдено: (\d+)", page.locator(".search-summary").inner_text()).group(1))

    # On a wide screen the filters are a sidebar left of the results.
    facets = page.locator("nav.search-facets").bounding_box()
    results = page.locator(".search-layout__results").bounding_box()
    assert facets["x"] + facets["width"] <= results["x"] and abs(facets["y"] - results["y"]) < 40

    marks = page.locator(".search-result__snippet mark")
    assert marks.count() >= 3
    assert all(text.lower().startswith("вебинар") for text in marks.all_inner_texts())
    look = marks.first.evaluate(
        """m => { const s = getComputedStyle(m);
        return {color: s.color, background: s.backgroundColor, weight: parseInt(s.fontWeight, 10)}; }"""
    )
    assert look["background"] != "rgba(0, 0, 0, 0)" and contrast(look["color"], look["background"]) >= 4.5, look
    assert look["weight"] >= 600  # not by colour alone
    assert axe_violations(page) == []

    facet = page.locator("nav.search-facets a", has_text="Календарь мероприятий")
    expected = int(facet.locator(".search-facets__count").inner_text())
    assert 0 < expected < everything
    with page.expect_navigation():
        facet.click()
    query = parse_qs(urlsplit(page.url).query)
    assert query == {"q": ["вебинар"], "section": ["events"]}
    assert page.locator(BOX).input_value() == "вебинар"
    assert page.locator("#search-page-q").input_value() == "вебинар"
    assert page.locator(".search-summary").inner_text().endswith(f"найдено: {expected}")
    metas = page.locator(".search-result__meta").all_inner_texts()
    assert len(metas) == expected and all(meta.startswith("Календарь мероприятий") for meta in metas)
    current = page.locator('nav.search-facets [aria-current="true"]', has_text="Календарь мероприятий")
    assert current.count() == 1
    assert page.locator(".search-result__snippet mark").count() >= 1
    assert axe_violations(page) == []


def test_axe_finds_nothing_with_the_suggestion_list_open(page):
    page.goto("/search/?q=курсы")
    _type_and_wait(page, PREFIX)
    page.keyboard.press("ArrowDown")
    assert page.locator(OPTIONS).first.is_visible()
    assert axe_violations(page) == []
    # A click on a suggestion opens it.
    option = page.locator(OPTIONS).filter(has_not_text="Документы").first
    title = option.locator(".site-search__option-title").inner_text()
    with page.expect_navigation():
        option.click()
    assert page.locator("h1").inner_text() == title


def test_on_a_320_px_phone_the_list_fits_and_a_tap_opens_a_suggestion(browser, live_site):
    context = browser.new_context(
        viewport={"width": 320, "height": 640}, locale="ru-RU", base_url=live_site, is_mobile=True, has_touch=True
    )
    tab = context.new_page()
    try:
        tab.goto("/")
        tab.locator(BOX).tap()
        tab.keyboard.type(PREFIX)
        tab.wait_for_selector(f"{LISTBOX}:not([hidden]) [role=option]")
        box = tab.locator(LISTBOX).bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 320 and box["width"] >= 260
        assert box["y"] + box["height"] <= 640  # the list scrolls inside the screen
        assert tab.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") == 0
        option = tab.locator(OPTIONS).filter(has_not_text="Документы").first
        assert option.bounding_box()["height"] >= 44
        title = option.locator(".site-search__option-title").inner_text()
        with tab.expect_navigation():
            option.tap()
        assert tab.locator("h1").inner_text() == title

        # The results page on the phone: the filters above the list, nothing wider than the screen.
        tab.goto("/search/?q=вебинар")
        facets = tab.locator("nav.search-facets").bounding_box()
        first = tab.locator(".search-result").first.bounding_box()
        assert facets["y"] + facets["height"] <= first["y"]
        assert tab.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") == 0
        assert axe_violations(tab) == []
    finally:
        context.close()


def test_without_javascript_the_box_is_the_plain_search_form(browser, live_site):
    context = browser.new_context(locale="ru-RU", base_url=live_site, java_script_enabled=False)
    tab = context.new_page()
    try:
        tab.goto("/")
        assert tab.locator(BOX).get_attribute("role") is None
        assert not tab.locator(LISTBOX).is_visible()
        tab.locator(BOX).fill("вебинар")
        with tab.expect_navigation():
            tab.locator(BOX).press("Enter")
        assert parse_qs(urlsplit(tab.url).query) == {"q": ["вебинар"]}
        assert tab.locator(".search-result").count() > 0
        assert tab.locator(BOX).input_value() == "вебинар"
    finally:
        context.close()


def _luminance(rgb: str) -> float:
    channels = [int(value) / 255 for value in re.findall(r"\d+", rgb)[:3]]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)

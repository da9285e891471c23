"""The atlas of practices in real Chromium: filter by level and type, open a practice, follow one of its
facets back into the catalogue — axe-clean, by keyboard, on a phone and without JavaScript."""

import re

from .conftest import PHONE, axe_violations


def _count(tab) -> int:
    text = tab.locator("[data-atlas-count]").inner_text()
    return int(re.search(r"Найдено практик: (\d+)", text).group(1))


def test_filter_open_a_practice_and_follow_a_facet_back(page):
    page.goto("/atlas/")
    assert page.locator("h1").inner_text() == "Атлас педагогических практик"
    everything = _count(page)
    assert everything >= 25
    assert axe_violations(page) == []

    # With JavaScript the results follow each tick without a reload, and the address follows too.
    page.evaluate("window.__sameDocument = true")
    page.get_by_role("checkbox", name=re.compile(r"^Дошкольное образование")).first.check()
    page.wait_for_url(re.compile(r"level=doshkolnoe"))
    page.get_by_role("checkbox", name=re.compile(r"^Поддержка семьи")).check()
    page.wait_for_url(re.compile(r"type=podderzhka-semi"))
    page.wait_for_function("() => !document.getElementById('atlas-results').hasAttribute('aria-busy')")
    assert page.evaluate("window.__sameDocument") is True  # no reload happened
    narrowed = _count(page)
    assert 0 < narrowed < everything
    assert "Поддержка семьи" in page.locator(".atlas-chosen").inner_text()
    assert page.locator("#atlas-announce").inner_text().startswith("Найдено практик:")
    assert axe_violations(page) == []

    # «Назад» returns to the previous choice
    page.go_back()
    page.wait_for_url(re.compile(r"level=doshkolnoe(?!.*type=)"))
    page.wait_for_function("() => !document.querySelector('#f-type-podderzhka-semi')?.checked")
    page.go_forward()
    page.wait_for_url(re.compile(r"type=podderzhka-semi"))
    page.wait_for_function("() => document.querySelector('#f-type-podderzhka-semi')?.checked")

    first = page.locator(".atlas-cards .card__title a").first
    title = first.inner_text()
    first.click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == title
    assert page.locator("nav.breadcrumbs").get_by_role("link", name="Атлас педагогических практик").is_visible()
    assert axe_violations(page) == []

    page.locator(".practice-facets").get_by_role("link", name="Поддержка семьи").click()
    page.wait_for_url(re.compile(r"/atlas/\?type=podderzhka-semi$"))
    assert page.locator("#f-type-podderzhka-semi").is_checked()
    assert page.locator(".atlas-cards").get_by_role("link", name=title).count() == 1
    assert axe_violations(page) == []


def test_keyboard_ticks_keep_the_focus_and_update_the_results(page):
    page.goto("/atlas/")
    box = page.locator("#f-format-online")
    box.focus()
    page.keyboard.press("Space")
    page.wait_for_url(re.compile(r"format=online"))
    page.wait_for_function("() => document.activeElement && document.activeElement.id === 'f-format-online'")
    assert box.is_checked()
    # the text search: typed, then Enter
    page.locator("#atlas-q").fill("расписание")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"q=%D1%80%D0%B0%D1%81"))
    page.wait_for_function("() => !document.getElementById('atlas-results').hasAttribute('aria-busy')")
    assert _count(page) >= 1
    # every card link is reachable with Tab
    page.locator(".atlas-cards .card__title a").first.focus()
    assert page.evaluate("document.activeElement.closest('.atlas-cards') !== null")


def test_catalogue_and_practice_on_a_phone(browser, live_site):
    context = browser.new_context(viewport=PHONE, locale="ru-RU", base_url=live_site, is_mobile=True, has_touch=True)
    tab = context.new_page()
    try:
        for url in (
            "/atlas/?level=doshkolnoe&type=podderzhka-semi",
            "/atlas/onlajnshkola-174/",
            "/atlas/distancionnoe-obuchenie-2020/",
        ):
            tab.goto(url)
            assert tab.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], url
            assert axe_violations(tab) == [], url
            if url == "/atlas/onlajnshkola-174/":
                # the video is a link until pressed: no request to the hosting on load
                assert tab.locator("[data-embed-play]").count() == 1
                assert tab.locator("iframe").count() == 0
    finally:
        context.close()


def test_the_form_works_without_javascript(browser, live_site):
    context = browser.new_context(locale="ru-RU", base_url=live_site, java_script_enabled=False)
    tab = context.new_page()
    try:
        tab.goto("/atlas/")
        tab.get_by_role("checkbox", name=re.compile(r"^Начальное общее образование")).check()
        tab.get_by_role("checkbox", name=re.compile(r"^Организация учебного процесса")).check()
        tab.get_by_role("button", name="Показать практики").click()
        tab.wait_for_url(re.compile(r"level=nachalnoe-obshchee"))
        assert "type=organizaciya-obucheniya" in tab.url
        assert _count(tab) >= 1
        assert tab.locator("#f-level-nachalnoe-obshchee").is_checked()
    finally:
        context.close()

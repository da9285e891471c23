"""The shared design system in real Chromium: keyboard use, the low-vision version, small screens,
the menu without JavaScript, and axe-core over every page the sitemap lists."""

import re
from urllib.parse import urlsplit
from xml.etree import ElementTree

import pytest

from core.lowvision import OPTIONS

from .conftest import PHONE, axe_violations

SCHEMES = [value for value, _label in OPTIONS["scheme"]]
LARGEST = "size-200.scheme-wb.font-sans.images-on.spacing-widest.line-widest.embeds-on"
# computed colours each scheme must produce (text, background)
SCHEME_COLOURS = {
    "bw": ("rgb(0, 0, 0)", "rgb(255, 255, 255)"),
    "wb": ("rgb(255, 255, 255)", "rgb(0, 0, 0)"),
    "blue": ("rgb(6, 52, 98)", "rgb(157, 209, 255)"),
    "brown": ("rgb(77, 75, 67)", "rgb(247, 243, 214)"),
    "green": ("rgb(169, 228, 77)", "rgb(59, 39, 22)"),
}


def lv_cookie(scheme="bw", size="100"):
    return f"size-{size}.scheme-{scheme}.font-sans.images-on.spacing-normal.line-normal.embeds-on"


@pytest.fixture
def new_tab(browser, live_site):
    """new_tab(viewport=..., cookie=..., javascript=...) → a tab in a fresh context."""
    contexts = []

    def make(viewport=None, cookie=None, javascript=True, mobile=False):
        context = browser.new_context(
            viewport=viewport or {"width": 1280, "height": 900},
            locale="ru-RU",
            base_url=live_site,
            java_script_enabled=javascript,
            is_mobile=mobile,
            has_touch=mobile,
        )
        if cookie:
            context.add_cookies([{"name": "lv", "value": cookie, "url": live_site}])
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


@pytest.fixture(scope="module")
def sitemap_paths(live_site):
    import urllib.request

    with urllib.request.urlopen(live_site + "/sitemap.xml", timeout=30) as response:  # noqa: S310 — our live server
        tree = ElementTree.fromstring(response.read())  # noqa: S314 — our own sitemap
    namespace = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    paths = []
    for loc in tree.findall(".//sm:loc", namespace):
        parts = urlsplit(loc.text.strip())
        paths.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    assert "/" in paths
    return paths


def horizontal_overflow(tab) -> int:
    return tab.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")


def focused(tab) -> dict:
    return tab.evaluate(
        """() => { const el = document.activeElement; const s = getComputedStyle(el);
        return {tag: el.tagName, id: el.id, cls: el.className, text: (el.textContent || '').trim(),
                href: el.getAttribute('href'), outlineStyle: s.outlineStyle,
                outlineWidth: parseFloat(s.outlineWidth), boxShadow: s.boxShadow,
                inNav: !!el.closest('nav[aria-label="Главное меню"]')}; }"""
    )


# --- keyboard --------------------------------------------------------------------------------------


def test_first_tab_reaches_the_skip_link_and_it_moves_focus_to_main(page):
    page.goto("/")
    page.keyboard.press("Tab")
    first = focused(page)
    assert first["cls"] == "skip-link"
    assert first["text"] == "Перейти к содержанию"
    assert page.locator(".skip-link").is_visible()  # shown on focus
    page.keyboard.press("Enter")
    assert focused(page)["id"] == "main"
    assert page.url.endswith("#main")


def test_focus_is_clearly_visible(page):
    page.goto("/")
    page.keyboard.press("Tab")
    for _ in range(6):
        page.keyboard.press("Tab")
        state = focused(page)
        if state["tag"] in ("A", "BUTTON", "INPUT", "SUMMARY"):
            assert state["outlineStyle"] != "none" and state["outlineWidth"] >= 2, state


def test_every_main_menu_link_is_reachable_by_keyboard(page):
    page.goto("/")
    expected = page.locator(".main-nav__wide a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert len(expected) >= 3
    reached = []
    for _ in range(60):
        page.keyboard.press("Tab")
        state = focused(page)
        if state["inNav"] and state["tag"] == "A":
            reached.append(state["href"])
        if state["tag"] == "MAIN" or len(reached) == len(expected):
            break
    assert reached == expected


def test_keyboard_user_can_open_the_low_vision_panel(page):
    page.goto("/")
    page.keyboard.press("Tab")  # skip link
    page.keyboard.press("Tab")  # the panel's summary
    assert focused(page)["tag"] == "SUMMARY"
    page.keyboard.press("Enter")
    assert page.locator(".lv-panel__details").evaluate("d => d.open")
    assert page.get_by_role("button", name="Применить").first.is_visible()


# --- the low-vision version ------------------------------------------------------------------------


def test_low_vision_choice_applies_and_survives_a_reload(page):
    page.goto("/")
    page.get_by_text("Версия для слабовидящих", exact=True).first.click()
    panel = page.locator(".lv-panel")
    panel.get_by_label("200 %").check()
    panel.get_by_label("Белым по чёрному").check()
    panel.get_by_label("С засечками").check()
    panel.get_by_role("button", name="Применить").click()
    page.wait_for_load_state()
    assert urlsplit(page.url).path == "/"

    for _ in range(2):
        classes = page.evaluate("document.documentElement.className")
        assert {"lv", "lv-size-200", "lv-scheme-wb", "lv-font-serif"} <= set(classes.split())
        style = page.evaluate(
            """() => { const b = getComputedStyle(document.body), h = getComputedStyle(document.documentElement);
            return {fontSize: h.fontSize, color: b.color, background: b.backgroundColor, font: b.fontFamily}; }"""
        )
        assert style["fontSize"] == "32px"
        assert style["color"] == "rgb(255, 255, 255)"
        assert style["background"] == "rgb(0, 0, 0)"
        assert style["font"].split(",")[0] == '"PT Serif"', style["font"]  # --font-serif, not sans-serif
        page.reload()

    page.get_by_role("link", name="Обычная версия сайта").first.click()
    page.wait_for_load_state()
    assert page.evaluate("document.documentElement.className") == ""
    assert page.evaluate("getComputedStyle(document.documentElement).fontSize") == "16px"


@pytest.mark.parametrize("scheme", SCHEMES)
def test_each_colour_scheme_is_applied(new_tab, scheme):
    tab = new_tab(cookie=lv_cookie(scheme))
    tab.goto("/")
    text, background = SCHEME_COLOURS[scheme]
    for selector in ("body", ".site-footer", ".main-nav"):
        style = tab.locator(selector).first.evaluate(
            "el => ({color: getComputedStyle(el).color, bg: getComputedStyle(el).backgroundColor})"
        )
        assert style == {"color": text, "bg": background}, (selector, style)


def test_images_off_and_embeds_off(new_tab):
    tab = new_tab(cookie="size-100.scheme-bw.font-sans.images-off.spacing-normal.line-normal.embeds-off")
    tab.goto("/")
    visible_images = tab.evaluate(
        "[...document.querySelectorAll('main img')].filter(i => getComputedStyle(i).display !== 'none').length"
    )
    assert visible_images == 0


def test_images_grey(new_tab):
    tab = new_tab(cookie="size-100.scheme-bw.font-sans.images-grey.spacing-normal.line-normal.embeds-on")
    tab.goto("/")
    images = tab.locator("main img")
    assert images.count() > 0  # the demo's home page shows news images
    assert "grayscale(1)" in images.first.evaluate("i => getComputedStyle(i).filter")


@pytest.mark.parametrize("path", ["/", "/news/", "/sveden/", "/lv/", "/search/?q=курсы", "/net-takoy-stranicy/"])
def test_no_horizontal_scroll_at_320px_with_200_percent_text(new_tab, path):
    tab = new_tab(viewport={"width": 320, "height": 640}, cookie=LARGEST, mobile=True)
    tab.goto(path)
    assert tab.evaluate("getComputedStyle(document.documentElement).fontSize") == "32px"
    assert horizontal_overflow(tab) <= 0


def test_no_horizontal_scroll_at_320px_on_every_page_type(new_tab, sitemap_paths):
    tab = new_tab(viewport={"width": 320, "height": 640}, cookie=LARGEST, mobile=True)
    overflowing = {}
    for path in representative(sitemap_paths):
        tab.goto(path)
        overflow = horizontal_overflow(tab)
        if overflow > 0:
            overflowing[path] = overflow
    assert overflowing == {}


# --- small screens and no JavaScript ---------------------------------------------------------------


def test_phone_menu_is_collapsed_and_opens_without_javascript(new_tab):
    tab = new_tab(viewport=PHONE, javascript=False, mobile=True)
    tab.goto("/")
    nav = tab.get_by_role("navigation", name="Главное меню")
    toggle = nav.locator("summary")
    assert toggle.is_visible()
    links = nav.locator(".main-nav__phone a")
    assert links.count() >= 3
    assert not links.first.is_visible()
    toggle.click()
    assert links.first.is_visible()
    href = links.first.get_attribute("href")
    links.first.click()
    tab.wait_for_load_state()
    assert urlsplit(tab.url).path == href


def test_desktop_menu_is_open_without_a_toggle(page):
    page.goto("/")
    nav = page.get_by_role("navigation", name="Главное меню")
    assert not nav.locator("summary").is_visible()
    assert nav.locator(".main-nav__wide a").first.is_visible()


def test_low_vision_form_works_without_javascript(new_tab):
    tab = new_tab(viewport=PHONE, javascript=False, mobile=True)
    tab.goto("/lv/?next=/news/")
    tab.get_by_label("150 %").check()
    tab.get_by_label("Коричневым по бежевому").check()
    tab.get_by_role("button", name="Применить").click()
    tab.wait_for_load_state()
    assert urlsplit(tab.url).path == "/news/"
    assert "lv-scheme-brown" in tab.evaluate("document.documentElement.className")


def test_reading_works_without_javascript(new_tab, sitemap_paths):
    tab = new_tab(javascript=False)
    for path in representative(sitemap_paths)[:8]:
        response = tab.goto(path)
        assert response.status == 200, path
        assert tab.locator("main h1").first.inner_text().strip(), path


# --- axe-core ----------------------------------------------------------------------------------------


def representative(paths, per_section=3):
    """A few pages of each top-level section (the axe test below still visits every one)."""
    chosen, seen = [], {}
    for path in paths:
        section = path.strip("/").split("/")[0]
        if seen.get(section, 0) < per_section:
            seen[section] = seen.get(section, 0) + 1
            chosen.append(path)
    return chosen


def test_axe_reports_no_violations_on_any_page_in_the_sitemap(public_walk):
    """axe-core ran on each sitemap page during the shared walk (conftest.public_walk)."""
    statuses = {path: public_walk.statuses[path] for path in public_walk.sitemap}
    problems = {path: [f"HTTP {status}"] for path, status in statuses.items() if status != 200}
    problems.update({path: violations for path, violations in public_walk.axe.items() if violations})
    assert len(public_walk.sitemap) > 20
    assert problems == {}, "\n".join(f"{path}: {v}" for path, vs in problems.items() for v in vs)


@pytest.mark.parametrize("scheme", SCHEMES)
def test_axe_reports_no_violations_in_each_colour_scheme(new_tab, scheme, sitemap_paths):
    tab = new_tab(cookie=lv_cookie(scheme, size="150"))
    problems = {}
    news = [p for p in sitemap_paths if re.match(r"^/news/[^/]+/$", p)][:1]
    for path in ["/lv/", "/", *news, "/net-takoy-stranicy/"]:
        tab.goto(path)
        tab.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
        violations = axe_violations(tab)
        if violations:
            problems[path] = violations
    assert problems == {}, problems


def test_axe_on_a_phone_with_the_menu_open(phone_page):
    phone_page.goto("/")
    phone_page.get_by_role("navigation", name="Главное меню").locator("summary").click()
    assert axe_violations(phone_page) == []

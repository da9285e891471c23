"""«Сведения об образовательной организации» and «Вопрос методисту» in real Chromium: axe-core finds
nothing, and the question form is filled and sent with the keyboard alone."""

from .conftest import axe_violations

SVEDEN = [
    "",
    "common/",
    "struct/",
    "document/",
    "education/",
    "eduStandarts/",
    "managers/",
    "employees/",
    "objects/",
    "paid_edu/",
    "budget/",
    "vacant/",
    "grants/",
    "inter/",
    "catering/",
]


def test_every_sveden_page_shows_the_section_navigation(page):
    """axe-core checks these pages with the rest of the sitemap (test_site_browser.py)."""
    for slug in SVEDEN:
        page.goto(f"/sveden/{slug}")
        nav = page.get_by_role("navigation", name="Разделы «Сведения об образовательной организации»")
        assert nav.is_visible(), slug
        assert nav.get_by_role("link").count() == 15, slug


def test_question_form_has_no_axe_violations(page):
    """Not a Wagtail page, so not in the sitemap that the axe test walks (/metodisty/ pages are)."""
    page.goto("/vopros-metodistu/")
    assert axe_violations(page) == []


def test_question_form_errors_have_no_axe_violations(page):
    page.goto("/vopros-metodistu/")
    page.get_by_role("button", name="Отправить вопрос").click()
    assert page.get_by_role("heading", name="Вопрос не отправлен — исправьте, пожалуйста:").is_visible()
    assert axe_violations(page) == []


def tab_to(page, selector, limit=80):
    """Presses Tab until the element is focused; fails if the keyboard cannot reach it."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement === document.querySelector(s)", selector):
            return
    raise AssertionError(f"{selector} is not reachable with Tab")


def test_question_sent_with_the_keyboard_only(page):
    page.goto("/vopros-metodistu/")
    tab_to(page, "#id_subject")
    for _ in range(20):  # arrow keys move through the options of a closed select
        if page.eval_on_selector("#id_subject", "el => el.options[el.selectedIndex].text") == "Химия":
            break
        page.keyboard.press("ArrowDown")
    assert page.eval_on_selector("#id_subject", "el => el.options[el.selectedIndex].text") == "Химия"
    tab_to(page, "#id_name")
    page.keyboard.type("Анна Петровна")
    tab_to(page, "#id_email")
    page.keyboard.type("anna@school.example")
    tab_to(page, "#id_question")
    page.keyboard.type("Когда районный этап олимпиады по химии и где посмотреть задания прошлых лет?")
    tab_to(page, "#id_consent")
    page.keyboard.press("Space")
    assert page.is_checked("#id_consent")
    tab_to(page, "form.question-form button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_url("**/vopros-metodistu/otpravlen/")
    assert page.locator("h1").inner_text() == "Вопрос отправлен"
    status = page.locator("main").get_by_role("status").inner_text()
    assert "Химия" in status and "anna@school.example" in status
    assert axe_violations(page) == []

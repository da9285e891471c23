"""«Безопасный интернет» in real Chromium over the demo content: from the home page through the main menu to
«Родителям», open the memo, its print version has no navigation, download its file, take a quiz — axe-clean
at every step; the quiz without JavaScript too."""

import re

from .conftest import DESKTOP, axe_violations

MEMO = "Памятка для родителей по информационной безопасности"


def test_home_to_parents_memo_download_and_quiz(page):
    page.goto("/")
    page.locator("nav.main-nav .main-nav__wide").get_by_role("link", name="Безопасный интернет").click()
    page.wait_for_url(re.compile(r"/safe-internet/$"))
    assert page.locator("h1").inner_text() == "Безопасный интернет"
    assert "Дети России онлайн" in page.locator(".si-helpline").inner_text()
    assert axe_violations(page) == []

    page.locator(".si-audiences").get_by_role("link", name="Родителям (законным представителям)").click()
    page.wait_for_url(re.compile(r"/safe-internet/roditelyam/$"))
    assert axe_violations(page) == []

    page.locator(".si-materials").get_by_role("link", name=MEMO).click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == MEMO
    assert axe_violations(page) == []

    # The print version: the memo's text only, no header, menu, breadcrumbs or footer.
    page.emulate_media(media="print")
    assert page.locator(".si-material h1").is_visible()
    for selector in (".site-header", "nav.main-nav", "nav.breadcrumbs", ".site-footer"):
        assert page.locator(selector).first.is_hidden(), selector
    page.emulate_media(media="screen")
    assert page.locator("nav.main-nav").is_visible()

    meta = page.locator(".si-material .document-item__meta").first.inner_text()
    assert re.match(r"PDF, \d+(,\d)?\s(байт|КБ|МБ)", meta), meta
    # The file as the browser fetches it (a PDF opens inline in Chromium, so there is no download event).
    link = page.locator(".si-material .document-item a").first
    response = page.request.get(link.get_attribute("href"))
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")

    page.goto("/safe-internet/roditelyam/")
    page.locator(".si-quizzes a").last.click()
    page.wait_for_load_state()
    questions = page.locator(".si-quiz__question")
    total = questions.count()
    assert total >= 5
    assert axe_violations(page) == []
    for index in range(total):
        questions.nth(index).get_by_role("radio").first.check()
    page.get_by_role("button", name="Проверить ответы").click()
    page.wait_for_load_state()
    score = page.locator(".si-quiz__score").inner_text()
    assert re.fullmatch(rf"Правильных ответов: \d+ из {total}\.", score), score
    assert page.locator(".si-quiz__result").count() == total
    assert page.locator(".si-quiz__result a").count() >= 1  # the memo to read
    assert axe_violations(page) == []


def test_the_quiz_works_without_javascript(browser, live_site):
    context = browser.new_context(viewport=DESKTOP, locale="ru-RU", base_url=live_site, java_script_enabled=False)
    tab = context.new_page()
    try:
        tab.goto("/safe-internet/")
        tab.locator(".si-quizzes a").first.click()
        tab.wait_for_load_state()
        questions = tab.locator(".si-quiz__question")
        for index in range(questions.count()):
            questions.nth(index).get_by_role("radio").nth(1).check()
        tab.get_by_role("button", name="Проверить ответы").click()
        tab.wait_for_load_state()
        assert tab.locator(".si-quiz__score").inner_text().startswith("Правильных ответов:")
    finally:
        context.close()

"""Contest organisers in the admin, in Chromium, with the demo's organiser account.

1. A teacher sends an application from the site (the real form and proof-of-work captcha); the
   organiser logs into /admin/, finds it under «В ожидании вашего отзыва», opens it — not locked —
   and approves it from the action menu; the entry is then live (issue 9.2).
2. The annulment form's «Причина» field is a visible Wagtail input: a border and ≥ 32 px high (issue 9.3).
3. The re-authentication page before sensitive actions (issue 14) is Wagtail's, accessible, and goes back.

Screenshots go to bench/results/screenshots/ (gitignored); their paths are printed.
"""

import uuid
from pathlib import Path

import pytest
from django.core.management import call_command

from contests.models import ContestEntryPage, ContestPage

CONTEST = "/contests/konkurs-innovacionnyh-produktov/"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "bench" / "results" / "screenshots"
DEMO_PASSWORD = "imc-demo-2026"


@pytest.fixture(scope="module")
def demo_accounts(live_site):
    call_command("load_demo", with_users=True, quiet=True)  # idempotent: adds the demo logins


def shot(tab, name):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    tab.screenshot(path=str(path), full_page=True)
    print(f"screenshot: {path}")
    return path


def log_in(tab, username):
    tab.goto("/admin/login/")
    tab.locator("input[name=username]").fill(username)
    tab.locator("input[name=password]").fill(DEMO_PASSWORD)
    tab.locator("form button[type=submit]").first.click()
    tab.wait_for_url("**/admin/")


def submit_application(tab, title):
    tab.goto(CONTEST + "zayavka/")
    tab.get_by_label("Название работы").fill(title)
    tab.get_by_label("Авторы (ФИО полностью)").fill("Соколова Елена Андреевна")
    tab.get_by_label("Образовательное учреждение").fill("ГБОУ школа № 204")
    tab.get_by_label("Номинация").select_option(index=1)
    tab.get_by_label("Описание работы").fill("Квест для 5–6 классов о надёжных паролях.")
    tab.get_by_label("E-mail для связи").fill(f"teacher.{uuid.uuid4().hex[:8]}@school204.example")
    tab.get_by_label("Ссылка на сайт (если работа — сайт)").fill("https://school204.example.ru/kvest/")
    tab.locator("input[name=consent]").check()
    tab.get_by_text("Я не робот", exact=True).click()
    tab.wait_for_function(
        "() => { const i = document.querySelector('input[name=altcha]'); return i && i.value.length > 20; }",
        timeout=60_000,
    )
    tab.get_by_role("button", name="Отправить заявку").click()
    tab.get_by_text("Заявка принята").first.wait_for()


def test_organiser_approves_an_application_sent_from_the_site(page, browser, live_site, demo_accounts):
    title = f"Квест «Лабиринт паролей» {uuid.uuid4().hex[:6]}"
    teacher = browser.new_context(locale="ru-RU", base_url=live_site)
    submit_application(teacher.new_page(), title)
    teacher.close()
    entry = ContestEntryPage.objects.get(title=title)
    assert not entry.live

    log_in(page, "organizator")
    page.get_by_role("link", name=title).first.click()  # the dashboard's «awaiting your review» panel
    page.wait_for_url(f"**/admin/pages/{entry.pk}/edit/")
    assert page.get_by_text("заблокирована").count() == 0
    page.get_by_role("button", name="Больше действий").last.click()
    approve = page.locator('button[data-workflow-action-name="approve"]').first
    approve.wait_for()
    shot(page, "organiser-entry-before-approve")
    approve.click()
    page.wait_for_load_state("networkidle")
    shot(page, "organiser-entry-approved")
    entry.refresh_from_db()
    assert entry.live


def test_the_annulment_reason_is_a_visible_wagtail_input(page, demo_accounts):
    contest = ContestPage.objects.get(slug="luchshii-sait")
    log_in(page, "organizator")
    page.goto(f"/admin/contests/{contest.pk}/audit/")
    reason = page.get_by_label("Причина")
    reason.scroll_into_view_if_needed()
    style = reason.evaluate(
        "el => { const s = getComputedStyle(el); return {border: parseFloat(s.borderTopWidth),"
        " style: s.borderTopStyle, height: el.getBoundingClientRect().height}; }"
    )
    assert style["border"] >= 1 and style["style"] != "none", style
    assert style["height"] >= 32, style
    shot(page, "organiser-annulment-form")


def test_custom_admin_screens_are_wagtail_components_without_axe_violations(page, browser, live_site, demo_accounts):
    """The project's own admin screens (contests, registrations, sign-in locks) are built from Wagtail's
    components: Wagtail's header with breadcrumbs and its table, and no WCAG 2.1 A/AA violation."""
    from events.models import EventPage

    from .conftest import axe_violations

    contest = ContestPage.objects.get(slug="luchshii-sait")
    entry = ContestEntryPage.objects.child_of(contest).first()
    event = EventPage.objects.filter(registration_open=True).first()
    screens = {
        "organizator": [
            "/admin/contests/",
            f"/admin/contests/{contest.pk}/audit/",
            f"/admin/contests/{contest.pk}/jury/",
        ],
        "zhyuri": [f"/admin/contests/jury/{entry.pk}/"],
        "admin": ["/admin/login-locks/", f"/admin/events/{event.pk}/registrations/"],
    }
    for username, paths in screens.items():
        context = browser.new_context(locale="ru-RU", base_url=live_site)
        tab = context.new_page()
        log_in(tab, username)
        for path in paths:
            tab.goto(path)
            # Wagtail's header with breadcrumbs, and its table component
            assert tab.locator("header.w-slim-header [data-w-breadcrumbs] nav").count() == 1, path
            listing = tab.locator("main table.listing").count() >= 1 or tab.get_by_text("Регистраций пока нет").count()
            assert listing or path.startswith("/admin/contests/jury/"), path
            assert axe_violations(tab) == [], path
            shot(tab, "admin-" + path.strip("/").replace("/", "-"))
        context.close()


def test_reauth_page_is_a_wagtail_form_that_confirms_and_goes_back(browser, live_site, demo_accounts):
    """«Подтвердите, что это вы» (core/reauth.py): Wagtail's header and field, no WCAG violation; the
    password takes the staff member back to where they were going."""
    from .conftest import axe_violations

    context = browser.new_context(locale="ru-RU", base_url=live_site)
    tab = context.new_page()
    log_in(tab, "admin")
    tab.goto("/admin/reauth/?next=/admin/users/")
    assert tab.locator("header.w-slim-header [data-w-breadcrumbs] nav").count() == 1
    assert axe_violations(tab) == []
    shot(tab, "admin-reauth")
    tab.get_by_label("Ваш пароль").fill(DEMO_PASSWORD)
    tab.get_by_role("button", name="Подтвердить").click()
    tab.wait_for_url("**/admin/users/")
    context.close()

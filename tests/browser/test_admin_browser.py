"""The admin at desktop size as an editor (issue 9.10): the scheduling dialog's date picker leaves
«Сохранить расписание» clickable, and a Russian title fills a Latin slug."""

import os

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from core.permissions import EDITORS
from news.models import NewsIndexPage, NewsPage

PASSWORD = "imc-browser-editor-2026"


@pytest.fixture
def editor_page(page):
    from django.contrib.auth import get_user_model

    user, _ = get_user_model().objects.get_or_create(username="redaktor-browser", defaults={"is_staff": True})
    user.set_password(PASSWORD)
    user.save()
    user.groups.add(Group.objects.get(name=EDITORS))
    page.goto("/admin/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/admin/")
    return page


def _element_at_centre_is(tab, selector_js):
    return tab.evaluate(
        f"""() => {{
            const target = {selector_js};
            const box = target.getBoundingClientRect();
            const hit = document.elementFromPoint(box.x + box.width / 2, box.y + box.height / 2);
            return target === hit || target.contains(hit);
        }}"""
    )


def test_schedule_date_picker_leaves_save_button_clickable(editor_page):
    tab = editor_page
    news = NewsPage.objects.live().first()
    tab.goto(f"/admin/pages/{news.pk}/edit/")
    tab.click("[data-side-panel-toggle='status']")
    tab.get_by_role("button", name="Установить расписание").first.click()
    field = tab.locator("#schedule-publishing-dialog input[name=go_live_at]")
    field.click()
    picker = tab.locator(".xdsoft_datetimepicker:visible")
    picker.wait_for()
    shots = os.environ.get("IMC_TEST_MEDIA", "media")
    tab.screenshot(path=os.path.join(shots, "admin-schedule-picker.png"))  # the picker above its field
    button = "[...document.querySelectorAll('#schedule-publishing-dialog button')].find(b => b.innerText.includes('Сохранить расписание'))"
    assert _element_at_centre_is(tab, button), "the date picker covers «Сохранить расписание»"
    assert _element_at_centre_is(tab, "document.querySelector('#schedule-publishing-dialog input[name=go_live_at]')")
    # Picking a date keeps the picker open for the time; the button still takes the click.
    picker.locator("td.xdsoft_date:not(.xdsoft_disabled)").last.click()
    assert _element_at_centre_is(tab, button)
    assert field.input_value()


def test_russian_title_fills_a_latin_slug(editor_page):
    tab = editor_page
    index = NewsIndexPage.objects.first()
    tab.goto(f"/admin/pages/add/news/newspage/{index.pk}/")
    tab.fill("#id_title", "Новости методиста")
    tab.locator("#id_title").blur()
    tab.get_by_role("tab", name="Продвижение").click()
    expect(tab.locator("#id_slug")).to_have_value("novosti-metodista")  # waits for the admin's slug sync

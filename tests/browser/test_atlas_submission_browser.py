"""«Предложить практику» in real Chromium on a phone: from the catalogue to the form, the error summary, a
practice sent with a file mostly by keyboard (the file itself is chosen as a file dialog would), the captcha
solved by the browser — axe-clean at each step; the draft waits in moderation and the e-mails are sent."""

import re
import uuid

from django.core import mail
from wagtail.models import WorkflowState

from practices_atlas.models import PracticePage, PracticeSubmission
from tests.core import samples

from .conftest import axe_violations


def _type_into(tab, label, text):
    field = tab.get_by_label(label, exact=True)
    field.focus()
    tab.keyboard.type(text)


def test_submit_a_practice_with_a_file_on_a_phone(phone_page):
    tab = phone_page
    tab.goto("/atlas/")
    link = tab.get_by_role("link", name="Предложить практику")
    link.focus()
    tab.keyboard.press("Enter")
    tab.wait_for_url("**/atlas/predlozhit/")
    assert tab.locator("h1").inner_text() == "Предложить практику"
    assert axe_violations(tab) == []
    assert tab.evaluate("document.documentElement.scrollWidth <= window.innerWidth")  # no sideways scrolling

    # Sent empty: the error summary comes first and its links lead to the fields.
    tab.get_by_role("button", name="Отправить практику").click()
    summary = tab.get_by_role("alert")
    assert "Практика не отправлена" in summary.inner_text()
    assert "Укажите название практики." in summary.inner_text()
    assert axe_violations(tab) == []

    title = f"Музей в чемодане {uuid.uuid4().hex[:6]}"
    address = f"petrova.{uuid.uuid4().hex[:8]}@mail.ru"
    _type_into(tab, "Название практики *", title)
    tab.keyboard.press("Tab")  # to the annotation, as a keyboard user goes on
    tab.keyboard.type("Дошкольники собирают экспозицию о семейных реликвиях и показывают её в других группах.")
    tab.get_by_label("Организация *").select_option(index=1)
    tab.get_by_label("Тип практики *").select_option(index=1)
    level = tab.get_by_role("group", name=re.compile("Уровни образования")).get_by_role("checkbox").first
    level.focus()
    tab.keyboard.press("Space")
    subject = tab.get_by_role("group", name=re.compile("Предметы и направления")).get_by_label("Математика")
    subject.focus()
    tab.keyboard.press("Space")
    _type_into(tab, "Авторы *", "Петрова Анна Сергеевна, воспитатель")
    _type_into(tab, "E-mail для связи *", address)
    tab.get_by_label(re.compile(r"^Файлы практики")).set_input_files(
        [{"name": "praktika.pdf", "mimeType": "application/pdf", "buffer": samples.PDF}]
    )
    _type_into(tab, "Ссылка на видео (VK Видео или RUTUBE)", "https://rutube.ru/video/0123456789abcdef/")
    licence = tab.get_by_role("group", name=re.compile("Условия публикации")).get_by_role("radio").first
    licence.focus()
    tab.keyboard.press("Space")
    consent = tab.get_by_label("Я даю согласие на обработку моих персональных данных")
    consent.focus()
    tab.keyboard.press("Space")
    assert consent.is_checked() and level.is_checked() and subject.is_checked() and licence.is_checked()
    tab.get_by_text("Я не робот", exact=True).click()  # a tap on the label; the proof-of-work runs in the browser
    tab.wait_for_function(
        "() => { const i = document.querySelector('input[name=altcha]'); return i && i.value.length > 20; }",
        timeout=60_000,
    )
    tab.get_by_role("button", name="Отправить практику").focus()
    tab.keyboard.press("Enter")
    status = tab.locator("main").get_by_role("status")  # the header's search box has its own live region
    assert "Практика отправлена на проверку" in status.inner_text()
    assert address in status.inner_text()
    assert axe_violations(tab) == []

    practice = PracticePage.objects.get(title=title)
    assert not practice.live
    assert WorkflowState.objects.filter(object_id=str(practice.pk), status="in_progress").exists()
    assert [a.document.file.name.endswith(".pdf") for a in practice.attachments.all()] == [True]
    assert PracticeSubmission.objects.get(page=practice).email == address
    assert any(address in m.to and title in m.subject for m in mail.outbox)
    assert any("matematika@imc-centr.example" in m.to and title in m.subject for m in mail.outbox)
    tab.goto("/atlas/")
    assert title not in tab.content()  # never published by itself

"""The calendar in real Chromium: find an event for one's audience, register, read the confirmation."""

import re
import uuid

from .conftest import axe_violations


def _event_with_open_registration():
    from django.utils import timezone

    from events.models import EventPage

    # The demo puts this seminar three weeks ahead, so its registration is open whatever today is.
    return EventPage.objects.live().get(slug="ege-russkij-seminar", start__gt=timezone.now())


def _months_ahead(event):
    from django.utils import timezone

    today, day = timezone.localdate(), timezone.localtime(event.start).date()
    return (day.year - today.year) * 12 + day.month - today.month


def test_calendar_filter_open_event_register_and_see_confirmation(page):
    event = _event_with_open_registration()
    page.goto("/events/")
    assert page.locator("h1").inner_text() == "Календарь мероприятий"
    assert page.locator(".cal-day").count() >= 28
    assert axe_violations(page) == []

    page.locator("#events-filters-box > summary").click()  # folded above the month grid
    page.get_by_role("checkbox", name=re.compile(r"Учителя ОУ")).check()
    page.get_by_role("button", name="Показать").click()
    page.wait_for_url(re.compile(r"audience=ou"))
    assert "Учителя ОУ" in page.locator(".events-active-filters").inner_text()  # listed, the panel folded
    page.get_by_text("Изменить фильтры").click()
    assert page.get_by_role("checkbox", name=re.compile(r"Учителя ОУ")).is_checked()
    assert page.locator(".cal-month").get_by_text("Совещание заведующих ДОУ").count() == 0

    page.locator("a[rel=next]").first.click()  # another month keeps the filter
    page.wait_for_url(re.compile(r"audience=ou.*month=|month=.*audience=ou"))
    ahead = _months_ahead(event)
    for _ in range(abs(ahead - 1)):  # on to the seminar's month (back, if it is this month)
        current = page.url
        page.locator("a[rel=next]" if ahead > 1 else "a[rel=prev]").first.click()
        page.wait_for_url(lambda url, current=current: url != current and "audience=ou" in url)
    page.get_by_role("link", name=event.title).first.click()
    page.wait_for_url(f"**{event.url}")
    assert page.locator("h1").inner_text() == event.title
    assert axe_violations(page) == []

    email = f"browser-{uuid.uuid4().hex[:8]}@school204.example.ru"
    page.get_by_label("Фамилия, имя, отчество").fill("Смирнова Анна Викторовна")
    page.get_by_label("Образовательное учреждение").fill("ГБОУ гимназия № 171")
    page.get_by_label("Должность").fill("учитель русского языка")
    page.get_by_label("E-mail").fill(email)
    page.get_by_text("Я не робот", exact=True).click()  # the proof-of-work, solved by Chromium
    page.wait_for_function(
        "() => { const i = document.querySelector('input[name=altcha]'); return i && i.value.length > 20; }",
        timeout=60_000,
    )
    page.get_by_role("button", name=re.compile("Зарегистрироваться|Записаться в лист ожидания")).click()
    # forgot the consent: a Russian message, nothing typed is lost, the solved check is not asked again
    assert page.get_by_text("Без согласия на обработку персональных данных").first.is_visible()
    assert page.get_by_label("Должность").input_value() == "учитель русского языка"
    assert page.get_by_text("Проверка пройдена — повторять её не нужно.").is_visible()
    assert page.locator("altcha-widget").count() == 0

    page.get_by_label("Я даю согласие на обработку моих персональных данных").check()
    page.get_by_role("button", name=re.compile("Зарегистрироваться|Записаться в лист ожидания")).click()
    page.wait_for_url(re.compile(r"/register/done/"))
    assert page.locator("h1").inner_text() == "Осталось подтвердить адрес"
    assert (
        page.locator("main")
        .get_by_role("status")
        .inner_text()
        .startswith("Осталось подтвердить адрес: письмо отправлено на")
    )
    assert axe_violations(page) == []

    from events.models import Registration

    assert Registration.objects.filter(event=event, email=email).exists()


def test_month_grid_collapses_to_a_list_on_a_phone(phone_page):
    phone_page.goto("/events/")
    assert not phone_page.locator(".cal-month__weekdays").is_visible()
    days = phone_page.locator(".cal-day")
    visible = [i for i in range(days.count()) if days.nth(i).is_visible()]
    assert visible, "a month of the demo has events"
    assert all(days.nth(i).locator(".event-entry").count() > 0 for i in visible)  # empty days hidden
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390  # no horizontal scrolling
    assert axe_violations(phone_page) == []


def test_week_upcoming_archive_and_ical_open(page):
    for path, heading in (
        ("/events/week/", "Календарь мероприятий"),
        ("/events/upcoming/", "Ближайшие мероприятия"),
        ("/events/archive/", "Прошедшие мероприятия"),
    ):
        page.goto(path)
        assert page.get_by_role("heading", name=heading).first.is_visible()
        assert axe_violations(page) == []
    response = page.request.get("/events/ical/?audience=dou")
    assert response.ok and response.headers["content-type"].startswith("text/calendar")
    assert b"BEGIN:VEVENT" in response.body()

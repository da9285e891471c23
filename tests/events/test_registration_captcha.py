"""Registration is protected like votes (the real ALTCHA, no test mode here), an unconfirmed seat is held
CONFIRM_WITHIN, and the pages around registration say what is true."""

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.core import mail
from django.test import Client, override_settings
from django.utils import timezone

from core.captcha import FALLBACK_LIMITED
from events import registration as registration_module
from events.models import Registration
from tests.core.test_captcha import solve, solved_payload

pytestmark = pytest.mark.django_db

FORM = {
    "full_name": "Иванова Мария Петровна",
    "organisation": "ГБОУ школа № 204",
    "position": "учитель математики",
    "email": "ivanova@school204.example.ru",
    "consent": "on",
    "website": "",
}


def post(client, event, django_capture_on_commit_callbacks, ip="10.1.2.3", **overrides):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(f"{event.url}register/", {**FORM, **overrides}, REMOTE_ADDR=ip)


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.content.decode(), "html.parser")


@pytest.fixture
def event(make_event):
    return make_event("Семинар на 40 мест", registration_open=True, capacity=40)


def test_registration_without_a_solved_captcha_is_refused_in_russian(client, event, django_capture_on_commit_callbacks):
    response = post(client, event, django_capture_on_commit_callbacks)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Отметьте «Я не робот» или ответьте на вопрос ниже." in html
    assert 'value="Иванова Мария Петровна"' in html  # nothing typed is lost
    assert not Registration.objects.exists() and not mail.outbox

    forged = post(client, event, django_capture_on_commit_callbacks, altcha="eyJmYWtlIjogMX0=")
    assert forged.status_code == 400
    assert "Проверка «Я не робот» не" in forged.content.decode()
    assert not Registration.objects.exists()


def test_with_a_solved_captcha_the_registration_goes_through_once(client, event, django_capture_on_commit_callbacks):
    page = soup(client.get(event.url))
    assert page.select_one("form.event-registration__form altcha-widget[name=altcha]") is not None
    payload = solved_payload(client)
    response = post(client, event, django_capture_on_commit_callbacks, altcha=payload)
    assert response.status_code == 302, response.content.decode()[:1000]
    assert Registration.objects.count() == 1

    replay = post(client, event, django_capture_on_commit_callbacks, altcha=payload, email="other@example.ru")
    assert replay.status_code == 400
    assert "Эта проверка уже использована" in replay.content.decode()
    assert Registration.objects.count() == 1


def test_the_squatting_probe_fills_no_seat(event, django_capture_on_commit_callbacks):
    """The probe: 37 registrations from a script filled a 40-seat event in 1.7 s. Without solving the
    proof-of-work, 40 attempts from 40 addresses now take no seat."""
    statuses = [
        post(
            Client(), event, django_capture_on_commit_callbacks, ip=f"10.{n}.0.1", email=f"bot{n}@example.ru"
        ).status_code
        for n in range(40)
    ]
    assert statuses == [400] * 40
    assert not Registration.objects.exists()
    assert "Свободных мест: <strong>40</strong>" in Client().get(event.url).content.decode()


@pytest.mark.usefixtures("real_redis")
def test_a_script_reading_the_fallback_question_is_limited_after_5_an_hour(
    event, django_capture_on_commit_callbacks, monkeypatch
):
    """A script parses the question out of the HTML, solves it and posts: the fallback path lets one
    address through 5 times an hour (core.captcha.FALLBACK_RATE), then refuses with a Russian message."""
    monkeypatch.setattr("events.views.REGISTER_RATE", "100/m")  # the registration limit is not tested here
    client = Client()

    def script(n, ip="192.0.2.10"):
        page = soup(client.get(event.url))
        token = page.select_one("input[name=check_token]")["value"]
        question = page.select_one("label[for=id_check_answer]").get_text()
        return post(
            client,
            event,
            django_capture_on_commit_callbacks,
            ip=ip,
            email=f"script{n}@example.ru",
            check_token=token,
            check_answer=str(solve(question)),
        )

    responses = [script(n) for n in range(7)]
    assert [r.status_code for r in responses] == [302] * 5 + [400, 400]
    assert FALLBACK_LIMITED in responses[-1].content.decode()
    assert Registration.objects.count() == 5
    # another address of the same /24 still gets through (the subnet allows 20 an hour) ...
    assert script(7, ip="192.0.2.11").status_code == 302
    # ... and the proof-of-work path is not limited by the fallback's counter
    payload = solved_payload(client)
    response = post(
        client, event, django_capture_on_commit_callbacks, ip="192.0.2.10", altcha=payload, email="pow@example.ru"
    )
    assert response.status_code == 302


def test_a_solved_captcha_is_kept_when_another_field_is_wrong(client, event, django_capture_on_commit_callbacks):
    payload = solved_payload(client)
    response = post(client, event, django_capture_on_commit_callbacks, altcha=payload, email="ivanova@school204")
    assert response.status_code == 400
    page = soup(response)
    assert "Проверьте адрес электронной почты" in page.get_text()
    assert "Проверка пройдена — повторять её не нужно." in page.get_text()
    assert page.select_one("altcha-widget") is None  # not demanded again
    assert page.select_one("input[name=check_answer]") is None
    human_pass = page.select_one("input[name=human_pass]")["value"]

    fixed = post(client, event, django_capture_on_commit_callbacks, human_pass=human_pass)
    assert fixed.status_code == 302, fixed.content.decode()[:1000]
    assert Registration.objects.get().email == "ivanova@school204.example.ru"

    again = post(client, event, django_capture_on_commit_callbacks, human_pass=human_pass, email="second@example.ru")
    assert again.status_code == 400  # a pass serves one registration
    assert "Отметьте «Я не робот»" in again.content.decode()
    assert Registration.objects.count() == 1


def test_a_solved_fallback_question_is_not_asked_again(client, event, django_capture_on_commit_callbacks):
    page = soup(client.get(event.url))
    token = page.select_one("input[name=check_token]")["value"]
    answer = str(solve(page.select_one("label[for=id_check_answer]").get_text()))
    response = post(
        client, event, django_capture_on_commit_callbacks, check_token=token, check_answer=answer, consent=""
    )
    assert response.status_code == 400
    page = soup(response)
    assert "Без согласия" in page.get_text()
    assert page.select_one("input[name=check_answer]") is None
    human_pass = page.select_one("input[name=human_pass]")["value"]
    fixed = post(client, event, django_capture_on_commit_callbacks, human_pass=human_pass)
    assert fixed.status_code == 302
    assert Registration.objects.count() == 1


@override_settings(ALTCHA_TEST_MODE=True)
def test_aria_describedby_points_at_ids_on_the_page(client, event, django_capture_on_commit_callbacks):
    blank = post(client, event, django_capture_on_commit_callbacks, full_name="", email="x", consent="", altcha="")
    assert blank.status_code == 400
    for response in (client.get(event.url), blank):
        page = soup(response)
        form = page.select_one("form.event-registration__form")
        described = form.select("[aria-describedby]")
        assert described, "help texts and errors are tied to their inputs"
        for element in described:
            for ref in element["aria-describedby"].split():
                assert page.find(id=ref) is not None, f"{element.get('name')}: no element with id {ref!r}"
    page = soup(blank)
    assert page.select_one("#id_email")["aria-describedby"] == "id_email_helptext id_email_error"
    assert page.select_one("#id_email")["aria-invalid"] == "true"


# --- how long an unconfirmed seat is held -------------------------------------------------------


@override_settings(ALTCHA_TEST_MODE=True)
@pytest.mark.parametrize(("hours", "words"), [(2, "2 часа"), (5, "5 часов"), (1, "1 час")])
def test_the_hold_stated_in_the_email_and_pages_is_the_one_applied(
    client, event, django_capture_on_commit_callbacks, monkeypatch, hours, words
):
    if hours != 2:
        monkeypatch.setattr(registration_module, "CONFIRM_WITHIN", timedelta(hours=hours))
    assert registration_module.hold_text() == words
    assert f"Место удерживается {words}" in client.get(event.url).content.decode()
    response = post(client, event, django_capture_on_commit_callbacks, altcha="test")
    (message,) = mail.outbox
    assert f"Место удерживается {words}" in message.body
    done = client.get(response["Location"]).content.decode()
    assert f"место удерживается {words}" in done

    registration = Registration.objects.get()
    Registration.objects.filter(pk=registration.pk).update(
        created_at=timezone.now() - timedelta(hours=hours, minutes=-5)
    )
    assert registration_module.release_unconfirmed() == 0  # still within the hold
    Registration.objects.filter(pk=registration.pk).update(
        created_at=timezone.now() - timedelta(hours=hours, minutes=5)
    )
    assert registration_module.release_unconfirmed() == 1
    registration.refresh_from_db()
    assert registration.status == Registration.State.CANCELLED

    lapsed = client.get(f"{event.url}r/{registration_module.new_link(registration)}/confirm/").content.decode()
    assert "Адрес не был подтверждён вовремя" in lapsed
    assert "Подтвердить регистрацию</button>" not in lapsed


def test_the_default_hold_is_two_hours():
    assert registration_module.hold_hours() == 2


# --- the pages say what is true ------------------------------------------------------------------


@override_settings(ALTCHA_TEST_MODE=True)
def test_done_page_says_the_address_is_still_to_be_confirmed(client, event, django_capture_on_commit_callbacks):
    response = post(client, event, django_capture_on_commit_callbacks, altcha="test")
    done = soup(client.get(response["Location"]))
    status = done.select_one("main [role=status]").get_text()
    assert status.startswith("Осталось подтвердить адрес: письмо отправлено на iv***@school204.example.ru")
    assert "Вы зарегистрированы" not in done.get_text()
    assert done.h1.get_text() == "Осталось подтвердить адрес"

    registration = Registration.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"{event.url}r/{registration_module.new_link(registration)}/confirm/")
    done = soup(client.get(response["Location"]))
    assert done.h1.get_text() == "Регистрация подтверждена"
    assert "Вы зарегистрированы на мероприятие" in done.get_text()


@override_settings(ALTCHA_TEST_MODE=True)
def test_an_already_confirmed_link_says_so_instead_of_asking_again(client, event, django_capture_on_commit_callbacks):
    post(client, event, django_capture_on_commit_callbacks, altcha="test")
    registration = Registration.objects.get()
    link = f"{event.url}r/{registration_module.new_link(registration)}/confirm/"
    assert "Подтвердить регистрацию</button>" in client.get(link).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(link).content.decode()
    assert "Регистрация подтверждена" in first and "уже" not in first
    mail.outbox.clear()

    opened_again = client.get(link).content.decode()
    assert "Регистрация уже подтверждена" in opened_again
    assert "Подтвердить регистрацию</button>" not in opened_again
    with django_capture_on_commit_callbacks(execute=True):
        posted_again = client.post(link).content.decode()
    assert "Регистрация уже подтверждена" in posted_again
    assert not mail.outbox  # nothing sent twice

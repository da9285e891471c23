"""The confirm and cancel links of registration e-mails (core.tokens): hashed at rest, one answer order —
a link works once, a second click says it is already done, an old link is a clear Russian 410."""

import hashlib
import importlib
import re
from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.core import mail
from django.test import override_settings
from django.utils import timezone

from events.models import EventPage, Registration, RegistrationLink
from tests.core.test_tokens import rows_containing

FORM = {
    "full_name": "Иванова Мария Петровна",
    "organisation": "ГБОУ школа № 204",
    "position": "учитель математики",
    "email": "ivanova@school204.example.ru",
    "consent": "on",
    "altcha": "test-payload",
    "website": "",
}


@pytest.fixture(autouse=True)
def altcha_test_mode():
    with override_settings(ALTCHA_TEST_MODE=True):
        yield


@pytest.fixture
def event(make_event):
    return make_event("Семинар «Функциональная грамотность»", registration_open=True, capacity=1)


def register(client, event, capture, **overrides):
    with capture(execute=True):
        response = client.post(f"{event.url}register/", {**FORM, **overrides}, REMOTE_ADDR="10.9.8.7")
    assert response.status_code == 302, response.content.decode()[:500]
    return Registration.objects.filter(email=overrides.get("email", FORM["email"]).lower()).latest("pk")


def links(message) -> tuple[str, str]:
    found = {
        action: path for path, action in re.findall(r"http://testserver(/\S+/r/\S+/(confirm|cancel)/)", message.body)
    }
    return found.get("confirm", ""), found.get("cancel", "")


def text(response) -> str:
    return BeautifulSoup(response.content.decode(), "html.parser").main.get_text(" ", strip=True)


def test_confirm_link_works_once_then_says_already_confirmed(client, event, django_capture_on_commit_callbacks):
    register(client, event, django_capture_on_commit_callbacks)
    confirm, _ = links(mail.outbox[-1])
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(confirm)
    assert first.status_code == 200 and "Регистрация подтверждена" in text(first)
    confirmed_at = Registration.objects.get().confirmed_at
    mail.outbox.clear()

    for again in (client.get(confirm), client.post(confirm)):
        assert again.status_code == 200
        assert "Регистрация уже подтверждена" in text(again)
        assert "Подтвердить регистрацию" not in text(again)
    assert Registration.objects.get().confirmed_at == confirmed_at
    assert not mail.outbox


def test_cancel_link_works_once_then_says_already_cancelled(client, event, django_capture_on_commit_callbacks):
    register(client, event, django_capture_on_commit_callbacks)
    _, cancel = links(mail.outbox[-1])
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(cancel)
    assert first.status_code == 200 and "Регистрация отменена" in text(first)
    mail.outbox.clear()
    again = client.post(cancel)
    assert again.status_code == 200 and "Эта регистрация уже отменена" in text(again)
    assert not mail.outbox


def test_a_confirm_link_opened_after_the_hold_is_a_russian_410_and_frees_the_seat(
    client, event, django_capture_on_commit_callbacks
):
    registration = register(client, event, django_capture_on_commit_callbacks)
    confirm, _ = links(mail.outbox[-1])
    register(client, event, django_capture_on_commit_callbacks, email="second@example.ru")  # waits for the seat
    Registration.objects.filter(pk=registration.pk).update(created_at=timezone.now() - timedelta(hours=2, minutes=1))

    with django_capture_on_commit_callbacks(execute=True):
        late = client.post(confirm)
    assert late.status_code == 410
    assert "Адрес не был подтверждён вовремя" in text(late) and "зарегистрируйтесь снова" in text(late)
    registration.refresh_from_db()
    assert registration.status == Registration.State.CANCELLED and registration.confirmed_at is None
    assert Registration.objects.get(email="second@example.ru").status == Registration.State.REGISTERED
    assert client.get(confirm).status_code == 410  # and stays so

    # The page's advice works at once (the expiry job has not run): the same address registers again.
    register(client, event, django_capture_on_commit_callbacks, email=FORM["email"])


def test_a_cancel_link_after_the_event_is_a_russian_410(client, event, django_capture_on_commit_callbacks):
    register(client, event, django_capture_on_commit_callbacks)
    _, cancel = links(mail.outbox[-1])
    past = timezone.now() - timedelta(days=2)
    EventPage.objects.filter(pk=event.pk).update(start=past, end=past + timedelta(hours=2))
    response = client.post(cancel)
    assert response.status_code == 410
    assert "Мероприятие уже прошло" in text(response)
    assert Registration.objects.get().status == Registration.State.REGISTERED


@pytest.mark.parametrize("token", ["x" * 20, "A" * 43, "z" * 64])
def test_unknown_links_are_404_in_russian(client, event, token):
    response = client.get(f"{event.url}r/{token}/confirm/")
    assert response.status_code == 404 and "Регистрация не найдена" in text(response)


def test_every_e_mail_gets_its_own_link_and_the_earlier_ones_keep_working(
    client, event, django_capture_on_commit_callbacks
):
    register(client, event, django_capture_on_commit_callbacks)
    confirm, first_cancel = links(mail.outbox[-1])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(confirm)
    _, second_cancel = links(mail.outbox[-1])  # «Регистрация подтверждена» carries a cancel link of its own
    assert second_cancel and second_cancel != first_cancel
    assert RegistrationLink.objects.count() == 2
    assert "Отменить регистрацию" in text(client.get(first_cancel))
    with django_capture_on_commit_callbacks(execute=True):
        assert "Регистрация отменена" in text(client.post(first_cancel))
    assert "Эта регистрация уже отменена" in text(client.get(second_cancel))


def test_the_database_holds_no_plain_token(client, event, django_capture_on_commit_callbacks):
    register(client, event, django_capture_on_commit_callbacks)
    confirm, cancel = links(mail.outbox[-1])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(confirm)
    paths = [path for path in (confirm, cancel, *links(mail.outbox[-1])) if path]
    tokens = {path.split("/r/")[1].split("/")[0] for path in paths}
    assert len(tokens) == 2
    for token in tokens:
        assert rows_containing(token) == []  # not in the registration, not in the outgoing-mail log


def test_links_sent_before_the_hashing_keep_working(client, event, django_capture_on_commit_callbacks):
    """Migration events 0003 hashes the plain tokens that e-mails already carry (32 characters then)."""
    registration = register(client, event, django_capture_on_commit_callbacks)
    RegistrationLink.objects.all().delete()
    legacy = "Lq3x_Zr8-kT0pVb2Yw9nHs4Jc6Me1Ad7"
    migration = importlib.import_module("events.migrations.0003_registration_links_hashed")

    class Rows:
        """The registrations as the historical model at 0001 saw them: with their plain token."""

        class objects:
            @staticmethod
            def values_list(*fields):
                return type("Q", (), {"iterator": lambda self: iter([(registration.pk, legacy, timezone.now())])})()

    class HistoricalApps:
        def get_model(self, app_label, name):
            return Rows if name == "Registration" else RegistrationLink

    migration.hash_existing_tokens(HistoricalApps(), None)
    assert RegistrationLink.objects.get().token_hash == hashlib.sha256(legacy.encode()).hexdigest()
    assert rows_containing(legacy) == []
    page = client.get(f"{event.url}r/{legacy}/confirm/")
    assert page.status_code == 200 and "Подтвердить регистрацию" in page.content.decode()

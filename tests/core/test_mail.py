"""Outgoing e-mail: stored, sent by a task, retried after a failure, visible in the admin."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from core.mail import MAX_ATTEMPTS, queue_email, retry_due_emails, send_outgoing_email
from core.models import OutgoingEmail

pytestmark = pytest.mark.django_db

TEMPLATE = "methodists/emails/question.txt"


class FailingBackend(BaseEmailBackend):
    def send_messages(self, messages):
        raise ConnectionRefusedError("SMTP-сервер недоступен")


class _Question:
    pk = 7
    name = "Анна"
    email = "anna@school.example"
    text = "Когда курсы?"
    created_at = timezone.now()

    class subject:
        name = "Математика"


def queue(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return queue_email(
            "metodist@imc-centr.example",
            "Вопрос методисту № 7",
            TEMPLATE,
            {"question": _Question, "methodist": None, "site_url": "http://testserver"},
            purpose="question",
        )


def test_queued_email_is_sent_after_commit(django_capture_on_commit_callbacks):
    email = queue(django_capture_on_commit_callbacks)
    email.refresh_from_db()
    assert email.status == OutgoingEmail.Status.SENT and email.attempts == 1 and email.sent_at
    assert mail.outbox[0].to == ["metodist@imc-centr.example"]
    assert "Когда курсы?" in mail.outbox[0].body


def test_nothing_is_sent_when_the_transaction_rolls_back(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        queue_email("x@imc-centr.example", "Тема", TEMPLATE, {"question": _Question}, purpose="question")
    assert len(callbacks) == 1 and not mail.outbox


def test_failure_is_recorded_then_retry_emails_sends_it(django_capture_on_commit_callbacks):
    with override_settings(EMAIL_DELIVERY_BACKEND="tests.core.test_mail.FailingBackend"):
        email = queue(django_capture_on_commit_callbacks)
    email.refresh_from_db()
    assert email.status == OutgoingEmail.Status.RETRY
    assert email.attempts == 1 and "SMTP-сервер недоступен" in email.last_error
    assert email.next_attempt_at > timezone.now()
    assert not mail.outbox

    assert retry_due_emails() == 0  # back-off not over yet
    call_command("retry_emails", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert not mail.outbox

    OutgoingEmail.objects.filter(pk=email.pk).update(next_attempt_at=timezone.now() - timedelta(seconds=1))
    call_command("retry_emails", stdout=open("/dev/null", "w"))  # noqa: SIM115
    email.refresh_from_db()
    assert email.status == OutgoingEmail.Status.SENT and email.attempts == 2 and email.last_error == ""
    assert len(mail.outbox) == 1


def test_gives_up_after_max_attempts(django_capture_on_commit_callbacks):
    with override_settings(EMAIL_DELIVERY_BACKEND="tests.core.test_mail.FailingBackend"):
        email = queue(django_capture_on_commit_callbacks)
        for _ in range(MAX_ATTEMPTS - 1):
            send_outgoing_email.call(email.pk)
    email.refresh_from_db()
    assert email.status == OutgoingEmail.Status.FAILED and email.attempts == MAX_ATTEMPTS
    assert email.next_attempt_at is None
    assert send_outgoing_email.call(email.pk) == "skipped"


def test_sent_email_is_never_sent_twice(django_capture_on_commit_callbacks):
    email = queue(django_capture_on_commit_callbacks)
    assert send_outgoing_email.call(email.pk) == "skipped"
    assert len(mail.outbox) == 1


def test_organisers_see_the_mail_log_read_only(client, django_user_model, django_capture_on_commit_callbacks):
    from django.contrib.auth.models import Group

    from core.permissions import CONTEST_ORGANISERS

    email = queue(django_capture_on_commit_callbacks)
    organiser = django_user_model.objects.create_user("org", "org@imc-centr.example", "pass")
    organiser.groups.add(Group.objects.get(name=CONTEST_ORGANISERS))
    client.force_login(organiser)
    listing = client.get("/admin/snippets/core/outgoingemail/")
    assert listing.status_code == 200 and "Вопрос методисту № 7" in listing.content.decode()
    assert "Отправлено" in listing.content.decode()
    assert client.get(f"/admin/snippets/core/outgoingemail/edit/{email.pk}/").status_code in (302, 403)
    assert client.get(f"/admin/snippets/core/outgoingemail/inspect/{email.pk}/").status_code == 200

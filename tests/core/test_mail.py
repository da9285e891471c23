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


# -- every message through the queue ---------------------------------------------------------------

QUEUED = "core.mail.QueuedEmailBackend"
SMTP = "django.core.mail.backends.smtp.EmailBackend"


@pytest.fixture
def queued_mail(settings):
    """Django's test set-up swaps EMAIL_BACKEND for locmem; put the site's queue back."""
    settings.EMAIL_BACKEND = QUEUED


@pytest.fixture
def silent_mail_server():
    """A mail server that accepts the connection and never answers: the probe's dead server."""
    import socket

    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    yield server.getsockname()[1]
    server.close()


@pytest.mark.usefixtures("queued_mail")
def test_django_mail_is_stored_whole_and_sent_only_after_commit(django_capture_on_commit_callbacks):
    from django.core.mail import EmailMultiAlternatives

    message = EmailMultiAlternatives(
        "Сводка",
        "Текст письма",
        "Организатор <org@imc-centr.example>",
        ["a@school.example", '"Иванов, Пётр" <b@school.example>'],
        cc=["c@school.example"],
        bcc=["d@school.example"],
        reply_to=["reply@imc-centr.example"],
        headers={"Auto-Submitted": "auto-generated"},
    )
    message.attach_alternative("<p>Текст <b>письма</b></p>", "text/html")
    message.attach("itogi.csv", "место;работа\n1;Квест\n", "text/csv")
    with django_capture_on_commit_callbacks(execute=True):
        assert message.send() == 1
        assert not mail.outbox  # nothing leaves inside the transaction
    email = OutgoingEmail.objects.get()
    assert email.status == OutgoingEmail.Status.SENT and email.purpose == "admin_notification"
    sent = mail.outbox[0]
    assert sent.to == ["a@school.example", '"Иванов, Пётр" <b@school.example>']
    assert (sent.cc, sent.bcc, sent.reply_to) == (
        ["c@school.example"],
        ["d@school.example"],
        ["reply@imc-centr.example"],
    )
    assert sent.from_email == "Организатор <org@imc-centr.example>"
    assert sent.body == "Текст письма" and sent.alternatives[0][0] == "<p>Текст <b>письма</b></p>"
    assert sent.extra_headers["Auto-Submitted"] == "auto-generated"
    assert sent.attachments[0][0] == "itogi.csv" and "Квест" in sent.attachments[0][1]


@pytest.mark.usefixtures("queued_mail")
def test_mail_admins_and_password_reset_are_queued(client, django_user_model, django_capture_on_commit_callbacks):
    from django.core.mail import mail_admins

    django_user_model.objects.create_superuser("boss", "boss@imc-centr.example", "pass-pass-pass-1")
    with (
        override_settings(ADMINS=[("Админ", "admin@imc-centr.example")]),
        django_capture_on_commit_callbacks(execute=False) as callbacks,
    ):
        mail_admins("Ошибка", "Трассировка")
        response = client.post("/admin/password_reset/", {"email": "boss@imc-centr.example"})
    assert response.status_code == 302
    assert not mail.outbox and len(callbacks) == 2  # stored, waiting for the commit
    assert OutgoingEmail.objects.filter(status=OutgoingEmail.Status.PENDING, purpose="system").count() == 2
    for callback in callbacks:
        callback()
    assert sorted(m.to[0] for m in mail.outbox) == ["admin@imc-centr.example", "boss@imc-centr.example"]


def test_the_log_never_shows_a_letters_text(client, django_user_model, django_capture_on_commit_callbacks):
    """Password reset links are in the log now: organisers see that a letter went, not its link."""
    email = queue(django_capture_on_commit_callbacks)
    OutgoingEmail.objects.filter(pk=email.pk).update(body="Ссылка: /admin/password_reset/secret-token/")
    client.force_login(django_user_model.objects.create_superuser("root", "root@imc-centr.example", "x"))
    page = client.get(f"/admin/snippets/core/outgoingemail/inspect/{email.pk}/").content.decode()
    assert "Вопрос методисту № 7" in page and "secret-token" not in page


@pytest.mark.usefixtures("queued_mail")
def test_a_silent_mail_server_costs_the_sender_nothing(
    silent_mail_server, django_capture_on_commit_callbacks, settings
):
    """Wagtail's notification send_mail with a mail server that never answers: the caller returns at
    once; the delivery task gives up after EMAIL_TIMEOUT and leaves the message for retry_emails."""
    import time

    from wagtail.admin.mail import send_mail

    settings.EMAIL_DELIVERY_BACKEND = SMTP
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", silent_mail_server, 1
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        started = time.monotonic()
        assert send_mail("Работа ждёт модерации", "Текст", ["mod@imc-centr.example"]) == 1
        assert time.monotonic() - started < 0.5
    started = time.monotonic()
    for callback in callbacks:
        callback()  # the task, as the worker would run it
    assert 0.8 < time.monotonic() - started < 3  # bounded by EMAIL_TIMEOUT, not 30 s
    email = OutgoingEmail.objects.get()
    assert email.status == OutgoingEmail.Status.RETRY and "timed out" in email.last_error


def test_timeout_and_file_path_reach_the_delivery_backend(tmp_path, settings, django_capture_on_commit_callbacks):
    """The file backend needs EMAIL_FILE_PATH (it failed before it was read from the environment)."""
    settings.EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = str(tmp_path / "mail")
    email = queue(django_capture_on_commit_callbacks)
    email.refresh_from_db()
    assert email.status == OutgoingEmail.Status.SENT
    [written] = (tmp_path / "mail").iterdir()
    assert "metodist@imc-centr.example" in written.read_text()
    settings.EMAIL_DELIVERY_BACKEND = SMTP
    settings.EMAIL_TIMEOUT = 7
    from core.mail import build_message

    assert build_message(email).connection.timeout == 7


def test_queue_cannot_deliver_through_itself(settings, django_capture_on_commit_callbacks):
    settings.EMAIL_DELIVERY_BACKEND = QUEUED
    email = queue(django_capture_on_commit_callbacks)
    email.refresh_from_db()
    assert email.status == OutgoingEmail.Status.RETRY and "ImproperlyConfigured" in email.last_error
    assert OutgoingEmail.objects.count() == 1


def test_a_pending_message_whose_task_was_lost_is_sent_by_retry_emails(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):  # the queue was down: never enqueued
        email = queue_email("x@imc-centr.example", "Тема", TEMPLATE, {"question": _Question}, purpose="question")
    assert retry_due_emails() == 0  # may still be waiting for the worker
    OutgoingEmail.objects.filter(pk=email.pk).update(created_at=timezone.now() - timedelta(minutes=20))
    assert retry_due_emails() == 1
    email.refresh_from_db()
    assert email.status == OutgoingEmail.Status.SENT and len(mail.outbox) == 1

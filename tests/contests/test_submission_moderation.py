"""A contest application is one transaction that always ends in moderation; mail never touches it.

The probe: with a dead mail server an application took 30 s, the worker was killed, the visitor got
«Internal Server Error» and the draft stayed outside moderation. Here the delivery transport is SMTP
on a closed port with EMAIL_TIMEOUT 1 and tasks run immediately (the harshest case: the send runs in
the request's process right after the commit).
"""

import io
import time
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db.transaction import on_commit as real_on_commit
from django.test import Client
from django.utils import timezone
from PIL import Image
from wagtail.images import get_image_model
from wagtail.models import WorkflowState

from contests.models import ContestEntryPage
from core.models import ConsentRecord, OutgoingEmail

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("altcha_test_mode")]
TITLE = "Квест «Лабиринт паролей»"


@pytest.fixture(autouse=True)
def _real_on_commit(monkeypatch, settings):
    """The contests conftest sends mail at once; here the commit matters, and the queue is the site's."""
    monkeypatch.setattr("django.db.transaction.on_commit", real_on_commit)
    settings.EMAIL_BACKEND = "core.mail.QueuedEmailBackend"


@pytest.fixture
def open_for_entries(make_contest):
    now = timezone.now()
    return make_contest(
        state="none", submission_opens_at=now - timedelta(days=1), submission_closes_at=now + timedelta(days=5)
    )


@pytest.fixture
def moderator(db):
    """Wagtail notifies superusers of every submission, whichever workflow applies."""
    return get_user_model().objects.create_superuser("moderator", "moderator@imc-centr.example", "x")


def _png():
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "#0b4f8a").save(buffer, "PNG")
    return SimpleUploadedFile("cover.png", buffer.getvalue(), content_type="image/png")


def submit(contest, client=None):
    data = {
        "title": TITLE,
        "authors": "Соколова Елена Андреевна",
        "organisation": "ГБОУ школа № 204",
        "nomination": contest.nominations.first().pk,
        "description": "Квест для 5–6 классов.",
        "email": "sokolova@school204.example",
        "consent": "on",
        "altcha": "test",
        "website": "",
        "image": _png(),
    }
    return (client or Client()).post(contest.url + "zayavka/", data, REMOTE_ADDR="203.0.113.99")


def in_moderation(entry) -> bool:
    return WorkflowState.objects.filter(object_id=str(entry.pk), status=WorkflowState.STATUS_IN_PROGRESS).exists()


def test_dead_mail_server_application_still_succeeds_and_reaches_moderation(
    open_for_entries, moderator, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 1, 1
    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):
        response = submit(open_for_entries)
    elapsed = time.monotonic() - started

    assert response.status_code == 200 and "Заявка принята" in response.content.decode()
    assert elapsed < 5, elapsed
    entry = ContestEntryPage.objects.get(title=TITLE)
    assert not entry.live and in_moderation(entry)
    # The submitter's receipt and the moderator's notification: stored, failed, waiting for retry_emails.
    emails = OutgoingEmail.objects.all()
    assert {e.purpose for e in emails} == {"contest_submission", "admin_notification"}
    assert all(e.status == OutgoingEmail.Status.RETRY and "Connection refused" in e.last_error for e in emails)
    assert not mail.outbox

    # The mail server is back: retry_emails delivers both.
    settings.EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    OutgoingEmail.objects.update(next_attempt_at=timezone.now())
    call_command("retry_emails", stdout=io.StringIO())
    assert {m.to[0] for m in mail.outbox} == {"moderator@imc-centr.example", "sokolova@school204.example"}
    assert len(mail.outbox) == emails.count()
    assert set(OutgoingEmail.objects.values_list("status", flat=True)) == {OutgoingEmail.Status.SENT}


def test_application_is_all_or_nothing(open_for_entries, monkeypatch, django_capture_on_commit_callbacks):
    """If moderation cannot start, nothing of the application stays: no draft outside moderation."""
    images_before = get_image_model().objects.count()

    def broken(entry):
        raise RuntimeError("workflow unavailable")

    monkeypatch.setattr("contests.moderation.start_moderation", broken)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = submit(open_for_entries, Client(raise_request_exception=False))
    assert response.status_code == 500
    assert not ContestEntryPage.objects.filter(title=TITLE).exists()
    assert not ConsentRecord.objects.filter(purpose="contest_submission").exists()
    assert get_image_model().objects.count() == images_before
    assert not OutgoingEmail.objects.exists() and not callbacks and not mail.outbox


def test_start_pending_moderation_puts_orphaned_drafts_into_moderation(
    open_for_entries, monkeypatch, moderator, django_capture_on_commit_callbacks
):
    # An orphan as the old code left it: the draft saved, moderation never started.
    monkeypatch.setattr("contests.moderation.start_moderation", lambda entry: None)
    with django_capture_on_commit_callbacks(execute=True):
        submit(open_for_entries)
    orphan = ContestEntryPage.objects.get(title=TITLE)
    monkeypatch.undo()
    monkeypatch.setattr("django.db.transaction.on_commit", real_on_commit)
    # Left alone: a draft an editor writes in the admin (no consent from the site) ...
    editors_draft = ContestEntryPage(title="Черновик редактора", slug="chernovik", authors="Редактор", live=False)
    open_for_entries.add_child(instance=editors_draft)
    # ... and an application a moderator already dealt with (its workflow was cancelled).
    with django_capture_on_commit_callbacks(execute=True):
        submit(open_for_entries, Client(REMOTE_ADDR="203.0.113.7"))
    handled = ContestEntryPage.objects.exclude(pk=orphan.pk).get(title=TITLE)
    WorkflowState.objects.filter(object_id=str(handled.pk)).update(status=WorkflowState.STATUS_CANCELLED)
    assert not in_moderation(orphan) and not in_moderation(handled)
    mail.outbox.clear()

    out = io.StringIO()
    call_command("start_pending_moderation", "--dry-run", stdout=out)
    assert f"#{orphan.pk}" in out.getvalue() and "Найдено без модерации: 1" in out.getvalue()
    assert not in_moderation(orphan)

    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("start_pending_moderation", stdout=out)
    assert "Отправлено на модерацию: 1;" in out.getvalue()
    assert in_moderation(orphan) and not in_moderation(handled) and not in_moderation(editors_draft)
    # Moderators are told, through the queue.
    assert mail.outbox and {m.to[0] for m in mail.outbox} == {"moderator@imc-centr.example"}
    assert OutgoingEmail.objects.filter(purpose="admin_notification", status=OutgoingEmail.Status.SENT).exists()

    out = io.StringIO()
    call_command("start_pending_moderation", stdout=out)
    assert "Отправлено на модерацию: 0;" in out.getvalue()

"""Outgoing e-mail through Django's mail API, sent outside the request by django-tasks.

    queue_email(to, subject, "events/emails/confirm.txt", context, purpose="event_registration")

Tests run tasks immediately (ImmediateBackend) and read django.core.mail.outbox.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django_tasks import task

from .models import OutgoingEmail

logger = logging.getLogger(__name__)
MAX_ATTEMPTS = 5
BACKOFF = [timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=30), timedelta(hours=2)]


def queue_email(to: str, subject: str, template: str, context: dict, purpose: str) -> OutgoingEmail:
    """Stores the message and sends it after the current transaction commits."""
    body = render_to_string(template, context)
    email = OutgoingEmail.objects.create(to=to, subject=subject, body=body, purpose=purpose)
    transaction.on_commit(lambda: send_outgoing_email.enqueue(email.pk))
    return email


@task()
def send_outgoing_email(email_id: int) -> str:
    with transaction.atomic():
        email = OutgoingEmail.objects.select_for_update().filter(pk=email_id).first()
        if email is None or email.status in (OutgoingEmail.Status.SENT, OutgoingEmail.Status.FAILED):
            return "skipped"
        email.attempts += 1
        try:
            EmailMessage(email.subject, email.body, settings.DEFAULT_FROM_EMAIL, [email.to]).send()
        except Exception as exc:  # noqa: BLE001 - any transport error is recorded and retried
            logger.warning("e-mail %s failed (attempt %s): %s", email.pk, email.attempts, exc)
            email.last_error = f"{type(exc).__name__}: {exc}"
            if email.attempts >= MAX_ATTEMPTS:
                email.status = OutgoingEmail.Status.FAILED
                email.next_attempt_at = None
            else:
                email.status = OutgoingEmail.Status.RETRY
                email.next_attempt_at = timezone.now() + BACKOFF[min(email.attempts - 1, len(BACKOFF) - 1)]
            email.save()
            return email.status
        email.status = OutgoingEmail.Status.SENT
        email.sent_at = timezone.now()
        email.next_attempt_at = None
        email.last_error = ""
        email.save()
        return email.status


def retry_due_emails(now=None) -> int:
    """Re-enqueues failed sends whose back-off has passed; returns how many."""
    now = now or timezone.now()
    due = list(
        OutgoingEmail.objects.filter(status=OutgoingEmail.Status.RETRY, next_attempt_at__lte=now).values_list(
            "pk", flat=True
        )
    )
    for pk in due:
        send_outgoing_email.enqueue(pk)
    return len(due)

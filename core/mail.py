"""Outgoing e-mail: every message is stored as an OutgoingEmail and sent by django-tasks, never in the request.

    queue_email(to, subject, "events/emails/confirm.txt", context, purpose="event_registration")

Mail that other code sends through Django's API — Wagtail's moderation notifications, password
reset, mail_admins — takes the same road: settings.EMAIL_BACKEND is QueuedEmailBackend, which only
stores the message and enqueues the send after the transaction commits. The transport that really
delivers (SMTP in production, with EMAIL_TIMEOUT) is settings.EMAIL_DELIVERY_BACKEND, used by the
task alone. So a dead mail server costs a request nothing: the message waits as «Ошибка, будет
повторено» for `manage.py retry_emails`.

Tests run tasks immediately (ImmediateBackend) and read django.core.mail.outbox (locmem delivery).
"""

import base64
import logging
from datetime import timedelta
from email.mime.base import MIMEBase

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import EmailMessage, EmailMultiAlternatives, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django_tasks import task

from . import tokens
from .models import OutgoingEmail
from .siteurl import public_origin

logger = logging.getLogger(__name__)
MAX_ATTEMPTS = 5
BACKOFF = [timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=30), timedelta(hours=2)]
# A row still pending after this long lost its task (the queue was down when it was enqueued).
STALE_PENDING = timedelta(minutes=15)
# Purpose of a message that arrives through Django's mail API rather than queue_email.
WAGTAIL_NOTIFICATION = "admin_notification"
SYSTEM = "system"


def queue_email(to: str, subject: str, template: str, context: dict, purpose: str, secret_tokens=()) -> OutgoingEmail:
    """Stores the message and sends it after the current transaction commits.

    `secret_tokens`: link tokens in the text (core.tokens); the stored copy loses them once delivered.
    Every template extends templates/emails/base.txt, whose signature links `site_url`.
    """
    body = render_to_string(template, {"site_url": public_origin(), **context})
    return queue_message(EmailMessage(subject, body, None, [to]), purpose, secret_tokens)


def queue_message(message: EmailMessage, purpose: str, secret_tokens=()) -> OutgoingEmail:
    """Stores a Django EmailMessage (recipients, sender, reply-to, headers, HTML, attachments) and
    enqueues its send on commit: rolled back with the transaction, never sent from the request."""
    html = ""
    for content, mimetype in getattr(message, "alternatives", None) or []:
        if mimetype == "text/html":
            html = content
    email = OutgoingEmail.objects.create(
        to=_lines(message.to),
        cc=_lines(message.cc),
        bcc=_lines(message.bcc),
        reply_to=_lines(message.reply_to),
        from_email=message.from_email or "",
        subject=str(message.subject)[:250],
        body=message.body or "",
        html_body=html,
        headers={str(k): str(v) for k, v in (message.extra_headers or {}).items()},
        attachments=[_attachment(item) for item in message.attachments],
        purpose=purpose[:50],
        token_hashes=[tokens.digest(token) for token in secret_tokens],
    )
    # robust: a queue that is down must not turn a committed request into a 500; the row stays
    # pending and retry_emails picks it up.
    transaction.on_commit(lambda: _enqueue(email.pk), robust=True)
    return email


def _enqueue(email_id: int) -> None:
    send_outgoing_email.enqueue(email_id)


class QueuedEmailBackend(BaseEmailBackend):
    """settings.EMAIL_BACKEND: whoever sends mail through Django, the message goes to the queue."""

    def send_messages(self, email_messages):
        count = 0
        for message in email_messages:
            if not message.recipients():
                continue
            headers = message.extra_headers or {}
            purpose = WAGTAIL_NOTIFICATION if "Auto-Submitted" in headers else SYSTEM
            queue_message(message, purpose)
            count += 1
        return count


@task()
def send_outgoing_email(email_id: int) -> str:
    with transaction.atomic():
        email = OutgoingEmail.objects.select_for_update().filter(pk=email_id).first()
        if email is None or email.status in (OutgoingEmail.Status.SENT, OutgoingEmail.Status.FAILED):
            return "skipped"
        email.attempts += 1
        try:
            build_message(email).send()
        except Exception as exc:  # noqa: BLE001 - any transport error is recorded and retried
            logger.warning("e-mail %s failed (attempt %s): %s", email.pk, email.attempts, exc)
            email.last_error = f"{type(exc).__name__}: {exc}"
            if email.attempts >= MAX_ATTEMPTS:
                email.status = OutgoingEmail.Status.FAILED
                email.next_attempt_at = None
            else:
                email.status = OutgoingEmail.Status.RETRY
                email.next_attempt_at = timezone.now() + BACKOFF[min(email.attempts - 1, len(BACKOFF) - 1)]
            if email.status == OutgoingEmail.Status.FAILED:
                blank_tokens(email)
            email.save()
            return email.status
        email.status = OutgoingEmail.Status.SENT
        email.sent_at = timezone.now()
        email.next_attempt_at = None
        email.last_error = ""
        blank_tokens(email)
        email.save()
        return email.status


LINK_BLANKED = "[ссылка скрыта после отправки]"


def blank_tokens(email: OutgoingEmail) -> None:
    """Replaces the message's link tokens by a placeholder: the log keeps what was sent, not a key
    that still confirms or cancels something (core.tokens keeps only hashes)."""
    if not email.token_hashes:
        return
    wanted = set(email.token_hashes)

    def blank(match):
        return LINK_BLANKED if tokens.digest(match.group(0)) in wanted else match.group(0)

    email.body = tokens.TOKEN_IN_TEXT.sub(blank, email.body)
    email.html_body = tokens.TOKEN_IN_TEXT.sub(blank, email.html_body)
    email.token_hashes = []


def build_message(email: OutgoingEmail) -> EmailMultiAlternatives:
    """The stored message, bound to the real transport (EMAIL_DELIVERY_BACKEND, EMAIL_TIMEOUT)."""
    if settings.EMAIL_DELIVERY_BACKEND.endswith("QueuedEmailBackend"):
        # Would queue itself again on every attempt.
        raise ImproperlyConfigured("EMAIL_BACKEND must name a transport (e.g. SMTP), not the queue.")
    message = EmailMultiAlternatives(
        email.subject,
        email.body,
        email.from_email or settings.DEFAULT_FROM_EMAIL,
        _split(email.to),
        bcc=_split(email.bcc),
        cc=_split(email.cc),
        reply_to=_split(email.reply_to),
        headers=email.headers or None,
        connection=get_connection(settings.EMAIL_DELIVERY_BACKEND, timeout=settings.EMAIL_TIMEOUT),
    )
    if email.html_body:
        message.attach_alternative(email.html_body, "text/html")
    for item in email.attachments or []:
        message.attach(item["filename"], base64.b64decode(item["content"]), item["mimetype"])
    return message


def retry_due_emails(now=None) -> int:
    """Re-enqueues failed sends whose back-off has passed, and pending rows whose task was lost;
    returns how many. Sending twice is impossible: the task skips a row already sent."""
    now = now or timezone.now()
    due = list(
        OutgoingEmail.objects.filter(status=OutgoingEmail.Status.RETRY, next_attempt_at__lte=now).values_list(
            "pk", flat=True
        )
    )
    due += OutgoingEmail.objects.filter(
        status=OutgoingEmail.Status.PENDING, created_at__lte=now - STALE_PENDING
    ).values_list("pk", flat=True)
    for pk in due:
        send_outgoing_email.enqueue(pk)
    return len(due)


def _lines(addresses) -> str:
    return "\n".join(str(address) for address in addresses or [] if address)


def _split(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _attachment(item) -> dict:
    if isinstance(item, MIMEBase):
        return {
            "filename": item.get_filename() or "attachment",
            "content": base64.b64encode(item.get_payload(decode=True) or b"").decode("ascii"),
            "mimetype": item.get_content_type(),
        }
    filename, content, mimetype = item
    if isinstance(content, str):
        content = content.encode()
    return {
        "filename": filename or "attachment",
        "content": base64.b64encode(content).decode("ascii"),
        "mimetype": mimetype or "application/octet-stream",
    }

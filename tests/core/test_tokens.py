"""core.tokens: the one confirm-by-e-mail-link mechanism (votes, event registrations), and the
outgoing-mail log that forgets a link's token once the message is delivered."""

from datetime import timedelta

import pytest
from django.apps import apps
from django.core import mail
from django.db import connection, models
from django.db.models.functions import Cast
from django.utils import timezone

from core import tokens
from core.mail import LINK_BLANKED, MAX_ATTEMPTS, queue_message, send_outgoing_email
from core.models import OutgoingEmail


def rows_containing(text: str) -> list[str]:
    """Every model row, in any table of the project, whose text (char, text or JSON column) holds `text`."""
    found = []
    tables = set(connection.introspection.table_names())
    for model in apps.get_models():
        if not model._meta.managed or model._meta.proxy or model._meta.db_table not in tables:
            continue
        for field in model._meta.concrete_fields:
            if not isinstance(field, models.CharField | models.TextField | models.JSONField):
                continue
            hits = (
                model._default_manager.annotate(_as_text=Cast(field.name, models.TextField()))
                .filter(_as_text__contains=text)
                .count()
            )
            if hits:
                found.append(f"{model._meta.label}.{field.name}")
    return found


def test_a_new_token_is_long_random_and_only_its_digest_is_for_the_database():
    token, digest = tokens.new_token()
    other, _ = tokens.new_token()
    assert token != other and len(token) == 43
    assert tokens.TOKEN_IN_TEXT.fullmatch(token)
    assert digest == tokens.digest(token) and len(digest) == 64 and token not in digest


@pytest.mark.parametrize(
    ("found", "used", "expires_in", "state", "status"),
    [
        (False, False, None, tokens.LinkState.INVALID, 404),
        (True, True, -3600, tokens.LinkState.USED, 200),  # used beats expired: the job is done, say so
        (True, False, -1, tokens.LinkState.EXPIRED, 410),
        (True, False, 3600, tokens.LinkState.VALID, 200),
        (True, False, None, tokens.LinkState.VALID, 200),
    ],
)
def test_one_order_of_answers(found, used, expires_in, state, status):
    now = timezone.now()
    expires_at = now + timedelta(seconds=expires_in) if expires_in is not None else None
    assert tokens.link_state(found=found, used=used, expires_at=expires_at, now=now) == state
    assert tokens.HTTP_STATUS[state] == status


def test_a_link_expires_exactly_ttl_after_it_was_issued():
    policy = tokens.LinkPolicy(ttl=timedelta(hours=2))
    issued = timezone.now()
    expires_at = policy.expires_at(issued)
    assert not tokens.is_expired(expires_at, issued + timedelta(hours=2) - timedelta(seconds=1))
    assert tokens.is_expired(expires_at, issued + timedelta(hours=2))


@pytest.mark.parametrize("token", ["", "x" * 101])
def test_empty_or_overlong_input_is_not_looked_up(token):
    assert not tokens.plausible(token)


@pytest.mark.django_db
def test_the_mail_log_blanks_the_token_once_the_message_is_delivered(django_capture_on_commit_callbacks):
    from django.core.mail import EmailMessage

    token, _ = tokens.new_token()
    keep = "a" * 43  # a slug-like word of the same length that is not a token stays as it was
    body = f"Подтвердите: https://imc.example.ru/r/{token}/confirm/\nСтраница: https://imc.example.ru/{keep}/"
    with django_capture_on_commit_callbacks(execute=True):
        queue_message(EmailMessage("Тема", body, None, ["teacher@example.ru"]), "test", secret_tokens=[token])

    (sent,) = mail.outbox
    assert token in sent.body  # the person gets the working link
    stored = OutgoingEmail.objects.get()
    assert stored.status == OutgoingEmail.Status.SENT
    assert token not in stored.body and f"/r/{LINK_BLANKED}/confirm/" in stored.body
    assert f"/{keep}/" in stored.body
    assert stored.token_hashes == []
    assert rows_containing(token) == []


@pytest.mark.django_db
def test_an_undelivered_message_keeps_its_token_for_the_retry_until_it_is_given_up(
    django_capture_on_commit_callbacks, settings
):
    from django.core.mail import EmailMessage

    settings.EMAIL_DELIVERY_BACKEND = "tests.core.test_mail.FailingBackend"
    token, _ = tokens.new_token()
    with django_capture_on_commit_callbacks(execute=True):
        queue_message(EmailMessage("Тема", f"/r/{token}/", None, ["t@example.ru"]), "test", secret_tokens=[token])
    stored = OutgoingEmail.objects.get()
    assert stored.status == OutgoingEmail.Status.RETRY
    assert token in stored.body
    for _ in range(MAX_ATTEMPTS - 1):
        send_outgoing_email.call(stored.pk)
    stored.refresh_from_db()
    assert stored.status == OutgoingEmail.Status.FAILED and token not in stored.body

"""Every e-mail the site writes extends templates/emails/base.txt: one greeting style, one signature."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail

from core.mail import queue_email
from core.siteurl import public_origin

ROOT = Path(settings.BASE_DIR)
EMAIL_TEMPLATES = sorted(
    path
    for path in ROOT.glob("*/templates/*/emails/*.txt")
    if not path.name.startswith("_") and ".venv" not in path.parts  # _event.txt is a partial
)


def test_the_apps_have_e_mail_templates():
    assert {path.parts[len(ROOT.parts)] for path in EMAIL_TEMPLATES} >= {"events", "contests", "methodists"}


@pytest.mark.parametrize("path", EMAIL_TEMPLATES, ids=lambda path: str(path.relative_to(ROOT)))
def test_every_e_mail_template_extends_the_base(path):
    assert path.read_text().startswith('{% extends "emails/base.txt" %}')


@pytest.mark.django_db
def test_a_message_has_the_signature_and_is_not_html_escaped(django_capture_on_commit_callbacks):
    class Entry:
        title = 'Мы & «Интернет» — "безопасно"'

    with django_capture_on_commit_callbacks(execute=True):
        queue_email(
            "teacher@example.ru",
            "Заявка принята",
            "contests/emails/submission_received.txt",
            {"entry": Entry, "contest": {"title": "Дети <в> Интернете"}},
            purpose="test",
        )
    (message,) = mail.outbox
    assert message.body.startswith("Здравствуйте!\n\n")
    assert 'Мы & «Интернет» — "безопасно"' in message.body and "Дети <в> Интернете" in message.body
    assert message.body.endswith(f"\n\n--\nИнформационно-методический центр\n{public_origin()}\n")

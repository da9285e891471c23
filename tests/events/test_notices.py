"""Registrants hear about a change when it is published (Wagtail's page_published), not when an editor
saves a draft or schedules the change: the page they would open must already show it."""

import io
from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from core.consent import current_document
from core.models import ConsentRecord
from events.models import Registration, Status


@pytest.fixture
def registered_event(make_event):
    event = make_event("Семинар «Финансовая грамотность»", registration_open=True)
    document = current_document("event_registration")
    consent = ConsentRecord.objects.create(
        document=document, revision_id=document.live_revision_id, purpose="event_registration", subnet_hash="a" * 64
    )
    Registration.objects.create(
        event=event,
        full_name="Петрова Анна Сергеевна",
        organisation="ГБДОУ детский сад № 8",
        position="воспитатель",
        email="petrova@example.ru",
        confirmed_at=timezone.now(),
        consent=consent,
    )
    mail.outbox.clear()
    return event


def test_a_saved_draft_tells_nobody_and_its_publish_tells_the_registrants(
    registered_event, django_capture_on_commit_callbacks
):
    event = registered_event
    event.status = Status.CANCELLED
    with django_capture_on_commit_callbacks(execute=True):
        revision = event.save_revision()
    assert mail.outbox == []  # a draft: the public page still says the event takes place

    with django_capture_on_commit_callbacks(execute=True):
        revision.publish()
    assert [(m.to, m.subject) for m in mail.outbox] == [
        (["petrova@example.ru"], "Мероприятие отменено: «Семинар «Финансовая грамотность»»")
    ]


def test_a_scheduled_move_is_told_when_it_goes_live(registered_event, django_capture_on_commit_callbacks):
    event = registered_event
    event.start, event.end = event.start + timedelta(days=7), event.end + timedelta(days=7)
    event.go_live_at = timezone.now() + timedelta(hours=1)
    with django_capture_on_commit_callbacks(execute=True):
        event.save_revision().publish()
    assert mail.outbox == []  # the public page still shows the old date

    later = timezone.now() + timedelta(hours=2)
    with mock.patch("django.utils.timezone.now", return_value=later), django_capture_on_commit_callbacks(execute=True):
        call_command("publish_scheduled", stdout=io.StringIO())
    assert [m.subject for m in mail.outbox] == ["Изменились дата, время или место: «Семинар «Финансовая грамотность»»"]

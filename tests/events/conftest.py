"""Fixtures for the calendar: vocabularies, the calendar page and a factory for published events."""

from datetime import datetime

import pytest
from django.utils import timezone

from events.models import MSK

from .factories import AudienceFactory, EventPageFactory, EventTypeFactory, SubjectFactory, VenueFactory


def msk(year, month, day, hour=0, minute=0):
    return timezone.make_aware(datetime(year, month, day, hour, minute), MSK)


@pytest.fixture
def vocab(db):
    return {
        "seminar": EventTypeFactory(name="Семинар", slug="seminar", sort_order=1),
        "webinar": EventTypeFactory(name="Вебинар", slug="webinar", sort_order=2),
        "rumo": EventTypeFactory(name="РУМО", slug="rumo", sort_order=3),
        "dou": AudienceFactory(name="Педагоги ДОУ", slug="dou", sort_order=1),
        "ou": AudienceFactory(name="Учителя ОУ", slug="ou", sort_order=2),
        "leaders": AudienceFactory(name="Руководители", slug="leaders", sort_order=3),
        "math": SubjectFactory(name="Математика", slug="math"),
        "venue": VenueFactory(name="ГБОУ школа № 204", address="ул. Чайковского, д. 32"),
        "venue2": VenueFactory(name="ГБОУ гимназия № 171", address="ул. Фурштатская, д. 33"),
    }


@pytest.fixture
def index(events_index):
    """The calendar (/events/) of the base page tree."""
    return events_index


@pytest.fixture
def make_event(index, vocab):
    """EventPageFactory with this module's vocabulary: audiences given by vocab key."""

    def factory(title="Семинар для руководителей", audiences=("ou",), publish=True, **fields):
        fields.setdefault("event_type", vocab["seminar"])
        if fields.get("format", "offline") == "offline":
            fields.setdefault("venue", vocab["venue"])
        return EventPageFactory(
            parent=index, title=title, audiences=[vocab[a] for a in audiences], live=publish, **fields
        )

    return factory

"""Fixtures for the calendar: vocabularies, the calendar page and a factory for published events."""

import itertools
from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from core.models import Subject
from events.models import MSK, Audience, EventIndexPage, EventPage, EventType, Venue

_counter = itertools.count(1)


def msk(year, month, day, hour=0, minute=0):
    return timezone.make_aware(datetime(year, month, day, hour, minute), MSK)


@pytest.fixture
def vocab(db):
    return {
        "seminar": EventType.objects.create(name="Семинар", slug="seminar", sort_order=1),
        "webinar": EventType.objects.create(name="Вебинар", slug="webinar", sort_order=2),
        "rumo": EventType.objects.create(name="РУМО", slug="rumo", sort_order=3),
        "dou": Audience.objects.create(name="Педагоги ДОУ", slug="dou", sort_order=1),
        "ou": Audience.objects.create(name="Учителя ОУ", slug="ou", sort_order=2),
        "leaders": Audience.objects.create(name="Руководители", slug="leaders", sort_order=3),
        "math": Subject.objects.create(name="Математика", slug="math"),
        "venue": Venue.objects.create(name="ГБОУ школа № 204", address="ул. Чайковского, д. 32"),
        "venue2": Venue.objects.create(name="ГБОУ гимназия № 171", address="ул. Фурштатская, д. 33"),
    }


@pytest.fixture
def index(home_page):
    page = EventIndexPage(title="Календарь мероприятий", slug="events", show_in_menus=True)
    home_page.add_child(instance=page)
    page.save_revision().publish()
    return page


@pytest.fixture
def make_event(index, vocab):
    def factory(title="Семинар для руководителей", start=None, end=None, audiences=("ou",), publish=True, **fields):
        start = start or (timezone.now() + timedelta(days=3)).replace(microsecond=0)
        fields.setdefault("event_type", vocab["seminar"])
        if fields.get("format", "offline") == "offline":
            fields.setdefault("venue", vocab["venue"])
        exceptions = fields.pop("exceptions", [])
        page = EventPage(
            title=title,
            slug=fields.pop("slug", f"event-{next(_counter)}"),
            start=start,
            end=end or start + timedelta(hours=2),
            audiences=[vocab[a] for a in audiences],
            exceptions=exceptions,
            **fields,
        )
        page.live = publish
        index.add_child(instance=page)
        if publish:
            page.save_revision().publish()
        page.refresh_from_db()
        return page

    return factory

"""Factories for the calendar: its vocabularies, venues, the calendar page and events."""

from datetime import timedelta

import factory
from django.utils import timezone

from events.models import Audience, EventIndexPage, EventPage, EventType, Venue
from tests.core.factories import PageFactory, SubjectFactory

__all__ = [
    "AudienceFactory",
    "EventIndexPageFactory",
    "EventPageFactory",
    "EventTypeFactory",
    "SubjectFactory",
    "VenueFactory",
]


class _VocabularyFactory(factory.django.DjangoModelFactory):
    class Meta:
        abstract = True
        django_get_or_create = ("slug",)

    sort_order = factory.Sequence(lambda n: n + 1)


class EventTypeFactory(_VocabularyFactory):
    class Meta:
        model = EventType

    name = "Семинар"
    slug = "seminar"


class AudienceFactory(_VocabularyFactory):
    class Meta:
        model = Audience

    name = "Учителя ОУ"
    slug = "ou"


class VenueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Venue
        django_get_or_create = ("name",)

    name = "ГБОУ школа № 204"
    address = "ул. Чайковского, д. 32"


class EventIndexPageFactory(PageFactory):
    """/events/: one per site, part of the base page tree (tests/conftest.py); returned if it exists."""

    class Meta:
        model = EventIndexPage
        django_get_or_create = ("parent", "slug")

    title = "Календарь мероприятий"
    slug = "events"
    show_in_menus = True


def _in_three_days():
    return (timezone.now() + timedelta(days=3)).replace(microsecond=0)


class EventPageFactory(PageFactory):
    """A published offline seminar in three days, two hours long, for teachers; `live=False`: a draft."""

    class Meta:
        model = EventPage

    parent = factory.LazyFunction(lambda: EventIndexPageFactory())
    title = "Семинар для руководителей"
    slug = factory.Sequence(lambda n: f"event-{n}")
    start = factory.LazyFunction(_in_three_days)
    end = factory.LazyAttribute(lambda event: event.start + timedelta(hours=2))
    event_type = factory.SubFactory(EventTypeFactory)
    venue = factory.Maybe(
        factory.LazyAttribute(lambda event: event.format == "offline"), factory.SubFactory(VenueFactory), None
    )
    format = "offline"
    audiences = factory.LazyFunction(lambda: [AudienceFactory()])

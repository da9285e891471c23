"""A small site with every public page type, for the hostile-input tests (tests/core/test_hostile_input.py,
tests/core/test_fuzz_public.py): news with tags, a calendar with open registration, methodists and
their question form, a contest open for votes and entries, the sveden section (created by migration)."""

from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from contests.models import ContestIndexPage
from core.models import Subject
from events.models import Audience, EventIndexPage, EventPage, EventType, Venue
from methodists.models import MethodistIndexPage, MethodistPage
from tests.contests.conftest import ContestBuilder
from tests.news.factories import make_news, make_news_index, publish


@dataclass
class PublicSite:
    news: object
    events: EventIndexPage
    event: EventPage
    contest: object
    entry: object
    methodist_subject: str


def build_public_site(home) -> PublicSite:
    news_index = make_news_index(home)
    for number, tags in enumerate((["Семинары", "ЕГЭ"], ["Семинары"], ["Олимпиады"])):
        make_news(news_index, title=f"Новость центра {number}", tags=tags, image=number == 0)

    calendar = EventIndexPage(title="Календарь мероприятий", slug="events", show_in_menus=True)
    home.add_child(instance=calendar)
    publish(calendar)
    seminar = EventType.objects.create(name="Семинар", slug="seminar", sort_order=1)
    teachers = Audience.objects.create(name="Учителя ОУ", slug="ou", sort_order=1)
    maths = Subject.objects.create(name="Математика", slug="math")
    venue = Venue.objects.create(name="ГБОУ школа № 204", address="ул. Чайковского, д. 32")
    start = (timezone.now() + timedelta(days=3)).replace(microsecond=0)
    registering = None
    for number, moment in enumerate((start, start - timedelta(days=40))):
        event = EventPage(
            title=f"Семинар для учителей математики {number}",
            slug=f"seminar-{number}",
            start=moment,
            end=moment + timedelta(hours=2),
            event_type=seminar,
            subject=maths,
            venue=venue,
            audiences=[teachers],
            registration_open=number == 0,
            capacity=40,
        )
        calendar.add_child(instance=event)
        publish(event)
        if number == 0:
            registering = event

    subject = maths  # the site's one list serves the calendar and the methodists
    methodists = MethodistIndexPage(title="Методисты", slug="metodisty")
    home.add_child(instance=methodists)
    publish(methodists)
    methodist = MethodistPage(title="Соколова Марина Николаевна", slug="sokolova", email="math@imc.example")
    methodist.subjects = [subject]
    methodists.add_child(instance=methodist)
    publish(methodist)

    contests = ContestIndexPage(title="Конкурсы", slug="contests", show_in_menus=True)
    home.add_child(instance=contests)
    publish(contests)
    contest = ContestBuilder(contests)(
        entries_per_nomination=1,
        submission_opens_at=timezone.now() - timedelta(days=1),
        submission_closes_at=timezone.now() + timedelta(days=5),
    )
    return PublicSite(news_index, calendar, registering, contest, contest.entry_list[0], subject.slug)

"""A small site with every public page type, for the hostile-input tests (tests/core/test_hostile_input.py,
tests/core/test_fuzz_public.py): news with tags, a calendar with open registration, methodists and
their question form, a contest open for votes and entries, the sveden section (created by migration).
The sections are the base page tree's (tests/conftest.py)."""

from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from events.models import EventIndexPage, EventPage
from tests.contests.factories import ContestBuilder, ContestIndexPageFactory
from tests.core.factories import SubjectFactory
from tests.events.factories import EventIndexPageFactory, EventPageFactory
from tests.methodists.factories import MethodistPageFactory
from tests.news.factories import NewsIndexPageFactory, NewsPageFactory


@dataclass
class PublicSite:
    news: object
    events: EventIndexPage
    event: EventPage
    contest: object
    entry: object
    methodist_subject: str


def build_public_site(home) -> PublicSite:
    news_index = NewsIndexPageFactory(parent=home)
    for number, tags in enumerate((["Семинары", "ЕГЭ"], ["Семинары"], ["Олимпиады"])):
        fields = {} if number == 0 else {"main_image": None}
        NewsPageFactory(parent=news_index, title=f"Новость центра {number}", tags=tags, **fields)

    calendar = EventIndexPageFactory(parent=home)
    start = (timezone.now() + timedelta(days=3)).replace(microsecond=0)
    maths = SubjectFactory(name="Математика", slug="math")
    registering = EventPageFactory(
        parent=calendar,
        title="Семинар для учителей математики 0",
        slug="seminar-0",
        start=start,
        subject=maths,
        registration_open=True,
        capacity=40,
    )
    EventPageFactory(
        parent=calendar,
        title="Семинар для учителей математики 1",
        slug="seminar-1",
        start=start - timedelta(days=40),
        subject=maths,
        capacity=40,
    )

    subject = maths  # the site's one list serves the calendar and the methodists
    MethodistPageFactory(
        title="Соколова Марина Николаевна", slug="sokolova", email="math@imc.example", subjects=[subject]
    )

    contest = ContestBuilder(ContestIndexPageFactory(parent=home))(
        entries_per_nomination=1,
        submission_opens_at=timezone.now() - timedelta(days=1),
        submission_closes_at=timezone.now() + timedelta(days=5),
    )
    return PublicSite(news_index, calendar, registering, contest, contest.entry_list[0], subject.slug)

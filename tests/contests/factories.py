"""Factories for contests: the section, a contest with nominations and jury criteria, its entries."""

from datetime import timedelta

import factory
from django.utils import timezone

from contests.models import (
    ContestEntryPage,
    ContestIndexPage,
    ContestPage,
    JuryCriterion,
    Nomination,
    ResultsVisibility,
)
from tests.core.factories import PageFactory

NOMINATIONS = ("Урок безопасного интернета", "Памятка для родителей")
CRITERIA = (("Соответствие теме", 10, 2), ("Оригинальность", 10, 1))


class ContestIndexPageFactory(PageFactory):
    """/contests/: one per site, part of the base page tree (tests/conftest.py); returned if it exists.
    Saving it attaches the entries' moderation workflow (contests/apps.py)."""

    class Meta:
        model = ContestIndexPage
        django_get_or_create = ("parent", "slug")

    title = "Конкурсы"
    slug = "contests"
    show_in_menus = True


def voting_window(state, now=None):
    """(opens, closes) of public voting: open now, opening tomorrow, closed yesterday; none otherwise."""
    now = now or timezone.now()
    day = timedelta(days=1)
    windows = {
        "voting": (now - day, now + 7 * day),
        "before": (now + day, now + 7 * day),
        "closed": (now - 7 * day, now - day),
    }
    return windows.get(state, (None, None))


class ContestPageFactory(PageFactory):
    """A published contest open for votes with two nominations and two jury criteria.
    `nominations=`/`criteria=` take titles / (title, max points, weight)."""

    class Meta:
        model = ContestPage

    parent = factory.LazyFunction(lambda: ContestIndexPageFactory())
    title = factory.Sequence(lambda n: f"Дети в Интернете {n}")
    slug = factory.Sequence(lambda n: f"contest-{n}")
    voting_opens_at = factory.LazyFunction(lambda: voting_window("voting")[0])
    voting_closes_at = factory.LazyFunction(lambda: voting_window("voting")[1])
    votes_per_nomination = 1
    results_visibility = ResultsVisibility.LIVE
    nominations = factory.LazyFunction(
        lambda: [Nomination(title=title, sort_order=order) for order, title in enumerate(NOMINATIONS)]
    )
    criteria = factory.LazyFunction(
        lambda: [
            JuryCriterion(title=title, max_points=points, weight=weight, sort_order=order)
            for order, (title, points, weight) in enumerate(CRITERIA)
        ]
    )


class ContestEntryPageFactory(PageFactory):
    """A published entry in the first nomination of `parent` (a contest)."""

    class Meta:
        model = ContestEntryPage

    parent = factory.SubFactory(ContestPageFactory)
    nomination = factory.LazyAttribute(lambda entry: entry.parent.nominations.first())
    title = factory.Sequence(lambda n: f"Работа {n}")
    slug = factory.Sequence(lambda n: f"entry-{n}")
    authors = "Иванова Мария Петровна"
    organisation = "ГБОУ школа № 178"


class ContestBuilder:
    """make_contest(): a contest in a given state with `entries_per_nomination` published entries in each
    nomination, kept in `contest.entry_list`. Titles count per builder (tests reset the counter)."""

    def __init__(self, index):
        self.index = index
        self.counter = 0

    def __call__(
        self,
        state="voting",
        limit=1,
        nominations=NOMINATIONS,
        entries_per_nomination=3,
        visibility=ResultsVisibility.LIVE,
        criteria=CRITERIA,
        **fields,
    ):
        self.counter += 1
        opens, closes = voting_window(state)
        contest = ContestPageFactory(
            parent=self.index,
            title=f"Дети в Интернете {self.counter}",
            slug=f"contest-{self.counter}-{state}",
            voting_opens_at=opens,
            voting_closes_at=closes,
            votes_per_nomination=limit,
            results_visibility=visibility,
            nominations=[Nomination(title=title, sort_order=order) for order, title in enumerate(nominations)],
            criteria=[
                JuryCriterion(title=title, max_points=points, weight=weight, sort_order=order)
                for order, (title, points, weight) in enumerate(criteria)
            ],
            **fields,
        )
        contest.entry_list = [
            ContestEntryPageFactory(
                parent=contest,
                nomination=nomination,
                title=f"{nomination.title}: работа {i + 1}",
                slug=f"n{nomination.pk}-e{i + 1}",
                authors=f"Иванова Мария Петровна {i}",
            )
            for nomination in contest.nominations.all()
            for i in range(entries_per_nomination)
        ]
        return contest

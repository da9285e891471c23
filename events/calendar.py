"""What the calendar shows, as data: periods from the query string, occurrences spread over days, the
month grid and list entries. No HTML here: events/templates render it (components/month_grid.html,
components/entry.html), and Django's `date` filter gives the Russian month and weekday names.

Occurrences are loaded in a fixed number of queries whatever their number; the month grid reads plain
values (GridEvent) rather than model instances, as a busy month has hundreds of entries.
"""

import calendar
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import cached_property

from django.utils import timezone

from .filters import BadFilter
from .models import MSK, EventIndexPage, EventOccurrence, EventPage, Format, Status

LIST_DEFER = ("event__body", "event__materials", "event__search_description", "event__seo_title")
MONTH_RE = re.compile(r"([0-9]{4})-([0-9]{1,2})")
YEARS = (2000, 2100)
YEARS_MESSAGE = "Календарь охватывает 2000–2100 годы."


def local_midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min), MSK)


def parse_month(value: str) -> date:
    """?month=2026-11: the first day of that month, or BadFilter (a huge number, month 13, year 0)."""
    match = MONTH_RE.fullmatch(value.strip())
    if not match:
        raise BadFilter("Месяц указан неверно: ожидается ГГГГ-ММ, например 2026-11.")
    year, month = int(match[1]), int(match[2])
    if not YEARS[0] <= year <= YEARS[1]:
        raise BadFilter(YEARS_MESSAGE)
    if not 1 <= month <= 12:
        raise BadFilter("Месяц указан неверно: номер месяца от 1 до 12.")
    return date(year, month, 1)


def parse_week_start(value: str) -> date:
    """?start=2026-11-23: a day of the week to show, or BadFilter."""
    try:
        day = date.fromisoformat(value.strip())
    except ValueError:
        raise BadFilter("Неделя указана неверно: ожидается дата ГГГГ-ММ-ДД.") from None
    if not YEARS[0] <= day.year <= YEARS[1]:
        raise BadFilter(YEARS_MESSAGE)
    return day


# --- entries -------------------------------------------------------------------------------------


@dataclass
class Entry:
    """One occurrence as a visitor sees it on one day (components/entry.html)."""

    occurrence: EventOccurrence
    event: EventPage
    start: datetime
    end: datetime
    continues: bool = False  # a later day of a multi-day event

    @property
    def moved(self) -> bool:
        return self.occurrence.moved_marker

    @property
    def multi_day(self) -> bool:
        return self.start.date() != self.end.date()

    @property
    def type_name(self) -> str:
        event = self.event
        return event.type_name if isinstance(event, GridEvent) else event.event_type.name


FORMAT_LABELS = dict(Format.choices)
GRID_FIELDS = (
    "start",
    "end",
    "moved_marker",
    "event_id",
    "event__title",
    "event__slug",
    "event__status",
    "event__all_day",
    "event__format",
    "event__postponed_to",
    "event__start",
    "event__event_type__name",
)


@dataclass
class GridEvent:
    """What a month-grid entry needs of an event, read as plain values (no model instances)."""

    pk: int
    title: str
    slug: str
    status: str
    all_day: bool
    format: str
    postponed_to: datetime | None
    start: datetime
    type_name: str
    listing_url: str = ""

    def get_format_display(self):
        return FORMAT_LABELS.get(self.format, self.format)


@dataclass
class GridOccurrence:
    start: datetime
    end: datetime
    moved_marker: bool
    event: GridEvent


def load_grid(occurrences, index) -> list[GridOccurrence]:
    """The occurrences as plain values, one query; listing URLs from the calendar's own URL."""
    base = index.url
    events = {}
    rows = []
    for start, end, moved, event_id, *fields in occurrences.order_by("start", "pk").values_list(*GRID_FIELDS):
        event = events.get(event_id)
        if event is None:
            event = events[event_id] = GridEvent(event_id, *fields)
            event.listing_url = f"{base}{event.slug}/"
        rows.append(GridOccurrence(start, end, moved, event))
    return rows


def load_occurrences(occurrences, index=None, audiences=False) -> list[EventOccurrence]:
    """Occurrences with their events (type and venue), in a fixed number of queries."""
    rows = list(
        occurrences.select_related("event", "event__event_type", "event__venue")
        .defer(*LIST_DEFER)
        .order_by("start", "pk")
    )
    annotate_events([occ.event for occ in rows], index, audiences)
    return rows


def annotate_events(events, index=None, audiences=False) -> None:
    """Sets listing_url (built from the calendar's URL: no site-root lookup per event) and, when asked,
    audience_names (one query on the M2M table) on each event."""
    if index is None:
        index = EventIndexPage.objects.live().first()
    base = index.url if index is not None else "/events/"
    names = {}
    if audiences and events:
        through = EventPage.audiences.through.objects.filter(eventpage_id__in={e.pk for e in events})
        for event_id, name in through.order_by("audience__sort_order", "audience__name").values_list(
            "eventpage_id", "audience__name"
        ):
            names.setdefault(event_id, []).append(name)
    for event in events:
        event.listing_url = f"{base}{event.slug}/"
        event.audience_names = names.get(event.pk, [])


def list_entries(occurrences, index, audiences=True) -> list[Entry]:
    """Entries of a list (upcoming, archive, the home page): one per occurrence, on its first day."""
    occurrences = list(occurrences)
    annotate_events([occ.event for occ in occurrences], index, audiences)
    return [
        Entry(occ, occ.event, timezone.localtime(occ.start, MSK), timezone.localtime(occ.end, MSK))
        for occ in occurrences
    ]


def day_entries(occurrences, first: date, last: date) -> dict[date, list[Entry]]:
    """Occurrences spread over the local days they cover (a multi-day event on every day)."""
    days = {first + timedelta(n): [] for n in range((last - first).days + 1)}
    for occ in occurrences:
        start = timezone.localtime(occ.start, MSK)
        end = timezone.localtime(occ.end, MSK)
        last_day = (end - timedelta(microseconds=1)).date() if end > start else start.date()
        day = max(start.date(), first)
        while day <= min(last_day, last):
            days[day].append(Entry(occ, occ.event, start, end, continues=day != start.date()))
            day += timedelta(1)
    return days


def upcoming(limit=4, index=None) -> list[Entry]:
    """The next occurrences of live events, cancelled ones left out (the home page)."""
    occurrences = (
        EventOccurrence.objects.filter(end__gte=timezone.now(), moved_marker=False, event__live=True)
        .exclude(event__status=Status.CANCELLED)
        .select_related("event", "event__event_type", "event__venue")
        .defer(*LIST_DEFER)
        .order_by("start", "pk")[:limit]
    )
    return list_entries(occurrences, index, audiences=False)


# --- periods ---------------------------------------------------------------------------------------


@dataclass
class MonthDay:
    date: date
    entries: list[Entry]
    in_month: bool
    today: bool


@dataclass
class Month:
    """A month as the grid shows it: whole weeks, Monday first, with the days of the neighbouring
    months greyed. The occurrences are loaded when the grid is first read (`weeks`), so a grid kept
    as a fragment (core.cache) costs no query."""

    first: date
    today: date
    occurrences: object = field(default=None, repr=False)  # a queryset of EventOccurrence
    index: object = field(default=None, repr=False)

    @classmethod
    def around(cls, first: date) -> "Month":
        return cls(first.replace(day=1), timezone.localdate())

    @property
    def last(self) -> date:
        return self.first.replace(day=calendar.monthrange(self.first.year, self.first.month)[1])

    @property
    def grid_first(self) -> date:
        return self.first - timedelta(days=self.first.weekday())

    @property
    def grid_last(self) -> date:
        return self.last + timedelta(days=6 - self.last.weekday())

    @property
    def previous(self) -> date:
        return (self.first - timedelta(1)).replace(day=1)

    @property
    def next(self) -> date:
        return self.last + timedelta(1)

    @property
    def weekdays(self) -> list[date]:
        """The seven days of the first row (for the weekday names above the grid)."""
        return [self.grid_first + timedelta(n) for n in range(7)]

    @cached_property
    def days(self) -> dict[date, list[Entry]]:
        return day_entries(load_grid(self.occurrences, self.index), self.grid_first, self.grid_last)

    @cached_property
    def weeks(self) -> list[list[MonthDay]]:
        cells = [
            MonthDay(day, entries, day.month == self.first.month, day == self.today)
            for day, entries in self.days.items()
        ]
        return [cells[n : n + 7] for n in range(0, len(cells), 7)]

    @property
    def count(self) -> int:
        """Events in this month (a multi-day event once, on its first day)."""
        return sum(
            1 for day, entries in self.days.items() if day.month == self.first.month for e in entries if not e.continues
        )

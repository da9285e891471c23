"""Recurrence: an event's rule (RFC 5545 RRULE) and the dated occurrences stored for the calendar.

The rule comes from the editor's fields (repeat, interval, until, count) or, for experienced editors,
from a raw RRULE; either way it is one canonical string, which the iCalendar export publishes and
dateutil expands. Occurrences are materialised (EventOccurrence rows) so that a month of the calendar
is one indexed range scan, rebuilt on every save of the event and nightly for open-ended series.
"""

from datetime import UTC, date, datetime, time, timedelta

from dateutil import rrule as du_rrule
from django.db import models, transaction
from django.utils import timezone

MSK = timezone.get_default_timezone()
# Open-ended rules are expanded this far ahead of today (occurrences are re-expanded nightly by
# `manage.py send_event_reminders`, which also refreshes series that would otherwise run out).
RECURRENCE_HORIZON_DAYS = 730
MAX_OCCURRENCES = 500
WEEKDAY_CODES = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]


class Repeat(models.TextChoices):
    NONE = "", "Не повторяется"
    DAILY = "DAILY", "Ежедневно"
    WEEKLY = "WEEKLY", "Еженедельно"
    MONTHLY_DATE = "MONTHLY_DATE", "Ежемесячно, в то же число"
    MONTHLY_WEEKDAY = "MONTHLY_WEEKDAY", "Ежемесячно, в тот же день недели (например, каждый 3-й четверг)"
    YEARLY = "YEARLY", "Ежегодно"


def normalise_rrule(text: str, dtstart: datetime) -> str:
    """An editor's RRULE in canonical form: no "RRULE:" prefix, upper case, UNTIL in UTC.

    RFC 5545: with a DTSTART in a time zone, UNTIL must be a UTC date-time. A bare date or a local
    date-time is read in Moscow time (a date means "through the end of that day").
    """
    text = text.strip()
    if text.upper().startswith("RRULE:"):
        text = text[6:]
    parts = []
    for part in filter(None, (p.strip() for p in text.split(";"))):
        key, _, value = part.partition("=")
        key, value = key.strip().upper(), value.strip().upper()
        if key == "UNTIL":
            if len(value) == 8:
                local = datetime.strptime(value, "%Y%m%d").replace(hour=23, minute=59, second=59)
                value = f"{timezone.make_aware(local, MSK).astimezone(UTC):%Y%m%dT%H%M%SZ}"
            elif not value.endswith("Z"):
                local = datetime.strptime(value, "%Y%m%dT%H%M%S")
                value = f"{timezone.make_aware(local, MSK).astimezone(UTC):%Y%m%dT%H%M%SZ}"
        parts.append(f"{key}={value}")
    return ";".join(parts)


def parse_rrule(text: str, dtstart: datetime):
    """An iCalendar RRULE (RFC 5545) parsed by dateutil with an aware start; ValueError with a reason."""
    if timezone.is_naive(dtstart):
        dtstart = timezone.make_aware(dtstart, MSK)
    return du_rrule.rrulestr(normalise_rrule(text, dtstart), dtstart=timezone.localtime(dtstart, MSK), forceset=False)


def rule_from_fields(repeat: str, interval: int, until: date | None, count: int | None, start: datetime) -> str:
    """The editor's «Повторение» fields as an RRULE value, UNTIL in UTC (RFC 5545 with a TZID start)."""
    if not repeat:
        return ""
    start = timezone.localtime(start, MSK)
    parts = []
    if repeat == Repeat.MONTHLY_DATE:
        parts += ["FREQ=MONTHLY", f"BYMONTHDAY={start.day}"]
    elif repeat == Repeat.MONTHLY_WEEKDAY:
        nth = (start.day - 1) // 7 + 1
        parts += ["FREQ=MONTHLY", f"BYDAY={-1 if nth == 5 else nth}{WEEKDAY_CODES[start.weekday()]}"]
    else:
        parts.append(f"FREQ={repeat}")
    if interval and interval > 1:
        parts.append(f"INTERVAL={interval}")
    if count:
        parts.append(f"COUNT={count}")
    elif until:
        # The last occurrence may start at the local start time on the UNTIL date.
        until_local = datetime.combine(until, start.timetz().replace(tzinfo=None))
        parts.append(f"UNTIL={timezone.make_aware(until_local, MSK).astimezone(UTC):%Y%m%dT%H%M%SZ}")
    return ";".join(parts)


def occurrence_starts(rule: str, start: datetime, skipped: set[date], horizon: datetime | None = None) -> list:
    """Start times (aware, Moscow) of every occurrence of `rule`, the dates in `skipped` removed.
    One, `start`, without a rule; at most MAX_OCCURRENCES, none beyond the horizon."""
    start = timezone.localtime(start, MSK)
    if not rule:
        return [start]
    horizon = horizon or (timezone.now() + timedelta(days=RECURRENCE_HORIZON_DAYS))
    result = []
    for occurrence in parse_rrule(rule, start):
        if occurrence > horizon or len(result) >= MAX_OCCURRENCES:
            break
        occurrence = timezone.localtime(occurrence, MSK)
        if occurrence.date() in skipped:
            continue
        result.append(occurrence)
    return result


def all_day_bounds(start: datetime, end: datetime) -> tuple[datetime, datetime]:
    """All-day events cover whole local days: from 00:00 of the first to 23:59:59 of the last."""
    first = timezone.localtime(start, MSK).date()
    last = max(timezone.localtime(end, MSK).date(), first)
    return (
        timezone.make_aware(datetime.combine(first, time.min), MSK),
        timezone.make_aware(datetime.combine(last, time(23, 59, 59)), MSK),
    )


def occurrence_spans(event) -> list[tuple[datetime, datetime, bool]]:
    """(start, end, moved_marker) of every occurrence of an EventPage. A postponed event also keeps a
    marker at its old date, so that the old date still shows the notice."""
    spans = []
    duration = event.duration
    for start in event.occurrence_starts():
        end = start + duration
        if event.all_day:
            start, end = all_day_bounds(start, end)
        spans.append((start, end, False))
    if event.marks_old_date:
        start, end = event.start, event.end
        if event.all_day:
            start, end = all_day_bounds(start, end)
        spans.append((start, end, True))
    return spans


def rebuild_occurrences(event_id: int) -> None:
    """Replaces the stored occurrences of an event with those of its current rule."""
    from .models import EventOccurrence, EventPage  # the models call this module from save()

    event = EventPage.objects.filter(pk=event_id).prefetch_related("exceptions").first()
    if event is None:
        return
    rows = [
        EventOccurrence(event=event, start=start, end=end, moved_marker=moved)
        for start, end, moved in occurrence_spans(event)
    ]
    with transaction.atomic():
        EventOccurrence.objects.filter(event=event).delete()
        EventOccurrence.objects.bulk_create(rows)

"""iCalendar (RFC 5545) export with the `icalendar` library: a filtered feed and one event.

One VEVENT per event: a recurring event is one UID with RRULE (UNTIL in UTC) and EXDATE, so every
occurrence keeps a stable identity; SEQUENCE grows when the event is moved or cancelled.
"""

import hashlib
from datetime import UTC, datetime, timedelta

from django.http import HttpResponse
from django.utils import timezone
from icalendar import Calendar, Event, vRecur, vText

from core.cache import cached_for_generation

from .filters import BadFilter, Filters, live_events
from .models import MSK, EventOccurrence, EventPage, Status

FEED_LIMIT = 1000
PAST_DAYS = 30  # the feed carries events from a month ago…
FUTURE_DAYS = 366  # …to a year ahead (a series that started earlier is included while it runs)


def _calendar(name: str) -> Calendar:
    cal = Calendar()
    cal.add("prodid", "-//ИМЦ//Календарь мероприятий//RU")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", "Europe/Moscow")
    cal.add("refresh-interval", timedelta(hours=6), parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", "PT6H")
    return cal


def vevent(event: EventPage, request, now: datetime, url: str | None = None) -> Event:
    item = Event()
    item.add("uid", event.uid())
    item.add("dtstamp", now.astimezone(UTC))
    item.add("sequence", event.sequence)
    item.add("summary", event.title)
    start = timezone.localtime(event.effective_start, MSK)
    end = timezone.localtime(event.effective_end, MSK)
    if event.all_day:
        item.add("dtstart", start.date())
        item.add("dtend", max(end.date(), start.date()) + timedelta(days=1))  # exclusive end
    else:
        item.add("dtstart", start)
        item.add("dtend", max(end, start))
    rule = event.rrule_string()
    if rule:
        item.add("rrule", vRecur.from_ical(rule))
        exdates = sorted(exc.date for exc in event.exceptions.all())
        if exdates:
            if event.all_day:
                item.add("exdate", exdates)
            else:
                item.add("exdate", [timezone.make_aware(datetime.combine(d, start.time()), MSK) for d in exdates])
    item.add("status", {Status.CANCELLED: "CANCELLED", Status.POSTPONED: "CONFIRMED"}.get(event.status, "CONFIRMED"))
    if event.status == Status.POSTPONED and not event.postponed_to:
        item["status"] = vText("TENTATIVE")
    url = url or event.get_full_url(request)
    item.add("url", url)
    location = event.location_text
    if location:
        item.add("location", location)
    description = []
    if event.status == Status.CANCELLED:
        description.append("МЕРОПРИЯТИЕ ОТМЕНЕНО. " + event.status_note)
    elif event.status == Status.POSTPONED:
        old = timezone.localtime(event.start, MSK)
        description.append(f"Перенесено с {old:%d.%m.%Y %H:%M}. {event.status_note}".strip())
    if event.lead:
        description.append(event.lead)
    description.append(f"Подробнее и регистрация: {url}")
    item.add("description", "\n\n".join(description))
    item.add("categories", [event.event_type.name])
    if event.last_published_at:
        item.add("last-modified", event.last_published_at)
    if event.organiser_label:
        item.add(
            "organizer",
            f"mailto:{event.contact_email or 'imc@imc.example.ru'}",
            parameters={"CN": event.organiser_label},
        )
    return item


def _response(cal: Calendar, filename: str) -> HttpResponse:
    cal.add_missing_timezones()
    return _ical_response(cal.to_ical(), filename)


def _ical_response(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}.ics"'
    return response


def feed_events(filters: Filters, now: datetime):
    recent = EventOccurrence.objects.filter(
        end__gte=now - timedelta(days=PAST_DAYS), start__lt=now + timedelta(days=FUTURE_DAYS)
    ).values("event_id")
    return (
        filters.apply(live_events())
        .filter(pk__in=recent)
        .select_related("event_type", "venue", "organiser")
        .defer("body", "materials", "search_description", "seo_title")
        .prefetch_related("exceptions")
        .order_by("start", "pk")[:FEED_LIMIT]
    )


def feed_response(index, request):
    """The feed for these filters, built once per publish and hour (its window moves with the clock).

    Kept under the filters as parsed, not the address, so neither the order of the parameters nor
    junk added to the address makes a phone's calendar subscription rebuild ~1,000 events."""
    try:
        filters = Filters.from_request(request)
    except BadFilter as exc:
        return HttpResponse(str(exc), status=400, content_type="text/plain; charset=utf-8")
    now = timezone.now()
    base = index.get_full_url(request)  # events are the calendar's children: no site lookup per event

    def build() -> bytes:
        cal = _calendar("Мероприятия ИМЦ")
        for event in feed_events(filters, now):
            cal.add_component(vevent(event, request, now, url=f"{base}{event.slug}/"))
        cal.add_missing_timezones()
        return cal.to_ical()

    period = timezone.localtime(now, MSK).strftime("%Y%m%d%H")
    key = hashlib.sha1(f"{base}|{filters.querystring()}|{period}".encode(), usedforsecurity=False).hexdigest()
    body = cached_for_generation(request, f"ical-feed:{key}", build, timeout=3600, local=False)
    return _ical_response(body, "imc-events")


def event_response(event: EventPage, request):
    cal = _calendar(event.title)
    cal.add_component(vevent(event, request, timezone.now()))
    return _response(cal, event.slug)

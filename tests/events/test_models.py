"""Dates, recurrence, identity for calendars and page-type rules."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from wagtail.test.utils import WagtailPageTestCase

from events.models import (
    EventException,
    EventIndexPage,
    EventOccurrence,
    EventPage,
    Repeat,
    Status,
)
from events.recurrence import normalise_rrule
from home.models import HomePage

from .conftest import msk


def local_dates(event):
    from django.utils import timezone

    return [timezone.localtime(o.start).date() for o in EventOccurrence.objects.filter(event=event, moved_marker=False)]


@pytest.mark.parametrize(
    ("repeat", "extra", "expected_rule"),
    [
        (Repeat.WEEKLY, {"repeat_count": 4}, "FREQ=WEEKLY;COUNT=4"),
        (Repeat.WEEKLY, {"repeat_interval": 2, "repeat_count": 3}, "FREQ=WEEKLY;INTERVAL=2;COUNT=3"),
        # 15:30 Moscow on 30 April is 12:30 UTC: UNTIL is a UTC date-time as RFC 5545 requires.
        (Repeat.MONTHLY_WEEKDAY, {"repeat_until": date(2027, 4, 30)}, "FREQ=MONTHLY;BYDAY=3TH;UNTIL=20270430T123000Z"),
        (Repeat.MONTHLY_DATE, {"repeat_count": 2}, "FREQ=MONTHLY;BYMONTHDAY=19;COUNT=2"),
    ],
)
def test_rrule_string_from_editor_fields(make_event, repeat, extra, expected_rule):
    event = make_event(start=msk(2026, 11, 19, 15, 30), repeat=repeat, **extra)  # the 3rd Thursday
    assert event.rrule_string() == expected_rule


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("RRULE:freq=monthly;byday=3th;until=20270531", "FREQ=MONTHLY;BYDAY=3TH;UNTIL=20270531T205959Z"),
        ("FREQ=WEEKLY;UNTIL=20261231T153000", "FREQ=WEEKLY;UNTIL=20261231T123000Z"),
        ("FREQ=WEEKLY;UNTIL=20261231T123000Z", "FREQ=WEEKLY;UNTIL=20261231T123000Z"),
    ],
)
def test_editor_rrule_is_normalised_with_until_in_utc(raw, expected):
    assert normalise_rrule(raw, msk(2026, 11, 5, 15, 30)) == expected


def test_recurring_event_occurrences_skip_exceptions(make_event):
    event = make_event(
        start=msk(2026, 11, 2, 15, 30),
        repeat=Repeat.WEEKLY,
        repeat_until=date(2026, 11, 30),
        exceptions=[EventException(date=date(2026, 11, 16), note="Каникулы")],
    )
    assert local_dates(event) == [date(2026, 11, 2), date(2026, 11, 9), date(2026, 11, 23), date(2026, 11, 30)]
    # every occurrence keeps the local time and duration
    for occ in EventOccurrence.objects.filter(event=event):
        assert (occ.end - occ.start) == timedelta(hours=2)
        assert occ.start.astimezone(msk(2026, 1, 1).tzinfo).hour == 15


def test_monthly_by_weekday_and_raw_rrule(make_event):
    event = make_event(start=msk(2026, 11, 19, 10), rrule_text="FREQ=MONTHLY;BYDAY=3TH;COUNT=3")
    assert local_dates(event) == [date(2026, 11, 19), date(2026, 12, 17), date(2027, 1, 21)]


def test_open_ended_rule_is_bounded_by_the_horizon(make_event):
    event = make_event(start=msk(2026, 11, 2, 9), repeat=Repeat.DAILY)
    count = EventOccurrence.objects.filter(event=event).count()
    assert 0 < count <= 731


def test_all_day_multi_day_event_covers_whole_local_days(make_event):
    event = make_event(start=msk(2026, 11, 25), end=msk(2026, 11, 27, 18), all_day=True)
    occ = EventOccurrence.objects.get(event=event)
    assert occ.start == msk(2026, 11, 25)
    assert occ.end == msk(2026, 11, 27, 23, 59) + timedelta(seconds=59)


@pytest.mark.parametrize(
    ("change", "bumps"),
    [
        ({"start": msk(2026, 12, 2, 15), "end": msk(2026, 12, 2, 17)}, True),
        ({"status": Status.CANCELLED}, True),
        ({"status": Status.POSTPONED, "postponed_to": msk(2026, 12, 9, 15)}, True),
        ({"title": "Новое название"}, False),
        ({"lead": "Уточнена программа"}, False),
    ],
)
def test_sequence_grows_when_moved_or_cancelled(make_event, change, bumps):
    event = make_event(start=msk(2026, 12, 1, 15))
    assert event.sequence == 0
    for field, value in change.items():
        setattr(event, field, value)
    event.save_revision().publish()
    event.refresh_from_db()
    assert event.sequence == (1 if bumps else 0)


def test_draft_changes_do_not_bump_sequence_or_move_the_calendar(make_event):
    event = make_event(start=msk(2026, 12, 1, 15))
    event.start = msk(2026, 12, 5, 15)
    event.end = msk(2026, 12, 5, 17)
    event.save_revision()  # draft, not published
    event = EventPage.objects.get(pk=event.pk)
    assert event.sequence == 0
    assert EventOccurrence.objects.get(event=event).start == msk(2026, 12, 1, 15)


def test_postponed_event_keeps_a_marker_at_the_old_date(make_event):
    event = make_event(start=msk(2026, 12, 1, 15))
    event.status = Status.POSTPONED
    event.postponed_to = msk(2026, 12, 15, 15)
    event.save_revision().publish()
    rows = list(EventOccurrence.objects.filter(event=event).order_by("start").values_list("start", "moved_marker"))
    assert rows == [(msk(2026, 12, 1, 15), True), (msk(2026, 12, 15, 15), False)]


@pytest.mark.parametrize(
    ("fields", "field_with_error", "message"),
    [
        ({"end_before_start": True}, "end", "Окончание не может быть раньше начала."),
        ({"repeat": Repeat.WEEKLY, "repeat_count": 3, "repeat_until": date(2027, 1, 1)}, "repeat_count", "либо"),
        ({"rrule_text": "FREQ=SOMETIMES"}, "rrule_text", "Правило не распознано"),
        ({"capacity": 0}, "capacity", "больше нуля"),
        ({"venue": None}, "venue", "укажите место"),
    ],
)
def test_clean_reports_russian_errors(vocab, fields, field_with_error, message):
    start = msk(2026, 12, 1, 15)
    end = start - timedelta(hours=1) if fields.pop("end_before_start", False) else start + timedelta(hours=1)
    event = EventPage(title="Семинар", event_type=vocab["seminar"], start=start, end=end, venue=vocab["venue"])
    for key, value in fields.items():
        setattr(event, key, value)
    with pytest.raises(ValidationError) as error:
        event.clean()
    assert message.lower() in " ".join(error.value.message_dict[field_with_error]).lower()


class TestPageTypes(WagtailPageTestCase):
    def test_calendar_lives_under_the_home_page_and_holds_events(self):
        self.assertCanCreateAt(HomePage, EventIndexPage)
        self.assertCanCreateAt(EventIndexPage, EventPage)
        self.assertCanNotCreateAt(HomePage, EventPage)
        self.assertCanNotCreateAt(EventPage, EventPage)
        self.assertAllowedSubpageTypes(EventIndexPage, {EventPage})
        self.assertAllowedParentPageTypes(EventPage, {EventIndexPage})
        self.assertAllowedSubpageTypes(EventPage, set())

    def test_pages_route_render_and_preview(self):
        from .factories import EventIndexPageFactory, EventPageFactory

        index = EventIndexPageFactory()  # the base page tree's
        event = EventPageFactory(
            parent=index, title="Семинар", slug="seminar", start=msk(2026, 12, 1, 15), end=msk(2026, 12, 1, 17)
        )
        self.assertPageIsRoutable(index)
        self.assertPageIsRoutable(index, "week/")
        self.assertPageIsRoutable(index, "ical/")
        self.assertPageIsRenderable(index)
        self.assertPageIsRenderable(event)
        self.assertPageIsRenderable(event, "ical/")
        from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

        post_data = nested_form_data(
            {
                "title": "Семинар (черновик)",
                "slug": "seminar",
                "lead": "Проверка предпросмотра",
                "event_type": event.event_type_id,
                "level": "district",
                "format": "offline",
                "start": "01.12.2026 15:00",
                "end": "01.12.2026 17:00",
                "repeat": "",
                "repeat_interval": "1",
                "exceptions": inline_formset([]),
                "venue": event.venue_id,
                "body": streamfield([]),
                "materials": streamfield([]),
                "status": "scheduled",
                "waitlist_enabled": "on",
                "online_url_private": "on",
            }
        )
        self.assertPageIsPreviewable(event, post_data=post_data)
        self.assertPageIsPreviewable(index, post_data={"title": "Календарь", "slug": "events", "intro": ""})

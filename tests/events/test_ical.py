"""iCalendar output parsed back with the icalendar library and compared with the database."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.utils import timezone
from icalendar import Calendar

from events.models import EventException, Format, Repeat, Status

from .conftest import msk


def parse(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.content)


def vevents(cal):
    return {str(e["SUMMARY"]): e for e in cal.walk("VEVENT")}


def test_single_event_matches_the_database(client, make_event):
    event = make_event(
        "Семинар в школе № 204", start=msk(2026, 12, 1, 15), end=msk(2026, 12, 1, 17), room="актовый зал"
    )
    cal = parse(client.get(f"{event.url}ical/"))
    assert cal["VERSION"] == "2.0" and cal["PRODID"]
    assert [tz["TZID"] for tz in cal.walk("VTIMEZONE")] == ["Europe/Moscow"]
    (item,) = cal.walk("VEVENT")
    assert item["UID"] == f"event-{event.pk}@testserver"
    assert item.decoded("DTSTART") == msk(2026, 12, 1, 15)
    assert item["DTSTART"].params["TZID"] == "Europe/Moscow"
    assert item.decoded("DTEND") == msk(2026, 12, 1, 17)
    assert item.decoded("DTSTAMP").tzinfo is not None and item.decoded("DTSTAMP").utcoffset() == timedelta(0)
    assert item["SEQUENCE"] == 0
    assert item["STATUS"] == "CONFIRMED"
    assert item["URL"] == "http://testserver/events/" + event.slug + "/"
    assert item["LOCATION"] == "ГБОУ школа № 204, ул. Чайковского, д. 32, актовый зал"
    assert "RRULE" not in item


def test_uid_is_stable_across_hosts_and_edits(client, make_event):
    event = make_event(start=msk(2026, 12, 1, 15))
    first = parse(client.get(f"{event.url}ical/")).walk("VEVENT")[0]["UID"]
    event.title = "Новое название"
    event.save_revision().publish()
    second = parse(client.get(f"{event.url}ical/", HTTP_HOST="127.0.0.1")).walk("VEVENT")[0]["UID"]
    assert first == second


def test_recurring_event_is_one_uid_with_rrule_until_in_utc_and_exdate(client, make_event):
    event = make_event(
        "РУМО учителей информатики",
        start=msk(2026, 11, 2, 15, 30),
        repeat=Repeat.WEEKLY,
        repeat_until=date(2026, 11, 30),
        exceptions=[EventException(date=date(2026, 11, 16))],
    )
    cal = parse(client.get(f"{event.url}ical/"))
    (item,) = cal.walk("VEVENT")
    rule = item["RRULE"]
    assert rule["FREQ"] == ["WEEKLY"]
    (until,) = rule["UNTIL"]
    assert until.tzinfo is not None and until.utcoffset() == timedelta(0)
    assert until == datetime(2026, 11, 30, 12, 30, tzinfo=UTC)
    assert "UNTIL=20261130T123000Z" in client.get(f"{event.url}ical/").content.decode()
    exdates = (
        [d.dt for d in item["EXDATE"].dts]
        if not isinstance(item["EXDATE"], list)
        else [d.dt for ex in item["EXDATE"] for d in ex.dts]
    )
    assert exdates == [msk(2026, 11, 16, 15, 30)]
    # expanding the exported rule gives exactly the occurrences the site shows
    from dateutil.rrule import rrulestr

    expanded = [
        d for d in rrulestr(item["RRULE"].to_ical().decode(), dtstart=item.decoded("DTSTART")) if d not in exdates
    ]
    stored = list(event.occurrences.filter(moved_marker=False).order_by("start").values_list("start", flat=True))
    assert expanded == stored


def test_all_day_multi_day_uses_dates_with_exclusive_end(client, make_event):
    event = make_event("Неделя безопасного Интернета", start=msk(2027, 2, 8), end=msk(2027, 2, 12), all_day=True)
    (item,) = parse(client.get(f"{event.url}ical/")).walk("VEVENT")
    assert item.decoded("DTSTART") == date(2027, 2, 8)
    assert item.decoded("DTEND") == date(2027, 2, 13)


def test_cancelled_event_has_status_cancelled_and_a_higher_sequence(client, make_event):
    event = make_event(start=msk(2026, 12, 1, 15))
    event.status = Status.CANCELLED
    event.save_revision().publish()
    (item,) = parse(client.get(f"{event.url}ical/")).walk("VEVENT")
    assert item["STATUS"] == "CANCELLED"
    assert item["SEQUENCE"] == 1


def test_moved_event_has_new_dates_and_sequence_bump_each_time(client, make_event):
    event = make_event(start=msk(2026, 12, 1, 15))
    uid = parse(client.get(f"{event.url}ical/")).walk("VEVENT")[0]["UID"]
    event.status = Status.POSTPONED
    event.postponed_to = msk(2026, 12, 8, 15)
    event.save_revision().publish()
    (item,) = parse(client.get(f"{event.url}ical/")).walk("VEVENT")
    assert (item["UID"], item["SEQUENCE"], item.decoded("DTSTART")) == (uid, 1, msk(2026, 12, 8, 15))
    assert item.decoded("DTEND") == msk(2026, 12, 8, 17)
    event.postponed_to = msk(2026, 12, 9, 15)
    event.save_revision().publish()
    assert parse(client.get(f"{event.url}ical/")).walk("VEVENT")[0]["SEQUENCE"] == 2


def test_private_online_link_is_absent_and_public_one_present(client, make_event):
    private = make_event("Закрытый вебинар", format=Format.ONLINE, online_url="https://vcs.example.ru/private-room")
    public = make_event(
        "Открытая трансляция", format=Format.ONLINE, online_url="https://vk.example.ru/live", online_url_private=False
    )
    body = client.get("/events/ical/").content.decode()
    assert "private-room" not in body
    assert "private-room" not in client.get(f"{private.url}ical/").content.decode()
    assert "private-room" not in client.get(private.url).content.decode()
    items = vevents(Calendar.from_ical(body))
    assert items["Открытая трансляция"]["LOCATION"] == "https://vk.example.ru/live"
    assert "ссылка в письме" in str(items["Закрытый вебинар"]["LOCATION"])
    assert public.pk


def test_feed_accepts_the_calendar_filters(client, make_event, vocab):
    soon = timezone.now() + timedelta(days=2)
    make_event("ДОУ онлайн", start=soon, audiences=("dou",), format=Format.ONLINE, online_url="https://x.example.ru/a")
    make_event("ДОУ очно", start=soon, audiences=("dou",))
    make_event("ОУ онлайн", start=soon, audiences=("ou",), format=Format.ONLINE, online_url="https://x.example.ru/b")
    make_event("Давно прошедший", start=timezone.now() - timedelta(days=90), audiences=("dou",))
    make_event("Черновик ДОУ", start=soon, audiences=("dou",), publish=False)
    assert set(vevents(parse(client.get("/events/ical/")))) == {"ДОУ онлайн", "ДОУ очно", "ОУ онлайн"}
    assert set(vevents(parse(client.get("/events/ical/?audience=dou&format=online")))) == {"ДОУ онлайн"}
    assert set(vevents(parse(client.get("/events/ical/?audience=dou")))) == {"ДОУ онлайн", "ДОУ очно"}


@pytest.mark.parametrize("count", [3, 30])
def test_feed_query_count_is_constant(client, make_event, django_assert_max_num_queries, count):
    for n in range(count):
        make_event(
            f"Семинар {n}",
            start=timezone.now() + timedelta(days=n % 20 + 1),
            repeat=Repeat.WEEKLY,
            repeat_count=3,
            exceptions=[EventException(date=date(2030, 1, 1))],
        )
    with django_assert_max_num_queries(12):
        parse(client.get("/events/ical/"))


def test_the_feed_follows_publishing_at_once(client, make_event):
    """The feed is kept between publishes: a new event and a cancellation must still show at once."""
    soon = timezone.now() + timedelta(days=2)
    first = make_event("Семинар для ДОУ", start=soon)
    assert set(vevents(parse(client.get("/events/ical/")))) == {"Семинар для ДОУ"}
    make_event("Вебинар для ОУ", start=soon, format=Format.ONLINE, online_url="https://x.example.ru/w")
    first.status = Status.CANCELLED
    first.save_revision().publish()
    events = vevents(parse(client.get("/events/ical/")))
    assert set(events) == {"Семинар для ДОУ", "Вебинар для ОУ"}
    assert str(events["Семинар для ДОУ"]["STATUS"]) == "CANCELLED"


def test_the_same_filters_share_one_feed_whatever_the_address(client, make_event, django_assert_max_num_queries):
    soon = timezone.now() + timedelta(days=2)
    for n in range(5):
        make_event(
            f"Семинар {n}",
            start=soon + timedelta(days=n),
            audiences=("dou",),
            format=Format.ONLINE,
            online_url="https://x.example.ru/s",
        )
    first = client.get("/events/ical/?audience=dou&format=online")
    with django_assert_max_num_queries(2):  # only Wagtail's view-restriction check
        again = client.get("/events/ical/?format=online&audience=dou&utm_source=vk")
    assert again.content == first.content
    assert len(vevents(parse(again))) == 5


def test_the_feed_is_rebuilt_as_the_clock_moves(client, make_event, monkeypatch):
    now = timezone.now()
    make_event("Семинар", start=now + timedelta(days=2))
    stamp = vevents(parse(client.get("/events/ical/")))["Семинар"]["DTSTAMP"].dt
    monkeypatch.setattr(timezone, "now", lambda: now + timedelta(minutes=61))
    later = vevents(parse(client.get("/events/ical/")))["Семинар"]["DTSTAMP"].dt
    assert later > stamp

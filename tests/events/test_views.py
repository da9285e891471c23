"""The calendar as a visitor reads it: month grid, week, upcoming, archive, filters and counts."""

import re
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from events.models import EventException, Format, Repeat, Status

from .conftest import msk


def month(client, query=""):
    response = client.get(f"/events/?{query}")
    assert response.status_code == 200, response.content[:500]
    return response


def day_html(response, iso_date):
    """The HTML of one day cell in the month grid."""
    html = response.content.decode()
    match = re.search(
        rf'<li class="cal-day[^"]*">\s*<h3 class="cal-day__date"><time datetime="{iso_date}">(.*?)</li>\s*(?=<li class="cal-day|</ol>)',
        html,
        re.S,
    )
    assert match, f"no cell for {iso_date}"
    return match.group(1)


def test_event_at_2330_moscow_on_the_last_day_shows_on_that_day(client, make_event):
    # 30 November 23:30 MSK is 20:30 UTC: it belongs to November 30, not December 1.
    make_event("Ночная олимпиада", start=msk(2026, 11, 30, 23, 30), end=msk(2026, 11, 30, 23, 55))
    response = month(client, "month=2026-11")
    assert "Ночная олимпиада" in day_html(response, "2026-11-30")
    december = client.get("/events/?month=2026-12")
    # December's grid starts on Monday 30 November, so it is in that leading cell only.
    assert "Ночная олимпиада" in day_html(december, "2026-11-30")
    assert "Ночная олимпиада" not in day_html(december, "2026-12-01")


def test_event_at_0030_on_the_first_is_not_in_the_previous_month(client, make_event):
    make_event("Ранний вебинар", start=msk(2027, 1, 1, 0, 30), end=msk(2027, 1, 1, 1, 30))
    assert "Ранний вебинар" not in month(client, "month=2026-12").content.decode().split("2027-01-01")[0]
    assert "Ранний вебинар" in day_html(month(client, "month=2027-01"), "2027-01-01")


def test_multi_day_event_shows_on_every_day(client, make_event):
    make_event("Выездной семинар «Заря»", start=msk(2026, 10, 17, 10), end=msk(2026, 10, 19, 16))
    response = month(client, "month=2026-10")
    for day in ("2026-10-17", "2026-10-18", "2026-10-19"):
        assert "Выездной семинар «Заря»" in day_html(response, day)
    assert "Выездной семинар «Заря»" not in day_html(response, "2026-10-20")
    assert "продолжение" in day_html(response, "2026-10-18")


def test_all_day_event_says_so(client, make_event):
    make_event("Конкурс «Я выбираю интерактив»", start=msk(2026, 11, 25), end=msk(2026, 11, 25), all_day=True)
    cell = day_html(month(client, "month=2026-11"), "2026-11-25")
    assert "весь день" in cell
    assert "Конкурс «Я выбираю интерактив»" in cell


def test_recurring_occurrences_appear_except_on_exception_dates(client, make_event):
    make_event(
        "РУМО учителей информатики",
        start=msk(2026, 11, 2, 15, 30),
        repeat=Repeat.WEEKLY,
        repeat_count=5,
        exceptions=[EventException(date=msk(2026, 11, 16).date())],
    )
    response = month(client, "month=2026-11")
    for day in ("2026-11-02", "2026-11-09", "2026-11-23", "2026-11-30"):
        assert "РУМО учителей информатики" in day_html(response, day)
    assert "РУМО учителей информатики" not in day_html(response, "2026-11-16")
    # RFC 5545: COUNT counts the rule's instances before EXDATE removes one, so there is no 7 December.
    december = month(client, "month=2026-12")
    assert "РУМО учителей информатики" not in day_html(december, "2026-12-07")


def test_cancelled_and_postponed_events_stay_visible_with_a_label(client, make_event):
    make_event("Семинар ДОУ", start=msk(2026, 11, 20, 10), status=Status.CANCELLED, audiences=("dou",))
    moved = make_event("Вебинар ОГЭ", start=msk(2026, 11, 21, 16))
    moved.status = Status.POSTPONED
    moved.postponed_to = msk(2026, 12, 5, 16)
    moved.save_revision().publish()
    response = month(client, "month=2026-11")
    assert "Отменено" in day_html(response, "2026-11-20")
    assert "Перенесено на 5 декабря" in day_html(response, "2026-11-21")
    assert "перенесено с 21 ноября" in day_html(month(client, "month=2026-12"), "2026-12-05")


def test_navigation_keeps_filters(client, make_event):
    make_event(start=msk(2026, 11, 10, 10), audiences=("dou",))
    html = month(client, "month=2026-11&audience=dou&format=online").content.decode()
    assert 'href="?audience=dou&amp;format=online&amp;month=2026-10"' in html
    assert 'href="?audience=dou&amp;format=online&amp;month=2026-12"' in html
    assert "/events/week/?audience=dou&amp;format=online" in html
    assert "/events/ical/?audience=dou&amp;format=online" in html


@pytest.fixture
def november(make_event, vocab):
    make_event("Семинар ДОУ очно", start=msk(2026, 11, 3, 10), audiences=("dou",))
    make_event(
        "Вебинар ДОУ",
        start=msk(2026, 11, 4, 16),
        audiences=("dou", "ou"),
        format=Format.ONLINE,
        event_type=vocab["webinar"],
        online_url="https://vcs.example.ru/secret-room",
    )
    make_event(
        "Семинар ОУ по математике", start=msk(2026, 11, 5, 15), audiences=("ou",), subject=vocab["math"], level="city"
    )
    make_event("Совещание руководителей", start=msk(2026, 11, 6, 11), audiences=("leaders",), venue=vocab["venue2"])
    make_event("Декабрьский семинар ДОУ", start=msk(2026, 12, 3, 10), audiences=("dou",))
    make_event("Черновик", start=msk(2026, 11, 7, 10), audiences=("dou",), publish=False)


def option_count(html, key, value):
    match = re.search(
        rf'name="{key}" value="{value}"[^>]*>\s*<span>[^<]*&nbsp;<span class="events-filters__count">\((\d+)\)', html
    )
    return int(match.group(1)) if match else 0


@pytest.mark.parametrize(
    ("query", "shown", "hidden"),
    [
        ("", {"Семинар ДОУ очно", "Вебинар ДОУ", "Семинар ОУ по математике", "Совещание руководителей"}, {"Черновик"}),
        ("audience=dou", {"Семинар ДОУ очно", "Вебинар ДОУ"}, {"Семинар ОУ по математике", "Совещание руководителей"}),
        ("audience=dou&format=online", {"Вебинар ДОУ"}, {"Семинар ДОУ очно"}),
        (
            "audience=dou&audience=leaders",
            {"Семинар ДОУ очно", "Совещание руководителей"},
            {"Семинар ОУ по математике"},
        ),
        ("type=webinar", {"Вебинар ДОУ"}, {"Семинар ДОУ очно"}),
        ("subject=math", {"Семинар ОУ по математике"}, {"Вебинар ДОУ"}),
        ("level=city", {"Семинар ОУ по математике"}, {"Вебинар ДОУ"}),
        ("q=совещание", {"Совещание руководителей"}, {"Вебинар ДОУ"}),
        ("q=гимназия", {"Совещание руководителей"}, {"Семинар ДОУ очно"}),  # venue name
        ("audience=nonexistent", set(), {"Семинар ДОУ очно"}),
    ],
)
def test_filters(client, november, query, shown, hidden):
    html = month(client, f"month=2026-11&{query}").content.decode()
    for title in shown:
        assert title in html
    for title in hidden:
        assert title not in html


def test_counts_next_to_each_option_apply_the_other_filters(client, november):
    html = month(client, "month=2026-11").content.decode()
    assert option_count(html, "audience", "dou") == 2  # draft and December excluded
    assert option_count(html, "audience", "ou") == 2
    assert option_count(html, "audience", "leaders") == 1
    assert option_count(html, "format", "online") == 1
    assert option_count(html, "type", "seminar") == 3
    html = month(client, "month=2026-11&format=online").content.decode()
    # audience counts now count only online events; format counts ignore the format filter itself
    assert option_count(html, "audience", "dou") == 1
    assert option_count(html, "audience", "leaders") == 0
    assert option_count(html, "format", "offline") == 3
    assert "Мероприятий в этом месяце: 1" in html


def test_counts_follow_a_publish_and_an_unpublish(client, november, make_event):
    """The counts and the filter form are kept between publishes (events.views._calendar)."""
    assert option_count(month(client, "month=2026-11").content.decode(), "audience", "dou") == 2
    added = make_event("Ещё один семинар ДОУ", start=msk(2026, 11, 12, 10), audiences=("dou",))
    html = month(client, "month=2026-11").content.decode()
    assert option_count(html, "audience", "dou") == 3
    assert "Ещё один семинар ДОУ" in html
    added.unpublish()
    assert option_count(month(client, "month=2026-11").content.decode(), "audience", "dou") == 2


def test_upcoming_counts_drop_an_event_within_a_minute_of_its_end(client, make_event, monkeypatch):
    now = timezone.now()
    make_event("Идёт сейчас", start=now - timedelta(hours=1), end=now + timedelta(minutes=10), audiences=("dou",))
    make_event("Завтра", start=now + timedelta(days=1), audiences=("ou",))
    html = client.get("/events/upcoming/").content.decode()
    assert (option_count(html, "audience", "dou"), option_count(html, "audience", "ou")) == (1, 1)
    monkeypatch.setattr(timezone, "now", lambda: now + timedelta(minutes=11))
    html = client.get("/events/upcoming/").content.decode()
    assert "Идёт сейчас" not in html
    assert (option_count(html, "audience", "dou"), option_count(html, "audience", "ou")) == (0, 1)


def test_private_online_link_is_never_on_public_pages(client, november):
    for url in ("/events/?month=2026-11", "/events/upcoming/", "/events/week/?start=2026-11-02"):
        assert "secret-room" not in client.get(url).content.decode()
    event_html = client.get("/events/").content.decode()
    assert "secret-room" not in event_html


def test_week_view(client, november):
    html = client.get("/events/week/?start=2026-11-04").content.decode()
    assert "2 ноября — 8 ноября 2026" in html
    assert "Вебинар ДОУ" in html and "Совещание руководителей" in html
    assert "Декабрьский семинар" not in html
    assert 'href="?start=2026-10-26"' in html and 'href="?start=2026-11-09"' in html


def test_upcoming_and_archive(client, make_event):
    now = timezone.now()
    make_event(
        "Прошедший с материалами", start=now - timedelta(days=5), materials=[("paragraph", "<p>Презентация</p>")]
    )
    make_event("Прошедший без материалов", start=now - timedelta(days=4))
    make_event("Будущий семинар", start=now + timedelta(days=2))
    upcoming = client.get("/events/upcoming/").content.decode()
    assert "Будущий семинар" in upcoming and "Прошедший" not in upcoming
    archive = client.get("/events/archive/").content.decode()
    assert "Прошедший с материалами" in archive and "Прошедший без материалов" in archive
    assert "Будущий семинар" not in archive
    with_materials = client.get("/events/archive/?materials=1").content.decode()
    assert "Прошедший с материалами" in with_materials and "Прошедший без материалов" not in with_materials


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("/events/?month=2026-13", "Месяц указан неверно"),
        ("/events/?month=abc", "Месяц указан неверно"),
        ("/events/?month=3026-01", "2000–2100"),
        ("/events/week/?start=2026-02-30", "Неделя указана неверно"),
        ("/events/upcoming/?page=x", "Номер страницы"),
        ("/events/upcoming/?page=99", "Такой страницы"),
        ("/events/?organiser=abc", "Организатор указан неверно"),
        ("/events/?q=" + "ж" * 201, "Слишком длинный"),
        ("/events/ical/?organiser=1x", "Организатор указан неверно"),
    ],
)
def test_bad_input_gets_a_russian_message_and_400(client, index, url, message):
    response = client.get(url)
    assert response.status_code == 400
    assert message in response.content.decode()


def test_month_view_query_count_does_not_grow_with_events(client, make_event, django_assert_max_num_queries):
    def queries():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/events/?month=2026-11").status_code == 200
        return len(ctx)

    make_event(start=msk(2026, 11, 2, 10), audiences=("dou",))
    queries()  # warm-up: site root paths and other per-process caches
    few = queries()
    for day in range(3, 28):
        make_event(start=msk(2026, 11, day, 10), audiences=("dou", "ou"), repeat=Repeat.DAILY, repeat_count=2)
    queries()  # publishing invalidated the shared menu/settings caches: warm them again
    many = queries()
    assert many <= few
    with django_assert_max_num_queries(few):
        client.get("/events/?month=2026-11")


def test_home_page_shows_upcoming_events(client, make_event):
    make_event("Ближайший семинар для ДОУ", start=timezone.now() + timedelta(days=1))
    make_event("Отменённый семинар", start=timezone.now() + timedelta(days=1), status=Status.CANCELLED)
    html = client.get("/").content.decode()
    assert "Ближайшие мероприятия" in html
    assert "Ближайший семинар для ДОУ" in html
    assert "Отменённый семинар" not in html


def test_home_events_move_on_when_a_shown_event_ends(client, make_event, monkeypatch, page_cache_on):
    now = timezone.now()
    make_event("Семинар, который идёт сейчас", start=now - timedelta(hours=1), end=now + timedelta(seconds=120))
    for day in range(1, 5):
        make_event(f"Семинар через {day} дн.", start=now + timedelta(days=day))
    first = client.get("/")
    html = first.content.decode()
    assert "Семинар, который идёт сейчас" in html and "Семинар через 4 дн." not in html
    # The page cache keeps the home page no longer than the first shown event lasts.
    assert 100 <= int(re.search(r"s-maxage=(\d+)", first["Cache-Control"]).group(1)) <= 120

    monkeypatch.setattr(timezone, "now", lambda: now + timedelta(hours=1))
    cache.clear()  # the stored copy ran out (its s-maxage above); a query string no longer bypasses it
    html = client.get("/").content.decode()
    assert "Семинар, который идёт сейчас" not in html
    assert "Семинар через 4 дн." in html


def test_renamed_venue_shows_on_the_home_page_at_once(client, make_event, vocab):
    make_event("Семинар в школе", start=timezone.now() + timedelta(days=2), venue=vocab["venue"])
    assert "ГБОУ школа № 204" in client.get("/").content.decode()
    vocab["venue"].name = "ГБОУ средняя школа № 204"
    vocab["venue"].save()
    assert "ГБОУ средняя школа № 204" in client.get("/").content.decode()


def test_event_page_json_ld(client, make_event, vocab):
    import json

    event = make_event(
        "Вебинар",
        start=msk(2026, 12, 1, 16),
        format=Format.MIXED,
        online_url="https://vcs.example.ru/private",
        status=Status.CANCELLED,
        venue=vocab["venue"],
    )
    html = client.get(event.url).content.decode()
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))
    assert data["@type"] == "Event"
    assert data["startDate"] == "2026-12-01T16:00:00+03:00"
    assert data["eventStatus"] == "https://schema.org/EventCancelled"
    assert data["eventAttendanceMode"] == "https://schema.org/MixedEventAttendanceMode"
    assert data["location"][0]["name"] == "ГБОУ школа № 204"
    assert "private" not in html
    assert "Мероприятие отменено" in html


def test_a_series_extended_by_the_daily_job_shows_in_a_month_seen_before(client, make_event, monkeypatch, site):
    """send_event_reminders extends open-ended series without a publish; the calendar must not keep
    its counts from before."""
    from django.core.management import call_command

    now = timezone.now()
    make_event("Методическое объединение", start=now + timedelta(days=1), repeat=Repeat.WEEKLY)
    beyond = timezone.localtime(now + timedelta(days=800))  # past the 730-day horizon, grid included
    query = f"month={beyond:%Y-%m}"
    html = month(client, query).content.decode()
    assert "Методическое объединение" not in html and option_count(html, "audience", "ou") == 0

    monkeypatch.setattr(timezone, "now", lambda: now + timedelta(days=120))
    call_command("send_event_reminders", stdout=open("/dev/null", "w"))  # noqa: SIM115
    html = month(client, query).content.decode()
    assert "Методическое объединение" in html and option_count(html, "audience", "ou") == 1


def test_month_and_day_names_are_russian_in_the_right_case(client, make_event):
    make_event("Семинар в конце месяца", start=msk(2026, 11, 30, 10))
    response = month(client, "month=2026-11")
    html = response.content.decode()
    # A heading names the month (nominative), a day says whose day it is (genitive).
    assert re.search(r'<h2 class="events-nav__title" id="month-heading">Ноябрь 2026</h2>', html)
    assert "<title>Ноябрь 2026 — " in html
    assert "30 ноября, понедельник" in re.sub(r"<[^>]+>", "", day_html(response, "2026-11-30"))
    weekdays = re.search(r'<div class="cal-month__weekdays"[^>]*>(.*?)</div>', html, re.S).group(1)
    assert re.findall(r"<span>([^<]+)</span>", weekdays) == ["Пн", "Вт", "Ср", "Чт", "Пт", "Сб", "Вс"]
    week = client.get("/events/week/?start=2026-11-30").content.decode()
    assert "Понедельник, 30 ноября" in week and "Воскресенье, 6 декабря" in week


def test_the_kept_month_grid_moves_today_at_midnight(client, index, monkeypatch):
    """The grid is kept between publishes (a fragment, events/pages/month.html), but «сегодня» is the
    visitor's day: the next day's request must not get yesterday's grid."""
    first = msk(2026, 11, 10, 12)
    monkeypatch.setattr(timezone, "now", lambda: first)
    assert "сегодня" in day_html(month(client), "2026-11-10")
    monkeypatch.setattr(timezone, "now", lambda: first + timedelta(days=1))
    response = month(client)
    assert "сегодня" in day_html(response, "2026-11-11")
    assert "сегодня" not in day_html(response, "2026-11-10")


def test_the_month_grid_is_kept_until_the_next_publish(client, make_event):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    event = make_event("Семинар ДОУ", start=msk(2026, 11, 10, 10), audiences=("dou",))
    month(client, "month=2026-11")  # the grid, the counts and the filter form are rendered once…
    with CaptureQueriesContext(connection) as ctx:
        assert "Семинар ДОУ" in day_html(month(client, "month=2026-11"), "2026-11-10")
    # …then kept: no calendar query (the page itself is loaded per request, core.routing)
    assert not [q for q in ctx.captured_queries if "events_" in q["sql"] and "events_eventindexpage" not in q["sql"]]
    event.start, event.end = msk(2026, 11, 12, 10), msk(2026, 11, 12, 12)
    event.save_revision().publish()
    response = month(client, "month=2026-11")
    assert "Семинар ДОУ" in day_html(response, "2026-11-12")
    assert "Семинар ДОУ" not in day_html(response, "2026-11-10")

"""Calendar views (month, week, upcoming, archive), the event page context and the registration
forms; what a registration does to seats and e-mail lives in events.registration."""

import calendar
import hashlib
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.core import signing
from django.core.paginator import EmptyPage, Paginator
from django.db import IntegrityError, transaction
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.template.response import TemplateResponse
from django.utils import dateformat, timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe

from core.cache import cached_for_generation, valid_until
from core.ratelimit import is_limited, limited, refilled_form, retry_after, retry_message, too_many_requests
from core.seo import event_data

from .filters import BadFilter, Filters, facet_counts
from .forms import RegistrationForm
from .models import MSK, EventOccurrence, EventPage, Format, Registration, Status
from .registration import cancel_registration, confirm_registration, hold_text, lapsed, send_registration_mail

MONTHS_NOMINATIVE = [
    "",
    "Январь",
    "Февраль",
    "Март",
    "Апрель",
    "Май",
    "Июнь",
    "Июль",
    "Август",
    "Сентябрь",
    "Октябрь",
    "Ноябрь",
    "Декабрь",
]
MONTHS_GENITIVE = [
    "",
    "января",
    "февраля",
    "марта",
    "апреля",
    "мая",
    "июня",
    "июля",
    "августа",
    "сентября",
    "октября",
    "ноября",
    "декабря",
]
WEEKDAYS = ["Понедельник", "Вторник", "Среда", "Четверг", "Пятница", "Суббота", "Воскресенье"]
WEEKDAYS_SHORT = ["Пн", "Вт", "Ср", "Чт", "Пт", "Сб", "Вс"]
PER_PAGE = 20
REGISTER_RATE = "5/m"
REGISTER_SUBNET_RATE = "30/m"


def local_midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min), MSK)


@dataclass
class Entry:
    """One occurrence as a visitor sees it on one day."""

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

    def grid_html(self) -> str:
        """The entry in a month-grid cell. Same markup as components/entry.html (heading level 4,
        no details), built with plain string operations: a busy month has hundreds of cells and this
        is its hot path (escape() on every value that comes from the database)."""
        event = self.event
        if event.all_day:
            when = "весь день"
        elif self.continues:
            when = "продолжение"
        else:
            when = f'<time datetime="{self.start.isoformat()}">{self.start:%H:%M}</time>'
        meta = escape(event.type_name if hasattr(event, "type_name") else event.event_type.name)
        if event.format != Format.OFFLINE:
            meta += " · " + escape(event.get_format_display())
        label = ""
        if event.status == Status.CANCELLED:
            label = '<p class="event-label event-label--cancelled">Отменено</p>'
        elif self.moved:
            target = (
                " на " + dateformat.format(timezone.localtime(event.postponed_to, MSK), "j E, H:i")
                if event.postponed_to
                else ""
            )
            label = f'<p class="event-label event-label--postponed">Перенесено{target}</p>'
        elif event.status == Status.POSTPONED:
            text = (
                "Новая дата (перенесено с " + dateformat.format(timezone.localtime(event.start, MSK), "j E") + ")"
                if event.postponed_to
                else "Перенесено, новая дата уточняется"
            )
            label = f'<p class="event-label event-label--postponed">{text}</p>'
        moved = " event-entry--moved" if self.moved else ""
        return mark_safe(
            f'<article class="event-entry event-entry--{escape(event.status)}{moved}">'
            f'<p class="event-entry__time">{when}</p>'
            f'<h4 class="event-entry__title"><a href="{escape(event.listing_url)}">{escape(event.title)}</a></h4>'
            f'<p class="event-entry__meta">{meta}</p>{label}</article>'
        )


@dataclass
class MonthDay:
    date: date
    entries: list[Entry]
    in_month: bool
    today: bool

    def cell_html(self) -> str:
        """One day of the month grid, built like Entry.grid_html: 42 cells per page, its hot path."""
        day = self.date
        classes = "cal-day"
        if not self.in_month:
            classes += " cal-day--outside"
        if self.today:
            classes += " cal-day--today"
        if not self.entries:
            classes += " cal-day--empty"
        today = ' <span class="cal-day__today">сегодня</span>' if self.today else ""
        events = ""
        if self.entries:
            events = (
                '<ul class="cal-day__events">' + "".join(f"<li>{e.grid_html()}</li>" for e in self.entries) + "</ul>"
            )
        return mark_safe(
            f'<li class="{classes}"><h3 class="cal-day__date"><time datetime="{day.isoformat()}">'
            f'<span class="cal-day__num">{day.day}</span><span class="cal-day__full"> '
            f"{MONTHS_GENITIVE[day.month]}, {WEEKDAYS[day.weekday()].lower()}</span></time>{today}</h3>{events}</li>"
        )


LIST_DEFER = ("event__body", "event__materials", "event__search_description", "event__seo_title")
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
FORMAT_LABELS = dict(Format.choices)


@dataclass
class GridEvent:
    """What a month-grid cell needs of an event, read as plain values (no model instances)."""

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


def _load_grid(occurrences, index):
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


def _load(occurrences, index=None, audiences=False):
    """Occurrences with their events, loaded in a fixed number of queries whatever their number.

    Listing URLs are built from the calendar's URL (events are always its children), which avoids a
    site-root lookup per event; audience names are attached from one query on the M2M table.
    """
    rows = list(
        occurrences.select_related("event", "event__event_type", "event__venue")
        .defer(*LIST_DEFER)
        .order_by("start", "pk")
    )
    annotate_events([occ.event for occ in rows], index, audiences)
    return rows


def annotate_events(events, index=None, audiences=False):
    from .models import EventIndexPage

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


MONTH_RE = re.compile(r"([0-9]{4})-([0-9]{1,2})")
ASCII_NUMBER = re.compile(r"[0-9]{1,9}")
YEARS = (2000, 2100)
YEARS_MESSAGE = "Календарь охватывает 2000–2100 годы."


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


def bad_request(request, index, message):
    return render(request, "events/pages/bad_request.html", {"page": index, "message": message}, status=400)


def _calendar(index, request, filters, view, start, end, count_start=None, count_end=None):
    """Facet counts (for the visible period) and the occurrences in [start, end) of the events
    matching every filter, in a fixed number of queries."""
    # Counts change when an editor publishes; the upcoming list and the archive are split at "now",
    # so theirs are also recounted every minute (the occurrences listed are always read live).
    if view in ("month", "week"):
        period, timeout = (start, end, count_start, count_end), 300
    else:
        period, timeout = (view, int(timezone.now().timestamp() // 60)), 60
    key = hashlib.sha1(repr((period, filters.querystring())).encode(), usedforsecurity=False).hexdigest()
    result = cached_for_generation(
        request, f"event-facets:{key}", lambda: facet_counts(start, end, filters, count_start, count_end), timeout
    )
    occurrences = EventOccurrence.objects.filter(event_id__in=result.matching_ids)
    if end is not None:
        occurrences = occurrences.filter(start__lt=end)
    if start is not None:
        occurrences = occurrences.filter(end__gte=start)
    context = {
        "page": index,
        "self": index,
        "filters": filters,
        "facets": result.facets,
        "organisers": result.organisers,
        "view": view,
        "filters_fragment": f"events-filters:{key}",  # the form is rendered once per count (core_tags.fragment)
        "filter_query": filters.querystring(),
        "ical_url": index.url + "ical/" + (f"?{filters.querystring()}" if filters.active else ""),
    }
    return occurrences, context


def month_view(index, request):
    try:
        filters = Filters.from_request(request)
        month_param = request.GET.get("month", "")
        if month_param:
            first = parse_month(month_param)
        else:
            today = timezone.localdate()
            first = today.replace(day=1)
    except BadFilter as exc:
        return bad_request(request, index, str(exc))
    last = first.replace(day=calendar.monthrange(first.year, first.month)[1])
    grid_first = first - timedelta(days=first.weekday())
    grid_last = last + timedelta(days=6 - last.weekday())
    start, end = local_midnight(grid_first), local_midnight(grid_last + timedelta(1))
    month_start, month_end = local_midnight(first), local_midnight(last + timedelta(1))
    occurrences, context = _calendar(index, request, filters, "month", start, end, month_start, month_end)
    days = day_entries(_load_grid(occurrences, index), grid_first, grid_last)
    today = timezone.localdate()
    weeks = []
    week = []
    for day, entries in days.items():
        week.append(MonthDay(day, entries, day.month == first.month, day == today))
        if len(week) == 7:
            weeks.append(week)
            week = []
    prev_month = (first - timedelta(1)).replace(day=1)
    next_month = last + timedelta(1)
    context.update(
        {
            "weeks": weeks,
            "weekdays": list(zip(WEEKDAYS_SHORT, WEEKDAYS, strict=True)),
            "month_title": f"{MONTHS_NOMINATIVE[first.month]} {first.year}",
            "month_first": first,
            "prev_query": filters.querystring(month=f"{prev_month:%Y-%m}"),
            "next_query": filters.querystring(month=f"{next_month:%Y-%m}"),
            "today_query": filters.querystring(),
            "month_count": sum(1 for d in days if d.month == first.month for e in days[d] if not e.continues),
        }
    )
    return TemplateResponse(request, "events/pages/month.html", context)


def week_view(index, request):
    try:
        filters = Filters.from_request(request)
        param = request.GET.get("start", "")
        if param:
            day = parse_week_start(param)
        else:
            day = timezone.localdate()
    except BadFilter as exc:
        return bad_request(request, index, str(exc))
    first = day - timedelta(days=day.weekday())
    last = first + timedelta(6)
    start, end = local_midnight(first), local_midnight(last + timedelta(1))
    occurrences, context = _calendar(index, request, filters, "week", start, end)
    days = day_entries(_load(occurrences, index, audiences=True), first, last)
    context.update(
        {
            "days": [{"date": d, "entries": e, "weekday": WEEKDAYS[d.weekday()]} for d, e in days.items()],
            "week_first": first,
            "week_last": last,
            "prev_query": filters.querystring(start=(first - timedelta(7)).isoformat()),
            "next_query": filters.querystring(start=(first + timedelta(7)).isoformat()),
        }
    )
    return TemplateResponse(request, "events/pages/week.html", context)


def _paged(request, queryset):
    paginator = Paginator(queryset, PER_PAGE)
    number = request.GET.get("page", "1")
    if not ASCII_NUMBER.fullmatch(number):  # str.isdigit() accepts «²», which int() refuses
        raise BadFilter("Номер страницы указан неверно.")
    try:
        return paginator.page(int(number))
    except EmptyPage:
        raise BadFilter("Такой страницы списка нет.")


def upcoming_view(index, request):
    now = timezone.now()
    try:
        filters = Filters.from_request(request)
        occurrences, context = _calendar(index, request, filters, "upcoming", now, None)
        occurrences = occurrences.filter(moved_marker=False)
        page_obj = _paged(
            request,
            occurrences.select_related("event", "event__event_type", "event__venue")
            .defer(*LIST_DEFER)
            .order_by("start", "pk"),
        )
    except BadFilter as exc:
        return bad_request(request, index, str(exc))
    context.update({"page_obj": page_obj, "entries": _entries(page_obj, index)})
    return TemplateResponse(request, "events/pages/list.html", context)


def archive_view(index, request):
    now = timezone.now()
    try:
        filters = Filters.from_request(request)
        occurrences, context = _calendar(index, request, filters, "archive", None, now)
        occurrences = occurrences.filter(end__lt=now, moved_marker=False)
        page_obj = _paged(
            request,
            occurrences.select_related("event", "event__event_type", "event__venue")
            .defer(*LIST_DEFER)
            .order_by("-start", "-pk"),
        )
    except BadFilter as exc:
        return bad_request(request, index, str(exc))
    context.update({"page_obj": page_obj, "entries": _entries(page_obj, index)})
    return TemplateResponse(request, "events/pages/list.html", context)


def _entries(page_obj, index):
    annotate_events([occ.event for occ in page_obj.object_list], index, audiences=True)
    return [
        Entry(occ, occ.event, timezone.localtime(occ.start, MSK), timezone.localtime(occ.end, MSK))
        for occ in page_obj.object_list
    ]


def upcoming(limit=4, index=None):
    """The next occurrences of live events (for the home page)."""
    now = timezone.now()
    occurrences = list(
        EventOccurrence.objects.filter(end__gte=now, moved_marker=False, event__live=True)
        .exclude(event__status=Status.CANCELLED)
        .select_related("event", "event__event_type", "event__venue")
        .defer(*LIST_DEFER)
        .order_by("start", "pk")[:limit]
    )
    annotate_events([occ.event for occ in occurrences], index)
    return [
        Entry(occ, occ.event, timezone.localtime(occ.start, MSK), timezone.localtime(occ.end, MSK))
        for occ in occurrences
    ]


def home_slot_context(request, page):
    from .models import EventIndexPage

    index = EventIndexPage.objects.live().only("url_path").first()
    entries = upcoming(limit=4, index=index)
    # The list moves on when a shown occurrence ends (core.cache keeps the rendered slot until then).
    valid_until(request, *(entry.end for entry in entries))
    if not entries:
        return None
    return {"entries": entries, "index_url": index.url if index else "/events/"}


# --- event page ------------------------------------------------------------------------------


def event_context(event: EventPage, request, form=None) -> dict:
    now = timezone.now()
    upcoming_dates = []
    if event.is_recurring:
        upcoming_dates = [
            timezone.localtime(o.start, MSK)
            for o in event.occurrences.filter(end__gte=now, moved_marker=False).order_by("start")[:6]
        ]
    state = event.registration_state(now)
    seats_left = None
    if event.registration_open and event.capacity:
        seats_left = max(event.capacity - event.seats_taken(), 0)
    return {
        "start_local": timezone.localtime(event.effective_start, MSK),
        "end_local": timezone.localtime(event.effective_end, MSK),
        "original_start": timezone.localtime(event.start, MSK),
        "is_past": event.effective_end < now,
        "upcoming_dates": upcoming_dates,
        "exceptions": [e for e in event.exceptions.all() if e.date >= timezone.localdate()],
        "registration_state": state,
        "seats_left": seats_left,
        "form": form if form is not None else (RegistrationForm() if state in ("open", "waitlist") else None),
        "hold_text": hold_text(),
        "structured_data": event_data(event, request),
        "index_page": event.get_parent(),
    }


def _render_event(event, request, form, status, error=None):
    context = event.get_context(request)
    context.update(event_context(event, request, form=form))
    context["registration_error"] = error
    return TemplateResponse(request, event.get_template(request), context, status=status)


def register(event: EventPage, request):
    if request.method != "POST":
        return HttpResponseRedirect(event.url + "#registration")
    if wait := retry_after(request, "events-register", REGISTER_RATE, REGISTER_SUBNET_RATE):
        form = refilled_form(RegistrationForm, request, retry_message(wait), request=request)
        return limited(_render_event(event, request, form, 429), wait)
    form = RegistrationForm(request.POST, request=request)
    state = event.registration_state()
    if state == "none":
        return _render_event(event, request, form, 404, "На это мероприятие регистрация на сайте не проводится.")
    if state == "closed":
        return _render_event(event, request, form, 409, "Регистрация на это мероприятие закрыта.")
    if not form.is_valid():
        return _render_event(event, request, form, 400)
    data = form.cleaned_data
    try:
        with transaction.atomic():
            # The lock on the event row serialises registrations for it: the count below is exact.
            locked = EventPage.objects.select_for_update(of=("self",)).only("pk").get(pk=event.pk)
            if (
                Registration.objects.filter(event=locked, email=data["email"])
                .exclude(status=Registration.State.CANCELLED)
                .exists()
            ):
                form.add_error("email", "С этого адреса уже есть регистрация на это мероприятие. Проверьте почту.")
                return _render_event(event, request, form, 409)
            taken = Registration.objects.filter(event=locked, status=Registration.State.REGISTERED).count()
            if not event.capacity or taken < event.capacity:
                status = Registration.State.REGISTERED
            elif event.waitlist_enabled:
                status = Registration.State.WAITLIST
            else:
                return _render_event(event, request, form, 409, "Все места заняты, лист ожидания не ведётся.")
            consent = form.record_consent(request)
            registration = Registration.objects.create(
                event=event,
                full_name=data["full_name"],
                organisation=data["organisation"],
                position=data["position"],
                email=data["email"],
                status=status,
                consent=consent,
            )
            send_registration_mail(registration, "submitted", request)
    except IntegrityError:
        form.add_error("email", "С этого адреса уже есть регистрация на это мероприятие. Проверьте почту.")
        return _render_event(event, request, form, 409)
    receipt = signing.dumps({"r": registration.pk, "e": event.pk}, salt="events.register.done")
    return HttpResponseRedirect(f"{event.url}register/done/?receipt={receipt}")


def register_done(event: EventPage, request):
    try:
        data = signing.loads(request.GET.get("receipt", ""), salt="events.register.done", max_age=86400)
        registration = Registration.objects.get(pk=data["r"], event=event)
    except (signing.BadSignature, Registration.DoesNotExist, KeyError, TypeError):
        return render(
            request,
            "events/pages/message.html",
            {
                "page": event,
                "title": "Ссылка устарела",
                "message": "Эта страница доступна только сразу после регистрации. "
                "Все подробности — в письме, которое мы вам отправили.",
            },
            status=404,
        )
    name, domain = registration.email.split("@", 1)
    masked = f"{name[:2]}***@{domain}"
    return render(
        request,
        "events/pages/register_done.html",
        {
            "page": event,
            "registration": registration,
            "masked_email": masked,
            "start_local": timezone.localtime(event.effective_start, MSK),
            "hold_text": hold_text(),
        },
    )


def registration_action(event: EventPage, request, token, action):
    registration = Registration.objects.filter(token=token, event=event).first()
    if registration is None:
        return render(
            request,
            "events/pages/message.html",
            {
                "page": event,
                "title": "Регистрация не найдена",
                "message": "Ссылка неверна или регистрация удалена. "
                "Если вы копировали ссылку из письма, проверьте, что она скопирована целиком.",
            },
            status=404,
        )
    done = None
    if request.method == "POST":
        if is_limited(request, "events-registration-action", "20/m"):
            return too_many_requests(request)
        if action == "confirm":
            done = confirm_registration(registration, request)
        else:
            done = cancel_registration(registration, request)
        registration.refresh_from_db()
    return render(
        request,
        "events/pages/registration_action.html",
        {
            "page": event,
            "registration": registration,
            "action": action,
            "done": done,
            "start_local": timezone.localtime(event.effective_start, MSK),
            "hold_text": hold_text(),
            "lapsed": lapsed(registration),
        },
    )

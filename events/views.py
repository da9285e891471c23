"""Request handlers of the calendar (month, week, upcoming, archive) and of the event page with its
registration forms. What they show is built in events.calendar; what a registration does to seats and
e-mail lives in events.registration; the page's structured data in core.seo."""

import hashlib
import re
from datetime import timedelta

from django.core import signing
from django.core.paginator import EmptyPage, Paginator
from django.db import IntegrityError, transaction
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.template.response import TemplateResponse
from django.utils import timezone

from core import tokens
from core.cache import cached_for_generation
from core.ratelimit import is_limited, limited, refilled_form, retry_after, retry_message, too_many_requests
from core.seo import event_data

from .calendar import (
    LIST_DEFER,
    Month,
    day_entries,
    list_entries,
    load_occurrences,
    local_midnight,
    parse_month,
    parse_week_start,
)
from .filters import BadFilter, Filters, facet_counts
from .forms import RegistrationForm
from .models import MSK, EventOccurrence, EventPage, Registration
from .registration import (
    cancel_registration,
    confirm_registration,
    find_registration,
    hold_text,
    lapsed,
    link_state,
    release_unconfirmed,
    send_registration_mail,
)

PER_PAGE = 20
ASCII_NUMBER = re.compile(r"[0-9]{1,9}")
REGISTER_RATE = "5/m"
REGISTER_SUBNET_RATE = "30/m"


def bad_request(request, index, message):
    return render(request, "events/pages/bad_request.html", {"page": index, "message": message}, status=400)


def _calendar(index, request, filters, view, start, end, count_start=None, count_end=None):
    """Facet counts (for the visible period) and the occurrences in [start, end) of the events
    matching every filter, in a fixed number of queries."""
    # Counts change when an editor publishes; the upcoming list and the archive are split at "now",
    # so theirs are also recounted every minute (their occurrences are read live; the month grid is
    # kept as a fragment like the counts, month.html).
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
        "calendar_key": key,  # names the fragments kept for these counts (core_tags.fragment)
        "filters_fragment": f"events-filters:{key}",
        "filter_query": filters.querystring(),
        "ical_url": index.url + "ical/" + (f"?{filters.querystring()}" if filters.active else ""),
    }
    return occurrences, context


def month_view(index, request):
    try:
        filters = Filters.from_request(request)
        month_param = request.GET.get("month", "")
        month = Month.around(parse_month(month_param) if month_param else timezone.localdate())
    except BadFilter as exc:
        return bad_request(request, index, str(exc))
    start, end = local_midnight(month.grid_first), local_midnight(month.grid_last + timedelta(1))
    month_start, month_end = local_midnight(month.first), local_midnight(month.last + timedelta(1))
    occurrences, context = _calendar(index, request, filters, "month", start, end, month_start, month_end)
    month.occurrences, month.index = occurrences, index  # read only when the grid fragment is rendered
    context.update(
        {
            "month": month,
            "month_first": month.first,  # the filter form and «Сбросить» stay in this month
            # The grid is the same for every visitor until the next publish or midnight ("today").
            "month_fragment": f"events-month:{context['calendar_key']}:{month.today.isoformat()}",
            "prev_query": filters.querystring(month=f"{month.previous:%Y-%m}"),
            "next_query": filters.querystring(month=f"{month.next:%Y-%m}"),
            "today_query": filters.querystring(),
        }
    )
    return TemplateResponse(request, "events/pages/month.html", context)


def week_view(index, request):
    try:
        filters = Filters.from_request(request)
        param = request.GET.get("start", "")
        day = parse_week_start(param) if param else timezone.localdate()
    except BadFilter as exc:
        return bad_request(request, index, str(exc))
    first = day - timedelta(days=day.weekday())
    last = first + timedelta(6)
    start, end = local_midnight(first), local_midnight(last + timedelta(1))
    occurrences, context = _calendar(index, request, filters, "week", start, end)
    days = day_entries(load_occurrences(occurrences, index, audiences=True), first, last)
    context.update(
        {
            "days": days.items(),
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


def _list_view(index, request, view):
    """The upcoming list (soonest first) or the archive (latest first); a moved marker is not listed."""
    now = timezone.now()
    try:
        filters = Filters.from_request(request)
        if view == "upcoming":
            occurrences, context = _calendar(index, request, filters, view, now, None)
            order = ("start", "pk")
        else:
            occurrences, context = _calendar(index, request, filters, view, None, now)
            occurrences, order = occurrences.filter(end__lt=now), ("-start", "-pk")
        page_obj = _paged(
            request,
            occurrences.filter(moved_marker=False)
            .select_related("event", "event__event_type", "event__venue")
            .defer(*LIST_DEFER)
            .order_by(*order),
        )
    except BadFilter as exc:
        return bad_request(request, index, str(exc))
    context.update({"page_obj": page_obj, "entries": list_entries(page_obj.object_list, index)})
    return TemplateResponse(request, "events/pages/list.html", context)


def upcoming_view(index, request):
    return _list_view(index, request, "upcoming")


def archive_view(index, request):
    return _list_view(index, request, "archive")


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
        "form": form
        if form is not None
        else (RegistrationForm(request=request) if state in ("open", "waitlist") else None),
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
    registration = find_registration(event, token)
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
    if request.method == "POST" and is_limited(request, "events-registration-action", "20/m"):
        return too_many_requests(request)
    state = link_state(registration, action)
    if (
        state == tokens.LinkState.EXPIRED
        and action == "confirm"
        and registration.status != Registration.State.CANCELLED
    ):
        release_unconfirmed(registration_id=registration.pk)  # the page says the seat is gone: make it so now
        registration.refresh_from_db()
    done = None
    if request.method == "POST" and state == tokens.LinkState.VALID:
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
            "expired": state == tokens.LinkState.EXPIRED,
        },
        status=tokens.HTTP_STATUS[state],
    )

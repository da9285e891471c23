"""Organisers' view of one event's registrations, with CSV and XLSX export (core.exports)."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils import timezone

from core.exports import table_response

from .models import EventPage, Registration

HEADERS = [
    "№",
    "ФИО",
    "Образовательное учреждение",
    "Должность",
    "E-mail",
    "Статус",
    "Заявка подана",
    "E-mail подтверждён",
    "Переведён из листа ожидания",
    "Отменена",
    "Согласие (версия текста)",
]


def rows_for(event):
    registrations = Registration.objects.filter(event=event).select_related("consent").order_by("created_at", "pk")
    for number, r in enumerate(registrations, start=1):
        yield [
            number,
            r.full_name,
            r.organisation,
            r.position,
            r.email,
            r.get_status_display(),
            r.created_at,
            r.confirmed_at or "",
            r.promoted_at or "",
            r.cancelled_at or "",
            f"{timezone.localtime(r.consent.given_at):%d.%m.%Y %H:%M}, редакция № {r.consent.revision_id}",
        ]


def registrations(request, page_id):
    event = get_object_or_404(EventPage, pk=page_id)
    if not event.permissions_for_user(request.user).can_edit():
        raise PermissionDenied
    fmt = request.GET.get("format")
    if fmt:
        return table_response(f"registrations-{event.slug}"[:60], HEADERS, rows_for(event), fmt=fmt)
    registrations = list(Registration.objects.filter(event=event).order_by("created_at", "pk"))
    counts = {state: 0 for state, _ in Registration.State.choices}
    for r in registrations:
        counts[r.status] += 1
    return TemplateResponse(
        request,
        "events/admin/registrations.html",
        {
            "event": event,
            "registrations": registrations,
            "registered": counts[Registration.State.REGISTERED],
            "waitlist": counts[Registration.State.WAITLIST],
            "cancelled": counts[Registration.State.CANCELLED],
            "header_title": f"Регистрации: {event.title}",
        },
    )

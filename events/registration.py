"""What registrations do to seats, the waiting list and e-mail, apart from the pages: the views, the
model's save() and the scheduled commands call these (a request, when given, only builds full URLs)."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from core import tokens
from core.mail import queue_email

from .models import MSK, EventPage, Registration, RegistrationLink

# E-mails that carry no confirm/cancel link, so no link is issued for them.
LINKLESS = {"cancelled", "event_cancelled"}


def new_link(registration: Registration) -> str:
    """A fresh token for one e-mail; only its hash is stored (core.tokens)."""
    token, token_hash = tokens.new_token()
    RegistrationLink.objects.create(registration=registration, token_hash=token_hash)
    return token


def find_registration(event: EventPage, token: str) -> Registration | None:
    if not tokens.plausible(token):
        return None
    return Registration.objects.filter(event=event, links__token_hash=tokens.digest(token)).first()


def send_registration_mail(registration: Registration, kind: str, request=None, extra=None):
    event = registration.event
    base = event.get_full_url(request)
    token = "" if kind in LINKLESS else new_link(registration)
    context = {
        "registration": registration,
        "event": event,
        "start_local": timezone.localtime(event.effective_start, MSK),
        "end_local": timezone.localtime(event.effective_end, MSK),
        "event_url": base,
        "confirm_url": f"{base}r/{token}/confirm/",
        "cancel_url": f"{base}r/{token}/cancel/",
        "ical_url": f"{base}ical/",
        "online_url": event.online_url if registration.status == Registration.State.REGISTERED else "",
        "occurrence_start": timezone.localtime(event.effective_start, MSK),
        "hold_text": hold_text(),
        **(extra or {}),
    }
    subjects = {
        "submitted": "Заявка на мероприятие «{}»",
        "confirmed": "Регистрация подтверждена: «{}»",
        "cancelled": "Регистрация отменена: «{}»",
        "promoted": "Для вас освободилось место: «{}»",
        "reminder": "Напоминание: завтра «{}»",
        "event_cancelled": "Мероприятие отменено: «{}»",
        "event_postponed": "Мероприятие перенесено: «{}»",
        "event_changed": "Изменились дата, время или место: «{}»",
    }
    template = "event_changed" if kind.startswith("event_") else kind  # one notice, worded by kind
    queue_email(
        registration.email,
        subjects[kind].format(event.title)[:250],
        f"events/emails/{template}.txt",
        {**context, "kind": kind},
        purpose="event_registration",
        secret_tokens=[token] if token else (),
    )


def notify_registrants(event_id: int, kind: str) -> int:
    """E-mails everyone registered or waiting (with a confirmed address) that the event was cancelled,
    postponed or moved. Returns how many were told."""
    registrations = list(
        Registration.objects.filter(
            event_id=event_id,
            status__in=[Registration.State.REGISTERED, Registration.State.WAITLIST],
            confirmed_at__isnull=False,
        ).select_related("event")
    )
    for registration in registrations:
        send_registration_mail(registration, kind)
    return len(registrations)


def confirm_registration(registration: Registration, request=None) -> str:
    if registration.status == Registration.State.CANCELLED:
        return "cancelled"
    if registration.confirmed_at:
        return "already"
    updated = Registration.objects.filter(pk=registration.pk, confirmed_at=None).update(confirmed_at=timezone.now())
    if updated:
        registration.refresh_from_db()
        send_registration_mail(registration, "confirmed", request)
    return "confirmed"


def cancel_registration(registration: Registration, request=None) -> str:
    with transaction.atomic():
        EventPage.objects.select_for_update(of=("self",)).only("pk").get(pk=registration.event_id)
        current = Registration.objects.select_for_update().get(pk=registration.pk)
        if current.status == Registration.State.CANCELLED:
            return "already"
        freed = current.status == Registration.State.REGISTERED
        current.status = Registration.State.CANCELLED
        current.cancelled_at = timezone.now()
        current.save(update_fields=["status", "cancelled_at"])
        send_registration_mail(current, "cancelled", request)
        if freed:
            promote_waitlist(current.event, request)
    return "cancelled"


# How long an unconfirmed registration holds its seat. Two hours: a teacher who registers opens the
# e-mail within minutes (greylisting delays mail by half an hour at most), while seats taken with
# addresses nobody confirms go back to real registrants the same day (24 h let a script hold a whole
# event for a day). expire_registrations runs every 10 minutes, so a seat is held at most 2 h 10 min.
CONFIRM_WITHIN = timedelta(hours=2)


def hold_hours() -> int:
    return int(CONFIRM_WITHIN.total_seconds() // 3600)


def hold_text() -> str:
    """CONFIRM_WITHIN in Russian words for pages and e-mails: «2 часа», «1 час», «5 часов»."""
    hours = hold_hours()
    if hours % 10 == 1 and hours % 100 != 11:
        unit = "час"
    elif hours % 10 in (2, 3, 4) and hours % 100 not in (12, 13, 14):
        unit = "часа"
    else:
        unit = "часов"
    return f"{hours} {unit}"


def lapsed(registration: Registration) -> bool:
    """Cancelled by release_unconfirmed (never confirmed, cancelled after the hold), not by its owner."""
    return bool(
        registration.status == Registration.State.CANCELLED
        and registration.confirmed_at is None
        and registration.cancelled_at
        and registration.cancelled_at - registration.created_at >= CONFIRM_WITHIN
    )


def link_state(registration: Registration, action: str, now=None) -> tokens.LinkState:
    """What a confirm or cancel link of this registration does now (core.tokens' order).

    A confirm link lives as long as the seat is held (CONFIRM_WITHIN); a cancel link until the event
    is over. A link whose work is done (confirmed, or cancelled) says so, whenever it is opened.
    """
    if action == "confirm":
        if lapsed(registration):
            return tokens.LinkState.EXPIRED
        used = registration.confirmed_at is not None or registration.status == Registration.State.CANCELLED
        expires_at = registration.created_at + CONFIRM_WITHIN
    else:
        used = registration.status == Registration.State.CANCELLED
        expires_at = registration.event.effective_end
    return tokens.link_state(found=True, used=used, expires_at=expires_at, now=now)


def release_unconfirmed(now=None, registration_id=None) -> int:
    """Cancels registrations whose address was not confirmed within CONFIRM_WITHIN, so that a
    mistyped (or somebody else's) address does not hold a seat, and moves the waiting list up.
    Nothing is sent to those addresses: they were never shown to be the registrant's.
    With `registration_id`, only that one (its confirm link was opened too late)."""
    now = now or timezone.now()
    stale = Registration.objects.filter(
        confirmed_at=None,
        created_at__lte=now - CONFIRM_WITHIN,
        status__in=[Registration.State.REGISTERED, Registration.State.WAITLIST],
    )
    if registration_id is not None:
        stale = stale.filter(pk=registration_id)
    released = 0
    for event_id in stale.order_by().values_list("event_id", flat=True).distinct():
        with transaction.atomic():
            event = EventPage.objects.select_for_update(of=("self",)).get(pk=event_id)
            ids = list(stale.filter(event_id=event_id).select_for_update().values_list("pk", flat=True))
            released += Registration.objects.filter(pk__in=ids).update(
                status=Registration.State.CANCELLED, cancelled_at=now
            )
            promote_waitlist(event)
    return released


def promote_waitlist(event: EventPage, request=None) -> list[Registration]:
    """Moves the earliest waiting registrants into free seats. Call with the event row locked."""
    taken = Registration.objects.filter(event=event, status=Registration.State.REGISTERED).count()
    free = (event.capacity - taken) if event.capacity else None
    waiting = Registration.objects.filter(event=event, status=Registration.State.WAITLIST).order_by("created_at", "pk")
    if free is not None:
        waiting = waiting[: max(free, 0)]
    promoted = []
    for registration in waiting:
        registration.status = Registration.State.REGISTERED
        registration.promoted_at = timezone.now()
        registration.save(update_fields=["status", "promoted_at"])
        send_registration_mail(registration, "promoted", request)
        promoted.append(registration)
    return promoted

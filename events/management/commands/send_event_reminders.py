"""Sends the day-before reminder to everyone registered (address confirmed) for an occurrence that
starts tomorrow.

Run once a day (cron / systemd timer, e.g. at 10:00). Idempotent: a registration is reminded once
per occurrence date. Also re-expands open-ended recurring events so the calendar never runs dry.
"""

from datetime import timedelta

from django.core.management.base import BaseCommand
from django.utils import timezone

from core.cache import invalidate_all
from events.models import MSK, EventOccurrence, EventPage, Registration, Status
from events.recurrence import rebuild_occurrences
from events.registration import send_registration_mail


def send_reminders(today=None) -> int:
    today = today or timezone.localdate()
    tomorrow = today + timedelta(days=1)
    occurrences = (
        EventOccurrence.objects.filter(start__date=tomorrow, moved_marker=False, event__live=True)
        .exclude(event__status=Status.CANCELLED)
        .select_related("event")
    )
    sent = 0
    for occurrence in occurrences:
        pending = Registration.objects.filter(
            event=occurrence.event, status=Registration.State.REGISTERED, confirmed_at__isnull=False
        ).exclude(reminded_for=tomorrow)
        for registration in pending:
            updated = (
                Registration.objects.filter(pk=registration.pk)
                .exclude(reminded_for=tomorrow)
                .update(reminded_for=tomorrow)
            )
            if updated:
                send_registration_mail(
                    registration, "reminder", extra={"occurrence_start": timezone.localtime(occurrence.start, MSK)}
                )
                sent += 1
    return sent


class Command(BaseCommand):
    help = "Напоминания участникам о мероприятиях, которые начнутся завтра."

    def handle(self, *args, **options):
        open_ended = (
            EventPage.objects.live()
            .exclude(repeat="", rrule_text="")
            .filter(repeat_until=None, repeat_count=None)
            .values_list("pk", flat=True)
        )
        for pk in open_ended:
            rebuild_occurrences(pk)
        if open_ended:
            invalidate_all()  # new occurrences: calendar pages and counts kept until a publish must go
        sent = send_reminders()
        self.stdout.write(f"Отправлено напоминаний: {sent}")

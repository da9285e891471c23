from django.core.management.base import BaseCommand
from django.db import transaction

from contests.moderation import orphaned_submissions, start_moderation


class Command(BaseCommand):
    help = (
        "Puts contest entries sent from the site that never entered moderation (drafts without a "
        "workflow) into moderation, and reports how many. Safe to run any time, e.g. hourly."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="only list the entries")

    def handle(self, *args, dry_run=False, **options):
        started = skipped = 0
        for entry in orphaned_submissions():
            label = f"#{entry.pk} «{entry.title}»"
            if dry_run:
                self.stdout.write(f"Без модерации: {label}")
                continue
            with transaction.atomic():
                state = start_moderation(entry)
            if state is None:
                skipped += 1
                self.stderr.write(f"Нет процесса согласования для {label}")
            else:
                started += 1
                self.stdout.write(f"Отправлена на модерацию: {label}")
        if dry_run:
            self.stdout.write(f"Найдено без модерации: {orphaned_submissions().count()}")
        else:
            self.stdout.write(f"Отправлено на модерацию: {started}; без процесса согласования: {skipped}")

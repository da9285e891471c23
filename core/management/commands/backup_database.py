"""manage.py backup_database DIR: the dump and its row counts from one snapshot (core/backup.py)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.backup import dump


class Command(BaseCommand):
    help = "Резервная копия базы данных (pg_dump) и число строк в каждой таблице на тот же момент."

    def add_arguments(self, parser):
        parser.add_argument("target", type=Path, help="каталог копии")

    def handle(self, target, **options):
        try:
            counts = dump(target)
        except RuntimeError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"{target}: {len(counts)} таблиц, {sum(counts.values())} строк")

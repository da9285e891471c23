"""manage.py check_restore DIR [--media DIR]: a restored database against the backup's manifest."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.backup import compare


class Command(BaseCommand):
    help = "Сверяет восстановленную базу с описью резервной копии: строки во всех таблицах и файлы."

    def add_arguments(self, parser):
        parser.add_argument("backup", type=Path, help="каталог копии (manifest.json)")
        parser.add_argument("--media", type=Path, help="восстановленный каталог media")

    def handle(self, backup, media=None, **options):
        manifest = json.loads((backup / "manifest.json").read_text())
        lines, problems = compare(manifest, media)
        for line in lines:
            self.stdout.write(line)
        if problems:
            raise CommandError("Копия не совпадает:\n" + "\n".join(problems))
        self.stdout.write(self.style.SUCCESS(f"Восстановлено без расхождений: {len(manifest['rows'])} таблиц."))

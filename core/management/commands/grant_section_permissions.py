from django.core.management.base import BaseCommand

from core.permissions import METHODISTS, grant_all_sections, section_pages


class Command(BaseCommand):
    help = "Gives the «Методисты» group add/edit rights on every content section (idempotent)."

    def handle(self, *args, **options):
        added = grant_all_sections()
        titles = ", ".join(page.title for page in section_pages()) or "нет разделов"
        self.stdout.write(f"Группа «{METHODISTS}»: разделы — {titles}; добавлено прав: {added}")

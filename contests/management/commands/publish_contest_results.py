from django.core.management.base import BaseCommand

from contests.models import ContestPage
from contests.results import publish_results_file, verify_results_file


class Command(BaseCommand):
    help = (
        "Формирует файл итогов для конкурсов, где голосование закончилось (запускать раз в час), "
        "и с --verify проверяет, что таблица голосов совпадает с опубликованным хешем."
    )

    def add_arguments(self, parser):
        parser.add_argument("--verify", action="store_true")

    def handle(self, *args, verify=False, **options):
        for contest in ContestPage.objects.live():
            if contest.voting_state() != "closed":
                continue
            snapshot = publish_results_file(contest)
            line = f"{contest.title}: SHA-256 {snapshot.table_sha256}"
            if verify:
                line += " — совпадает" if verify_results_file(snapshot) else " — НЕ СОВПАДАЕТ"
            self.stdout.write(line)

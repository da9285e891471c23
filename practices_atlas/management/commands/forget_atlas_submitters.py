from django.core.management.base import BaseCommand

from practices_atlas.submissions import SUBMITTER_RETENTION_DAYS, forget_stale_submitters


class Command(BaseCommand):
    help = (
        "Удаляет e-mail авторов практик, присланных через «Предложить практику», если практика не опубликована "
        f"за {SUBMITTER_RETENTION_DAYS} дней (152-ФЗ: адрес нужен только на время проверки; запускать раз в сутки)."
    )

    def handle(self, *args, **options):
        count = forget_stale_submitters()
        self.stdout.write(f"Удалено адресов авторов: {count}")

from django.core.management.base import BaseCommand

from contests.voting import expire_votes


class Command(BaseCommand):
    help = "Закрывает голоса, не подтверждённые за 24 часа, и удаляет их адреса (запускать каждые 5 минут)."

    def handle(self, *args, **options):
        count = expire_votes()
        self.stdout.write(f"Просрочено голосов: {count}")

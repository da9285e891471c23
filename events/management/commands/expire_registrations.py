from django.core.management.base import BaseCommand

from events.registration import release_unconfirmed


class Command(BaseCommand):
    help = (
        "Отменяет регистрации, не подтверждённые вовремя (events.registration.CONFIRM_WITHIN, 2 часа), "
        "и переводит на освободившиеся места первых из листа ожидания (запускать каждые 10 минут)."
    )

    def handle(self, *args, **options):
        count = release_unconfirmed()
        self.stdout.write(f"Отменено неподтверждённых регистраций: {count}")

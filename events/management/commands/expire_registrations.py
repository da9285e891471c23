from django.core.management.base import BaseCommand

from events.registration import release_unconfirmed


class Command(BaseCommand):
    help = (
        "Отменяет регистрации, не подтверждённые за 24 часа, и переводит на освободившиеся места "
        "первых из листа ожидания (запускать каждый час)."
    )

    def handle(self, *args, **options):
        count = release_unconfirmed()
        self.stdout.write(f"Отменено неподтверждённых регистраций: {count}")

from django.core.management.base import BaseCommand

from practices_atlas.adoptions import expire_adoptions


class Command(BaseCommand):
    help = (
        "Закрывает сообщения «Внедрили у себя», не подтверждённые за 48 часов, удаляет их адреса "
        "и через 30 дней сами неподтверждённые сообщения (запускать каждый час)."
    )

    def handle(self, *args, **options):
        count = expire_adoptions()
        self.stdout.write(f"Просрочено сообщений о внедрении: {count}")

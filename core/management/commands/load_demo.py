import importlib

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction

from core.demo import demo_modules
from core.tasks import deferred_index_tasks

# Demo accounts: only created with DEBUG on (make run) or --with-users, never silently in production.
DEMO_PASSWORD = "imc-demo-2026"  # noqa: S105 - a published demo login, DEBUG only
DEMO_USERS = [
    ("admin", "Администратор", "Демо", None, True),
    ("metodist", "Методист", "Иванова", "Методисты", False),
    ("redaktor", "Редактор", "Петрова", "Редакторы", False),
    ("organizator", "Организатор", "Смирнов", "Организаторы конкурсов", False),
    ("zhyuri", "Член жюри", "Кузнецова", "Жюри", False),
]


class Command(BaseCommand):
    help = "Loads realistic Russian demo content (idempotent: a second run changes nothing)."

    def add_arguments(self, parser):
        parser.add_argument("--quiet", action="store_true")
        parser.add_argument("--with-users", action="store_true", help="Create the demo accounts even with DEBUG off.")

    def handle(self, *args, quiet=False, with_users=False, **options):
        def log(message):
            if not quiet:
                self.stdout.write(message)

        with deferred_index_tasks():  # each page's index upkeep once, not per save (core/tasks.py)
            for dotted in demo_modules():
                module = importlib.import_module(dotted)
                with transaction.atomic():
                    module.load(log)
        if settings.DEBUG or with_users:
            self._demo_users(log)
        log(self.style.SUCCESS("Демо-контент загружен."))

    def _demo_users(self, log):
        User = get_user_model()
        for username, first_name, last_name, group_name, superuser in DEMO_USERS:
            user, created = User.objects.get_or_create(
                username=username,
                defaults={
                    "first_name": first_name,
                    "last_name": last_name,
                    "email": f"{username}@imc.example.ru",
                    "is_staff": True,
                    "is_superuser": superuser,
                },
            )
            if created:
                user.set_password(DEMO_PASSWORD)
                user.save()
            group = Group.objects.filter(name=group_name).first() if group_name else None
            if group is not None:
                user.groups.add(group)
        log("")
        log("Вход в админку: http://127.0.0.1:8000/admin/")
        log(f"  логин admin, пароль {DEMO_PASSWORD} (администратор)")
        log(f"  также: metodist, redaktor, organizator, zhyuri — пароль тот же ({DEMO_PASSWORD})")

from django.core.management.base import BaseCommand

from core.auth import active_locks, unlock


class Command(BaseCommand):
    help = (
        "Lifts admin sign-in locks (core/auth.py): give account names or IP addresses; "
        "without arguments, lists the current locks. --all lifts every listed lock."
    )

    def add_arguments(self, parser):
        parser.add_argument("values", nargs="*", metavar="username|ip")
        parser.add_argument("--all", action="store_true", help="Lift every current lock.")

    def handle(self, *args, values=(), all=False, **options):
        if all:
            values = [lock["label"] for lock in active_locks()]
        if not values:
            locks = active_locks()
            for lock in locks:
                self.stdout.write(f"{lock['kind']}\t{lock['label']}")
            if not locks:
                self.stdout.write("No sign-in locks.")
            return
        for value in values:
            if unlock(value):
                self.stdout.write(self.style.SUCCESS(f"Unlocked: {value}"))
            else:
                self.stdout.write(f"Not locked (failure count cleared): {value}")

from django.core.management.base import BaseCommand

from core.release import fingerprint, new_release


class Command(BaseCommand):
    help = (
        "Drops the page caches (Redis and the proxy) when the code differs from what this instance last ran; "
        "without --instance, always."
    )

    def add_arguments(self, parser):
        parser.add_argument("--instance", default="", help="The gunicorn instance (its port), as systemd names it.")

    def handle(self, *args, instance="", **options):
        current = fingerprint()
        if new_release(instance, current):
            self.stdout.write(f"Release {current}: page caches dropped.")
        else:
            self.stdout.write(f"Release {current} unchanged for instance {instance}: caches kept.")

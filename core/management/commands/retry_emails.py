from django.core.management.base import BaseCommand

from core.mail import retry_due_emails


class Command(BaseCommand):
    help = "Retries e-mails whose previous send failed (run every minute from cron)."

    def handle(self, *args, **options):
        count = retry_due_emails()
        self.stdout.write(f"Повторная отправка: {count}")

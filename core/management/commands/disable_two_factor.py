"""manage.py disable_two_factor USERNAME: for an editor who lost the phone (core/twofactor.py)."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django_otp.plugins.otp_totp.models import TOTPDevice


class Command(BaseCommand):
    help = "Сбрасывает двухэтапный вход сотрудника (потерян телефон): при следующем входе хватит пароля."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, username, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"Пользователь «{username}» не найден.")
        removed, _ = TOTPDevice.objects.filter(user=user).delete()
        self.stdout.write(f"{username}: удалено приложений-аутентификаторов: {removed}.")

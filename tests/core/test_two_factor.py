"""Two-factor sign-in (core/twofactor.py): optional by default, always asked once set up, compulsory with
STAFF_2FA_REQUIRED; wrong codes are refused in Russian and slow down; a lost phone is reset by command."""

import pytest
from django.core.management import call_command
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.core.factories import UserFactory

pytestmark = pytest.mark.django_db

SETUP = "/admin/account/two-factor/"
CODE = "/admin/login/code/"


def code_for(device) -> str:
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


@pytest.fixture
def editor(client):
    user = UserFactory(username="redaktor2", groups=["Редакторы"])
    client.login(username="redaktor2", password="x")
    return user


@pytest.fixture
def with_device(editor):
    return TOTPDevice.objects.create(user=editor, name="Телефон", confirmed=True)


def sign_in_again(client):
    client.logout()
    assert client.login(username="redaktor2", password="x")


def test_without_an_app_the_password_is_enough(client, editor):
    assert client.get("/admin/").status_code == 200


def test_an_editor_turns_it_on_with_a_code_and_the_password(client, editor):
    page = client.get(SETUP).content.decode()
    assert "<svg" in page and "QR-код" in page  # drawn on the site, no chart service
    device = TOTPDevice.objects.get(user=editor, confirmed=False)

    wrong = client.post(SETUP, {"code": "000000" if code_for(device) != "000000" else "111111", "password": "x"})
    assert wrong.status_code == 400
    assert "Код не подошёл" in wrong.content.decode()

    device.refresh_from_db()
    device.throttle_reset()
    bad_password = client.post(SETUP, {"code": code_for(device), "password": "не тот"})
    assert bad_password.status_code == 400 and "Пароль не подошёл" in bad_password.content.decode()
    assert not TOTPDevice.objects.filter(user=editor, confirmed=True).exists()

    device.refresh_from_db()
    device.throttle_reset()
    device.last_t = -1
    device.save()
    done = client.post(SETUP, {"code": code_for(device), "password": "x"})
    assert done.status_code == 302
    assert TOTPDevice.objects.filter(user=editor, confirmed=True).count() == 1
    assert "Двухэтапный вход включён" in client.get(SETUP).content.decode()


def test_once_set_up_every_sign_in_asks_for_the_code(client, with_device):
    sign_in_again(client)
    asked = client.get("/admin/")
    assert asked.status_code == 302 and asked["Location"] == f"{CODE}?next=%2Fadmin%2F"
    assert "Код из приложения" in client.get(asked["Location"]).content.decode()

    refused = client.post(CODE, {"code": "12ab", "next": "/admin/"})
    assert refused.status_code == 400 and "Код — это шесть цифр" in refused.content.decode()
    assert client.get("/admin/").status_code == 302

    entered = client.post(CODE, {"code": code_for(with_device), "next": "/admin/"})
    assert entered.status_code == 302 and entered["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_wrong_codes_slow_the_next_attempt_down(client, with_device):
    sign_in_again(client)
    right = code_for(with_device)
    wrong = client.post(CODE, {"code": "000000" if right != "000000" else "111111"})
    assert wrong.status_code == 400 and "Код не подошёл" in wrong.content.decode()
    too_soon = client.post(CODE, {"code": right})  # within the 1 s pause after a failure
    assert too_soon.status_code == 429 and "Подождите" in too_soon.content.decode()
    assert client.get("/admin/").status_code == 302


def test_the_code_page_never_sends_elsewhere_than_the_site(client, with_device):
    sign_in_again(client)
    entered = client.post(CODE, {"code": code_for(with_device), "next": "https://evil.example/"})
    assert entered["Location"] == "/admin/"


def test_it_can_be_turned_off_with_the_password(client, with_device):
    client.post(CODE, {"code": code_for(with_device)})
    assert client.post(SETUP, {"password": "не тот"}).status_code == 400
    assert TOTPDevice.objects.filter(user=with_device.user).exists()
    assert client.post(SETUP, {"password": "x"}).status_code == 302
    assert not TOTPDevice.objects.filter(user=with_device.user).exists()


def test_when_compulsory_staff_set_it_up_before_anything_else(client, editor, settings):
    settings.STAFF_2FA_REQUIRED = True
    sent = client.get("/admin/")
    assert sent.status_code == 302 and sent["Location"].startswith(SETUP)
    page = client.get(sent["Location"]).content.decode()
    assert "обязателен" in page


def test_when_compulsory_it_cannot_be_turned_off(client, with_device, settings):
    settings.STAFF_2FA_REQUIRED = True
    client.post(CODE, {"code": code_for(with_device)})
    client.post(SETUP, {"password": "x"})
    assert TOTPDevice.objects.filter(user=with_device.user).exists()


def test_a_lost_phone_is_reset_by_command(client, with_device, capsys):
    call_command("disable_two_factor", "redaktor2")
    assert "удалено приложений-аутентификаторов: 1" in capsys.readouterr().out
    sign_in_again(client)
    assert client.get("/admin/").status_code == 200


def test_public_pages_do_not_ask_for_the_code(client, with_device, home_page):
    sign_in_again(client)
    assert client.get(home_page.url).status_code == 200

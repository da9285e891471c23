"""Re-authentication before sensitive admin actions (core/reauth.py): asked once the last password is
older than ADMIN_REAUTH_MINUTES, for superusers and methodists alike; a wrong password changes
nothing and counts towards the sign-in lockout; a POST does not run until confirmed and keeps its
data; `next` stays on the site."""

import html
import re
import time

import pytest
from django.contrib.auth import get_user_model
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.auth import active_locks
from core.reauth import REAUTH_KEY
from tests.core.factories import UserFactory
from tests.core.test_two_factor import code_for

pytestmark = pytest.mark.django_db

PASSWORD = "Верный-пароль-2026"
USERS = "/admin/users/"
REAUTH = "/admin/reauth/"
LOCKS = "/admin/login-locks/"
TWO_FACTOR = "/admin/account/two-factor/"
QUESTIONS_CSV = "/admin/snippets/methodists/question/?export=csv"


@pytest.fixture
def admin(client):
    user = get_user_model().objects.create_superuser("admin", "admin@imc.example.ru", PASSWORD)
    assert client.login(username="admin", password=PASSWORD)
    return user


def confirmed_minutes_ago(client, minutes):
    session = client.session
    session[REAUTH_KEY] = int(time.time()) - minutes * 60
    session.save()


def asked(response, next_url):
    return (
        response.status_code == 302
        and response["Location"].startswith(f"{REAUTH}?next=")
        and (next_url.replace("/", "%2F").replace("?", "%3F").replace("=", "%3D") in response["Location"])
    )


def test_signing_in_counts_as_a_confirmation_for_a_while(client, admin, settings):
    settings.ADMIN_REAUTH_MINUTES = 15
    assert client.get(USERS).status_code == 200
    confirmed_minutes_ago(client, 14)
    assert client.get(USERS).status_code == 200
    confirmed_minutes_ago(client, 16)
    assert asked(client.get(USERS), USERS)
    assert client.get("/admin/pages/").status_code == 200  # everyday work is not asked


def test_stale_confirmation_asks_for_the_password_then_goes_back(client, admin):
    confirmed_minutes_ago(client, 60)
    response = client.get(USERS)
    assert asked(response, USERS)
    page = client.get(response["Location"])
    assert page.status_code == 200
    body = page.content.decode()
    assert "Подтвердите, что это вы" in body and "Ваш пароль" in body
    assert "Код из приложения" not in body  # no two-factor app: the password is enough

    wrong = client.post(REAUTH, {"reauth-password": "не тот", "next": USERS})
    assert wrong.status_code == 400 and "Пароль не подошёл" in wrong.content.decode()
    assert asked(client.get(USERS), USERS)

    right = client.post(REAUTH, {"reauth-password": PASSWORD, "next": USERS})
    assert right.status_code == 302 and right["Location"] == USERS
    assert client.get(USERS).status_code == 200


def test_wrong_passwords_count_towards_the_lockout_and_end_the_session(client, admin, settings):
    settings.ADMIN_LOGIN_ACCOUNT_FAILURES = 3
    confirmed_minutes_ago(client, 60)
    for _ in range(2):
        assert client.post(REAUTH, {"reauth-password": "не тот", "next": USERS}).status_code == 400
    locked = client.post(REAUTH, {"reauth-password": "не тот", "next": USERS}, follow=True)
    assert locked.redirect_chain[-1][0].startswith("/admin/login/")
    assert "Вход временно заблокирован" in locked.content.decode()
    assert "_auth_user_id" not in client.session
    # Locked like a sign-in: the right password does not get back in.
    again = client.post("/admin/login/", {"username": "admin", "password": PASSWORD})
    assert again.status_code == 429
    assert [lock["label"] for lock in active_locks()] == ["admin"]


def test_a_methodist_is_asked_before_downloading_personal_data(client):
    methodist = UserFactory(username="metodist", groups=["Методисты"])
    client.force_login(methodist)
    assert client.get(QUESTIONS_CSV).status_code == 200  # just signed in
    confirmed_minutes_ago(client, 60)
    response = client.get(QUESTIONS_CSV)
    assert asked(response, QUESTIONS_CSV)
    assert client.get("/admin/snippets/methodists/question/").status_code == 200  # the listing itself is not
    done = client.post(REAUTH, {"reauth-password": "x", "next": QUESTIONS_CSV})
    assert done["Location"] == QUESTIONS_CSV
    download = client.get(QUESTIONS_CSV)
    assert download.status_code == 200 and download["Content-Type"].startswith("text/csv")


@pytest.mark.parametrize(
    "target",
    ["https://evil.example/", "//evil.example/admin/", "http://testserver.evil.example/", "javascript:alert(1)"],
)
def test_next_elsewhere_is_refused(client, admin, target):
    confirmed_minutes_ago(client, 60)
    response = client.post(REAUTH, {"reauth-password": PASSWORD, "next": target})
    assert response.status_code == 302 and response["Location"] == "/admin/"


def test_a_post_waits_for_the_confirmation_and_keeps_what_was_sent(client, admin):
    for _ in range(5):
        client.post("/admin/login/", {"username": "metodist", "password": "bad"}, REMOTE_ADDR="192.0.2.9")
    assert [lock["label"] for lock in active_locks()] == ["metodist"]
    confirmed_minutes_ago(client, 60)

    response = client.post(LOCKS, {"value": "metodist"})
    assert response.status_code == 403
    assert [lock["label"] for lock in active_locks()] == ["metodist"]  # nothing ran
    body = response.content.decode()
    assert '<input type="hidden" name="value" value="metodist">' in body
    assert f'action="{LOCKS}"' in body
    assert "no-store" in response["Cache-Control"]  # what the form sent is not kept by the browser's cache

    wrong = client.post(LOCKS, {"value": "metodist", "reauth-password": "не тот"})
    assert wrong.status_code == 400 and "Пароль не подошёл" in wrong.content.decode()
    assert [lock["label"] for lock in active_locks()] == ["metodist"]

    done = client.post(LOCKS, {"value": "metodist", "reauth-password": PASSWORD}, follow=True)
    assert "Блокировка «metodist» снята" in done.content.decode()
    assert active_locks() == []


def test_a_new_account_is_created_from_the_carried_form_once_confirmed(client, admin):
    """As a browser does it: the 403 page's own hidden fields, sent back with the password."""
    data = {
        "username": "novyi",
        "email": "novyi@imc.example.ru",
        "first_name": "Новый",
        "last_name": "Сотрудник «Тест» & Ко",
        "password1": "Kx7#qLm9!pZw",
        "password2": "Kx7#qLm9!pZw",
        "is_active": "on",
    }
    confirmed_minutes_ago(client, 60)
    response = client.post("/admin/users/new/", data)
    assert response.status_code == 403
    assert not get_user_model().objects.filter(username="novyi").exists()
    carried = {
        html.unescape(name): html.unescape(value)
        for name, value in re.findall(
            r'<input type="hidden" name="([^"]+)" value="([^"]*)">', response.content.decode()
        )
        if name != "csrfmiddlewaretoken"
    }
    assert carried == data
    done = client.post("/admin/users/new/", {**carried, "reauth-password": PASSWORD})
    assert done.status_code == 302
    assert get_user_model().objects.get(username="novyi").last_name == "Сотрудник «Тест» & Ко"


def test_with_two_factor_the_code_is_asked_too_before_turning_it_off(client):
    editor = UserFactory(username="redaktor3", groups=["Редакторы"])
    device = TOTPDevice.objects.create(user=editor, name="Телефон", confirmed=True)
    client.login(username="redaktor3", password="x")
    assert client.post("/admin/login/code/", {"code": code_for(device), "next": "/admin/"}).status_code == 302
    assert client.get(TWO_FACTOR).status_code == 200  # the code was just entered
    confirmed_minutes_ago(client, 60)
    assert asked(client.get(TWO_FACTOR), TWO_FACTOR)
    assert "Код из приложения" in client.get(f"{REAUTH}?next={TWO_FACTOR}").content.decode()

    # Turning it off without a fresh confirmation: nothing happens until password and code are given.
    refused = client.post(TWO_FACTOR, {"password": "x"})
    assert refused.status_code == 403
    assert TOTPDevice.objects.filter(user=editor).exists()
    without_code = client.post(TWO_FACTOR, {"password": "x", "reauth-password": "x"})
    assert without_code.status_code == 400 and "Введите код из приложения" in without_code.content.decode()
    device.refresh_from_db()
    device.throttle_reset()
    device.last_t = -1  # the sign-in's code may be the current one: let it count again
    device.save()
    done = client.post(TWO_FACTOR, {"password": "x", "reauth-password": "x", "reauth-code": code_for(device)})
    assert done.status_code == 302
    assert not TOTPDevice.objects.filter(user=editor).exists()


def test_setting_up_two_factor_for_the_first_time_is_not_asked(client):
    UserFactory(username="redaktor4", groups=["Редакторы"])
    client.login(username="redaktor4", password="x")
    confirmed_minutes_ago(client, 60)
    assert client.get(TWO_FACTOR).status_code == 200


@pytest.mark.parametrize(
    ("url", "sensitive"),
    [
        ("/admin/groups/", True),
        ("/admin/settings/core/sitesettings/", True),
        ("/admin/bulk/wagtailcore/page/delete/?id=3", True),
        ("/admin/bulk/wagtailcore/page/publish/?id=3", False),
        ("/admin/contests/999/export/votes.csv", True),  # registered by contests/wagtail_hooks.py
        ("/admin/events/999/registrations/?format=xlsx", True),  # by events/wagtail_hooks.py
        ("/admin/events/999/registrations/", False),
        ("/admin/snippets/core/consentrecord/?export=xlsx", True),
        ("/admin/account/", False),
    ],
)
def test_which_admin_urls_are_sensitive(client, admin, url, sensitive):
    confirmed_minutes_ago(client, 60)
    assert asked(client.get(url), url.split("?")[0]) is sensitive

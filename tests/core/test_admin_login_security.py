"""Admin sign-in security (issue 8.3): lockout per account and per address, unlock, password-reset
throttle, staff password rules, idle timeout and session lifetime. The lockout is exercised on real
Redis (tests/own_redis.py), and with Redis down."""

import time

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core import mail
from django.core.management import call_command
from django.test import override_settings

from core.auth import LAST_ACTIVITY_KEY, SIGNED_IN_KEY
from tests.own_redis import pin_ratelimit_clock, redis_caches, unique_prefix

LOGIN = "/admin/login/"
RESET = "/admin/password_reset/"
PASSWORD = "Верный-пароль-2026"


@pytest.fixture(autouse=True)
def _one_window(monkeypatch):
    """Failures are counted in fixed 15-minute windows (core.ratelimit): none ends inside a test."""
    pin_ratelimit_clock(monkeypatch)


@pytest.fixture
def admin(db):
    return get_user_model().objects.create_superuser("admin", "admin@imc.example.ru", PASSWORD)


def attempt(client, username, password, ip="203.0.113.7"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip)


def signed_in(response):
    return response.status_code == 302 and "_auth_user_id" in response.client.session


def test_account_locked_after_five_failures_even_with_the_right_password(client, admin, real_redis):
    for _ in range(4):
        response = attempt(client, "admin", "wrong-password")
        assert response.status_code == 200
        assert "Вход временно заблокирован" not in response.content.decode()
    response = attempt(client, "admin", "wrong-password")  # the fifth failure locks
    assert response.status_code == 429
    assert "Вход временно заблокирован" in response.content.decode()

    response = attempt(client, "admin", PASSWORD)
    assert response.status_code == 429
    assert not signed_in(response)
    body = response.content.decode()
    assert "Вход временно заблокирован" in body and "администратор" in body
    # Another address and another spelling of the name: the account stays locked.
    assert attempt(client, "ADMIN", PASSWORD, ip="198.51.100.9").status_code == 429
    counters = real_redis.keys("rl:login:fail:*")
    assert counters and not any("admin" in key or "203.0.113" in key for key in counters)  # hashes only


@pytest.mark.parametrize("ignore_exceptions", [True, False])
def test_during_a_redis_outage_the_lockout_still_holds(client, admin, ignore_exceptions):
    """Redis refuses connections: failures are counted in PostgreSQL (core.ratelimit's fallback) and
    the lock is kept there, so a password-guessing run during an outage is stopped all the same."""
    with override_settings(
        CACHES=redis_caches(unique_prefix(), ignore_exceptions, location="redis://127.0.0.1:6390/0")
    ):
        statuses = [attempt(client, "admin", "wrong-password").status_code for _ in range(6)]
        assert statuses == [200, 200, 200, 200, 429, 429]
        response = attempt(client, "admin", PASSWORD)
        assert response.status_code == 429 and not signed_in(response)
        assert "Вход временно заблокирован" in response.content.decode()
    # Redis back: the lock is still there.
    assert attempt(client, "admin", PASSWORD, ip="198.51.100.9").status_code == 429


def test_unlock_command_restores_sign_in(client, admin, real_redis):
    for _ in range(5):
        attempt(client, "admin", "wrong-password")
    assert attempt(client, "admin", PASSWORD).status_code == 429

    call_command("unlock_login", "admin")

    response = attempt(client, "admin", PASSWORD)
    assert signed_in(response)


def test_address_locked_across_accounts(client, admin, settings):
    settings.ADMIN_LOGIN_ADDRESS_FAILURES = 8
    for i in range(8):  # eight different names, none reaches the per-account limit
        attempt(client, f"user{i}", "wrong-password", ip="192.0.2.50")
    response = attempt(client, "admin", PASSWORD, ip="192.0.2.50")
    assert response.status_code == 429
    assert not signed_in(response)
    # The account itself is not locked: from another address it signs in.
    assert signed_in(attempt(client, "admin", PASSWORD, ip="192.0.2.51"))

    call_command("unlock_login", "192.0.2.50")
    client.logout()
    assert signed_in(attempt(client, "admin", PASSWORD, ip="192.0.2.50"))


def test_client_address_behind_trusted_proxy(client, admin, settings):
    """Behind nginx every request comes from its address: the lock is per visitor, not per proxy."""
    settings.TRUSTED_PROXY_COUNT = 1
    settings.ADMIN_LOGIN_ADDRESS_FAILURES = 3
    for i in range(3):
        client.post(
            LOGIN,
            {"username": f"x{i}", "password": "bad"},
            REMOTE_ADDR="127.0.0.1",
            HTTP_X_FORWARDED_FOR="203.0.113.66",
        )
    other = client.post(
        LOGIN, {"username": "admin", "password": PASSWORD}, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.1"
    )
    assert signed_in(other)


def test_superuser_unlocks_in_the_admin(client, admin, db):
    for _ in range(5):
        attempt(client, "metodist", "wrong-password")
    client.force_login(admin)
    page = client.get("/admin/login-locks/")
    assert page.status_code == 200
    assert "metodist" in page.content.decode()

    response = client.post("/admin/login-locks/", {"value": "metodist"}, follow=True)
    assert "Блокировка «metodist» снята" in response.content.decode()
    assert "metodist" not in client.get("/admin/login-locks/").content.decode().split("<tbody>")[1].split("</tbody>")[0]

    editor = get_user_model().objects.create_user("editor", "e@imc.example.ru", PASSWORD, is_staff=True)
    client.force_login(editor)
    assert client.get("/admin/login-locks/").status_code in (302, 403)


def test_password_reset_throttled_per_email_without_revealing_accounts(client, admin):
    statuses = [
        client.post(RESET, {"email": "admin@imc.example.ru"}, REMOTE_ADDR="203.0.113.8").status_code for _ in range(5)
    ]
    assert statuses == [302, 302, 302, 429, 429]
    assert len(mail.outbox) == 3
    refused = client.post(RESET, {"email": "admin@imc.example.ru"}, REMOTE_ADDR="203.0.113.8")
    assert "Слишком много запросов на восстановление пароля" in refused.content.decode()
    # An address nobody has gets the same answers.
    unknown = [client.post(RESET, {"email": "nobody@imc.example.ru"}).status_code for _ in range(4)]
    assert unknown == [302, 302, 302, 429]
    assert len(mail.outbox) == 3


def test_password_reset_throttled_per_address(client, admin):
    for i in range(10):
        assert client.post(RESET, {"email": f"a{i}@imc.example.ru"}, REMOTE_ADDR="203.0.113.9").status_code == 302
    response = client.post(RESET, {"email": "admin@imc.example.ru"}, REMOTE_ADDR="203.0.113.9")
    assert response.status_code == 429
    assert len(mail.outbox) == 0
    assert client.post(RESET, {"email": "admin@imc.example.ru"}, REMOTE_ADDR="203.0.113.10").status_code == 302
    assert len(mail.outbox) == 1


def test_wagtail_user_create_refuses_an_11_character_password(client, admin):
    client.force_login(admin)
    data = {
        "username": "novyi",
        "email": "novyi@imc.example.ru",
        "first_name": "Новый",
        "last_name": "Сотрудник",
        "password1": "Kx7#qLm9!pZ",  # 11 characters, otherwise strong
        "password2": "Kx7#qLm9!pZ",
        "is_active": "on",
    }
    response = client.post("/admin/users/new/", data)
    assert response.status_code == 200
    assert "Введённый пароль слишком короткий" in response.content.decode()
    assert not get_user_model().objects.filter(username="novyi").exists()

    data["password1"] = data["password2"] = "Kx7#qLm9!pZw"  # 12 characters
    response = client.post("/admin/users/new/", data)
    assert response.status_code == 302
    assert get_user_model().objects.filter(username="novyi").exists()


def test_common_and_similar_passwords_refused():
    user = get_user_model()(username="metodist", email="metodist@imc.example.ru")
    for password in ("password1234", "123456789012", "metodist2026!"):
        with pytest.raises(Exception):  # noqa: B017 - ValidationError with Django's Russian text
            validate_password(password, user=user)


def test_demo_accounts_pass_the_password_rules():
    from core.management.commands.load_demo import DEMO_PASSWORD, DEMO_USERS

    for username, first_name, last_name, _group, _superuser in DEMO_USERS:
        user = get_user_model()(
            username=username, first_name=first_name, last_name=last_name, email=f"{username}@imc.example.ru"
        )
        validate_password(DEMO_PASSWORD, user=user)


def test_idle_admin_session_expires(client, admin, settings):
    settings.ADMIN_IDLE_TIMEOUT_MINUTES = 30
    assert signed_in(attempt(client, "admin", PASSWORD))
    assert client.get("/admin/").status_code == 200

    session = client.session
    session[LAST_ACTIVITY_KEY] = int(time.time()) - 29 * 60
    session.save()
    assert client.get("/admin/").status_code == 200  # still active, and the activity is recorded
    assert client.session[LAST_ACTIVITY_KEY] > time.time() - 60

    session = client.session
    session[LAST_ACTIVITY_KEY] = int(time.time()) - 31 * 60
    session.save()
    response = client.get("/admin/pages/", follow=True)
    assert response.redirect_chain[0][0].startswith("/admin/login/?next=%2Fadmin%2Fpages%2F")
    assert "Сеанс завершён" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_admin_session_ends_after_its_lifetime_however_active(client, admin, settings):
    settings.ADMIN_SESSION_MAX_HOURS = 12
    assert signed_in(attempt(client, "admin", PASSWORD))
    session = client.session
    session[SIGNED_IN_KEY] = int(time.time()) - 11 * 3600 - 50 * 60
    session[LAST_ACTIVITY_KEY] = int(time.time()) - 60  # busy all along
    session.save()
    assert client.get("/admin/").status_code == 200

    session = client.session
    session[SIGNED_IN_KEY] = int(time.time()) - 12 * 3600 - 60
    session.save()
    response = client.get("/admin/pages/", follow=True)
    assert response.redirect_chain[0][0].startswith("/admin/login/?next=%2Fadmin%2Fpages%2F")
    assert "Сеанс завершён: с момента входа прошло больше 12 ч." in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_open_editor_ping_without_changes_is_not_activity(client, admin, settings, home_page):
    settings.ADMIN_IDLE_TIMEOUT_MINUTES = 30
    client.force_login(admin)
    session = client.session
    session[LAST_ACTIVITY_KEY] = int(time.time()) - 10 * 60
    session.save()
    url = f"/admin/editing-sessions/ping/wagtailcore/page/{home_page.pk}/0/"
    client.post(url, {})
    assert client.session[LAST_ACTIVITY_KEY] < time.time() - 9 * 60
    client.post(url, {"is_editing": "1"})
    assert client.session[LAST_ACTIVITY_KEY] > time.time() - 60


def test_anonymous_visitors_get_no_session_cookie(client, home_page):
    response = client.get(home_page.url)
    assert response.status_code == 200
    assert "sessionid" not in response.cookies

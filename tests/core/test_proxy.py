"""TRUSTED_PROXY_COUNT: read from the environment, required in production, and a proxy the settings
don't know about is reported at run time and by `check --deploy` (issue 8.2)."""

import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.checks import run_checks
from django.test import Client, RequestFactory, override_settings

from core import checks
from core.hashing import client_ip
from core.ratelimit import retry_message, wait_phrase

ROOT = Path(__file__).resolve().parent.parent.parent
PRODUCTION_ENV = {
    "SECRET_KEY": "a-long-production-secret-for-this-test-0123456789",
    "ALLOWED_HOSTS": "imc.example.ru",
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/postgres",
    "REDIS_URL": "redis://127.0.0.1:6379/2",
    "SITE_URL": "https://imc.example.ru",
}


def load_settings(module, env):
    clean = {k: v for k, v in os.environ.items() if k not in PRODUCTION_ENV and k != "TRUSTED_PROXY_COUNT"}
    clean.update(env, DJANGO_SETTINGS_MODULE=module)
    # The settings module alone: it is what reads and checks the variable (django.setup() would add 2 s each).
    code = "from django.conf import settings; print(settings.TRUSTED_PROXY_COUNT)"
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=60)


def test_production_refuses_to_start_without_trusted_proxy_count():
    result = load_settings("imc_site.settings.production", PRODUCTION_ENV)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "TRUSTED_PROXY_COUNT is required in production: 1 behind nginx" in result.stderr


@pytest.mark.parametrize(("value", "expected"), [("0", "0"), ("1", "1"), ("2", "2")])
def test_production_takes_the_count_from_the_environment_zero_included(value, expected):
    result = load_settings("imc_site.settings.production", dict(PRODUCTION_ENV, TRUSTED_PROXY_COUNT=value))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == expected


@pytest.mark.parametrize("value", ["nginx", "-1", "1.5"])
def test_a_count_that_is_not_a_whole_number_is_refused(value):
    result = load_settings("imc_site.settings.dev", {"TRUSTED_PROXY_COUNT": value})
    assert result.returncode != 0
    assert "TRUSTED_PROXY_COUNT must be a whole number" in result.stderr


def test_development_defaults_to_no_proxy():
    result = load_settings("imc_site.settings.dev", {})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "0"


def forwarded_request(forwarded=None, remote="127.0.0.1"):
    extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return RequestFactory().post("/", REMOTE_ADDR=remote, **extra)


@pytest.mark.parametrize(
    ("count", "forwarded", "expected"),
    [
        (0, "203.0.113.5", "127.0.0.1"),  # no proxy trusted: the header is the client's word only
        (1, "203.0.113.5", "203.0.113.5"),
        (1, "6.6.6.6, 203.0.113.5", "203.0.113.5"),  # a forged prefix is ignored
        (1, "6.6.6.6,7.7.7.7 , 203.0.113.5", "203.0.113.5"),
        (2, "6.6.6.6, 203.0.113.5, 192.0.2.1", "203.0.113.5"),  # CDN 192.0.2.1, then nginx
    ],
)
def test_client_ip_takes_the_nth_address_from_the_right(count, forwarded, expected):
    with override_settings(TRUSTED_PROXY_COUNT=count):
        assert client_ip(forwarded_request(forwarded)) == expected


@pytest.fixture
def fresh_reports():
    checks._reported.clear()
    cache.delete(checks.MARKER_KEY)
    yield
    checks._reported.clear()
    cache.delete(checks.MARKER_KEY)


def proxy_errors(caplog):
    return [r for r in caplog.records if r.name == "core.checks" and r.levelno == logging.ERROR]


@pytest.mark.django_db
@pytest.mark.usefixtures("fresh_reports")
def test_proxied_requests_without_the_count_are_logged_once_and_fail_check_deploy(caplog, home_page):
    client = Client()
    with override_settings(TRUSTED_PROXY_COUNT=0, DEBUG=False), caplog.at_level(logging.ERROR):
        assert not [e for e in run_checks(include_deployment_checks=True) if e.id.startswith("core.")]
        for _ in range(3):
            assert client.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.5").status_code == 200
        errors = proxy_errors(caplog)
        assert len(errors) == 1  # throttled: once per process and hour
        assert "X-Forwarded-For but TRUSTED_PROXY_COUNT is 0" in errors[0].getMessage()
        assert "TRUSTED_PROXY_COUNT=1" in errors[0].getMessage()  # the fix is in the message

        found = [e for e in run_checks(include_deployment_checks=True) if e.id.startswith("core.")]
        assert [e.id for e in found] == ["core.E002"]
        assert "rate limits apply to the whole site" in found[0].msg
        # not a deploy-only concern for plain `check`: it runs only with --deploy
        assert not [e for e in run_checks() if e.id.startswith("core.")]

    with override_settings(TRUSTED_PROXY_COUNT=1, DEBUG=False):  # fixed: the check passes
        assert not [e for e in run_checks(include_deployment_checks=True) if e.id.startswith("core.")]


@pytest.mark.django_db
@pytest.mark.usefixtures("fresh_reports")
@pytest.mark.parametrize(
    ("debug", "count", "forwarded"), [(True, 0, "203.0.113.5"), (False, 0, None), (False, 1, "1.2.3.4")]
)
def test_nothing_is_reported_in_development_direct_or_correct_set_ups(caplog, home_page, debug, count, forwarded):
    extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {}
    with override_settings(TRUSTED_PROXY_COUNT=count, DEBUG=debug), caplog.at_level(logging.ERROR):
        Client().get("/", REMOTE_ADDR="127.0.0.1", **extra)
    assert not proxy_errors(caplog)
    assert cache.get(checks.MARKER_KEY) is None


@pytest.mark.usefixtures("fresh_reports")
def test_a_count_the_header_cannot_satisfy_is_logged_once(caplog):
    with override_settings(TRUSTED_PROXY_COUNT=2), caplog.at_level(logging.ERROR):
        assert client_ip(forwarded_request("203.0.113.5")) == "127.0.0.1"
        assert client_ip(forwarded_request(None)) == "127.0.0.1"
    errors = proxy_errors(caplog)
    assert len(errors) == 1 and "X-Forwarded-For holds 1 address(es)" in errors[0].getMessage()


def test_an_impossible_count_fails_check_deploy():
    with override_settings(TRUSTED_PROXY_COUNT=-1):
        assert [e.id for e in checks.check_trusted_proxies()] == ["core.E001"]


@pytest.mark.parametrize(
    ("seconds", "phrase"),
    [
        (1, "1 секунду"),
        (3, "3 секунды"),
        (11, "11 секунд"),
        (21, "21 секунду"),
        (40, "40 секунд"),
        (60, "1 минуту"),
        (61, "2 минуты"),
        (290, "5 минут"),
        (1260, "21 минуту"),
        (3590, "60 минут"),
    ],
)
def test_wait_phrase_in_russian(seconds, phrase):
    assert wait_phrase(seconds) == phrase


def test_retry_message():
    assert retry_message(40) == "Слишком много попыток с вашего адреса. Попробуйте снова через 40 секунд."

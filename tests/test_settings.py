"""Production settings refuse to start without their required environment; dev needs nothing."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION_ENV = {
    "SECRET_KEY": "a-long-production-secret-for-this-test-0123456789",
    "ALLOWED_HOSTS": "imc.example.ru",
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/postgres",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
    "SITE_URL": "https://imc.example.ru",
}


def load_settings(module, env):
    clean = {k: v for k, v in os.environ.items() if k not in PRODUCTION_ENV and k != "DJANGO_SETTINGS_MODULE"}
    clean.update(env)
    clean["DJANGO_SETTINGS_MODULE"] = module
    code = "import django; django.setup(); from django.conf import settings; print(settings.DEBUG, settings.CACHES['default']['BACKEND'])"
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize("missing", sorted(PRODUCTION_ENV))
def test_production_fails_loudly_without_required_variable(missing):
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != missing}
    result = load_settings("imc_site.settings.production", env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert missing in result.stderr


def test_production_starts_with_complete_environment_and_uses_redis():
    result = load_settings("imc_site.settings.production", PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "django_redis.cache.RedisCache"]


def test_development_needs_no_environment():
    result = load_settings("imc_site.settings.dev", {})
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "django.core.cache.backends.locmem.LocMemCache"]


def test_unreachable_elasticsearch_falls_back_to_database_search_with_a_warning():
    env = dict(PRODUCTION_ENV, ELASTICSEARCH_URL="http://127.0.0.1:9")
    clean = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    clean.update(env, DJANGO_SETTINGS_MODULE="imc_site.settings.production")
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.WAGTAILSEARCH_BACKENDS['default']['BACKEND'])"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "wagtail.search.backends.database"
    assert "falls back to the database backend" in result.stderr

"""The test suite: PostgreSQL from DATABASE_URL, immediate tasks, e-mail into the outbox."""

import os

import dj_database_url

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-secret-key"
HASH_SECRET = "test-hash-secret"
ALLOWED_HOSTS = ["*"]

DATABASES = {
    "default": dj_database_url.parse(os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres"))
}
# Separate names let several checkouts run the suite against one server at once.
DATABASES["default"]["TEST"] = {"NAME": os.environ.get("IMC_TEST_DB", "test_imc")}
# A test database is thrown away: its commits need not wait for the disk (crash safety stays, durability of
# the last commits goes; what the suite needs is speed).
DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c synchronous_commit=off"

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Django's test set-up replaces EMAIL_BACKEND with locmem (direct); tests of the queue override it
# back to core.mail.QueuedEmailBackend. Queued mail is delivered into the outbox too.
EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
TASKS = {"default": {"BACKEND": "core.tasks.ImmediateBackend"}}
WAGTAILADMIN_BASE_URL = "http://testserver"
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"
# One media directory per xdist worker: two workers loading the demo write the same file names.
_MEDIA_BASE = Path(os.environ.get("IMC_TEST_MEDIA", "/tmp/imc-test-media"))  # noqa: S108
MEDIA_ROOT = _MEDIA_BASE / os.environ.get("PYTEST_XDIST_WORKER", "main")
SILENCED_SYSTEM_CHECKS = ["altcha.W001"]

# Serve static files from the apps directly, without collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# The page cache is tested explicitly (tests/core/test_cache.py); elsewhere it would hide changes.
PAGE_CACHE_SECONDS = 0

"""Local development: `make run`. Embedded SQLite, local memory cache, e-mail to the console."""

from .base import *  # noqa: F403
from .base import env

DEBUG = True
SECRET_KEY = env("SECRET_KEY", "dev-only-insecure-key-do-not-use-in-production")
HASH_SECRET = env("HASH_SECRET", "dev-only-hash-secret")
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]", "testserver"]
INTERNAL_IPS = ["127.0.0.1"]
# Local memory is fine for one runserver process.
SILENCED_SYSTEM_CHECKS = ["altcha.W001"]

# Serve static files from the apps directly, without collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

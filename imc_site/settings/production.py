"""Production: every required service is configured from the environment or start-up fails."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import REDIS_URL, env, env_list


def required(name):
    value = env(name)
    if not value:
        raise ImproperlyConfigured(f"Environment variable {name} is required in production.")
    return value


DEBUG = False
SECRET_KEY = required("SECRET_KEY")
HASH_SECRET = env("HASH_SECRET") or SECRET_KEY
ALTCHA_HMAC_SECRET = env("ALTCHA_HMAC_SECRET") or SECRET_KEY
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS") or required("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
required("DATABASE_URL")
WAGTAILADMIN_BASE_URL = required("SITE_URL")  # every absolute link; localhost would be dead in e-mails
if not REDIS_URL:
    raise ImproperlyConfigured("Environment variable REDIS_URL is required in production.")
if not env("TRUSTED_PROXY_COUNT", "").strip():  # "0" is a valid answer: no proxy in front
    raise ImproperlyConfigured(
        "Environment variable TRUSTED_PROXY_COUNT is required in production: 1 behind nginx, "
        "2 with a CDN or load balancer before nginx, 0 without a proxy (see README, «Running in production»)."
    )

TASKS = {"default": {"BACKEND": env("TASKS_BACKEND", "django_tasks_db.DatabaseBackend")}}
EMAIL_DELIVERY_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")

STORAGES["staticfiles"]["BACKEND"] = "whitenoise.storage.CompressedManifestStaticFilesStorage"

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env("SECURE_SSL_REDIRECT", "1") == "1"
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = int(env("SECURE_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SESSION_COOKIE_SECURE = env("SESSION_COOKIE_SECURE", "1") == "1"
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "SAMEORIGIN"
# Wagtail's live preview frames the site inside its own admin, hence SAMEORIGIN rather than DENY.
SILENCED_SYSTEM_CHECKS = ["security.W019"]

LOGGING["root"]["level"] = env("LOG_LEVEL", "INFO")

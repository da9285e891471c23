"""Settings shared by every environment. Everything variable comes from the environment."""

import os
from pathlib import Path

import dj_database_url

from core.redisbreaker import cache_options

PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent


def env(name, default=None):
    return os.environ.get(name, default)


def env_list(name, default=""):
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


INSTALLED_APPS = [
    # Project apps: one per content domain (see README, "Architecture").
    "core",
    "home",
    "news",
    "sveden",
    "methodists",
    "events",
    "contests",
    "practices_atlas",
    "safe_internet",
    "search",
    # Wagtail
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.search_promotions",
    "wagtail.contrib.table_block",
    "wagtail.contrib.frontend_cache",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django_tasks",
    "django_tasks_db",
    "altcha_django",
    "django_otp",  # two-factor sign-in for staff (core/twofactor.py)
    "django_otp.plugins.otp_totp",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",  # Wagtail's naturaltime («минуту назад») needs its catalogue
    "django.forms",  # its widget templates, for core.forms.SiteFormRenderer (the project's template engine)
]

# Every middleware that adds security headers sits above the page cache, so a cached copy gets them
# too; core.middleware refuses undecodable and over-long requests before any app reads them.
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Outside the page cache: a hit gets the headers too, and they are never stored (core/csp.py).
    "core.csp.SiteCSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "core.middleware.HostileInputMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "core.cache.AnonymousPageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "core.twofactor.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

# Two-factor sign-in (core/twofactor.py): optional unless STAFF_2FA_REQUIRED=1; once a person adds an
# authenticator app, every sign-in asks for its code.
STAFF_2FA_REQUIRED = env("STAFF_2FA_REQUIRED", "0") == "1"
OTP_TOTP_ISSUER = "Портал ИМЦ"

# Content-Security-Policy (core/csp.py): the public pages run only the site's own scripts and styles.
# The ALTCHA widget injects one <style> element; its hash is allowed (tests/browser/test_no_third_party.py
# fails, naming the hash, if an upgrade changes it).
CSP_STYLE_HASHES = ["'sha256-ZgqGuQlekW98cv0XQjYUGCLTvc3q5MkU+2SkqlFGoTM='"]  # altcha-django 1.1.0's widget
# Browser features no page of the site uses are switched off for it and for anything it frames.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "ambient-light-sensor",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "hid",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
}

ROOT_URLCONF = "imc_site.urls"
WSGI_APPLICATION = "imc_site.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "core.context_processors.low_vision",
            ],
        },
    },
]

# Database: DATABASE_URL, an embedded SQLite file by default.
# Persistent connections, checked before their first use in a request: after a PostgreSQL restart the
# next visitor of each worker answered a 503 without the check (tests/outage/test_postgres_outage.py).
DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"), conn_max_age=60, conn_health_checks=True
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache and rate limits: Redis when REDIS_URL is set, process memory otherwise.
REDIS_URL = env("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "imc",
            # A Redis outage degrades to cache misses, never to 500s; a hung Redis costs one request
            # 0.25 s, then the cache is skipped for 30 s (core/redisbreaker.py).
            "OPTIONS": cache_options(REDIS_URL),
        }
    }
    DJANGO_REDIS_IGNORE_EXCEPTIONS = True
    DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = False  # the breaker logs once per outage, not per call
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Fragments ({% fragment %}, core.cache.cached_fragment) stay in each process's memory: their keys
# carry the cache generation, so a publish still ends them everywhere, and a hit costs no round trip.
CACHES["template_fragments"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "imc-fragments",
    "OPTIONS": {"MAX_ENTRIES": 2000},
}

# Single-use records (captcha replay, the human-check pass) and the rate limits' fallback live in
# PostgreSQL: shared by every instance and still there when Redis is not, so a Redis outage neither
# blocks votes («проверка уже использована») nor lets replays through. Table made by core/0009.
CACHES["durable"] = {
    "BACKEND": "django.core.cache.backends.db.DatabaseCache",
    "LOCATION": "core_durable_cache",
    "OPTIONS": {"MAX_ENTRIES": 200_000, "CULL_FREQUENCY": 10},
}

# Anonymous page cache (core.cache); 0 switches it off.
PAGE_CACHE_SECONDS = int(env("PAGE_CACHE_SECONDS", "300"))
# Stored pages also kept in each process's memory (bytes per process): a hit then costs no Redis round
# trip while Redis's push (CLIENT TRACKING) says the generation is unchanged (docs/dev/caching.md).
PAGE_CACHE_LOCAL_BYTES = int(env("PAGE_CACHE_LOCAL_BYTES", str(32 * 1024 * 1024)))

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "ru"
LANGUAGES = [("ru", "Русский")]
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
TIME_ZONE = "Europe/Moscow"
USE_I18N = True
USE_TZ = True

STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "static_collected"
STATIC_URL = "/static/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(BASE_DIR / "media")))
# A separate cookieless host for uploads in production (README, deploy/nginx/imc.conf), e.g. https://media.imc.example.ru/
MEDIA_URL = env("MEDIA_URL", "/media/")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# E-mail. Every message Django sends (ours, Wagtail's notifications, password reset) is queued by
# core.mail.QueuedEmailBackend and delivered by a task through EMAIL_DELIVERY_BACKEND, which the
# EMAIL_BACKEND variable chooses (console here, SMTP in production, file with EMAIL_FILE_PATH).
EMAIL_BACKEND = "core.mail.QueuedEmailBackend"
EMAIL_DELIVERY_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_TIMEOUT = int(env("EMAIL_TIMEOUT", "10"))
EMAIL_FILE_PATH = env("EMAIL_FILE_PATH", str(BASE_DIR / "sent_emails"))
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = int(env("EMAIL_PORT", "25"))
EMAIL_HOST_USER = env("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env("EMAIL_USE_TLS", "") == "1"
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Портал ИМЦ <noreply@imc.example.ru>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Background tasks: e-mail and other slow work leaves the request.
TASKS = {"default": {"BACKEND": env("TASKS_BACKEND", "core.tasks.ImmediateBackend")}}

# Wagtail
WAGTAIL_SITE_NAME = "Портал ИМЦ"
# SITE_URL is the one public origin: absolute links (core.siteurl) and the default Site, synced on migrate.
WAGTAILADMIN_BASE_URL = env("SITE_URL", "http://127.0.0.1:8000")
# No third-party requests: Gravatar would get a hash of every editor's e-mail (Wagtail's initials instead).
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_I18N_ENABLED = False
WAGTAIL_DATE_FORMAT = "%d.%m.%Y"
WAGTAIL_DATETIME_FORMAT = "%d.%m.%Y %H:%M"
WAGTAIL_WORKFLOW_ENABLED = True
WAGTAIL_MODERATION_ENABLED = True
# The approver of a workflow publishes what they approved, even without a publish right (core/workflows.py).
WAGTAIL_FINISH_WORKFLOW_ACTION = "core.workflows.publish_approved"
WAGTAILIMAGES_FORMAT_CONVERSIONS = {"png": "webp", "jpeg": "webp", "gif": "webp", "bmp": "webp"}
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "xlsx", "pptx", "odt", "ods", "odp", "rtf", "txt", "csv", "zip"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 20 * 1024 * 1024
WAGTAILDOCS_SERVE_METHOD = "serve_view"
# Uploads are checked by content and stored under the detected format's extension (core/uploads.py).
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp"]
WAGTAILIMAGES_IMAGE_FORM_BASE = "core.uploads.ImageForm"
WAGTAILDOCS_DOCUMENT_FORM_BASE = "core.uploads.DocumentForm"
WAGTAILEMBEDS_RESPONSIVE_HTML = True
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_PASSWORD_RESET_ENABLED = True

# Search: PostgreSQL full-text with the Russian configuration through Wagtail's database backend;
# Elasticsearch when ELASTICSEARCH_URL is set and answers at start-up.
ELASTICSEARCH_URL = env("ELASTICSEARCH_URL")
ELASTICSEARCH_INDEX = env("ELASTICSEARCH_INDEX", "imc")
DATABASE_SEARCH_BACKEND = {
    "BACKEND": "wagtail.search.backends.database",
    "SEARCH_CONFIG": "russian",
    "AUTO_UPDATE": True,
}
WAGTAILSEARCH_BACKENDS = {"default": DATABASE_SEARCH_BACKEND}


def _elasticsearch_reachable(url: str) -> bool:
    import urllib.request

    try:
        urllib.request.urlopen(url, timeout=2)  # noqa: S310 - an operator-provided http(s) URL
    except urllib.error.HTTPError:
        return True  # it answered (e.g. 401): it is there
    except (OSError, ValueError):
        return False
    return True


if ELASTICSEARCH_URL:
    if _elasticsearch_reachable(ELASTICSEARCH_URL):
        WAGTAILSEARCH_BACKENDS["default"] = {
            "BACKEND": "wagtail.search.backends.elasticsearch9",
            "URLS": [ELASTICSEARCH_URL],
            "INDEX": ELASTICSEARCH_INDEX,
            "TIMEOUT": 5,
            "OPTIONS": {},
            "INDEX_SETTINGS": {"settings": {"analysis": {"analyzer": {"default": {"type": "russian"}}}}},
        }
        # Kept up to date too, so that the search view's fallback never reads a stale index.
        WAGTAILSEARCH_BACKENDS["database"] = DATABASE_SEARCH_BACKEND
    else:
        # Visitors must still find pages: fall back to PostgreSQL full-text and say so loudly.
        import logging

        logging.getLogger("imc_site").warning(
            "ELASTICSEARCH_URL %s is unreachable; search falls back to the database backend.", ELASTICSEARCH_URL
        )

# The proxy cache in front (nginx, deploy/nginx/imc.conf): after a change, the pages that show it are
# deleted from it through its purge server (core/frontendcache.py); LEVELS is proxy_cache_path's `levels`.
FRONTEND_CACHE_PURGE_URL = env("FRONTEND_CACHE_PURGE_URL")
FRONTEND_CACHE_LEVELS = env("FRONTEND_CACHE_LEVELS", "1:2")
if FRONTEND_CACHE_PURGE_URL:
    WAGTAILFRONTENDCACHE = {
        "nginx": {
            "BACKEND": "core.frontendcache.NginxCacheBackend",
            "LOCATION": FRONTEND_CACHE_PURGE_URL,
            "LEVELS": FRONTEND_CACHE_LEVELS,
        }
    }

# Keyed hashes of personal data (IP subnets, voter e-mails) use this secret, never SECRET_KEY rotation.
HASH_SECRET = env("HASH_SECRET", "")

# Proxies in front of gunicorn that append the peer's address to X-Forwarded-For: 1 behind nginx,
# 2 with a CDN or load balancer before nginx, 0 without a proxy. core.hashing.client_ip takes the
# Nth address from the right (rate limits, subnet hashes); production.py requires it explicitly.
_proxies = env("TRUSTED_PROXY_COUNT", "0").strip()
if not _proxies.isdigit():
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(f"TRUSTED_PROXY_COUNT must be a whole number (0, 1, 2…), not {_proxies!r}.")
TRUSTED_PROXY_COUNT = int(_proxies)

# External links the compliance rules require.
GOSUSLUGI_APPEALS_URL = "https://www.gosuslugi.ru/help/obratitsya_v_gosorgany"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "database_outage": {"()": "core.dboutage.DatabaseOutageFilter"},
        "client_error": {"()": "core.logfilters.ClientErrorFilter"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "WARNING")},
    # A database outage: one line a minute per process instead of a traceback per request; a 4xx: its line.
    "loggers": {"django.request": {"filters": ["database_outage", "client_error"]}},
}

# ALTCHA proof-of-work captcha (self-hosted; used by public forms that need it).
ALTCHA_HMAC_SECRET = env("ALTCHA_HMAC_SECRET", "dev-only-altcha-secret")
ALTCHA_CACHE_ALIAS = "durable"

# --- Admin sign-in security (issue 8.3; core/auth.py, README "Admin sign-in security") ---
# Failed logins lock the account after ADMIN_LOGIN_ACCOUNT_FAILURES and the client address after
# ADMIN_LOGIN_ADDRESS_FAILURES failures within the window, for ADMIN_LOGIN_LOCKOUT_MINUTES; counts
# live in the shared cache (Redis). Passwords: 12 characters and Django's validators (above).
AUTHENTICATION_BACKENDS = ["core.auth.LoginLockoutBackend"]  # Django's ModelBackend plus the lockout
WAGTAILADMIN_USER_LOGIN_FORM = "core.auth.LockoutLoginForm"
ADMIN_LOGIN_ACCOUNT_FAILURES = int(env("ADMIN_LOGIN_ACCOUNT_FAILURES", "5"))
ADMIN_LOGIN_ADDRESS_FAILURES = int(env("ADMIN_LOGIN_ADDRESS_FAILURES", "20"))
ADMIN_LOGIN_WINDOW_MINUTES = 15
ADMIN_LOGIN_LOCKOUT_MINUTES = int(env("ADMIN_LOGIN_LOCKOUT_MINUTES", "15"))
ADMIN_PASSWORD_RESET_PER_EMAIL = 3  # per hour
ADMIN_PASSWORD_RESET_PER_ADDRESS = 10  # per hour
# Signed-in users are signed out after this many minutes without activity (0: never) and this many
# hours after signing in, whatever the activity (0: no limit but the cookie's); anonymous visitors
# are not touched. The cookie ends with the browser unless "remember me", then after the same hours.
ADMIN_IDLE_TIMEOUT_MINUTES = int(env("ADMIN_IDLE_TIMEOUT_MINUTES", "30"))
ADMIN_SESSION_MAX_HOURS = int(env("ADMIN_SESSION_MAX_HOURS", "12"))
SESSION_COOKIE_AGE = (ADMIN_SESSION_MAX_HOURS or 12) * 60 * 60
# Sensitive admin actions (core/reauth.py) need the password (and the two-factor code) entered within
# ADMIN_REAUTH_MINUTES. Wagtail's own sensitive URLs are here; apps add theirs through the
# `register_sensitive_admin_urls` hook. A rule: a URL name (wildcards allowed) or a path prefix, with
# `?param` when only requests with that query parameter are meant.
ADMIN_REAUTH_MINUTES = int(env("ADMIN_REAUTH_MINUTES", "15"))
ADMIN_REAUTH_REQUIRED_FOR = [
    "wagtailusers_users:*",  # users: accounts, their groups, superuser status
    "wagtailusers_groups:*",  # groups and their permissions
    "/admin/bulk/auth/user/",  # bulk delete, (de)activate, assign role
    "/admin/bulk/wagtailcore/page/delete/",  # pages deleted in bulk
    "wagtailsettings:edit",  # site settings
    "wagtailsites:*",
    "core_login_locks",  # lifting sign-in locks
    "*?export",  # every CSV/XLSX download of an admin listing (questions, consents, mail, registrations)
]
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.contrib.messages.middleware.MessageMiddleware") + 1,
    "core.auth.AdminIdleTimeoutMiddleware",
)
MIDDLEWARE.insert(MIDDLEWARE.index("core.auth.AdminIdleTimeoutMiddleware") + 1, "core.reauth.ReauthMiddleware")
# --- end of admin sign-in security ---

# --- Admin in Russian (issue 9.10; locale/, core/admin_views.py, README "Admin language") ---
# Project overrides of Wagtail's missing or broken Russian messages; LOCALE_PATHS win over apps.
LOCALE_PATHS = [BASE_DIR / "locale"]
# Slugs from titles are transliterated to Latin («Новости методиста» → novosti-metodista).
WAGTAIL_ALLOW_UNICODE_SLUGS = False
# --- end of admin in Russian ---

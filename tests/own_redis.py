"""Real Redis for one test alone.

Parallel workers (`pytest -n 2`) share Redis's databases, and tests of one module run on both workers
at once: a test that flushed a database (cache.clear()) or counted under a shared key prefix reset or
inflated another test's rate-limit counters. So each test gets a key prefix of its own and deletes
only its own keys. The rate limiter's clock is pinned 10 s into a fresh hour, so that no window
boundary (minute, 5 minutes, hour) falls inside a test and «try again in …» is exact.
"""

import uuid
from contextlib import contextmanager
from types import SimpleNamespace

import pytest
from django.core.cache import cache
from django.test import override_settings

from core.redisbreaker import cache_options

REDIS_URL = "redis://127.0.0.1:6379/14"


def redis_caches(prefix: str, ignore_exceptions: bool = True, location: str = REDIS_URL) -> dict:
    """CACHES with django-redis as the default cache, as production runs it; the other aliases (the
    database-backed `durable`, the fragments) stay as configured."""
    from django.conf import settings

    return {
        **settings.CACHES,
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": location,
            "KEY_PREFIX": prefix,
            "OPTIONS": cache_options(location, ignore_exceptions=ignore_exceptions),
        },
    }


def unique_prefix(name: str = "imc-test") -> str:
    return f"{name}-{uuid.uuid4().hex[:12]}"


def require_redis() -> None:
    """Tests on Redis need the Redis the site runs on: without it they fail, never skip (README)."""
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=0.5).ping()
    except redis.exceptions.ConnectionError as exc:
        pytest.fail(f"Redis at 127.0.0.1:6379 is needed by this test: {exc}")


@contextmanager
def own_redis(ignore_exceptions: bool = False):
    """The default cache in Redis under a prefix of this test's own; its keys are deleted afterwards."""
    require_redis()
    with override_settings(CACHES=redis_caches(unique_prefix(), ignore_exceptions)):
        try:
            yield cache
        finally:
            cache.delete_pattern("*")  # django-redis applies KEY_PREFIX: only this test's keys


def pin_ratelimit_clock(monkeypatch) -> float:
    from core import ratelimit

    start = (int(ratelimit.time.time()) // 3600 + 1) * 3600 + 10
    monkeypatch.setattr(ratelimit, "time", SimpleNamespace(time=lambda: start))
    return start

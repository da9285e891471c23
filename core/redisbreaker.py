"""A circuit breaker in front of Redis: a hung or dead Redis costs one request a short timeout, then
the cache is skipped for OPEN_SECONDS (every call fails at once, which django-redis's
IGNORE_EXCEPTIONS turns into a miss), and one warning is logged per outage instead of a traceback per
call. Measured before it: a hung Redis (accepting connections, never answering) held every page for
19–35 s (≈ 15 cache calls × a 1 s timeout each) while /healthz said 200; a dead one logged 442 MB of
tracebacks over 7,876 requests.

The state is per process and per Redis server (host and port): each gunicorn worker finds out on its
own, once, and a second Redis (a test's, a replica) is judged apart. After OPEN_SECONDS one call is
let through: if Redis answers, the circuit closes and the site caches again.
"""

import logging
import threading
import time

from django.conf import settings
from redis.connection import Connection
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

OPEN_SECONDS = 30.0
TIMEOUT_SECONDS = 0.25  # local Redis answers in well under a millisecond; a hung one costs this, once


def open_seconds() -> float:
    """How long the cache is skipped after a failure: REDIS_BREAKER_OPEN_SECONDS (the outage tests shorten
    it), OPEN_SECONDS by default."""
    return getattr(settings, "REDIS_BREAKER_OPEN_SECONDS", OPEN_SECONDS)


class CircuitOpen(RedisConnectionError):
    """Raised instead of talking to Redis while the circuit is open."""


class _Breaker:
    def __init__(self, name: str = "Redis"):
        self.name = name
        self._lock = threading.Lock()
        self.opened_at: float | None = None

    def is_open(self) -> bool:
        opened_at = self.opened_at
        return opened_at is not None and time.monotonic() - opened_at < open_seconds()

    def check(self) -> None:
        if self.is_open():
            raise CircuitOpen("Redis circuit open: the cache is skipped")

    def trip(self, error: Exception) -> None:
        with self._lock:
            already_open = self.is_open()
            self.opened_at = time.monotonic()
        if not already_open:
            logger.warning(
                "%s unreachable (%s): cache skipped for %d s", self.name, type(error).__name__, open_seconds()
            )

    def succeeded(self) -> None:
        if self.opened_at is not None:
            with self._lock:
                self.opened_at = None
            logger.warning("%s answers again: cache back on", self.name)


_breakers: dict[tuple, _Breaker] = {}
_registry_lock = threading.Lock()


def breaker_for(host, port) -> _Breaker:
    key = (host, port)
    found = _breakers.get(key)
    if found is None:
        with _registry_lock:
            found = _breakers.setdefault(key, _Breaker(f"Redis at {host}:{port}"))
    return found


def reset() -> None:
    """Close every circuit (tests)."""
    for item in list(_breakers.values()):
        item.opened_at = None


_FAILURES = (RedisConnectionError, RedisTimeoutError, OSError)


class BreakerConnection(Connection):
    """redis-py's TCP connection that consults and feeds its server's breaker."""

    @property
    def breaker(self) -> _Breaker:
        return breaker_for(self.host, self.port)

    def connect(self, *args, **kwargs):
        breaker = self.breaker
        breaker.check()
        try:
            return super().connect(*args, **kwargs)
        except CircuitOpen:
            raise
        except _FAILURES as error:
            breaker.trip(error)
            raise

    def send_packed_command(self, *args, **kwargs):
        breaker = self.breaker
        breaker.check()
        try:
            return super().send_packed_command(*args, **kwargs)
        except CircuitOpen:
            raise
        except _FAILURES as error:
            breaker.trip(error)
            raise

    def read_response(self, *args, **kwargs):
        breaker = self.breaker
        try:
            response = super().read_response(*args, **kwargs)
        except _FAILURES as error:
            breaker.trip(error)
            raise
        breaker.succeeded()
        return response


def cache_options(location: str, timeout: float = TIMEOUT_SECONDS, ignore_exceptions: bool = True) -> dict:
    """django-redis OPTIONS for the default cache, in settings and in the tests that use real Redis.
    The breaker sits on plain TCP connections (redis://); TLS (rediss://) keeps redis-py's own class."""
    options = {
        "IGNORE_EXCEPTIONS": ignore_exceptions,  # an outage degrades to cache misses, never to 500s
        "SOCKET_CONNECT_TIMEOUT": timeout,
        "SOCKET_TIMEOUT": timeout,
    }
    if location.startswith("redis://"):
        options["CONNECTION_POOL_KWARGS"] = {"connection_class": BreakerConnection}
    return options

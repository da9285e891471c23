"""A hung or dead Redis: one request waits a quarter of a second, then the cache is skipped for a while
(misses, no waits), one warning per outage; once Redis answers again, caching resumes."""

import logging
import socket
import time

import pytest
from django.core.cache import cache
from django.test import override_settings

from core import redisbreaker
from tests.own_redis import REDIS_URL, redis_caches, require_redis, unique_prefix


@pytest.fixture
def closed_breaker():
    redisbreaker.reset()
    yield redisbreaker.breaker_for("127.0.0.1", 6379)
    redisbreaker.reset()


@pytest.fixture
def hung_redis():
    """A server that accepts connections and never answers: Redis stuck in a long command or swapping."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(64)
    yield f"redis://127.0.0.1:{server.getsockname()[1]}/0"
    server.close()


@pytest.fixture
def dead_redis():
    """A port nothing listens on: Redis killed."""
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    return f"redis://127.0.0.1:{port}/0"


@pytest.mark.parametrize("server", ["hung_redis", "dead_redis"])
def test_an_outage_costs_one_short_wait_then_the_cache_is_skipped(request, closed_breaker, caplog, server):
    location = request.getfixturevalue(server)
    with override_settings(CACHES=redis_caches(unique_prefix(), location=location)), caplog.at_level(logging.WARNING):
        started = time.monotonic()
        assert cache.get("page") is None  # a miss, not an error
        first = time.monotonic() - started
        started = time.monotonic()
        for number in range(50):
            cache.set(f"page-{number}", "html")
            assert cache.get(f"page-{number}") is None
        rest = time.monotonic() - started
    assert first < 0.6, first  # one timeout (0.25 s), not a second per call
    assert rest < 0.2, rest  # 100 calls with the circuit open: no waiting at all
    warnings = [r for r in caplog.records if r.name == "core.redisbreaker"]
    assert len(warnings) == 1 and "cache skipped for 30 s" in warnings[0].getMessage()
    assert not [r for r in caplog.records if r.exc_info]  # no traceback per call


def test_caching_resumes_when_redis_answers_again(closed_breaker, monkeypatch, caplog):
    require_redis()
    with override_settings(CACHES=redis_caches(unique_prefix(), location=REDIS_URL)), caplog.at_level(logging.WARNING):
        closed_breaker.trip(TimeoutError("hung"))
        cache.set("page", "html")
        assert cache.get("page") is None  # skipped while open
        later = time.monotonic() + redisbreaker.OPEN_SECONDS + 1
        monkeypatch.setattr(redisbreaker.time, "monotonic", lambda: later)
        cache.set("page", "html")
        assert cache.get("page") == "html"
        assert not closed_breaker.is_open()
        cache.delete("page")
    assert "cache back on" in caplog.text

"""Fixed-window rate limits in the shared cache (Redis in production), per address and per subnet.

A cache outage lets requests through: the site must stay usable, and the database constraints,
not the limiter, are what keep data correct.
"""

import functools
import logging
import time

from django.core.cache import cache
from django.shortcuts import render

from .hashing import client_ip, keyed_hash, subnet_of

logger = logging.getLogger(__name__)


def parse_rate(rate: str) -> tuple[int, int]:
    """'5/m' -> (5, 60). Units: s, m, h, d."""
    count, unit = rate.split("/")
    seconds = {"s": 1, "m": 60, "h": 3600, "d": 86400}[unit[-1]]
    multiplier = int(unit[:-1]) if unit[:-1] else 1
    return int(count), seconds * multiplier


def _hit(key: str, window: int) -> int:
    bucket = int(time.time() // window)
    full_key = f"rl:{key}:{bucket}"
    try:
        if cache.add(full_key, 1, timeout=window + 1):
            return 1
        # django-redis with IGNORE_EXCEPTIONS (production) answers None instead of raising: a miss.
        return cache.incr(full_key) or 0
    except ValueError:  # expired between add and incr
        cache.set(full_key, 1, timeout=window + 1)
        return 1
    except Exception:
        logger.warning("rate limit cache unavailable", exc_info=True)
        return 0


def _redis_client():
    """The raw client when the cache is django-redis, else None (local memory in dev and tests)."""
    get_client = getattr(getattr(cache, "client", None), "get_client", None)
    return get_client(write=True) if get_client else None


def _hits(counters: list[tuple[str, int]]) -> list[int]:
    """Counts one hit on each (key, window); with Redis, all of them in one round trip.

    INCR creates a missing key at 1, and EXPIRE bounds it to its window: a voting spike's hot path
    pays one network round trip for the address and the subnet together.
    """
    try:
        client = _redis_client()
    except Exception:
        logger.warning("rate limit cache unavailable", exc_info=True)
        return [0] * len(counters)
    if client is None:
        return [_hit(key, window) for key, window in counters]
    now = time.time()
    try:
        pipe = client.pipeline(transaction=False)
        for key, window in counters:
            full_key = cache.make_and_validate_key(f"rl:{key}:{int(now // window)}")
            pipe.incr(full_key)
            pipe.expire(full_key, window + 1)
        results = pipe.execute()
    except Exception:
        logger.warning("rate limit cache unavailable", exc_info=True)
        return [0] * len(counters)
    return [int(count) for count in results[::2]]


def is_limited(request, scope: str, rate: str, subnet_rate: str | None = None) -> bool:
    """Counts this request and says whether the address or its subnet went over the limit."""
    limit, window = parse_rate(rate)
    ip = client_ip(request)
    counters = [(f"{scope}:ip:{keyed_hash(ip)}", window)]
    limits = [limit]
    if subnet_rate:
        subnet_limit, subnet_window = parse_rate(subnet_rate)
        counters.append((f"{scope}:net:{keyed_hash(subnet_of(ip))}", subnet_window))
        limits.append(subnet_limit)
    return any(count > allowed for count, allowed in zip(_hits(counters), limits, strict=True))


def too_many_requests(request):
    return render(request, "429.html", status=429)


def ratelimit(scope: str, rate: str, subnet_rate: str | None = None, methods=("POST",)):
    """View decorator: over the limit, the visitor gets a Russian 429 page instead of the view."""

    def decorator(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method in methods and is_limited(request, scope, rate, subnet_rate):
                return too_many_requests(request)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator

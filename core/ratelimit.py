"""Fixed-window rate limits in the shared cache (Redis in production), per address and per subnet.

When Redis does not answer, the counters move to the database cache (`durable`, PostgreSQL): the
limits keep holding through an outage, across instances, a little looser (its increments are not
atomic). Only if that fails too are requests let through: the database constraints, not the limiter,
are what keep data correct.

retry_after() counts a request and says how many seconds the visitor must wait (0: go on); a view
with a form answers a limited visitor with refilled_form() — their form back, with retry_message()
as its error — wrapped in limited() (429 + Retry-After), never with a bare error page.
"""

import functools
import logging
import math
import time

from django.core.cache import cache, caches
from django.forms.utils import ErrorDict
from django.shortcuts import render

from .hashing import client_ip, keyed_hash, subnet_of

logger = logging.getLogger(__name__)


def parse_rate(rate: str) -> tuple[int, int]:
    """'5/m' -> (5, 60). Units: s, m, h, d."""
    count, unit = rate.split("/")
    seconds = {"s": 1, "m": 60, "h": 3600, "d": 86400}[unit[-1]]
    multiplier = int(unit[:-1]) if unit[:-1] else 1
    return int(count), seconds * multiplier


def _hit(key: str, window: int, now: float, store=None) -> int:
    store = store or cache
    bucket = int(now // window)
    full_key = f"rl:{key}:{bucket}"
    try:
        if store.add(full_key, 1, timeout=window + 1):
            return 1
        # django-redis with IGNORE_EXCEPTIONS (production) answers None instead of raising: a miss.
        return store.incr(full_key) or 0
    except ValueError:  # expired between add and incr
        store.set(full_key, 1, timeout=window + 1)
        return 1
    except Exception:
        logger.warning("rate limit cache unavailable", exc_info=True)
        return 0


def _durable_hits(counters: list[tuple[str, int]], now: float) -> list[int]:
    """Redis is down: count in PostgreSQL instead (one warning per outage comes from the breaker)."""
    return [_hit(key, window, now, caches["durable"]) for key, window in counters]


def _redis_client():
    """The raw client when the cache is django-redis, else None (local memory in dev and tests)."""
    get_client = getattr(getattr(cache, "client", None), "get_client", None)
    return get_client(write=True) if get_client else None


def _hits(counters: list[tuple[str, int]], now: float) -> list[int]:
    """Counts one hit on each (key, window); with Redis, all of them in one round trip.

    INCR creates a missing key at 1, and EXPIRE bounds it to its window: a voting spike's hot path
    pays one network round trip for the address and the subnet together.
    """
    try:
        client = _redis_client()
    except Exception:  # noqa: BLE001 — whatever Redis failed with, count in the database
        return _durable_hits(counters, now)
    if client is None:
        return [_hit(key, window, now) for key, window in counters]
    try:
        pipe = client.pipeline(transaction=False)
        for key, window in counters:
            full_key = cache.make_and_validate_key(f"rl:{key}:{int(now // window)}")
            pipe.incr(full_key)
            pipe.expire(full_key, window + 1)
        results = pipe.execute()
    except Exception:  # noqa: BLE001 — whatever Redis failed with, count in the database
        return _durable_hits(counters, now)
    return [int(count) for count in results[::2]]


def count_hits(counters: list[tuple[str, int]]) -> list[int]:
    """Counts one hit on each (key, window seconds) in its current fixed window and returns the counts:
    in Redis, or in the database while Redis does not answer. For counters other than requests per
    address, e.g. the admin sign-in failures (core/auth.py)."""
    return _hits(counters, time.time())


def forget_hits(counters: list[tuple[str, int]]) -> None:
    """Zeroes the current window of each counter, in Redis and in the database (where an outage left it)."""
    now = time.time()
    keys = [f"rl:{key}:{int(now // window)}" for key, window in counters]
    for store in (cache, caches["durable"]):
        try:
            store.delete_many(keys)
        except Exception:  # a store that is down holds nothing to forget
            logger.warning("rate limit cache unavailable", exc_info=True)


def _wait(counters: list[tuple[str, str]]) -> int:
    """Counts one hit on each (key, rate); 0 when all are within their limits, else the seconds until
    the last exceeded window ends (fixed windows: the counter starts again at the next boundary)."""
    now = time.time()
    parsed = [(key, *parse_rate(rate)) for key, rate in counters]
    counts = _hits([(key, window) for key, _, window in parsed], now)
    waits = [
        math.ceil((int(now // window) + 1) * window - now)
        for count, (_, limit, window) in zip(counts, parsed, strict=True)
        if count > limit
    ]
    return max(1, *waits) if waits else 0


def retry_after(request, scope: str, rate: str, subnet_rate: str | None = None) -> int:
    """Counts this request per address (and per subnet): 0 within the limits, else seconds to wait."""
    ip = client_ip(request)
    counters = [(f"{scope}:ip:{keyed_hash(ip)}", rate)]
    if subnet_rate:
        counters.append((f"{scope}:net:{keyed_hash(subnet_of(ip))}", subnet_rate))
    return _wait(counters)


def retry_after_for(scope: str, identity: str, rate: str) -> int:
    """The same for something other than the address, e.g. a mailbox (stored as a keyed hash)."""
    return _wait([(f"{scope}:id:{keyed_hash(identity)}", rate)])


def is_limited(request, scope: str, rate: str, subnet_rate: str | None = None) -> bool:
    """Counts this request and says whether the address or its subnet went over the limit."""
    return bool(retry_after(request, scope, rate, subnet_rate))


def _plural(n: int, one: str, few: str, many: str) -> str:
    if n % 10 == 1 and n % 100 != 11:
        return one
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return few
    return many


def wait_phrase(seconds: int) -> str:
    """«40 секунд», «1 минуту», «3 минуты» — the accusative after «через»."""
    if seconds < 60:
        return f"{seconds} {_plural(seconds, 'секунду', 'секунды', 'секунд')}"
    minutes = math.ceil(seconds / 60)
    return f"{minutes} {_plural(minutes, 'минуту', 'минуты', 'минут')}"


def retry_message(seconds: int, what: str = "Слишком много попыток с вашего адреса") -> str:
    return f"{what}. Попробуйте снова через {wait_phrase(seconds)}."


# Never given back: a captcha solution is single-use, the honeypot must stay empty.
NOT_REFILLED = frozenset({"csrfmiddlewaretoken", "altcha", "check_token", "check_answer", "website"})


def refilled_form(form_class, request, message: str, /, **kwargs):
    """The visitor's form as they sent it (but the captcha and files), unvalidated, with `message`
    as its non-field error: a limited visitor keeps what they typed and reads when to retry.

    Unbound on purpose: a limited request costs no validation (no captcha check, no queries).
    The error summary (core.forms) says «Слишком много запросов» and that the text is kept.
    """
    initial = {}
    for name in request.POST:
        if name not in NOT_REFILLED:
            values = request.POST.getlist(name)
            initial[name] = values if len(values) > 1 else values[0]
    kwargs.setdefault("request", request)
    form = form_class(initial=initial, **kwargs)
    form.cleaned_data = {}
    form._errors = ErrorDict()
    form.add_error(None, message)
    form.limited = True
    return form


def limited(response, seconds: int):
    """Marks a re-rendered form as the answer of a limited request: 429 with Retry-After."""
    response.status_code = 429
    response["Retry-After"] = str(seconds)
    return response


def too_many_requests(request, seconds: int = 0):
    response = render(request, "429.html", {"retry_in": wait_phrase(seconds) if seconds else ""}, status=429)
    if seconds:
        response["Retry-After"] = str(seconds)
    return response


def ratelimit(scope: str, rate: str, subnet_rate: str | None = None, methods=("POST",)):
    """View decorator: over the limit, the visitor gets a Russian 429 page instead of the view."""

    def decorator(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method in methods:
                wait = retry_after(request, scope, rate, subnet_rate)
                if wait:
                    return too_many_requests(request, wait)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator

"""Rate limits: per address and subnet, in the shared cache; during a Redis outage they hold in PostgreSQL."""

import pytest
from django.test import RequestFactory, override_settings

from core.ratelimit import is_limited, parse_rate
from tests.own_redis import pin_ratelimit_clock, redis_caches, unique_prefix


@pytest.fixture(autouse=True)
def _one_window(monkeypatch):
    """No minute boundary falls between the hits of one test."""
    pin_ratelimit_clock(monkeypatch)


@pytest.mark.parametrize(
    ("rate", "expected"),
    [("5/m", (5, 60)), ("5/10m", (5, 600)), ("30/h", (30, 3600)), ("1/s", (1, 1)), ("100/d", (100, 86400))],
)
def test_parse_rate(rate, expected):
    assert parse_rate(rate) == expected


def request_from(ip):
    return RequestFactory().post("/", REMOTE_ADDR=ip)


def hits(ip, count, rate="3/m", subnet_rate=None, scope="test"):
    return [is_limited(request_from(ip), scope, rate, subnet_rate) for _ in range(count)]


def test_address_limit_in_local_memory():
    assert hits("192.0.2.1", 4) == [False, False, False, True]
    assert hits("192.0.2.2", 1) == [False]  # another address has its own budget


def test_subnet_limit_catches_many_addresses_of_one_network():
    results = [is_limited(request_from(f"192.0.2.{i}"), "test", "10/m", "3/m") for i in range(1, 6)]
    assert results == [False, False, False, True, True]
    assert not is_limited(request_from("198.51.100.1"), "test", "10/m", "3/m")


def test_scopes_are_independent():
    assert hits("192.0.2.1", 4, scope="question")[-1] is True
    assert hits("192.0.2.1", 1, scope="vote") == [False]


def test_limits_against_real_redis(real_redis):
    assert hits("203.0.113.10", 4) == [False, False, False, True]
    keys = real_redis.keys("rl:test:*")
    assert keys and all("203.0.113.10" not in key for key in keys)  # keys hold hashes, not addresses


def test_limit_shared_between_app_instances_through_redis(real_redis):
    from django.core.cache import caches

    assert hits("203.0.113.11", 2) == [False, False]
    caches.close_all()  # a second worker: a fresh connection to the same Redis
    assert hits("203.0.113.11", 2) == [False, True]


@pytest.mark.django_db
@pytest.mark.parametrize("ignore_exceptions", [True, False])
def test_during_a_redis_outage_the_limits_hold_in_the_database(ignore_exceptions):
    """Redis refuses connections: the counters move to PostgreSQL (the `durable` cache), so a storm
    during an outage is still limited, never let through and never an error."""
    with override_settings(
        CACHES=redis_caches(unique_prefix(), ignore_exceptions, location="redis://127.0.0.1:6390/0")
    ):
        assert hits("203.0.113.12", 5) == [False, False, False, True, True]
        assert hits("198.51.100.7", 1) == [False]  # another address keeps its own budget


@pytest.mark.django_db
def test_question_form_stays_usable_during_a_redis_outage(client):
    with override_settings(CACHES=redis_caches(unique_prefix(), location="redis://127.0.0.1:6390/0")):
        for _ in range(3):
            response = client.post("/vopros-metodistu/", {"name": ""}, REMOTE_ADDR="203.0.113.13")
            assert response.status_code == 400  # validated, never a 500

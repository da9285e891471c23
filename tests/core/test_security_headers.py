"""Security headers on every response, cached copies included (issue 8.7).

The page cache (core.cache) replays a stored page from inside the middleware stack; any middleware
below it never sees the cached copy. X-Frame-Options used to be added below it, so the second visitor
got a page that could be framed. Tested with production's security settings, with the local cache and
with real Redis.
"""

import pytest
from django.conf import settings
from django.test import override_settings

from tests.home.factories import StandardPageFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache_on")]

PRODUCTION_SECURITY = {
    "SECURE_SSL_REDIRECT": True,
    "SECURE_PROXY_SSL_HEADER": ("HTTP_X_FORWARDED_PROTO", "https"),
    "SECURE_HSTS_SECONDS": 31536000,
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
    "SECURE_HSTS_PRELOAD": True,
    "SECURE_CONTENT_TYPE_NOSNIFF": True,
    "SECURE_REFERRER_POLICY": "strict-origin-when-cross-origin",
    "SECURE_CROSS_ORIGIN_OPENER_POLICY": "same-origin",
    "X_FRAME_OPTIONS": "SAMEORIGIN",
}
EXPECTED = {
    "X-Frame-Options": "SAMEORIGIN",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Strict-Transport-Security": "max-age=31536000; includeSubDomains; preload",
}
# Present and identical on the first answer and the cached copy; what they allow is tested below.
SAME_ON_EVERY_COPY = ("Content-Security-Policy", "Permissions-Policy")
HTTPS = {"HTTP_X_FORWARDED_PROTO": "https"}


def security_headers(response) -> dict[str, str | None]:
    return {name: response.get(name) for name in EXPECTED}


def policy_headers(response) -> dict[str, str]:
    headers = {name: response.get(name) for name in SAME_ON_EVERY_COPY}
    assert all(headers.values()), headers
    return headers


@pytest.fixture
def standard_page(home_page):
    return StandardPageFactory(
        parent=home_page, title="Повышение квалификации", slug="kursy-zagolovki", lead="Курсы для педагогов района."
    )


@pytest.fixture
def production_security():
    with override_settings(**PRODUCTION_SECURITY):
        yield


def first_and_cached(client, url):
    first = client.get(url, **HTTPS)
    second = client.get(url, **HTTPS)
    assert first.status_code == second.status_code == 200
    assert (first["X-Cache"], second["X-Cache"]) == ("MISS", "HIT")
    return first, second


@pytest.mark.usefixtures("production_security")
@pytest.mark.parametrize("url", ["/", "/kursy-zagolovki/"])
def test_a_cached_page_carries_every_security_header_of_the_first(client, standard_page, url):
    first, cached = first_and_cached(client, url)
    assert security_headers(first) == EXPECTED
    assert security_headers(cached) == EXPECTED
    assert policy_headers(cached) == policy_headers(first)


@pytest.fixture
def redis_db5():
    """Real Redis under a key prefix of its own (tests/own_redis.py)."""
    from tests.own_redis import own_redis

    with own_redis() as redis:
        yield redis


@pytest.mark.usefixtures("production_security")
def test_with_real_redis_the_cached_copy_keeps_the_security_headers(client, standard_page, redis_db5):
    first, cached = first_and_cached(client, standard_page.url)
    assert redis_db5.keys("pagecache:*")  # the second answer really came from Redis
    assert security_headers(first) == security_headers(cached) == EXPECTED
    assert cached.content == first.content


@pytest.mark.usefixtures("production_security")
@pytest.mark.parametrize(
    ("path", "query", "status"), [("/search/", "q=%00", 400), ("/news/", "tag=" + "a" * 5000, 414)]
)
def test_refused_requests_carry_the_security_headers_too(client, home_page, path, query, status):
    response = client.generic("GET", path, QUERY_STRING=query, **HTTPS)
    assert response.status_code == status
    assert security_headers(response) == EXPECTED
    assert policy_headers(response)


def directives(header: str) -> dict[str, list[str]]:
    return {name: values for name, *values in (part.split() for part in header.split(";"))}


def test_public_pages_allow_only_the_sites_own_scripts_and_styles(client, standard_page):
    policy = directives(client.get(standard_page.url)["Content-Security-Policy"])
    assert policy["default-src"] == policy["script-src"] == ["'self'"]
    assert "'unsafe-inline'" not in policy["style-src"] and "'unsafe-eval'" not in policy["script-src"]
    assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'self'"]
    assert policy["img-src"] == ["'self'", "data:"]  # no media host: MEDIA_URL is relative
    assert set(policy["frame-src"]) == {"'self'", "https://vk.com", "https://vkvideo.ru", "https://rutube.ru"}


@override_settings(MEDIA_URL="https://media.imc.example.ru/media/")
def test_a_separate_media_host_is_allowed_for_images(client, standard_page):
    from core.csp import policy

    policy.cache_clear()
    try:
        header = directives(client.get(standard_page.url)["Content-Security-Policy"])
    finally:
        policy.cache_clear()
    assert header["img-src"] == ["'self'", "data:", "https://media.imc.example.ru"]


def test_the_admin_has_its_own_policy_that_keeps_requests_on_the_site(admin_client):
    policy = directives(admin_client.get("/admin/")["Content-Security-Policy"])
    assert "'unsafe-inline'" in policy["script-src"]  # Wagtail's admin needs it
    assert policy["connect-src"] == ["'self'"] and policy["default-src"] == ["'self'"]


def test_browser_features_nobody_uses_are_switched_off(client, standard_page):
    features = dict(part.strip().split("=") for part in client.get(standard_page.url)["Permissions-Policy"].split(","))
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert features[feature] == "()"


def test_every_header_adding_middleware_sits_above_the_page_cache():
    """A middleware listed below the page cache never sees a cached copy (the cause of issue 8.7)."""
    header_adders = {
        "django.middleware.security.SecurityMiddleware",
        "django.middleware.clickjacking.XFrameOptionsMiddleware",
        "core.csp.SiteCSPMiddleware",
        "django_permissions_policy.PermissionsPolicyMiddleware",
    }
    cache_at = settings.MIDDLEWARE.index("core.cache.AnonymousPageCacheMiddleware")
    for path in header_adders:
        assert settings.MIDDLEWARE.index(path) < cache_at, path

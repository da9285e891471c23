"""Machine endpoints and error pages: robots.txt, /healthz, 404 and 500 in Russian."""

from unittest import mock

import pytest
from django.db import OperationalError
from django.test import RequestFactory, override_settings

from core import views

pytestmark = pytest.mark.django_db


def test_robots_txt(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert lines[0] == "User-agent: *"
    assert "Disallow: /admin/" in lines
    assert "Disallow: /lv/" in lines
    assert "Sitemap: http://testserver/sitemap.xml" in lines


def test_robots_txt_only_answers_get(client):
    assert client.post("/robots.txt").status_code == 405


def test_healthz_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_healthz_503_when_the_database_fails(client):
    broken = mock.MagicMock()
    broken.cursor.side_effect = OperationalError("connection refused")
    with mock.patch.object(views, "connection", broken):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["status"] == "error"
    assert "no-cache" in response["Cache-Control"]


def test_404_is_russian_and_keeps_the_site_chrome(client, home_page):
    response = client.get("/net-takoy-stranicy/")
    assert response.status_code == 404
    html = response.content.decode()
    assert '<html lang="ru"' in html
    assert "Страница не найдена" in html
    assert '<nav class="main-nav" aria-label="Главное меню">' in html
    assert 'name="robots" content="noindex"' in html
    assert "Версия для слабовидящих" in html


def test_404_for_a_non_page_url(client, home_page):
    response = client.get("/static/net-takogo-faila.css")
    assert response.status_code == 404


def test_500_is_russian_and_self_contained():
    response = views.server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    html = response.content.decode()
    assert '<html lang="ru">' in html
    assert "Ошибка на сервере" in html
    assert "<link" not in html  # no stylesheet that could itself fail


@pytest.mark.urls("tests.core.urls_errors")
def test_an_exception_in_a_view_shows_the_russian_500(client):
    client.raise_request_exception = False
    response = client.get("/boom/")
    assert response.status_code == 500
    assert "Ошибка на сервере" in response.content.decode()


@pytest.mark.urls("tests.core.urls_errors")
def test_the_database_unreachable_is_a_russian_503_with_retry_after(client):
    client.raise_request_exception = False
    response = client.get("/db-down/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "no-store" in response["Cache-Control"]
    html = response.content.decode()
    assert "Сайт временно недоступен" in html and "<link" not in html


@pytest.mark.urls("tests.core.urls_errors")
def test_a_database_outage_is_one_short_log_line_a_minute_other_errors_a_traceback(client, caplog, monkeypatch):
    from core import dboutage

    monkeypatch.setattr(dboutage, "_state", {"next": 0.0, "suppressed": 0})
    client.raise_request_exception = False
    for _ in range(5):
        assert client.get("/db-down/").status_code == 503
    outage = [record for record in caplog.records if record.name == "django.request"]
    assert len(outage) == 1 and outage[0].exc_info is None
    assert "database unavailable, answered 503" in outage[0].getMessage()
    assert "Connection refused" in outage[0].getMessage()

    monkeypatch.setattr(dboutage.time, "monotonic", lambda: dboutage._state["next"] + 1)  # a minute later
    client.get("/db-down/")
    assert "4 more since the last report" in caplog.records[-1].getMessage()

    caplog.clear()
    assert client.get("/boom/").status_code == 500
    assert caplog.records[-1].exc_info is not None  # a bug keeps its traceback


def test_healthz_reports_redis_answering_and_redis_unreachable(client):
    from core.redisbreaker import reset
    from tests.deploy.servers import free_port
    from tests.own_redis import own_redis, redis_caches, unique_prefix

    with own_redis():
        response = client.get("/healthz")
    assert (response.status_code, response.json()) == (200, {"status": "ok", "database": "ok", "cache": "ok"})

    dead = f"redis://127.0.0.1:{free_port()}/14"  # nothing listens there
    try:
        with override_settings(CACHES=redis_caches(unique_prefix(), location=dead)):
            response = client.get("/healthz")
    finally:
        reset()
    assert response.status_code == 200  # the pages still render, from the database
    assert response.json() == {"status": "degraded", "database": "ok", "cache": "unavailable"}


def test_healthz_reports_a_slow_redis(client):
    """A Redis answering PING in 150 ms (under the breaker's timeout, far over a local Redis's)."""
    import socket
    import threading
    import time

    from core.redisbreaker import reset
    from tests.own_redis import redis_caches, unique_prefix

    listener = socket.create_server(("127.0.0.1", 0))

    def serve():
        connection, _ = listener.accept()
        with connection:
            while data := connection.recv(65536):
                for command in data.split(b"*")[1:]:  # RESP arrays
                    if b"HELLO" in command.upper():  # redis-py asks for RESP3
                        connection.sendall(b"%1\r\n+proto\r\n:3\r\n")
                    elif b"PING" in command.upper():
                        time.sleep(0.15)
                        connection.sendall(b"+PONG\r\n")
                    else:  # the rest of the connection's set-up
                        connection.sendall(b"+OK\r\n")

    threading.Thread(target=serve, daemon=True).start()
    slow = f"redis://127.0.0.1:{listener.getsockname()[1]}/14"
    try:
        with override_settings(CACHES=redis_caches(unique_prefix(), location=slow)):
            response = client.get("/healthz")
    finally:
        reset()
        listener.close()
    assert response.status_code == 200
    assert response.json() == {"status": "degraded", "database": "ok", "cache": "slow"}


def test_429_template_is_russian(client, home_page, rf):
    from django.template.loader import render_to_string

    html = render_to_string("429.html", request=rf.get("/"))
    assert "Слишком много запросов" in html

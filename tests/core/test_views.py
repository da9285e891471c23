"""Machine endpoints and error pages: robots.txt, /healthz, 404 and 500 in Russian."""

from unittest import mock

import pytest
from django.db import OperationalError
from django.test import RequestFactory

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


def test_429_template_is_russian(client, home_page, rf):
    from django.template.loader import render_to_string

    html = render_to_string("429.html", request=rf.get("/"))
    assert "Слишком много запросов" in html

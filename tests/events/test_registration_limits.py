"""A limited registration gets the event page back with the form filled in and when to retry (429)."""

from types import SimpleNamespace

import pytest
from bs4 import BeautifulSoup
from django.test import Client

from core import ratelimit
from events.models import Registration

pytestmark = pytest.mark.django_db

FORM = {
    "full_name": "Иванова Мария Петровна",
    "organisation": "ГБОУ школа № 204",
    "position": "учитель математики",
    "email": "ivanova@school204.example.ru",
    "consent": "on",
}


def test_limited_registration_keeps_the_form_and_says_when_to_retry(make_event, monkeypatch):
    start = (int(ratelimit.time.time()) // 3600 + 1) * 3600 + 20  # 20 s into a minute window
    monkeypatch.setattr(ratelimit, "time", SimpleNamespace(time=lambda: start))
    event = make_event("Семинар по функциональной грамотности", registration_open=True, capacity=50)
    client = Client()
    for n in range(5):  # the limit counts attempts, whatever their outcome
        client.post(f"{event.url}register/", {**FORM, "email": f"t{n}@example.ru"}, REMOTE_ADDR="10.5.5.5")
    before = Registration.objects.count()

    response = client.post(f"{event.url}register/", FORM, REMOTE_ADDR="10.5.5.5")
    assert response.status_code == 429
    assert response["Retry-After"] == "40"
    page = BeautifulSoup(response.content, "html.parser")
    form = page.select_one("#registration form")
    assert "Слишком много попыток с вашего адреса. Попробуйте снова через 40 секунд." in form.get_text(" ", strip=True)
    assert form.select_one("[name=full_name]")["value"] == FORM["full_name"]
    assert form.select_one("[name=email]")["value"] == FORM["email"]
    assert Registration.objects.count() == before

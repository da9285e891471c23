"""A limited question keeps the visitor's text and says when to retry (429 + Retry-After)."""

from types import SimpleNamespace

import pytest
from bs4 import BeautifulSoup

from core import ratelimit
from core.consent import current_document
from methodists.models import Question

pytestmark = pytest.mark.django_db


def test_limited_question_says_when_to_retry(client, subjects, methodists, monkeypatch):
    start = (int(ratelimit.time.time()) // 3600 + 1) * 3600 + 60  # a minute into a 10-minute window
    monkeypatch.setattr(ratelimit, "time", SimpleNamespace(time=lambda: start))
    data = {
        "subject": str(subjects["math"].pk),
        "name": "Анна Петровна",
        "email": "anna@school.example",
        "question": "Где найти демоверсию ОГЭ по математике для 9 класса?",
        "consent": "on",
        "consent_version": str(current_document("question").live_revision_id),
        "website": "",
    }
    codes = [client.post("/vopros-metodistu/", data, REMOTE_ADDR="192.0.2.8").status_code for _ in range(6)]
    assert codes == [302] * 5 + [429]
    response = client.post("/vopros-metodistu/", data, REMOTE_ADDR="192.0.2.8")
    assert response["Retry-After"] == "540"
    alert = BeautifulSoup(response.content, "html.parser").select_one("[role=alert]").get_text(" ", strip=True)
    assert "С вашего адреса пришло слишком много вопросов подряд. Попробуйте снова через 9 минут." in alert
    assert "исправьте" not in alert  # one notice, not the validation box
    page = BeautifulSoup(response.content, "html.parser")
    assert page.select_one("#id_question").get_text().removeprefix("\n") == data["question"]
    assert page.select_one("#id_consent").has_attr("checked")
    assert Question.objects.count() == 5

"""«Безопасный интернет» with the page cache on (docs/dev/caching.md): the landing page and the registry are
stored, a campaign switch cuts the landing page's lifetime to the next midnight, a document saved shows at
once, and the quiz (a POST form) is never stored."""

import datetime
import re

import pytest
from django.utils import timezone

from tests.safe_internet.factories import CampaignPageFactory, NormativeDocumentFactory, quiz_page

pytestmark = [pytest.mark.cache_on, pytest.mark.django_db]


def twice(client, url):
    first = client.get(url)
    return first, client.get(url)


def s_maxage(response) -> int:
    return int(re.search(r"s-maxage=(\d+)", response["Cache-Control"]).group(1))


def test_the_landing_page_is_stored_until_the_running_campaign_ends(client):
    today = timezone.localdate()
    CampaignPageFactory(title="Идущая акция", start_date=today - datetime.timedelta(days=1), end_date=today)
    first, second = twice(client, "/safe-internet/")
    assert first["X-Cache"] == "MISS" and second["X-Cache"] == "HIT"
    assert "Идущая акция" in second.content.decode()
    midnight = timezone.make_aware(datetime.datetime.combine(today + datetime.timedelta(days=1), datetime.time.min))
    # Never past midnight, when the campaign is over (test_campaigns checks the moment itself).
    assert s_maxage(first) <= min(300, int((midnight - timezone.now()).total_seconds()) + 1)


def test_the_landing_page_without_campaigns_keeps_the_full_lifetime(client):
    first, second = twice(client, "/safe-internet/")
    assert second["X-Cache"] == "HIT"
    assert s_maxage(first) == 300


def test_a_saved_document_shows_on_the_next_request_of_the_registry(client):
    url = "/safe-internet/normativnoe-regulirovanie/?kind=law"
    NormativeDocumentFactory(title="Первый закон")
    first, second = twice(client, url)
    assert second["X-Cache"] == "HIT"
    NormativeDocumentFactory(title="Второй закон")
    third = client.get(url)
    assert third["X-Cache"] == "MISS"
    assert "Второй закон" in third.content.decode()


def test_the_quiz_is_never_stored(client):
    quiz = quiz_page(questions=1)
    first, second = twice(client, quiz.url)
    assert first.status_code == 200
    assert "X-Cache" not in second
    question = quiz.questions.get()
    answer = client.post(quiz.url, {f"q{question.pk}": "a"})
    assert "X-Cache" not in answer

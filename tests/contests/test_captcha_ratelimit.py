"""The real ALTCHA (no test mode here), its text fallback, the honeypot and the rate limits on real Redis."""

import base64
import json

import pytest
from django.core import mail
from django.test import Client, override_settings

from contests.models import Vote
from core.captcha import check_text_answer, new_text_check
from tests.core.test_captcha import solve, solved_payload

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("module_contest"),
    pytest.mark.xdist_group("contests-captcha-ratelimit"),
]


def post(client, entry, **data):
    form = {"email": "parent@mail.ru", "consent": "on", "website": "", **data}
    return client.post(f"/contests/vote/{entry.pk}/", form, REMOTE_ADDR=data.pop("ip", "203.0.113.7"))


def test_real_solved_challenge_is_accepted_and_cannot_be_replayed(contest):
    client = Client()
    entry = contest.entry_list[0]
    payload = solved_payload(client)
    response = post(client, entry, altcha=payload)
    assert response.status_code == 200, response.content.decode()[:500]
    assert "Письмо отправлено" in response.content.decode()
    assert Vote.objects.count() == 1 and len(mail.outbox) == 1

    replay = post(client, entry, altcha=payload, email="other@mail.ru")
    assert replay.status_code == 400
    assert "Эта проверка уже использована" in replay.content.decode()
    assert Vote.objects.count() == 1


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ("", "Отметьте «Я не робот»"),
        ("not-base64!", "Проверка «Я не робот» не удалась"),
        (base64.b64encode(b'{"challenge": {}, "solution": {}}').decode(), "Проверка «Я не робот»"),
        ("tampered", "Проверка «Я не робот»"),
    ],
)
def test_missing_or_invalid_solution_is_rejected(contest, payload, message):
    client = Client()
    if payload == "tampered":
        good = json.loads(base64.b64decode(solved_payload(client)))
        good["solution"]["counter"] += 1
        payload = base64.b64encode(json.dumps(good).encode()).decode()
    response = post(client, contest.entry_list[0], altcha=payload)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Vote.objects.exists() and not mail.outbox


def test_text_fallback_answer_is_accepted_once(contest):
    client = Client()
    page = client.get(f"/contests/vote/{contest.entry_list[0].pk}/").content.decode()
    assert "Не получается отметить? Ответьте на вопрос" in page
    question, token = new_text_check()
    answer = str(solve(question))
    response = post(client, contest.entry_list[0], check_token=token, check_answer=answer)
    assert response.status_code == 200, response.content.decode()[:800]
    assert Vote.objects.count() == 1
    assert not check_text_answer(token, answer)  # single use


def test_wrong_text_answer_is_rejected(contest):
    _, token = new_text_check()
    response = post(Client(), contest.entry_list[0], check_token=token, check_answer="100")
    assert response.status_code == 400
    assert "Ответ на вопрос неверный" in response.content.decode()
    assert not Vote.objects.exists()


@pytest.mark.usefixtures("altcha_test_mode")
def test_honeypot_is_rejected(contest):
    response = post(Client(), contest.entry_list[0], altcha="x", website="http://spam.example")
    assert response.status_code == 400
    assert not Vote.objects.exists()


@pytest.mark.usefixtures("altcha_test_mode")
@pytest.mark.usefixtures("real_redis")
def test_vote_rate_limit_per_ip_on_real_redis(contest, monkeypatch):
    monkeypatch.setattr("contests.views.VOTE_RATE", "10/m")  # the real numbers: tests/contests/test_vote_limits.py
    client = Client()
    entry = contest.entry_list[0]
    statuses = [post(client, entry, altcha="x", email=f"p{i}@mail.ru").status_code for i in range(12)]
    assert statuses[:10] == [200] * 10
    assert statuses[10:] == [429, 429]
    limited = post(client, entry, altcha="x", email="late@mail.ru")
    assert "Слишком много попыток с вашего адреса" in limited.content.decode()
    # another address in another subnet is not affected
    assert post(client, entry, altcha="x", email="other@mail.ru", ip="192.0.2.50").status_code == 200


@pytest.mark.usefixtures("altcha_test_mode")
@pytest.mark.usefixtures("real_redis")
def test_vote_rate_limit_per_subnet_on_real_redis(contest, monkeypatch):
    monkeypatch.setattr("contests.views.VOTE_SUBNET_RATE", "15/m")
    client = Client()
    entry = contest.entry_list[0]
    statuses = [
        post(client, entry, altcha="x", email=f"p{i}@mail.ru", ip=f"198.51.100.{i + 1}").status_code for i in range(17)
    ]
    assert statuses.count(200) == 15 and statuses[-2:] == [429, 429]


@pytest.mark.usefixtures("real_redis")
def test_confirm_rate_limit_on_real_redis(db, monkeypatch):
    monkeypatch.setattr("contests.views.CONFIRM_RATE", "20/m")
    client = Client()
    statuses = [client.post(f"/contests/vote/confirm/guess{i}/").status_code for i in range(22)]
    assert statuses[:20] == [404] * 20 and statuses[20:] == [429, 429]


def test_voting_works_through_a_redis_outage(contest):
    """Redis refuses connections (a dead port): the captcha's replay record and the limits live in
    PostgreSQL, so a parent still votes and confirms, and a replayed check is still refused."""
    from tests.contests.conftest import last_confirm_path
    from tests.own_redis import redis_caches, unique_prefix

    with override_settings(CACHES=redis_caches(unique_prefix(), location="redis://127.0.0.1:6390/0")):
        client = Client()
        entry = contest.entry_list[0]
        payload = solved_payload(client)
        sent = post(client, entry, altcha=payload)
        assert sent.status_code == 200 and "Письмо отправлено" in sent.content.decode()
        replay = post(client, entry, altcha=payload, email="other@mail.ru")
        assert replay.status_code == 400 and "Эта проверка уже использована" in replay.content.decode()
        client.post(last_confirm_path("parent@mail.ru"), REMOTE_ADDR="203.0.113.7")
    assert Vote.objects.get().outcome == Vote.Outcome.CONFIRMED

"""The vote's confirmation link is core.tokens' link, as event registrations' are: hashed at rest, used
once, «уже подтверждён» on every later click (GET or POST), a Russian 410 once it is too old."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from contests.models import Vote
from contests.voting import confirm_vote
from tests.core.test_tokens import rows_containing

from .conftest import last_confirm_path, post_vote

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("altcha_test_mode"),
    pytest.mark.usefixtures("module_contest"),
    pytest.mark.xdist_group("contests-vote-link"),
]


def token_of(path: str) -> str:
    return path.rstrip("/").rsplit("/", 1)[1]


def test_the_link_works_once_and_every_later_click_says_already_confirmed(contest):
    client = Client()
    post_vote(client, contest.entry_list[0], "mama@mail.ru")
    path = last_confirm_path()
    assert client.post(path).status_code == 200
    for again in (client.get(path), client.post(path)):
        assert again.status_code == 200
        assert "Голос уже подтверждён" in again.content.decode()
        assert "Подтвердить голос</button>" not in again.content.decode()
    assert Vote.objects.filter(outcome=Vote.Outcome.CONFIRMED).count() == 1


def test_an_old_link_is_a_russian_410_on_get_and_post(contest):
    client = Client()
    post_vote(client, contest.entry_list[0], "slow@mail.ru")
    path = last_confirm_path()
    assert confirm_vote(token_of(path), now=timezone.now() + timedelta(hours=24)).status == "expired"
    for response in (client.get(path), client.post(path)):
        assert response.status_code == 410
        assert "Ссылка устарела" in response.content.decode()


def test_the_database_holds_no_plain_token(contest):
    client = Client()
    post_vote(client, contest.entry_list[0], "papa@mail.ru")
    token = token_of(last_confirm_path())
    assert rows_containing(token) == []  # not in the vote, not in the outgoing-mail log once sent
    assert Vote.objects.filter(token_hash__isnull=False).count() == 1
    client.post(last_confirm_path())
    assert rows_containing(token) == []

"""Fixtures for the contests app: contests built by tests/contests/factories.py, voters that go through HTTP.
The section /contests/ is the base page tree's (`contests_index`, tests/conftest.py)."""

import re

import pytest
from django.core import mail
from django.test import Client, override_settings

from tests.core.factories import UserFactory

from .factories import ContestBuilder

__all__ = ["ContestBuilder", "altcha_test_mode", "last_confirm_path", "make_contest", "post_vote", "vote_and_confirm"]

CONFIRM_RE = re.compile(r"http://testserver(/contests/vote/confirm/[A-Za-z0-9_\-]+/)")


@pytest.fixture
def make_contest(contests_index):
    return ContestBuilder(contests_index)


@pytest.fixture
def contest(make_contest):
    return make_contest()


@pytest.fixture
def altcha_test_mode():
    """The captcha is not what these tests check: any non-empty payload passes (ALTCHA's test mode)."""
    with override_settings(ALTCHA_TEST_MODE=True):
        yield


def post_vote(client, entry, email, ip="203.0.113.10", **extra):
    data = {"email": email, "consent": "on", "altcha": "test-payload", "website": "", **extra}
    return client.post(f"/contests/vote/{entry.pk}/", data, REMOTE_ADDR=ip)


def last_confirm_path(to=None) -> str:
    messages = [m for m in mail.outbox if to is None or to in m.to]
    assert messages, "no confirmation e-mail was sent"
    match = CONFIRM_RE.search(messages[-1].body)
    assert match, messages[-1].body
    return match.group(1)


def vote_and_confirm(client, entry, email, ip="203.0.113.10"):
    response = post_vote(client, entry, email, ip=ip)
    assert response.status_code == 200, response.content.decode()[:2000]
    path = last_confirm_path(email)
    return client.post(path, REMOTE_ADDR=ip)


@pytest.fixture
def client_factory():
    return lambda: Client()


@pytest.fixture
def juror(db):
    return UserFactory(username="juror1", first_name="Вера", last_name="Орлова", groups=["Жюри"])


@pytest.fixture
def juror2(db):
    return UserFactory(username="juror2", first_name="Игорь", last_name="Белов", groups=["Жюри"])


@pytest.fixture
def organiser(db):
    return UserFactory(username="organiser", first_name="Олег", last_name="Смирнов", groups=["Организаторы конкурсов"])


@pytest.fixture(autouse=True)
def _send_mail_immediately(monkeypatch):
    """Test transactions never commit, so core.mail's on_commit hook would never fire: run it at once."""
    monkeypatch.setattr("core.mail.transaction.on_commit", lambda func, using=None, robust=False: func())

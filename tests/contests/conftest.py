"""Fixtures for the contests app: contests built by tests/contests/factories.py, voters that go through HTTP.
The section /contests/ is the base page tree's (`contests_index`, tests/conftest.py)."""

import re

import pytest
from django.core import mail
from django.test import Client, override_settings

from contests.models import ContestEntryPage, ContestIndexPage, ContestPage
from contests.voting import clear_meta
from tests.conftest import module_data
from tests.core.factories import UserFactory

from .factories import ContestBuilder

__all__ = ["ContestBuilder", "altcha_test_mode", "last_confirm_path", "make_contest", "post_vote", "vote_and_confirm"]

CONFIRM_RE = re.compile(r"http://testserver(/contests/vote/confirm/[A-Za-z0-9_\-]+/)")


@pytest.fixture
def make_contest(contests_index):
    return ContestBuilder(contests_index)


@pytest.fixture
def contest(request, make_contest):
    """A voting contest with two nominations of three entries. In a module that uses `module_contest`
    (`pytest.mark.usefixtures`) it is built once for the module; each test gets fresh instances of it."""
    if "module_contest" not in request.fixturenames:
        return make_contest()
    contest_id, entry_ids = request.getfixturevalue("module_contest")
    contest = ContestPage.objects.get(pk=contest_id)
    entries = ContestEntryPage.objects.in_bulk(entry_ids)
    contest.entry_list = [entries[pk] for pk in entry_ids]
    return contest


@pytest.fixture(scope="module")
def module_contest(django_db_setup, django_db_blocker):
    """The shared contest: its pages are published once, and every test's votes and edits roll back with
    the test's savepoint. Seven page publishes per test were the larger part of these modules' time. A
    module asks for it with `usefixtures` (so that it is set up before any test's transaction) and an
    xdist_group (so that one worker builds it)."""
    with module_data(django_db_blocker):
        builder = ContestBuilder(ContestIndexPage.objects.get())
        builder.counter = 900  # clear of the titles and slugs `make_contest` gives in the same module
        contest = builder()
        yield contest.pk, [entry.pk for entry in contest.entry_list]


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
def _forget_contest_facts():
    """contests.voting keeps contest facts in the process for seconds; a shared contest's would outlive
    the edit a test rolled back."""
    clear_meta()
    yield
    clear_meta()


@pytest.fixture(autouse=True)
def _send_mail_immediately(monkeypatch):
    """Test transactions never commit, so core.mail's on_commit hook would never fire: run it at once."""
    monkeypatch.setattr("core.mail.transaction.on_commit", lambda func, using=None, robust=False: func())

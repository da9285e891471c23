"""Fixtures for the contests app: a contest tree built in code, voters that go through HTTP."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import mail
from django.test import Client, override_settings
from django.utils import timezone

from contests.models import (
    ContestEntryPage,
    ContestIndexPage,
    ContestPage,
    JuryCriterion,
    Nomination,
    ResultsVisibility,
)

CONFIRM_RE = re.compile(r"http://testserver(/contests/vote/confirm/[A-Za-z0-9_\-]+/)")


@pytest.fixture
def contests_index(home_page):
    existing = ContestIndexPage.objects.child_of(home_page).first()
    if existing:
        return existing
    index = ContestIndexPage(title="Конкурсы", slug="contests", show_in_menus=True)
    home_page.add_child(instance=index)
    index.save_revision().publish()
    return index


class ContestBuilder:
    def __init__(self, index):
        self.index = index
        self.counter = 0

    def __call__(
        self,
        state="voting",
        limit=1,
        nominations=("Урок безопасного интернета", "Памятка для родителей"),
        entries_per_nomination=3,
        visibility=ResultsVisibility.LIVE,
        criteria=(("Соответствие теме", 10, 2), ("Оригинальность", 10, 1)),
        **fields,
    ):
        self.counter += 1
        now = timezone.now()
        day = timedelta(days=1)
        windows = {
            "voting": (now - day, now + 7 * day),
            "before": (now + day, now + 7 * day),
            "closed": (now - 7 * day, now - day),
        }
        opens, closes = windows.get(state, (None, None))
        contest = ContestPage(
            title=f"Дети в Интернете {self.counter}",
            slug=f"contest-{self.counter}-{state}",
            voting_opens_at=opens,
            voting_closes_at=closes,
            votes_per_nomination=limit,
            results_visibility=visibility,
            **fields,
        )
        for order, title in enumerate(nominations):
            contest.nominations.add(Nomination(title=title, sort_order=order))
        for order, (title, max_points, weight) in enumerate(criteria):
            contest.criteria.add(JuryCriterion(title=title, max_points=max_points, weight=weight, sort_order=order))
        self.index.add_child(instance=contest)
        contest.save_revision().publish()
        contest.entry_list = []
        for nomination in contest.nominations.all():
            for i in range(entries_per_nomination):
                entry = ContestEntryPage(
                    title=f"{nomination.title}: работа {i + 1}",
                    slug=f"n{nomination.pk}-e{i + 1}",
                    authors=f"Иванова Мария Петровна {i}",
                    organisation="ГБОУ школа № 178",
                    nomination=nomination,
                )
                contest.add_child(instance=entry)
                entry.save_revision().publish()
                contest.entry_list.append(entry)
        return contest


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
    user = get_user_model().objects.create_user("juror1", password="x", first_name="Вера", last_name="Орлова")
    user.groups.add(Group.objects.get(name="Жюри"))
    return user


@pytest.fixture
def juror2(db):
    user = get_user_model().objects.create_user("juror2", password="x", first_name="Игорь", last_name="Белов")
    user.groups.add(Group.objects.get(name="Жюри"))
    return user


@pytest.fixture
def organiser(db):
    user = get_user_model().objects.create_user("organiser", password="x", first_name="Олег", last_name="Смирнов")
    user.groups.add(Group.objects.get(name="Организаторы конкурсов"))
    return user


@pytest.fixture(autouse=True)
def _send_mail_immediately(monkeypatch):
    """Test transactions never commit, so core.mail's on_commit hook would never fire: run it at once."""
    monkeypatch.setattr("core.mail.transaction.on_commit", lambda func, using=None, robust=False: func())

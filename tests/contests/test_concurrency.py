"""Concurrency: threads with their own database connections confirm at the same moment.

- many confirmations of one voter for one entry count exactly once (the partial unique index);
- confirmations of different entries by one voter never exceed the nomination limit (the lock on the
  voter's row).
Both tests fail when the index or the lock is removed (tried once: see the contests README/report).
PostgreSQL allows 100 connections shared with other suites, so 40 threads share the 200 confirmations.

The data is committed for real (threads cannot see a test transaction) and removed afterwards; the
tests do not use pytest-django's transactional flush, which would also wipe the data migrations'
rows (site, groups) for the rest of a --reuse-db run.
"""

import random
import threading

import pytest
from django.db import connection
from django.test import RequestFactory
from wagtail.models import Site

from contests.models import Vote
from contests.voting import confirm_vote, count_votes, request_vote
from core.consent import record_consent

from .conftest import ContestBuilder

THREADS = 40


@pytest.fixture
def make_committed_contest(django_db_setup, django_db_blocker):
    """Contests committed to the test database; votes and pages are removed after the test."""
    from contests.models import ContestIndexPage
    from core.models import ConsentRecord, OutgoingEmail

    with django_db_blocker.unblock():
        last_mail = OutgoingEmail.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        last_consent = ConsentRecord.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        home = Site.objects.get(is_default_site=True).root_page.specific
        index = ContestIndexPage.objects.child_of(home).first()
        created_index = index is None
        if created_index:
            index = ContestIndexPage(title="Конкурсы", slug="contests")
            home.add_child(instance=index)
        builder = ContestBuilder(index)
        builder.counter = random.randint(10_000, 10_000_000)
        made = []

        def make(**kwargs):
            contest = builder(**kwargs)
            made.append(contest)
            return contest

        yield make
        with connection.cursor() as cursor:  # TRUNCATE does not fire the append-only row triggers
            cursor.execute("TRUNCATE contests_voteemail, contests_voteannulment, contests_voter, contests_vote")
        OutgoingEmail.objects.filter(pk__gt=last_mail).delete()
        ConsentRecord.objects.filter(pk__gt=last_consent).delete()
        for contest in made:
            for entry in contest.get_children():
                entry.delete()
            contest.refresh_from_db()
            contest.delete()
        if created_index:
            index.delete()


def _pending(contest, entry, emails):
    factory = RequestFactory()
    tokens = []
    for i, email in enumerate(emails):
        request = factory.post("/", REMOTE_ADDR=f"198.51.100.{i % 250}", HTTP_USER_AGENT="pytest")
        consent = record_consent(request, "vote")
        _, token = request_vote(request, entry, contest, email, consent)
        tokens.append(token)
    return tokens


def _confirm_all(tokens, threads=THREADS):
    barrier = threading.Barrier(threads)
    results, errors = [], []
    chunks = [tokens[i::threads] for i in range(threads)]

    def worker(chunk):
        try:
            barrier.wait(timeout=30)
            for token in chunk:
                results.append(confirm_vote(token).status)
        except Exception as exc:
            errors.append(exc)
        finally:
            connection.close()

    pool = [threading.Thread(target=worker, args=(chunk,)) for chunk in chunks]
    for t in pool:
        t.start()
    for t in pool:
        t.join(timeout=120)
    assert not errors, errors[:3]
    return results


@pytest.mark.parametrize("limit", [1, 3])
def test_200_concurrent_confirmations_of_one_voter_for_one_entry_count_once(make_committed_contest, limit):
    contest = make_committed_contest(limit=limit)
    entry = contest.entry_list[0]
    # 200 requests from one mailbox, written the ways people write it
    emails = [f"Ivan.Petrov+{i}@{'gmail.com' if i % 2 else 'googlemail.com'}" for i in range(200)]
    tokens = _pending(contest, entry, emails)

    results = _confirm_all(tokens)

    assert len(results) == 200
    assert results.count("confirmed") == 1
    assert Vote.objects.filter(entry=entry, outcome="confirmed").count() == 1
    assert count_votes(contest.pk) == {entry.pk: 1}
    assert set(results) <= {"confirmed", "duplicate"}


def test_same_link_confirmed_concurrently_counts_once(make_committed_contest):
    contest = make_committed_contest()
    entry = contest.entry_list[0]
    [token] = _pending(contest, entry, ["mama@mail.ru"])
    results = _confirm_all([token] * 40)
    assert results.count("confirmed") == 1
    assert set(results) <= {"confirmed", "already_confirmed"}
    assert count_votes(contest.pk) == {entry.pk: 1}


def test_concurrent_confirmations_of_different_entries_never_exceed_the_limit(make_committed_contest):
    contest = make_committed_contest(limit=2, nominations=("Сайт школы",), entries_per_nomination=12)
    tokens = []
    voters = [f"parent{n}@yandex.ru" for n in range(5)]
    for voter in voters:
        login = voter.split("@")[0]
        for i, entry in enumerate(contest.entry_list):
            address = f"{login}+{i}@{['ya.ru', 'yandex.ru', 'yandex.com'][i % 3]}"
            tokens += _pending(contest, entry, [address])

    results = _confirm_all(tokens, threads=len(contest.entry_list) * 3)

    assert results.count("confirmed") == 2 * len(voters)
    assert results.count("limit") == len(tokens) - 2 * len(voters)
    per_voter = {}
    for key in Vote.objects.filter(contest=contest, outcome="confirmed").values_list("voter_key", flat=True):
        per_voter[key] = per_voter.get(key, 0) + 1
    assert sorted(per_voter.values()) == [2] * len(voters)


@pytest.mark.django_db
def test_partial_unique_index_and_append_only_trigger_exist():
    """(Also makes pytest-django set up the test database when this module runs alone.)"""
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'contests_vote_one_confirmed_per_entry'")
        [definition] = cursor.fetchone()
        assert "UNIQUE" in definition and "(entry_id, voter_key)" in definition
        assert "WHERE" in definition and "'confirmed'" in definition
        cursor.execute("SELECT tgname FROM pg_trigger WHERE tgname LIKE 'contests_%%append_only'")
        assert {row[0] for row in cursor.fetchall()} == {"contests_vote_append_only", "contests_annulment_append_only"}

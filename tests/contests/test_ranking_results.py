"""Ranking arithmetic with ties, annulment, exports, the published results file."""

import csv
import io
from fractions import Fraction

import pytest
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from contests.models import JuryScore, Vote, VoteAnnulment
from contests.ranking import RankedEntry, contest_ranking, juror_score, rank
from contests.results import EXPORTS, publish_results_file, verify_results_file
from contests.voting import annul_votes, count_votes

from .conftest import vote_and_confirm

CRITERIA = {1: (10, Fraction(2)), 2: (5, Fraction(1))}


def test_juror_score_is_weighted_share_of_maximum():
    assert juror_score({1: 10, 2: 5}, CRITERIA) == 1
    assert juror_score({1: 5, 2: 5}, CRITERIA) == Fraction(2 * Fraction(1, 2) + 1, 3)
    assert juror_score({1: 10}, CRITERIA) == Fraction(2, 3)  # an unscored criterion counts 0
    assert juror_score({1: 99, 2: 5}, CRITERIA) == 1  # never above the maximum


def entries(*specs):
    return [RankedEntry(entry_id=i, title=t, nomination_id=n, votes=v) for i, (t, n, v) in enumerate(specs, start=1)]


@pytest.mark.parametrize(
    ("rule", "expected"),
    [
        # B and C: equal final score (jury 50, public 50 vs jury 75, public 25 at 50/50 weights)
        ("jury", [("A", 1), ("C", 2), ("B", 3), ("D", 4)]),
        ("public", [("A", 1), ("B", 2), ("C", 3), ("D", 4)]),
        ("shared", [("A", 1), ("B", 2), ("C", 2), ("D", 4)]),
    ],
)
def test_ranking_arithmetic_and_tie_rules(rule, expected):
    items = entries(("A", 1, 40), ("B", 1, 20), ("C", 1, 10), ("D", 1, 0))
    full = {1: 10, 2: 5}
    half = {1: 5, 2: Fraction(5, 2)}
    scores = {
        1: {7: full, 8: full},  # A: jury 100
        2: {7: half, 8: half},  # B: jury 50
        3: {7: full, 8: half},  # C: jury 75
        4: {7: {}, 8: {}},  # D: jury 0
    }
    ranked = rank(items, scores, CRITERIA, jury_weight=50, tie_rule=rule)[1]
    by_title = {i.title: i for i in ranked}
    assert by_title["A"].jury == 100 and by_title["A"].public == 100 and by_title["A"].final == 100
    assert by_title["B"].public == 50 and by_title["B"].final == 50
    assert by_title["C"].jury == 75 and by_title["C"].public == 25 and by_title["C"].final == 50
    assert by_title["D"].final == 0
    assert [(i.title, i.place) for i in ranked] == expected


def test_fully_equal_entries_share_the_place_whatever_the_rule():
    items = entries(("A", 1, 5), ("B", 1, 5), ("C", 1, 1))
    ranked = rank(items, {}, CRITERIA, jury_weight=0, tie_rule="jury")[1]
    assert [(i.title, i.place) for i in ranked] == [("A", 1), ("B", 1), ("C", 3)]


def test_no_votes_in_nomination_gives_zero_public_score():
    items = entries(("A", 1, 0), ("B", 1, 0))
    ranked = rank(items, {}, CRITERIA, jury_weight=70, tie_rule="shared")[1]
    assert {i.public for i in ranked} == {0}


def test_places_are_per_nomination():
    items = entries(("A", 1, 3), ("B", 2, 1), ("C", 2, 2))
    ranked = rank(items, {}, CRITERIA, jury_weight=0, tie_rule="jury")
    assert [(i.title, i.place) for i in ranked[1]] == [("A", 1)]
    assert [(i.title, i.place) for i in ranked[2]] == [("C", 1), ("B", 2)]


@pytest.fixture
def voted_contest(make_contest, altcha_test_mode, juror, juror2):
    contest = make_contest(jury_weight=50, tie_rule="jury")
    client = Client()
    a, b, c = contest.entry_list[:3]
    for i in range(3):
        vote_and_confirm(client, a, f"a{i}@mail.ru", ip=f"203.0.113.{i + 1}")
    for i in range(2):
        vote_and_confirm(client, b, f"b{i}@mail.ru", ip=f"198.51.100.{i + 1}")
    criteria = list(contest.criteria.all())
    for user, points in ((juror, {a: 5, b: 10, c: 2}), (juror2, {a: 5, b: 10, c: 4})):
        for entry, value in points.items():
            for criterion in criteria:
                JuryScore.objects.create(entry=entry, criterion=criterion, juror=user, points=value)
    return contest


@pytest.mark.django_db
def test_annulment_changes_counts_ranking_and_protocol(voted_contest, organiser):
    contest = voted_contest
    a, b = contest.entry_list[:2]
    before = {i.title: i for _, items in contest_ranking(contest) for i in items}
    assert before[a.title].votes == 3 and before[b.title].place == 1

    votes = Vote.objects.filter(entry=a, outcome="confirmed")[:2]
    annulled = annul_votes(
        contest, Vote.objects.filter(pk__in=[v.pk for v in votes]), "Серия из одной подсети", organiser
    )
    assert annulled == 2
    assert count_votes(contest.pk)[a.pk] == 1
    after = {i.title: i for _, items in contest_ranking(contest) for i in items}
    assert after[a.title].votes == 1
    assert after[a.title].final < before[a.title].final
    assert Vote.objects.filter(entry=a).count() == 3  # annulled votes stay in the log
    # annulling again changes nothing
    assert annul_votes(contest, Vote.objects.filter(entry=a), "ещё раз", organiser) == 1  # only the last one


@pytest.mark.django_db
def test_results_page_after_close_shows_places_protocol_and_hash(voted_contest, organiser):
    contest = voted_contest
    a = contest.entry_list[0]
    annul_votes(contest, Vote.objects.filter(entry=a)[:1], "Подтверждение за 2 секунды", organiser)
    from datetime import timedelta

    from django.utils import timezone

    contest.voting_closes_at = timezone.now() - timedelta(minutes=1)
    contest.results_published = True
    contest.save_revision().publish()
    html = Client().get(contest.url + "itogi/").content.decode()
    assert "Итоговый рейтинг" in html
    assert "Протокол голосования и аннулирования" in html
    assert "Подтверждение за 2 секунды" in html
    snapshot = contest.results_snapshots.first()
    assert snapshot.table_sha256 in html
    assert verify_results_file(snapshot)
    row = next(e for e in snapshot.content["entries"] if e["entry_id"] == a.pk)
    assert (row["submitted"], row["confirmed"], row["annulled"], row["counted"]) == (3, 3, 1, 2)
    data = Client().get(contest.url + "itogi/fail/").json()
    assert data["vote_table_sha256"] == snapshot.table_sha256
    # a later annulment: the published hash no longer matches until organisers publish a new version
    annul_votes(contest, Vote.objects.filter(entry=a, annulment__isnull=True)[:1], "Повторная проверка", organiser)
    assert not verify_results_file(snapshot)
    assert verify_results_file(publish_results_file(contest, force=True))


@pytest.mark.django_db
def test_results_not_shown_before_close(voted_contest):
    html = Client().get(voted_contest.url + "itogi/").content.decode()
    assert "Итоговый рейтинг" not in html
    assert "Итоги будут опубликованы после окончания голосования" in html
    assert Client().get(voted_contest.url + "itogi/fail/").status_code == 404


def _csv(response):
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))


@pytest.mark.django_db
def test_exports_contents(voted_contest, organiser):
    contest = voted_contest
    a, b, c = contest.entry_list[:3]
    annul_votes(contest, Vote.objects.filter(entry=a)[:1], "Проверка", organiser)
    client = Client()
    client.force_login(organiser)
    base = f"/admin/contests/{contest.pk}/export/"

    votes = _csv(client.get(base + "votes.csv"))
    assert votes[0] == ["ID работы", "Работа", "Номинация", "Подано", "Подтверждено", "Аннулировано", "Засчитано"]
    row_a = next(r for r in votes if r[1] == a.title)
    assert row_a[3:] == ["3", "3", "1", "2"]

    jury = _csv(client.get(base + "jury.csv"))
    assert len(jury) == 1 + 2 * 3 * 2  # 2 jurors × 3 entries × 2 criteria
    assert {r[2] for r in jury[1:]} == {"Вера Орлова", "Игорь Белов"}

    ranking = _csv(client.get(base + "ranking.csv"))
    assert ranking[0][:3] == ["Номинация", "Место", "Работа"]
    first = [r for r in ranking[1:] if r[0] == a.nomination.title]
    assert first[0][2] == b.title and first[0][1] == "1"

    protocol = _csv(client.get(base + "annulments.csv"))
    assert len(protocol) == 2 and protocol[1][4] == "Проверка"

    consents = _csv(client.get(base + "consents.csv"))
    assert {row[1] for row in consents[1:]} == {"Голосование в конкурсе"}  # the purpose in words, not «vote»
    assert not any("@" in cell for row in consents for cell in row)  # the register has no e-mail addresses
    given = consents[1][3]
    vote = Vote.objects.filter(contest=contest).order_by("pk").select_related("consent").first()
    assert given == timezone.localtime(vote.consent.given_at).strftime("%d.%m.%Y %H:%M:%S")  # Moscow, no µs

    xlsx = client.get(base + "ranking.xlsx")
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet.cell(1, 1).value == "Номинация"
    headers = [cell.value for cell in sheet[1]]
    scores = [sheet.cell(2, headers.index(name) + 1) for name in ("Балл жюри", "Голосов", "Балл голосования", "Итог")]
    assert all(cell.data_type == "n" for cell in scores), [cell.value for cell in scores]  # sortable, summable
    assert client.get(base + "ranking.pdf").status_code == 400
    assert set(EXPORTS) == {"votes", "jury", "ranking", "annulments", "consents"}


@pytest.mark.django_db
def test_annulment_through_admin_needs_reason_and_filter(voted_contest, organiser, juror):
    contest = voted_contest
    a = contest.entry_list[0]
    client = Client()
    client.force_login(organiser)
    url = f"/admin/contests/{contest.pk}/annul/"
    client.post(url, {"reason": "", "entry": a.pk})
    client.post(url, {"reason": "Без условий"})
    assert not VoteAnnulment.objects.exists()
    one = Vote.objects.filter(entry=a).first()
    client.post(url, {"reason": "Один голос: жалоба", "vote_id": one.pk})
    client.post(url, {"reason": "Вся работа: проверка", "entry": a.pk})
    assert VoteAnnulment.objects.count() == 3
    assert VoteAnnulment.objects.get(vote=one).reason == "Один голос: жалоба"
    audit = client.get(f"/admin/contests/{contest.pk}/audit/")
    assert audit.status_code == 200 and "Вся работа: проверка" in audit.content.decode()

    juror_client = Client()
    juror_client.force_login(juror)
    # Wagtail answers PermissionDenied in the admin with a redirect to the dashboard and a message
    for response in (
        juror_client.post(url, {"reason": "Жюри не может", "entry": a.pk}),
        juror_client.get(f"/admin/contests/{contest.pk}/audit/"),
        juror_client.get(f"/admin/contests/{contest.pk}/export/votes.csv"),
    ):
        assert response.status_code == 302 and response["Location"] == "/admin/"
    assert VoteAnnulment.objects.count() == 3

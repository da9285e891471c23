"""Exports and the published results file (per-entry counts + hash of the anonymised vote table)."""

import hashlib
from datetime import UTC

from django.db import transaction
from django.utils import timezone

from core.consent import purpose_title

from .models import ContestEntryPage, JuryScore, ResultsSnapshot, Vote, VoteAnnulment
from .ranking import contest_ranking
from .voting import protocol_rows


def _entries(contest):
    return list(
        ContestEntryPage.objects.child_of(contest)
        .select_related("nomination")
        .order_by("nomination__sort_order", "title")
    )


# -- tables: (name, headers, rows) --------------------------------------------------------------


def votes_summary(contest):
    protocol = protocol_rows(contest.pk)
    headers = ["ID работы", "Работа", "Номинация", "Подано", "Подтверждено", "Аннулировано", "Засчитано"]
    rows = []
    for entry in _entries(contest):
        p = protocol.get(entry.pk, {"submitted": 0, "confirmed": 0, "annulled": 0, "counted": 0})
        rows.append(
            [
                entry.pk,
                entry.title,
                str(entry.nomination or ""),
                p["submitted"],
                p["confirmed"],
                p["annulled"],
                p["counted"],
            ]
        )
    return "golosa", headers, rows


def jury_sheet(contest):
    headers = ["Работа", "Номинация", "Член жюри", "Критерий", "Максимум", "Вес", "Баллы", "Комментарий"]
    rows = []
    scores = (
        JuryScore.objects.filter(entry__in=[e.pk for e in _entries(contest)])
        .select_related("entry", "entry__nomination", "criterion", "juror")
        .order_by("entry__title", "juror__last_name", "criterion__sort_order")
    )
    for s in scores:
        rows.append(
            [
                s.entry.title,
                str(s.entry.nomination or ""),
                s.juror.get_full_name() or s.juror.get_username(),
                s.criterion.title,
                s.criterion.max_points,
                s.criterion.weight,
                s.points,
                s.comment,
            ]
        )
    return "zhyuri", headers, rows


def ranking_table(contest):
    headers = [
        "Номинация",
        "Место",
        "Работа",
        "Авторы",
        "Учреждение",
        "Балл жюри",
        "Голосов",
        "Балл голосования",
        "Итог",
    ]
    rows = []
    for nomination, items in contest_ranking(contest):
        for item in items:
            rows.append(
                [
                    nomination.title,
                    item.place,
                    item.title,
                    item.extra["authors"],
                    item.extra["organisation"],
                    item.jury,
                    item.votes,
                    item.public,
                    item.final,
                ]
            )
    return "itogovyi-reiting", headers, rows


def annulment_protocol(contest):
    headers = ["Голос №", "Работа", "Подтверждён", "Аннулирован", "Причина", "Кем"]
    rows = []
    annulments = (
        VoteAnnulment.objects.filter(vote__contest=contest)
        .select_related("vote", "vote__entry", "annulled_by")
        .order_by("annulled_at", "vote_id")
    )
    for a in annulments:
        who = a.annulled_by.get_full_name() or a.annulled_by.get_username() if a.annulled_by else ""
        rows.append([a.vote_id, a.vote.entry.title, a.vote.completed_at, a.annulled_at, a.reason, who])
    return "protokol-annulirovaniya", headers, rows


def consent_register(contest):
    """Consents given for votes and submissions of this contest: no e-mail addresses, only the facts."""
    headers = ["Запись №", "Цель", "Версия текста", "Дата и время", "Хеш подсети", "Голос №", "Работа", "Отозвано"]
    rows = []
    votes = Vote.objects.filter(contest=contest).select_related("entry", "consent", "consent__revision").order_by("pk")
    for v in votes:
        c = v.consent
        rows.append(
            [c.pk, purpose_title(c.purpose), c.revision_id, c.given_at, c.subnet_hash[:16], v.pk, v.entry.title]
            + [c.withdrawn_at or ""]
        )
    entry_consents = ContestEntryPage.objects.child_of(contest).filter(submission_consent__isnull=False)
    for e in entry_consents.select_related("submission_consent"):
        c = e.submission_consent
        rows.append(
            [c.pk, purpose_title(c.purpose), c.revision_id, c.given_at, c.subnet_hash[:16], "", e.title]
            + [c.withdrawn_at or ""]
        )
    return "reestr-soglasii", headers, rows


EXPORTS = {
    "votes": ("Сводка голосов", votes_summary),
    "jury": ("Лист жюри", jury_sheet),
    "ranking": ("Итоговый рейтинг", ranking_table),
    "annulments": ("Протокол аннулирования", annulment_protocol),
    "consents": ("Реестр согласий (без e-mail)", consent_register),
}


# -- the results file ---------------------------------------------------------------------------


def anonymised_vote_table(contest) -> str:
    """Canonical CSV of every completed vote: no address, only the keyed voter hash. Sorted by id."""
    lines = ["vote_id;entry_id;voter_key;outcome;created_at;completed_at;annulled"]
    votes = (
        Vote.objects.filter(contest=contest)
        .exclude(outcome=Vote.Outcome.PENDING)
        .values_list("pk", "entry_id", "voter_key", "outcome", "created_at", "completed_at", "annulment__id")
        .order_by("pk")
    )
    for pk, entry_id, key, outcome, created, completed, annulment in votes:
        lines.append(
            ";".join(
                [
                    str(pk),
                    str(entry_id),
                    key,
                    outcome,
                    created.astimezone(UTC).isoformat(),
                    completed.astimezone(UTC).isoformat() if completed else "",
                    "1" if annulment else "0",
                ]
            )
        )
    return "\n".join(lines) + "\n"


def build_results_file(contest) -> dict:
    table = anonymised_vote_table(contest)
    digest = hashlib.sha256(table.encode()).hexdigest()
    protocol = protocol_rows(contest.pk)
    ranking = {item.entry_id: item for _, items in contest_ranking(contest) for item in items}
    entries = []
    for entry in _entries(contest):
        p = protocol.get(entry.pk, {"submitted": 0, "confirmed": 0, "annulled": 0, "counted": 0})
        item = ranking.get(entry.pk)
        entries.append(
            {
                "entry_id": entry.pk,
                "title": entry.title,
                "nomination": str(entry.nomination or ""),
                "submitted": p["submitted"],
                "confirmed": p["confirmed"],
                "annulled": p["annulled"],
                "counted": p["counted"],
                "place": item.place if item and contest.results_published else None,
            }
        )
    return {
        "contest": contest.title,
        "contest_id": contest.pk,
        "generated_at": timezone.now().astimezone(UTC).isoformat(),
        "voting_closes_at": contest.voting_closes_at.astimezone(UTC).isoformat() if contest.voting_closes_at else None,
        "vote_table_sha256": digest,
        "vote_table_format": "vote_id;entry_id;voter_key;outcome;created_at;completed_at;annulled (UTF-8, LF, по возрастанию vote_id)",
        "entries": entries,
    }


def publish_results_file(contest, force=False) -> ResultsSnapshot:
    """Creates the contest's results file (once; `force` adds a new version after late annulments)."""
    with transaction.atomic():
        # Serialises concurrent first viewers of the results page; the contest row is not a vote hot spot.
        type(contest).objects.select_for_update().filter(pk=contest.pk).first()
        latest = ResultsSnapshot.objects.filter(contest=contest).first()
        if latest and not force:
            return latest
        content = build_results_file(contest)
        return ResultsSnapshot.objects.create(
            contest=contest, table_sha256=content["vote_table_sha256"], content=content
        )


def verify_results_file(snapshot: ResultsSnapshot) -> bool:
    return hashlib.sha256(anonymised_vote_table(snapshot.contest).encode()).hexdigest() == snapshot.table_sha256

"""The vote: request → e-mail → confirmation on POST. Integrity is the database's job.

request_vote()  writes a pending Vote (+ VoteEmail with the plain address) and queues the e-mail.
confirm_vote()  in one transaction:
                  1. locks the voter's row (contests_voter, per contest and voter key) — never the entry;
                  2. counts the voter's confirmed votes in the nomination and refuses over the limit;
                  3. completes the vote with UPDATE … WHERE outcome = 'pending' — the partial unique
                     index (entry, voter_key) WHERE outcome = 'confirmed' refuses a second vote for the
                     same entry, whatever the code path;
                then deletes the plain address (and blanks it in the outgoing-mail log). On PostgreSQL
                the three steps are one function call (migration 0004), elsewhere Python runs them.
expire_votes()  closes pending votes older than VOTE_LINK's ttl and deletes their addresses.
The confirmation link itself is core.tokens': only its hash is stored, answered in one order.
vote_counts()   one GROUP BY over confirmed, non-annulled votes, cached for TALLY_SECONDS.
annul_votes()   takes confirmed votes out of the tally with a reason for the protocol; they stay in
                the log (protocol_rows, annulment_reasons) and the tally is recounted at once.
"""

import contextlib
import time
from dataclasses import dataclass
from datetime import timedelta

from django.core.cache import cache
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils import timezone

from core import tokens
from core.cache import invalidate_all
from core.hashing import keyed_hash
from core.mail import queue_email
from core.models import OutgoingEmail
from core.siteurl import absolute_url

from .models import TALLY_SECONDS, ContestEntryPage, ContestPage, Vote, VoteAnnulment, VoteEmail, Voter
from .normalize import normalize_email

VOTE_LINK = tokens.LinkPolicy(ttl=timedelta(hours=24))


def voter_key(contest_id: int, address: str) -> str:
    """HMAC of the normalised address, per contest (the same person is not linkable across contests)."""
    return keyed_hash(f"voter:{contest_id}:{normalize_email(address)}")


def ua_hash(request) -> str:
    return keyed_hash("ua:" + request.META.get("HTTP_USER_AGENT", "")[:500])


def request_vote(request, entry: ContestEntryPage, contest: ContestPage, address: str, consent, now=None):
    """Creates the pending vote and queues the confirmation e-mail; returns (vote, token)."""
    from core.hashing import hashed_subnet

    now = now or timezone.now()
    token, digest = tokens.new_token()
    with transaction.atomic():
        vote = Vote.objects.create(
            contest=contest,
            entry=entry,
            nomination_id=entry.nomination_id,
            token_hash=digest,
            created_at=now,
            expires_at=VOTE_LINK.expires_at(now),
            subnet_hash=hashed_subnet(request),
            ua_hash=ua_hash(request),
            consent=consent,
        )
        confirm_url = absolute_url(reverse("contests_confirm", args=[token]))
        outgoing = queue_email(
            address,
            f"Подтвердите голос: {entry.title}",
            "contests/emails/confirm_vote.txt",
            {
                "entry": entry,
                "contest": contest,
                "confirm_url": confirm_url,
                "expires_at": vote.expires_at,
            },
            purpose="vote",
            secret_tokens=[token],
        )
        VoteEmail.objects.create(vote=vote, address=address, outgoing=outgoing)
    return vote, token


@dataclass
class ConfirmResult:
    status: str  # confirmed | already_confirmed | duplicate | limit | expired | closed | before | invalid
    vote: Vote | None = None


@dataclass(frozen=True)
class ContestMeta:
    """What the confirmation needs of a contest (kept per process for META_SECONDS)."""

    pk: int
    title: str
    url: str
    voting_opens_at: object
    voting_closes_at: object
    votes_per_nomination: int

    def voting_state(self, now=None) -> str:
        return ContestPage.voting_state(self, now)

    def has_voting(self) -> bool:
        return bool(self.voting_opens_at and self.voting_closes_at)


@dataclass(frozen=True)
class EntryMeta:
    pk: int
    title: str
    url: str
    authors: str
    nomination_title: str


META_SECONDS = 5  # an editor's change of the voting window reaches every worker within 5 s
_META: dict = {}


def cached_briefly(key, load):
    """A value kept in this process for META_SECONDS (contest and entry facts, rendered result pages)."""
    now = time.monotonic()
    hit = _META.get(key)
    if hit and hit[0] > now:
        return hit[1]
    value = load()
    if len(_META) > 5000:
        _META.clear()
    _META[key] = (now + META_SECONDS, value)
    return value


def clear_meta(**kwargs) -> None:
    """On publish: this process forgets what it knew; other workers within META_SECONDS."""
    _META.clear()


def contest_meta(contest_id: int) -> ContestMeta:
    def load():
        page = ContestPage.objects.only(
            "title", "url_path", "voting_opens_at", "voting_closes_at", "votes_per_nomination"
        ).get(pk=contest_id)
        return ContestMeta(
            page.pk, page.title, page.url, page.voting_opens_at, page.voting_closes_at, page.votes_per_nomination
        )

    return cached_briefly(("contest", contest_id), load)


def entry_meta(entry_id: int) -> EntryMeta:
    def load():
        page = (
            ContestEntryPage.objects.select_related("nomination")
            .only("title", "url_path", "authors", "nomination__title")
            .get(pk=entry_id)
        )
        return EntryMeta(page.pk, page.title, page.url, page.authors, page.nomination.title if page.nomination else "")

    return cached_briefly(("entry", entry_id), load)


FIND_VOTE_SQL = (
    "SELECT v.id, v.contest_id, v.entry_id, v.nomination_id, v.outcome, v.created_at, v.expires_at, "
    "v.completed_at, e.address FROM contests_vote v LEFT JOIN contests_voteemail e ON e.vote_id = v.id "
    "WHERE v.token_hash = %s"
)


def find_vote(token: str) -> Vote | None:
    """The vote and (while it exists) its address, in one small query; contest/entry via *_meta().

    On PostgreSQL the statement is written out: on the hot path of a voting spike the ORM's SQL
    compilation costs more than the query itself.
    """
    if not tokens.plausible(token):
        return None
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(FIND_VOTE_SQL, [tokens.digest(token)])
            row = cursor.fetchone()
    else:
        row = (
            Vote.objects.filter(token_hash=tokens.digest(token))
            .values_list(
                "id",
                "contest_id",
                "entry_id",
                "nomination_id",
                "outcome",
                "created_at",
                "expires_at",
                "completed_at",
                "email__address",
            )
            .first()
        )
    if row is None:
        return None
    vote = Vote(
        id=row[0],
        contest_id=row[1],
        entry_id=row[2],
        nomination_id=row[3],
        outcome=row[4],
        created_at=row[5],
        expires_at=row[6],
        completed_at=row[7],
    )
    vote.address = row[8]
    return vote


def _lock_voter(contest_id: int, key: str) -> None:
    """Creates the voter's row if needed; on SQLite (one writer at a time) the write takes the lock."""
    Voter.objects.get_or_create(contest_id=contest_id, voter_key=key, defaults={"created_at": timezone.now()})


def _complete(vote_id: int, outcome: str, now, **fields) -> int:
    """Completes a pending vote (and only a pending one); returns 1, or 0 when it was completed before."""
    return Vote.objects.filter(pk=vote_id, outcome=Vote.Outcome.PENDING).update(
        outcome=outcome, completed_at=now, **fields
    )


def _erase_in_transaction(vote_id: int) -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM contests_voteemail WHERE vote_id = %s RETURNING outgoing_id", [vote_id])
            outgoing = [row[0] for row in cursor.fetchall() if row[0]]
        if outgoing:
            OutgoingEmail.objects.filter(pk__in=outgoing).update(to="")
    else:
        erase_address(vote_id)


def erase_address(vote_id: int) -> None:
    """Deletes the plain address of a vote and blanks it in the outgoing-mail log."""
    record = VoteEmail.objects.filter(vote_id=vote_id).first()
    if record is None:
        return
    if record.outgoing_id:
        OutgoingEmail.objects.filter(pk=record.outgoing_id).update(to="")
    record.delete()


def _finish(vote: Vote, outcome: str, now, **fields) -> None:
    with transaction.atomic():
        _complete(vote.pk, outcome, now, **fields)
        _erase_in_transaction(vote.pk)


def link_state(vote: Vote | None, now=None) -> tokens.LinkState:
    """core.tokens' order for a vote's link: a completed vote is a used link, unless it was completed
    as expired (by expire_votes or an earlier late click), which stays an expired one."""
    if vote is not None and vote.outcome == Vote.Outcome.EXPIRED:
        return tokens.LinkState.EXPIRED
    return tokens.link_state(
        found=vote is not None,
        used=vote is not None and vote.outcome != Vote.Outcome.PENDING,
        expires_at=vote.expires_at if vote is not None else None,
        now=now,
    )


def link_status(vote: Vote | None, link: tokens.LinkState) -> str:
    """The result page of a link that is not VALID: «уже подтверждён» for a confirmed vote, the
    outcome's own page for a vote completed otherwise (limit, duplicate…)."""
    if link == tokens.LinkState.USED:
        return "already_confirmed" if vote.outcome == Vote.Outcome.CONFIRMED else vote.outcome
    return {tokens.LinkState.EXPIRED: "expired", tokens.LinkState.INVALID: "invalid"}[link]


def confirm_vote(token: str, request=None, now=None) -> ConfirmResult:
    from core.hashing import hashed_subnet

    now = now or timezone.now()
    vote = find_vote(token)
    link = link_state(vote, now)
    if link != tokens.LinkState.VALID:
        if link == tokens.LinkState.EXPIRED and vote.outcome == Vote.Outcome.PENDING:
            _finish(vote, Vote.Outcome.EXPIRED, now)
        return ConfirmResult(link_status(vote, link), vote)

    contest = contest_meta(vote.contest_id)
    state = contest.voting_state(now)
    if state == "before":
        return ConfirmResult("before", vote)
    if state != "open":
        _finish(vote, Vote.Outcome.CLOSED, now)
        return ConfirmResult("closed", vote)

    if not vote.address:  # erased by a concurrent confirmation of the same link
        vote.outcome = Vote.objects.filter(pk=vote.pk).values_list("outcome", flat=True).first()
        return ConfirmResult("already_confirmed" if vote.outcome == Vote.Outcome.CONFIRMED else vote.outcome, vote)
    key = voter_key(contest.pk, vote.address)
    fields = {"voter_key": key}
    if request is not None:
        fields.update(confirm_subnet_hash=hashed_subnet(request), confirm_ua_hash=ua_hash(request))

    status = _confirm_locked(vote, contest, key, now, fields)
    vote.outcome = status if status in Vote.Outcome.values else vote.outcome
    vote.completed_at = now
    vote.voter_key = key
    return ConfirmResult(status, vote)


def _confirm_locked(vote: Vote, contest: ContestMeta, key: str, now, fields: dict) -> str:
    """Under the voter's lock: the limit, the completion, the erasure. Returns the status.

    PostgreSQL runs it as one function call (migration contests 0004: one round trip, cached plans —
    this is the hot path of a voting spike); other databases run the same steps from Python.
    """
    if connection.vendor != "postgresql":
        return _confirm_in_python(vote, contest, key, now, fields)
    # In autocommit the call is its own transaction; inside a caller's transaction, a savepoint keeps
    # that transaction usable when the unique index refuses the vote.
    guard = transaction.atomic() if connection.in_atomic_block else contextlib.nullcontext()
    try:
        with guard, connection.cursor() as cursor:
            cursor.execute(
                "SELECT contests_confirm_vote(%s, %s, %s, %s, %s, %s, %s, %s, %s)",
                [
                    vote.pk,
                    contest.pk,
                    vote.nomination_id,
                    vote.entry_id,
                    key,
                    contest.votes_per_nomination,
                    now,
                    fields.get("confirm_subnet_hash", ""),
                    fields.get("confirm_ua_hash", ""),
                ],
            )
            return cursor.fetchone()[0]
    except IntegrityError:
        _finish(vote, Vote.Outcome.DUPLICATE, now, **fields)
        return "duplicate"


def _confirm_in_python(vote: Vote, contest: ContestMeta, key: str, now, fields: dict) -> str:
    try:
        with transaction.atomic():
            _lock_voter(contest.pk, key)
            # This vote (re-read under the lock: the same link may be confirmed twice at once) and the
            # voter's confirmed votes in the nomination, in one query.
            rows = list(
                Vote.objects.filter(
                    Q(pk=vote.pk)
                    | Q(
                        contest_id=contest.pk,
                        nomination_id=vote.nomination_id,
                        voter_key=key,
                        outcome=Vote.Outcome.CONFIRMED,
                    )
                ).values_list("pk", "entry_id", "outcome")
            )
            current = next((outcome for pk, _, outcome in rows if pk == vote.pk), None)
            if current != Vote.Outcome.PENDING:
                return "already_confirmed" if current == Vote.Outcome.CONFIRMED else current
            used = [entry_id for pk, entry_id, outcome in rows if pk != vote.pk]
            if len(used) >= contest.votes_per_nomination:
                status = "duplicate" if vote.entry_id in used else "limit"
            else:
                status = "confirmed"
            # The partial unique index refuses a second confirmed vote for the same entry here.
            if not _complete(vote.pk, status, now, **fields):
                status = "already_confirmed"
            _erase_in_transaction(vote.pk)
            return status
    except IntegrityError:
        _finish(vote, Vote.Outcome.DUPLICATE, now, **fields)
        return "duplicate"


def expire_votes(now=None) -> int:
    """Closes pending votes past their 24 hours and deletes their addresses. Returns how many."""
    now = now or timezone.now()
    ids = list(
        Vote.objects.filter(outcome=Vote.Outcome.PENDING, expires_at__lte=now).values_list("pk", flat=True)[:10000]
    )
    for vote_id in ids:
        if _complete(vote_id, Vote.Outcome.EXPIRED, now):
            erase_address(vote_id)
    # Addresses of votes already completed by another path (should not exist, but never keep them).
    for vote_id in VoteEmail.objects.exclude(vote__outcome=Vote.Outcome.PENDING).values_list("vote_id", flat=True):
        erase_address(vote_id)
    return len(ids)


# ---------------------------------------------------------------------------------------------
# Counts
# ---------------------------------------------------------------------------------------------


def count_votes(contest_id: int) -> dict[int, int]:
    """Confirmed, non-annulled votes per entry: one aggregate query straight from the database."""
    rows = (
        Vote.objects.filter(contest_id=contest_id, outcome=Vote.Outcome.CONFIRMED, annulment__isnull=True)
        .values("entry_id")
        .annotate(n=Count("id"))
    )
    return {row["entry_id"]: row["n"] for row in rows}


def _tally_key(contest_id: int) -> str:
    return f"contests:tally:{contest_id}"


def vote_counts(contest_id: int) -> dict[int, int]:
    """The counts visitors see: the aggregate, refreshed at most every TALLY_SECONDS."""
    key = _tally_key(contest_id)
    try:
        cached = cache.get(key)
    except Exception:  # noqa: BLE001 - the cache is an optimisation
        cached = None
    if cached is not None:
        return {int(k): v for k, v in cached.items()}
    counts = count_votes(contest_id)
    with contextlib.suppress(Exception):
        cache.set(key, counts, TALLY_SECONDS)
    return counts


def protocol_rows(contest_id: int) -> dict[int, dict]:
    """Per entry: submitted / confirmed / annulled / counted (the annulment protocol)."""
    rows = (
        Vote.objects.filter(contest_id=contest_id)
        .values("entry_id")
        .annotate(
            submitted=Count("id"),
            confirmed=Count("id", filter=Q(outcome=Vote.Outcome.CONFIRMED)),
            annulled=Count("id", filter=Q(outcome=Vote.Outcome.CONFIRMED, annulment__isnull=False)),
        )
    )
    result = {}
    for row in rows:
        row["counted"] = row["confirmed"] - row["annulled"]
        result[row["entry_id"]] = row
    return result


# ---------------------------------------------------------------------------------------------
# Annulment (organisers with contests.annul_vote, from the audit page)
# ---------------------------------------------------------------------------------------------

FAST_CONFIRMATION = timedelta(seconds=10)  # a person needs longer to open the mail and press the button


def annullable_votes(contest, conditions):
    """Confirmed, not yet annulled votes matching every condition given: entry (id), subnet / ua (the
    start of a hash, at the request or the confirmation), fast (confirmed within FAST_CONFIRMATION),
    since / until (requested in [since, until): a datetime, or ISO text from the audit preview's query)."""
    votes = Vote.objects.filter(contest=contest, outcome=Vote.Outcome.CONFIRMED, annulment__isnull=True)
    if conditions.get("entry"):
        votes = votes.filter(entry_id=conditions["entry"])
    if subnet := conditions.get("subnet"):
        votes = votes.filter(Q(subnet_hash__startswith=subnet) | Q(confirm_subnet_hash__startswith=subnet))
    if ua := conditions.get("ua"):
        votes = votes.filter(Q(ua_hash__startswith=ua) | Q(confirm_ua_hash__startswith=ua))
    if conditions.get("fast"):
        votes = votes.filter(completed_at__lt=F("created_at") + FAST_CONFIRMATION)
    for name, lookup in (("since", "created_at__gte"), ("until", "created_at__lt")):
        moment = conditions.get(name)
        if moment and isinstance(moment, str):
            try:
                moment = timezone.make_aware(timezone.datetime.fromisoformat(moment))
            except ValueError:
                continue
        if moment:
            votes = votes.filter(**{lookup: moment})
    return votes


def annul_votes(contest, votes, reason: str, user) -> int:
    """Annuls the given confirmed votes (a queryset); returns how many were annulled now. Visitors see
    the recounted tally at once: its cached copy and the pages showing it are dropped."""
    count = 0
    with transaction.atomic():
        for vote_id in list(votes.values_list("pk", flat=True)):
            _, created = VoteAnnulment.objects.get_or_create(
                vote_id=vote_id, defaults={"reason": reason, "annulled_by": user}
            )
            count += created
    cache.delete(_tally_key(contest.pk))
    invalidate_all()
    return count


def annulment_reasons(contest_id: int) -> dict[int, list[str]]:
    """Per entry: the distinct reasons its votes were annulled for, sorted (the public protocol)."""
    reasons = {}
    for entry_id, reason in VoteAnnulment.objects.filter(vote__contest_id=contest_id).values_list(
        "vote__entry_id", "reason"
    ):
        reasons.setdefault(entry_id, set()).add(reason)
    return {entry_id: sorted(found) for entry_id, found in reasons.items()}

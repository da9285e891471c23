"""«Внедрили у себя»: a teacher reports that their organisation adopted a practice; it counts once confirmed
from an e-mailed link (core/tokens.py, as votes and event registrations are).

request_adoption()   writes a pending Adoption (the address, the hash of the link's token, the consent) and
                     queues the e-mail, in one transaction.
confirm_adoption()   under a lock on the adoption's row completes it with an UPDATE inside a savepoint: the
                     partial unique index (practice, organisation) WHERE status = 'confirmed' refuses a
                     second confirmed adoption of the same organisation, whatever the timing — the loser is
                     marked «duplicate» and its visitor reads why. The address is erased either way, and
                     a confirmation drops the page cache once the transaction commits.
expire_adoptions()   closes pending adoptions past their link (erasing the addresses) and deletes
                     unconfirmed rows after UNCONFIRMED_KEPT_DAYS.

Retention (152-ФЗ): the e-mail lives at most ADOPTION_LINK.ttl (48 hours) — until the link is used or
expires; the outgoing-mail log drops the token on delivery and the address on confirmation. What stays
of a confirmed adoption is the organisation, the comment (seen by methodists only) and the dates.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from core import tokens
from core.cache import invalidate_all
from core.mail import queue_email
from core.models import OutgoingEmail
from core.siteurl import absolute_url

from .models import Adoption, Organisation, PracticePage

ADOPTION_LINK = tokens.LinkPolicy(ttl=timedelta(hours=48))
UNCONFIRMED_KEPT_DAYS = 30
State = Adoption.State


# --- what the site shows ----------------------------------------------------------------------------------


def adopters(practice: PracticePage) -> list[Organisation]:
    """The organisations with a confirmed adoption of this practice, by name (one query)."""
    if not practice.pk:  # a preview of a page never saved
        return []
    return list(
        Organisation.objects.filter(adoptions__practice=practice, adoptions__status=State.CONFIRMED).order_by(
            "short_name"
        )
    )


def organisations_phrase(count: int) -> str:
    """«1 организация», «3 организации», «11 организаций»."""
    if count % 10 == 1 and count % 100 != 11:
        word = "организация"
    elif 2 <= count % 10 <= 4 and not 12 <= count % 100 <= 14:
        word = "организации"
    else:
        word = "организаций"
    return f"{count} {word}"


def adoption_count():
    """Confirmed adoptions of the practice in the outer query, as a correlated subquery: no GROUP BY over
    the page's columns, one query whatever the number of practices (the partial unique index serves it)."""
    return Coalesce(
        Subquery(
            Adoption.objects.filter(practice_id=OuterRef("pk"), status=State.CONFIRMED)
            .order_by()
            .values("practice_id")
            .annotate(n=Count("*"))
            .values("n")[:1],
            output_field=IntegerField(),
        ),
        Value(0),
    )


# --- request, confirmation, expiry ------------------------------------------------------------------------


def confirm_path(practice: PracticePage, token: str) -> str:
    return practice.url + practice.reverse_subpage("adopt_confirm", kwargs={"token": token})


def request_adoption(practice: PracticePage, organisation: Organisation, comment: str, email: str, consent, now=None):
    """Creates the pending adoption and queues the confirmation e-mail; returns (adoption, token)."""
    now = now or timezone.now()
    token, digest = tokens.new_token()
    with transaction.atomic():
        adoption = Adoption.objects.create(
            practice=practice,
            organisation=organisation,
            comment=comment,
            email=email,
            token_hash=digest,
            created_at=now,
            expires_at=ADOPTION_LINK.expires_at(now),
            consent=consent,
        )
        adoption.outgoing = queue_email(
            email,
            f"Подтвердите: «{organisation.short_name}» внедрила практику",
            "practices_atlas/emails/confirm_adoption.txt",
            {
                "practice": practice,
                "organisation": organisation,
                "confirm_url": absolute_url(confirm_path(practice, token)),
                "expires_at": adoption.expires_at,
            },
            purpose="atlas_adoption",
            secret_tokens=[token],
        )
        adoption.save(update_fields=["outgoing"])
    return adoption, token


def find_adoption(token: str, practice: PracticePage | None = None) -> Adoption | None:
    if not tokens.plausible(token):
        return None
    adoptions = Adoption.objects.filter(token_hash=tokens.digest(token))
    if practice is not None:
        adoptions = adoptions.filter(practice=practice)
    return adoptions.select_related("organisation").first()


def link_state(adoption: Adoption | None, now=None) -> tokens.LinkState:
    """core.tokens' order: a completed adoption is a used link, unless it was closed as expired."""
    if adoption is not None and adoption.status == State.EXPIRED:
        return tokens.LinkState.EXPIRED
    return tokens.link_state(
        found=adoption is not None,
        used=adoption is not None and adoption.status != State.PENDING,
        expires_at=adoption.expires_at if adoption is not None else None,
        now=now,
    )


@dataclass
class ConfirmResult:
    status: str  # confirmed | already_confirmed | duplicate | expired | invalid
    adoption: Adoption | None = None


RESULT_HTTP_STATUS = {"confirmed": 200, "already_confirmed": 200, "duplicate": 409, "expired": 410, "invalid": 404}


def _used_status(adoption: Adoption) -> str:
    return "already_confirmed" if adoption.status == State.CONFIRMED else adoption.status


def _erase_address(adoption: Adoption) -> None:
    """The address goes from the row and from the outgoing-mail log."""
    Adoption.objects.filter(pk=adoption.pk).update(email="")
    if adoption.outgoing_id:
        OutgoingEmail.objects.filter(pk=adoption.outgoing_id).update(to="")
    adoption.email = ""


def confirm_adoption(token: str, practice: PracticePage | None = None, now=None) -> ConfirmResult:
    now = now or timezone.now()
    if not tokens.plausible(token):
        return ConfirmResult("invalid")
    with transaction.atomic():
        # The row's lock: the same link clicked twice at once is confirmed once, the second click reads
        # «уже подтверждено». Two links of one organisation meet at the unique index instead.
        adoptions = Adoption.objects.select_for_update().filter(token_hash=tokens.digest(token))
        if practice is not None:
            adoptions = adoptions.filter(practice=practice)
        adoption = adoptions.first()
        link = link_state(adoption, now)
        if link == tokens.LinkState.INVALID:
            return ConfirmResult("invalid")
        if link == tokens.LinkState.USED:
            return ConfirmResult(_used_status(adoption), adoption)
        if link == tokens.LinkState.EXPIRED:
            if adoption.status == State.PENDING:
                Adoption.objects.filter(pk=adoption.pk).update(status=State.EXPIRED)
                _erase_address(adoption)
                adoption.status = State.EXPIRED
            return ConfirmResult("expired", adoption)
        try:
            with transaction.atomic():  # a savepoint: the unique index may refuse the update
                Adoption.objects.filter(pk=adoption.pk, status=State.PENDING).update(
                    status=State.CONFIRMED, confirmed_at=now
                )
            status = adoption.status = State.CONFIRMED
            adoption.confirmed_at = now
            # The practice page, its cards and the catalogue sorted by adoptions show the count.
            transaction.on_commit(invalidate_all, robust=True)
        except IntegrityError:
            Adoption.objects.filter(pk=adoption.pk).update(status=State.DUPLICATE)
            status = adoption.status = State.DUPLICATE
        _erase_address(adoption)
    return ConfirmResult(str(status), adoption)


def expire_adoptions(now=None) -> int:
    """Closes pending adoptions past their link and erases their addresses; deletes unconfirmed rows older
    than UNCONFIRMED_KEPT_DAYS. Returns how many were closed."""
    now = now or timezone.now()
    with transaction.atomic():
        lapsed = Adoption.objects.select_for_update().filter(status=State.PENDING, expires_at__lte=now)
        outgoing = [pk for pk in lapsed.values_list("outgoing_id", flat=True) if pk]
        closed = lapsed.update(status=State.EXPIRED, email="")
        if outgoing:
            OutgoingEmail.objects.filter(pk__in=outgoing).update(to="")
    Adoption.objects.exclude(status=State.CONFIRMED).filter(
        created_at__lt=now - timedelta(days=UNCONFIRMED_KEPT_DAYS)
    ).delete()
    return closed

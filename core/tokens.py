"""Links that confirm something by e-mail (a vote, an event registration): one mechanism.

    token, token_hash = new_token()          # the token goes into the e-mail, the hash into the row
    row = Model.objects.filter(token_hash=digest(token_from_url)).first()
    state = link_state(found=row is not None, used=..., expires_at=POLICY.expires_at(row.created_at))

- At rest only the SHA-256 of a token is kept, so a copy of the database (a backup, a dump handed to
  a contractor) holds no link that works. No key is needed: the token is 256 random bits, there is
  nothing to guess (e-mail addresses, by contrast, need core.hashing's keyed HMAC). The outgoing-mail
  log keeps a message only until it is delivered (core.mail.queue_email(..., secret_tokens=...)).
- A link lives `ttl` from the moment it was issued (LinkPolicy).
- Opening a link is answered in one order, the same for every kind of link:
    unknown       → INVALID, 404, «Ссылка недействительна»;
    already used  → USED, 200, «уже подтверждено»: a second click, a mail scanner or the back button
                    is never an error and never does anything twice;
    past its ttl  → EXPIRED, 410 with a Russian explanation of what to do;
    otherwise     → VALID: GET shows a button, POST does it (mail scanners open links with GET).
"""

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from django.utils import timezone

TOKEN_BYTES = 32  # 43 URL-safe characters
MAX_TOKEN_LENGTH = 100  # longer input is not looked up at all
# A token as it appears in the text of an e-mail (to blank it in the outgoing-mail log after delivery).
TOKEN_IN_TEXT = re.compile(r"(?<![A-Za-z0-9_-])[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])")


class LinkState(StrEnum):
    VALID = "valid"
    USED = "used"
    EXPIRED = "expired"
    INVALID = "invalid"


HTTP_STATUS = {LinkState.VALID: 200, LinkState.USED: 200, LinkState.EXPIRED: 410, LinkState.INVALID: 404}


def new_token() -> tuple[str, str]:
    """(token, its digest): the token for the e-mail, the digest for the database."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    return token, digest(token)


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def plausible(token: str) -> bool:
    """Worth a database lookup (the URL patterns already limit the alphabet)."""
    return bool(token) and len(token) <= MAX_TOKEN_LENGTH


@dataclass(frozen=True)
class LinkPolicy:
    """How long a kind of link lives."""

    ttl: timedelta

    def expires_at(self, issued_at: datetime) -> datetime:
        return issued_at + self.ttl


def is_expired(expires_at: datetime | None, now: datetime | None = None) -> bool:
    return expires_at is not None and (now or timezone.now()) >= expires_at


def link_state(*, found: bool, used: bool = False, expires_at: datetime | None = None, now=None) -> LinkState:
    """The one order of answers (see the module docstring): used before expired, so a link that did its
    job says so forever instead of «устарела»."""
    if not found:
        return LinkState.INVALID
    if used:
        return LinkState.USED
    if is_expired(expires_at, now):
        return LinkState.EXPIRED
    return LinkState.VALID

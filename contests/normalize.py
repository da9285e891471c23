"""One person, one vote: e-mail addresses reduced to the mailbox they deliver to.

Rules (Russian providers in mind):
- case and surrounding spaces never matter;
- Gmail: dots in the login are ignored, «+tag» is dropped, googlemail.com is gmail.com;
- Yandex: ya.ru, yandex.ru, yandex.com, yandex.by, yandex.kz are one mailbox, «+tag» is dropped,
  and a dot in the login equals a hyphen (Yandex delivers ivan.petrov@ and ivan-petrov@ to one box);
- mail.ru, bk.ru, list.ru and inbox.ru are separate mailboxes and stay separate;
- everything else is kept as written (lower-cased): we do not guess other providers' rules.
"""

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

GMAIL_DOMAINS = {"gmail.com", "googlemail.com"}
YANDEX_DOMAINS = {"ya.ru", "yandex.ru", "yandex.com", "yandex.by", "yandex.kz"}


class InvalidEmail(ValueError):
    pass


def normalize_email(raw: str) -> str:
    value = (raw or "").strip().lower()
    try:
        validate_email(value)
    except ValidationError:
        raise InvalidEmail(raw) from None
    local, _, domain = value.rpartition("@")
    domain = domain.rstrip(".")
    if domain in GMAIL_DOMAINS:
        local = local.split("+", 1)[0].replace(".", "")
        domain = "gmail.com"
    elif domain in YANDEX_DOMAINS:
        local = local.split("+", 1)[0].replace(".", "-")
        domain = "yandex.ru"
    if not local:
        raise InvalidEmail(raw)
    return f"{local}@{domain}"


def email_domain(raw: str) -> str:
    return (raw or "").strip().lower().rpartition("@")[2].rstrip(".")

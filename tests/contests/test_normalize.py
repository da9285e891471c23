"""One person, one vote: addresses that reach one mailbox must normalise to one key."""

import pytest

from contests.normalize import InvalidEmail, normalize_email
from contests.voting import voter_key

SAME = [
    # (typed, normalised)
    ("Ivan.Petrov@Gmail.com", "ivanpetrov@gmail.com"),
    ("ivanpetrov+konkurs@gmail.com", "ivanpetrov@gmail.com"),
    ("i.v.a.n.petrov@googlemail.com", "ivanpetrov@gmail.com"),
    ("  IVANPETROV@GMAIL.COM ", "ivanpetrov@gmail.com"),
    ("ivan.petrov@yandex.ru", "ivan-petrov@yandex.ru"),
    ("ivan-petrov@ya.ru", "ivan-petrov@yandex.ru"),
    ("Ivan.Petrov+vote@yandex.com", "ivan-petrov@yandex.ru"),
    ("ivan-petrov@yandex.by", "ivan-petrov@yandex.ru"),
    ("ivan.petrov@yandex.kz", "ivan-petrov@yandex.ru"),
    ("Mama.Olya@Mail.ru", "mama.olya@mail.ru"),
    ("mama.olya@bk.ru", "mama.olya@bk.ru"),
    ("mama.olya@list.ru", "mama.olya@list.ru"),
    ("mama.olya@inbox.ru", "mama.olya@inbox.ru"),
    ("teacher+tag@school178.spb.ru", "teacher+tag@school178.spb.ru"),
]


@pytest.mark.parametrize(("typed", "expected"), SAME)
def test_normalisation_table(typed, expected):
    assert normalize_email(typed) == expected


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("ivan.petrov@gmail.com", "ivanpetrov+x@googlemail.com", True),
        ("ivan.petrov@ya.ru", "ivan-petrov+x@yandex.kz", True),
        ("olya@mail.ru", "olya@bk.ru", False),
        ("olya@list.ru", "olya@inbox.ru", False),
        ("olya@mail.ru", "olya+x@mail.ru", False),  # mail.ru: we do not guess its aliasing rules
        ("ivan.petrov@gmail.com", "ivan-petrov@gmail.com", False),  # Gmail: hyphen is not a dot
    ],
)
def test_voter_keys_match_only_for_the_same_mailbox(a, b, same):
    assert (voter_key(1, a) == voter_key(1, b)) is same


def test_voter_key_is_keyed_and_per_contest(settings):
    key = voter_key(1, "ivan@gmail.com")
    assert len(key) == 64 and "ivan" not in key
    assert voter_key(2, "ivan@gmail.com") != key
    settings.HASH_SECRET = "another-secret"
    assert voter_key(1, "ivan@gmail.com") != key


@pytest.mark.parametrize("bad", ["", "ivan", "@gmail.com", "ivan@", "+tag@gmail.com", "ivan petrov@mail.ru"])
def test_invalid_addresses_raise(bad):
    with pytest.raises(InvalidEmail):
        normalize_email(bad)

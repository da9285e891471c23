"""Voting from a school network (issue 9.7), on real Redis: a class behind one address votes, a script
from that address is stopped, and a limited visitor gets the form back with when to retry.

The limiter's clock is pinned to the start of a window, so «try again in …» is exact and a window
boundary in the middle of a test cannot reset a counter.
"""

import pytest
from bs4 import BeautifulSoup
from django.core import mail
from django.test import Client

from contests.models import Vote
from contests.views import VOTE_MAILBOX_RATE, VOTE_RATE

from .conftest import last_confirm_path, post_vote

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("altcha_test_mode", "real_redis"),
    pytest.mark.usefixtures("module_contest"),
    pytest.mark.xdist_group("contests-vote-limits"),
]

CLASSROOM = "95.161.10.20"  # one school's NAT address


def page(response):
    return BeautifulSoup(response.content, "html.parser")


def test_the_numbers_are_the_documented_ones():
    assert (VOTE_RATE, VOTE_MAILBOX_RATE) == ("90/5m", "10/h")


def test_a_class_of_30_votes_from_one_address_with_two_mistakes_each(contest):
    """30 pupils × 3 tries (a typo in the address, the consent forgotten, then right) in one window."""
    client = Client()
    entries = contest.entry_list
    statuses = []
    for pupil in range(30):
        entry = entries[pupil % len(entries)]
        statuses.append(post_vote(client, entry, f"pupil{pupil}@school178", ip=CLASSROOM).status_code)
        statuses.append(post_vote(client, entry, f"pupil{pupil}@school178.ru", ip=CLASSROOM, consent="").status_code)
        statuses.append(post_vote(client, entry, f"pupil{pupil}@school178.ru", ip=CLASSROOM).status_code)
    assert statuses.count(429) == 0
    assert statuses.count(200) == 30 and statuses.count(400) == 60
    assert Vote.objects.count() == 30 and len(mail.outbox) == 30

    # ...and all 30 confirm their votes from the same address.
    confirmed = [
        client.post(last_confirm_path(f"pupil{p}@school178.ru"), REMOTE_ADDR=CLASSROOM).status_code for p in range(30)
    ]
    assert confirmed == [200] * 30
    assert Vote.objects.filter(outcome=Vote.Outcome.CONFIRMED).count() == 30


def test_a_script_beyond_the_ceiling_gets_its_form_back_with_when_to_retry(contest):
    client = Client()
    entry = contest.entry_list[0]
    statuses = [post_vote(client, entry, f"bot{i}@mail.ru", ip=CLASSROOM).status_code for i in range(90)]
    assert statuses == [200] * 90

    response = post_vote(client, entry, "last.one@mail.ru", ip=CLASSROOM, altcha="a-solved-payload")
    assert response.status_code == 429
    assert response["Retry-After"] == "290"
    html = page(response)
    alert = html.select_one(".form-errors").get_text(" ", strip=True)
    assert "Слишком много попыток с вашего адреса. Попробуйте снова через 5 минут." in alert
    assert html.select_one("#id_email")["value"] == "last.one@mail.ru"  # what they typed is kept
    assert html.select_one("#id_consent").has_attr("checked")
    assert "a-solved-payload" not in response.content.decode()  # the captcha is done again
    assert html.select_one("form.vote-form button[type=submit]")
    assert Vote.objects.count() == 90

    # another school (another subnet) votes as usual meanwhile
    assert post_vote(client, entry, "parent@yandex.ru", ip="178.70.1.2").status_code == 200


def test_one_mailbox_gets_at_most_ten_confirmation_letters_an_hour(contest):
    """Whatever the address it is sent from, and however the mailbox is spelled."""
    client = Client()
    entries = contest.entry_list
    spellings = ["vasya.pupkin@gmail.com", "vasyapupkin@gmail.com", "Vasya.Pupkin+konkurs@googlemail.com"]
    statuses = [
        post_vote(client, entries[i % len(entries)], spellings[i % 3], ip=f"46.{i}.0.1").status_code for i in range(10)
    ]
    assert statuses == [200] * 10

    response = post_vote(client, entries[0], "v.a.s.y.a.pupkin@gmail.com", ip="5.5.5.5")
    assert response.status_code == 429
    assert response["Retry-After"] == "3590"
    alert = page(response).select_one(".form-errors").get_text(" ", strip=True)
    assert "На этот адрес уже отправлено много писем для подтверждения" in alert
    assert "Попробуйте снова через 60 минут." in alert
    assert page(response).select_one("#id_email")["value"] == "v.a.s.y.a.pupkin@gmail.com"
    assert len(mail.outbox) == 10

    # another mailbox from that same address is not affected
    assert post_vote(client, entries[0], "masha@mail.ru", ip="5.5.5.5").status_code == 200

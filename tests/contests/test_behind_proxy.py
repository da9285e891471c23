"""Rate limits per visitor behind nginx (issue 8.2), on real Redis: every request comes from nginx's
127.0.0.1, and the visitor is the address nginx appends to X-Forwarded-For."""

import pytest
from django.test import Client, override_settings

from contests.models import Vote

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("altcha_test_mode", "real_redis")]

NGINX = "127.0.0.1"


def via_nginx(client, entry, email, visitor, sent_by_client=None):
    """What nginx with `proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for` passes on."""
    forwarded = f"{sent_by_client}, {visitor}" if sent_by_client else visitor
    data = {"email": email, "consent": "on", "altcha": "test-payload", "website": ""}
    return client.post(f"/contests/vote/{entry.pk}/", data, REMOTE_ADDR=NGINX, HTTP_X_FORWARDED_FOR=forwarded)


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_one_visitor_exhausting_the_vote_limit_does_not_limit_another(contest):
    client = Client()
    entry = contest.entry_list[0]
    statuses = [via_nginx(client, entry, f"a{i}@mail.ru", "203.0.113.7").status_code for i in range(91)]
    assert statuses == [200] * 90 + [429]
    other = via_nginx(client, entry, "neighbour@mail.ru", "198.51.100.20")
    assert other.status_code == 200
    assert "Письмо отправлено" in other.content.decode()


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_a_forged_left_most_address_does_not_escape_the_limit(contest):
    client = Client()
    entry = contest.entry_list[0]
    statuses = [
        via_nginx(client, entry, f"b{i}@mail.ru", "203.0.113.8", sent_by_client=f"10.{i}.{i}.1").status_code
        for i in range(92)
    ]
    assert statuses == [200] * 90 + [429, 429]
    assert Vote.objects.count() == 90


@override_settings(TRUSTED_PROXY_COUNT=0)
def test_without_the_count_every_visitor_is_nginx_and_shares_one_limit(contest):
    """The collapse the probe measured, kept as the reason for the setting."""
    client = Client()
    entry = contest.entry_list[0]
    for i in range(90):
        via_nginx(client, entry, f"c{i}@mail.ru", "203.0.113.9")
    assert via_nginx(client, entry, "unrelated@mail.ru", "198.51.100.30").status_code == 429

"""The storms bench writes each voter's mailbox in ways the vote counts as one, and gives each simulated
visitor an address of its own, few to a subnet (so that per-subnet limits, not the bench, decide)."""

import ipaddress
from collections import Counter

from bench.storms import address_variants, visitor_address, vote_plan
from contests.normalize import normalize_email


def test_each_voters_variants_are_one_mailbox_and_voters_stay_apart():
    mailboxes = []
    for login, domain in [
        ("storm.abc.1", "gmail.com"),
        ("storm.abc.12", "gmail.com"),
        ("storm.abc.2", "yandex.ru"),
        ("storm_abc_3", "mail.ru"),
        ("storm.abc.4", "school.example.ru"),
    ]:
        variants = address_variants(login, domain)
        assert len(set(variants)) == len(variants) >= 3  # written differently every time
        assert len({normalize_email(v) for v in variants}) == 1
        mailboxes.append(normalize_email(variants[0]))
    assert len(set(mailboxes)) == len(mailboxes)
    gmail = " ".join(address_variants("storm.abc.1", "gmail.com"))
    assert "+" in gmail and "googlemail.com" in gmail and "Gmail.com" in gmail and "stormabc1@" in gmail


def test_the_plan_has_repeats_and_over_the_limit_requests():
    import random

    voters = vote_plan(1200, random.Random(14), "abc")
    requests = [r for v in voters for r in v["requests"]]
    assert 950 <= len(requests) <= 1050  # ~1.2 POSTs per link make the 1,200 attempts
    again = sum(1 for v in voters if Counter((n, e) for n, e, _ in v["requests"]).most_common(1)[0][1] > 1)
    second_entry = sum(
        1
        for v in voters
        if {(n, e) for n, e, _ in v["requests"]} >= {(v["requests"][0][0], 0), (v["requests"][0][0], 1)}
    )
    assert again > 50 and second_entry > 50
    assert len({normalize_email(v["addresses"][0]) for v in voters}) == len(voters)


def test_visitors_have_their_own_loopback_addresses_few_per_subnet():
    addresses = [visitor_address(n, 20) for n in range(12000)]
    assert len(set(addresses)) == len(addresses)
    assert all(ipaddress.ip_address(a).is_loopback and not a.startswith("127.0.0.") for a in addresses)
    per_subnet = Counter(a.rsplit(".", 1)[0] for a in addresses)
    assert max(per_subnet.values()) == 20

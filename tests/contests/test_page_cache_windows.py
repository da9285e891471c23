"""Contest pages are cached for anonymous visitors, but never past the moment their voting window
opens or closes: at the close the «Голосовать» button disappears for everyone at once."""

import re
import time
from datetime import timedelta

import pytest
from django.utils import timezone

from contests.models import ContestPage
from core.cache import valid_until

pytestmark = pytest.mark.django_db


def s_maxage(response) -> int:
    return int(re.search(r"s-maxage=(\d+)", response["Cache-Control"]).group(1))


def test_entry_page_is_not_served_from_cache_after_the_voting_closes(client, make_contest, page_cache_on):
    contest = make_contest()
    ContestPage.objects.filter(pk=contest.pk).update(voting_closes_at=timezone.now() + timedelta(seconds=3))
    entry = contest.entry_list[0]

    first = client.get(entry.url)
    assert first["X-Cache"] == "MISS"
    assert "Голосовать за эту работу" in first.content.decode()
    assert s_maxage(first) <= 3 and "stale-while-revalidate=0" in first["Cache-Control"]
    assert client.get(entry.url)["X-Cache"] == "HIT"  # still cached while voting is open

    time.sleep(3.5)
    after = client.get(entry.url)
    assert after["X-Cache"] == "MISS"
    html = after.content.decode()
    assert "Голосовать за эту работу" not in html and "Голосование завершено" in html


@pytest.mark.parametrize("path", ["contest", "entry", "index", "home"])
def test_pages_showing_a_contest_are_kept_only_until_its_next_window_change(
    client, make_contest, page_cache_on, path, home_page
):
    contest = make_contest(state="before")
    ContestPage.objects.filter(pk=contest.pk).update(voting_opens_at=timezone.now() + timedelta(seconds=60))
    url = {
        "contest": contest.url,
        "entry": contest.entry_list[0].url,
        "index": contest.get_parent().url,
        "home": home_page.url,
    }[path]
    response = client.get(url)
    assert response.status_code == 200 and response["X-Cache"] == "MISS"
    assert 50 <= s_maxage(response) <= 60  # not the default 300: voting opens in a minute


def test_pages_without_a_coming_change_keep_the_default_lifetime(client, make_contest, page_cache_on):
    contest = make_contest(state="closed")
    response = client.get(contest.entry_list[0].url)
    assert s_maxage(response) == 300 and "stale-while-revalidate=60" in response["Cache-Control"]


class FakeRequest:
    pass


@pytest.mark.parametrize(
    ("offsets", "expected"),
    [
        ((30, 10, 60), 10),  # the nearest future moment wins
        ((-10, 40), 40),  # past moments are ignored
        ((None, 25), 25),  # contests without a window
        ((-5,), None),  # nothing ahead: the default lifetime
    ],
)
def test_valid_until_keeps_the_nearest_future_moment(offsets, expected):
    now = timezone.now()
    request = FakeRequest()
    moments = [None if o is None else now + timedelta(seconds=o) for o in offsets]
    valid_until(request, *moments[:1])
    valid_until(request, *moments[1:])
    until = getattr(request, "_page_cache_until", None)
    if expected is None:
        assert until is None
    else:
        assert until == now + timedelta(seconds=expected)

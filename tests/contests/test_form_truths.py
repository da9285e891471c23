"""What the vote and application forms tell a screen reader, the captcha kept after another field's
error, and vote counts in the HTML for visitors without JavaScript."""

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.test import Client
from django.utils import timezone

from contests.models import Vote
from tests.core.test_captcha import solved_payload

from .conftest import vote_and_confirm

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("module_contest"),
    pytest.mark.xdist_group("contests-form-truths"),
]


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.content.decode(), "html.parser")


def assert_described_elements_exist(response, form_selector="main form"):
    page = soup(response)
    form = page.select_one(form_selector)
    described = form.select("[aria-describedby]")
    assert described
    for element in described:
        for ref in element["aria-describedby"].split():
            assert page.find(id=ref) is not None, f"{element.get('name')}: no element with id {ref!r}"
    return page


def test_vote_form_aria_describedby_ids_exist_also_with_errors(contest):
    url = f"/contests/vote/{contest.entry_list[0].pk}/"
    assert_described_elements_exist(Client().get(url))
    errors = Client().post(url, {"email": "not-an-address", "consent": "", "altcha": ""})
    assert errors.status_code == 400
    page = assert_described_elements_exist(errors)
    assert page.select_one("#id_email")["aria-describedby"] == "id_email_helptext id_email_error"
    assert page.select_one("altcha-widget")["aria-describedby"] == "id_altcha_error"


def test_application_form_aria_describedby_ids_exist_also_with_errors(make_contest):
    now = timezone.now()
    contest = make_contest(
        state="none", submission_opens_at=now - timedelta(days=1), submission_closes_at=now + timedelta(days=5)
    )
    url = contest.url + "zayavka/"
    assert_described_elements_exist(Client().get(url))
    errors = Client().post(url, {"title": "", "email": "x", "organisation": "", "consent": ""})
    assert errors.status_code == 400
    page = assert_described_elements_exist(errors)
    assert page.select_one("#id_organisation")["aria-describedby"] == "id_organisation_helptext id_organisation_error"


def test_a_solved_captcha_is_kept_when_the_email_is_wrong(contest):
    client = Client()
    url = f"/contests/vote/{contest.entry_list[0].pk}/"
    data = {"email": "mama@mail", "consent": "on", "website": "", "altcha": solved_payload(client)}
    response = client.post(url, data, REMOTE_ADDR="203.0.113.7")
    assert response.status_code == 400
    page = soup(response)
    assert "Проверка пройдена — повторять её не нужно." in page.get_text()
    assert page.select_one("altcha-widget") is None
    fixed = {"email": "mama@mail.ru", "consent": "on", "website": "", "altcha": ""}
    fixed["human_pass"] = page.select_one("input[name=human_pass]")["value"]
    response = client.post(url, fixed, REMOTE_ADDR="203.0.113.7")
    assert response.status_code == 200, response.content.decode()[:1000]
    assert "Письмо отправлено" in response.content.decode()
    assert Vote.objects.count() == 1


@pytest.mark.usefixtures("altcha_test_mode")
def test_vote_counts_are_in_the_html_without_javascript(contest, client_factory):
    entry = contest.entry_list[0]
    vote_and_confirm(client_factory(), entry, "mama@mail.ru")
    vote_and_confirm(client_factory(), entry, "papa@yandex.ru", ip="198.51.100.20")
    page = soup(Client().get(contest.url))
    counts = {node["data-vote-count"]: node.get_text() for node in page.select("[data-vote-count]")}
    assert counts[str(entry.pk)] == "2"
    assert counts[str(contest.entry_list[1].pk)] == "0"
    assert "…" not in counts.values()
    entry_page = soup(Client().get(entry.url))
    assert entry_page.select_one(f"[data-vote-count='{entry.pk}']").get_text() == "2"

"""The organisers' annulment form and the jury's scoring form are Wagtail admin fields (issue 9.3):
each input sits in Wagtail's `w-field` wrapper with its label, help text and error markup, so it gets
the admin's border, height and focus style instead of looking like plain text."""

import pytest
from bs4 import BeautifulSoup
from django.test import Client

from contests.models import JuryScore, Vote, VoteAnnulment

ANNUL_FIELDS = ["vote_id", "entry", "subnet", "ua", "fast", "since", "until", "reason"]


def soup(response):
    return BeautifulSoup(response.content.decode(), "html.parser")


def wagtail_field(page, name):
    """The input named `name`, asserted to be inside Wagtail's field wrapper with a label for it."""
    control = page.find(attrs={"name": name})
    assert control is not None, name
    wrapper = control.find_parent(class_="w-field__wrapper")
    assert wrapper is not None, f"{name} is not rendered by Wagtail's field component"
    assert control.find_parent(class_="w-field__input") is not None, name
    label = wrapper.find("label", attrs={"for": control["id"]})
    assert label is not None and label.get_text(strip=True), name
    return control, wrapper


@pytest.fixture
def organiser_client(organiser):
    client = Client()
    client.force_login(organiser)
    return client


def test_every_annulment_input_is_a_wagtail_field(organiser_client, contest):
    page = soup(organiser_client.get(f"/admin/contests/{contest.pk}/audit/"))
    for name in ANNUL_FIELDS:
        wagtail_field(page, name)
    reason, wrapper = wagtail_field(page, "reason")
    assert wrapper.find(class_="w-field__label").get_text(" ", strip=True).startswith("Причина")
    assert "w-required-mark" in str(wrapper)  # Wagtail's «required» asterisk
    assert "протокол" in wrapper.find(class_="w-field__help").get_text()  # help text, described-by the input
    assert wrapper.find(class_="w-field__help")["id"] in reason.get("aria-describedby", "")


def test_missing_reason_is_a_russian_wagtail_error_and_keeps_the_input(organiser_client, contest):
    entry = contest.entry_list[0]
    response = organiser_client.post(f"/admin/contests/{contest.pk}/annul/", {"entry": entry.pk, "subnet": "ab12"})
    assert response.status_code == 400
    page = soup(response)
    _, wrapper = wagtail_field(page, "reason")
    error = wrapper.find(class_="error-message")
    assert error is not None and "Укажите причину аннулирования" in error.get_text()
    assert wrapper.find(class_="w-field--error") is not None  # the red border of an invalid field
    assert page.find(attrs={"name": "subnet"})["value"] == "ab12"  # nothing typed is lost
    assert page.find(attrs={"name": "entry"}).find("option", selected=True)["value"] == str(entry.pk)
    assert not VoteAnnulment.objects.exists()


def test_no_condition_is_refused_in_wagtail_non_field_errors(organiser_client, contest):
    response = organiser_client.post(f"/admin/contests/{contest.pk}/annul/", {"reason": "Без условий отбора"})
    assert response.status_code == 400
    form = soup(response).find("form", action=f"/admin/contests/{contest.pk}/annul/#annul")
    assert "аннулировать все голоса сразу нельзя" in form.find(class_="messages").get_text()


def test_a_valid_annulment_still_redirects_and_counts(organiser_client, contest):
    response = organiser_client.post(
        f"/admin/contests/{contest.pk}/annul/", {"entry": contest.entry_list[0].pk, "reason": "Проверка формы"}
    )
    assert response.status_code == 302 and response["Location"].endswith(f"/admin/contests/{contest.pk}/audit/")
    assert not Vote.objects.filter(contest=contest).exists()  # nothing to annul: a clear warning, no error


def test_every_jury_input_is_a_wagtail_field(make_contest, juror):
    contest = make_contest()
    entry = contest.entry_list[0]
    client = Client()
    client.force_login(juror)
    page = soup(client.get(f"/admin/contests/jury/{entry.pk}/"))
    for criterion in contest.criteria.all():
        points, wrapper = wagtail_field(page, f"points_{criterion.pk}")
        assert wrapper.find("label").get_text(" ", strip=True).startswith("Баллы")
        wagtail_field(page, f"comment_{criterion.pk}")

    first = contest.criteria.first()
    data = {f"points_{c.pk}": "5" for c in contest.criteria.all()}
    data[f"points_{first.pk}"] = "11"
    data[f"comment_{first.pk}"] = "Хорошая идея"
    response = client.post(f"/admin/contests/jury/{entry.pk}/", data)
    assert response.status_code == 400
    page = soup(response)
    points, wrapper = wagtail_field(page, f"points_{first.pk}")
    assert "От 0 до 10 баллов." in wrapper.find(class_="error-message").get_text()
    assert points["value"] == "11" and "Хорошая идея" in page.find(attrs={"name": f"comment_{first.pk}"}).get_text()
    assert not JuryScore.objects.exists()

"""Every public form (event registration, vote, contest application, «Вопрос методисту») renders its
fields, errors and honeypot the same way, through Django's form renderer (core.forms)."""

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.test import Client, override_settings
from django.utils import timezone

from core.forms import HONEYPOT_ERROR, PublicForm, SiteFormRenderer
from tests.contests.conftest import make_contest  # noqa: F401 - fixtures
from tests.events.conftest import index, make_event, vocab  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def altcha_test_mode():
    with override_settings(ALTCHA_TEST_MODE=True):
        yield


@pytest.fixture
def forms_on_site(make_event, make_contest):  # noqa: F811 - the fixtures imported above
    # make_event's vocabulary holds the subject «Математика» the question form offers
    event = make_event("Семинар", registration_open=True, capacity=10)
    now = timezone.now()
    contest = make_contest(submission_opens_at=now - timedelta(days=1), submission_closes_at=now + timedelta(days=5))
    return {
        "registration": (event.url, f"{event.url}register/", "form.event-registration__form"),
        "vote": (f"/contests/vote/{contest.entry_list[0].pk}/",) * 2 + ("form.vote-form",),
        "application": (f"{contest.url}zayavka/",) * 2 + ("form[enctype]",),
        "question": ("/vopros-metodistu/",) * 2 + ("form.question-form",),
    }


FORMS = ["registration", "vote", "application", "question"]


def soup(response):
    return BeautifulSoup(response.content.decode(), "html.parser")


@pytest.mark.parametrize("name", FORMS)
def test_an_empty_submission_gets_one_summary_whose_links_lead_to_the_fields(forms_on_site, name):
    page_url, post_url, selector = forms_on_site[name]
    assert Client().get(page_url).status_code == 200
    response = Client().post(post_url, {"website": ""})
    assert response.status_code == 400
    form = soup(response).select_one(selector)

    summaries = soup(response).select(".form-errors")
    assert len(summaries) == 1
    summary = summaries[0]
    first = form.find(lambda tag: tag.name != "input" or tag.get("type") != "hidden")
    assert summary["role"] == "alert" and first == summary  # the first thing in the form
    title = summary.find(id=summary["aria-labelledby"])
    assert title.name in ("h2", "h3") and "не отправлен" in title.get_text()

    links = summary.select("a[href^='#']")
    assert links, "every field error is a link"
    for link in links:
        target = form.find(id=link["href"][1:])
        assert target is not None and target.name in ("input", "select", "textarea", "altcha-widget"), link
        errors = [form.find(id=ref) for ref in target.get("aria-describedby", "").split()]
        assert any(e is not None and link.get_text() in e.get_text() for e in errors), link  # same words
        if target.name != "altcha-widget":
            assert target["aria-invalid"] == "true"
    assert all(link.get_text().strip() for link in links)


@pytest.mark.parametrize("name", FORMS)
def test_fields_labels_help_and_honeypot_look_the_same_everywhere(forms_on_site, name):
    page_url, _, selector = forms_on_site[name]
    form = soup(Client().get(page_url)).select_one(selector)
    assert not form.select(".form-errors")  # no summary before a submission
    fields = form.select(".form-field")
    assert fields
    for field in fields:
        control = field.select_one("input, select, textarea")
        assert field.select_one(f'label[for="{control["id"]}"]') is not None
        help_text = field.select_one(".form-field__help")
        if help_text is not None:
            assert help_text["id"] == f"{control['id']}_helptext"
            assert help_text["id"] in control["aria-describedby"].split()
    honeypots = form.select(".hp-field")
    assert len(honeypots) == 1
    assert honeypots[0]["aria-hidden"] == "true"
    assert honeypots[0].input["name"] == "website" and honeypots[0].input["tabindex"] == "-1"
    assert form.select_one(".consent input[type=checkbox]")["required"] is not None


@pytest.mark.parametrize("name", FORMS)
def test_a_filled_honeypot_is_refused_with_the_same_russian_message(forms_on_site, name):
    _, post_url, _ = forms_on_site[name]
    response = Client().post(post_url, {"website": "http://spam.example", "email": "a@mail.ru"})
    assert response.status_code == 400
    page = soup(response)
    assert HONEYPOT_ERROR in page.select_one(".form-errors").get_text()
    assert 'value="http://spam.example"' not in response.content.decode()  # never echoed


def test_public_forms_use_the_site_renderer():
    from contests.forms import SubmissionForm, VoteForm
    from events.forms import RegistrationForm
    from methodists.forms import QuestionForm

    for form_class in (RegistrationForm, VoteForm, SubmissionForm, QuestionForm):
        assert issubclass(form_class, PublicForm)
        assert isinstance(form_class().renderer, SiteFormRenderer)

"""«Вопрос методисту»: a consultation form that never loses a visitor's text and never answers 500."""

import pytest
from bs4 import BeautifulSoup
from django.core import mail
from django.urls import reverse

from core.consent import CHANGED_MESSAGE, current_document
from core.models import ConsentDocument, ConsentRecord, OutgoingEmail, SiteSettings
from methodists.models import Question
from tests.home.factories import StandardPageFactory

URL = "/vopros-metodistu/"
pytestmark = pytest.mark.django_db


@pytest.fixture
def policy(home_page, site):
    page = StandardPageFactory(parent=home_page, title="Политика обработки персональных данных", slug="politika-pdn")
    settings, _ = SiteSettings.objects.get_or_create(site=site)
    settings.privacy_policy_page = page
    settings.email = "imc@center-edu.spb.ru"
    settings.save()
    return page


def valid(subjects, **overrides):
    data = {
        "subject": str(subjects["math"].pk),
        "name": "Анна Петровна",
        "email": "anna@school.example",
        "question": "Где найти демоверсию ОГЭ по математике для 9 класса?",
        "consent": "on",
        "consent_version": str(current_document("question").live_revision_id),
        "website": "",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def test_form_states_it_is_not_an_appeal_and_links_gosuslugi(client, subjects, settings):
    response = client.get(URL)
    assert response.status_code == 200
    page = BeautifulSoup(response.content, "html.parser")
    text = page.get_text(" ")
    assert "не является обращением" in text and "59-ФЗ" in text
    link = page.find("a", string="Направить обращение")
    assert link["href"] == settings.GOSUSLUGI_APPEALS_URL
    assert reverse("methodists:question") == URL


def test_form_shows_the_full_consent_text_its_version_and_the_policy(client, subjects, policy):
    page = BeautifulSoup(client.get(URL).content, "html.parser")
    document = ConsentDocument.objects.get(purpose="question")
    block = page.select_one("fieldset.consent")
    assert document.text.strip()[:80] in block.select_one(".consent__text").get_text()
    assert f"редакция № {document.live_revision_id}" in block.get_text()
    assert block.find("a", string="Политика обработки персональных данных")["href"] == "/politika-pdn/"
    checkbox = block.select_one('input[type="checkbox"][name="consent"]')
    assert checkbox is not None and not checkbox.has_attr("checked")
    assert block.select_one('input[name="consent_version"]')["value"] == str(document.live_revision_id)


@pytest.fixture
def post(client, django_capture_on_commit_callbacks):
    """Posts like a browser would, running the after-commit e-mail tasks as the real request does."""

    def send(data, **extra):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(URL, data, **extra)

    return send


def test_valid_question_is_saved_recorded_and_mailed_to_the_subject_methodist(
    client, post, subjects, methodists, policy
):
    response = post(valid(subjects), REMOTE_ADDR="10.1.2.3")
    assert response.status_code == 302
    question = Question.objects.get()
    assert question.methodist == methodists["math"]
    assert question.text.startswith("Где найти демоверсию")

    record = question.consent
    document = ConsentDocument.objects.get(purpose="question")
    assert (record.purpose, record.revision_id) == ("question", document.live_revision_id)
    assert len(record.subnet_hash) == 64 and "10.1.2" not in record.subnet_hash

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["math@imc-centr.example"]
    assert f"№ {question.pk}" in message.subject and "Математика" in message.subject
    assert "Где найти демоверсию ОГЭ" in message.body and "anna@school.example" in message.body
    assert OutgoingEmail.objects.get().status == OutgoingEmail.Status.SENT

    thanks = client.get(response["Location"])
    assert thanks.status_code == 200
    text = BeautifulSoup(thanks.content, "html.parser").get_text(" ")
    assert f"№ {question.pk}" in text and "Соколова Марина Николаевна" in text and "anna@school.example" in text


def test_other_subject_goes_to_its_own_methodist(post, subjects, methodists):
    post(valid(subjects, subject=str(subjects["chem"].pk)))
    assert mail.outbox[0].to == ["chem@imc-centr.example"]


def test_subject_without_methodist_goes_to_the_centre(post, subjects, methodists, policy):
    response = post(valid(subjects, subject=str(subjects["orphan"].pk)))
    assert response.status_code == 302
    assert mail.outbox[0].to == ["imc@center-edu.spb.ru"]
    assert Question.objects.get().methodist is None


LONG_QUESTION = "Вопрос " + "очень " * 600
BAD_INPUTS = [
    (
        "empty form",
        {"subject": "", "name": "", "email": "", "question": "", "consent": None},
        [
            "Выберите предмет",
            "Напишите, как к вам обращаться",
            "Укажите электронную почту",
            "Напишите вопрос",
            "Без согласия на обработку персональных данных",
        ],
    ),
    ("bad e-mail", {"email": "anna-at-school"}, ["Проверьте адрес электронной почты"]),
    ("no consent", {"consent": None}, ["Без согласия на обработку персональных данных мы не можем принять форму"]),
    ("too long question", {"question": LONG_QUESTION}, ["Вопрос слишком длинный: не больше 3000 символов"]),
    ("too long name", {"name": "Я" * 151}, ["Имя слишком длинное"]),
    ("honeypot filled", {"website": "http://spam.example"}, ["Форма заполнена автоматически и не принята"]),
    ("unknown subject", {"subject": "999999"}, ["Такого предмета нет в списке"]),
    ("not a number subject", {"subject": "abc"}, ["Такого предмета нет в списке"]),
    ("too short question", {"question": "Как?"}, ["Вопрос слишком короткий"]),
    ("blank name", {"name": "   "}, ["Напишите, как к вам обращаться"]),
]


@pytest.mark.parametrize(("case", "changes", "messages"), BAD_INPUTS, ids=[case for case, _, _ in BAD_INPUTS])
def test_bad_input_gets_russian_messages_400_and_keeps_the_text(post, subjects, methodists, case, changes, messages):
    data = valid(subjects, **changes)
    response = post(data)
    assert response.status_code == 400
    body = response.content.decode()
    for message in messages:
        assert message in body, message
    page = BeautifulSoup(response.content, "html.parser")
    assert page.select_one(".form-errors[role=alert]") is not None
    # Nothing the visitor typed is lost (the honeypot is the exception: it is never echoed).
    if data.get("name", "").strip():
        assert page.select_one("#id_name")["value"] == data["name"]
    if data.get("question"):  # a newline right after <textarea> is not part of its value (HTML)
        assert page.select_one("#id_question").get_text().removeprefix("\n") == data["question"]
    if data.get("email"):
        assert page.select_one("#id_email")["value"] == data["email"]
    assert not Question.objects.exists() and not ConsentRecord.objects.exists() and not mail.outbox


def test_changed_consent_text_asks_to_read_it_again(client, subjects, methodists):
    data = valid(subjects)
    document = current_document("question")
    document.text += "\n\nДополнение: срок хранения — один год."
    document.save_revision().publish()
    response = client.post(URL, data)
    assert response.status_code == 400
    assert CHANGED_MESSAGE in response.content.decode()
    page = BeautifulSoup(response.content, "html.parser")
    assert "Дополнение: срок хранения" in page.select_one(".consent__text").get_text()
    assert not page.select_one('input[name="consent"]').has_attr("checked")


def test_rate_limited_with_a_russian_429(client, subjects, methodists):
    codes = [client.post(URL, valid(subjects), REMOTE_ADDR="192.0.2.7").status_code for _ in range(6)]
    assert codes == [302] * 5 + [429]
    data = valid(subjects, question="Второй вопрос: когда будет семинар по функциональной грамотности?")
    response = client.post(URL, data, REMOTE_ADDR="192.0.2.7")
    assert response.status_code == 429
    page = BeautifulSoup(response.content, "html.parser")
    assert "Слишком много запросов" in page.select_one("[role=alert]").get_text()
    assert page.select_one("#id_question").get_text().removeprefix("\n") == data["question"]  # the text is kept
    assert page.select_one("#id_name")["value"] == "Анна Петровна"
    assert Question.objects.count() == 5
    assert client.post(URL, valid(subjects), REMOTE_ADDR="198.51.100.1").status_code == 302  # another visitor


@pytest.mark.parametrize("method", ["put", "delete", "patch"])
def test_other_methods_are_refused_not_crashing(client, method):
    assert getattr(client, method)(URL).status_code == 405


def test_subject_can_be_preselected_from_a_methodist_page(client, subjects, methodists):
    page = BeautifulSoup(client.get(URL + "?predmet=himiya").content, "html.parser")
    assert page.select_one("#id_subject option[selected]").get_text() == "Химия"
    page = BeautifulSoup(client.get(URL + "?predmet=net-takogo").content, "html.parser")
    assert page.select_one("#id_subject option[selected]")["value"] == ""  # «— выберите предмет —»


def test_acknowledgement_without_a_question_redirects_to_the_form(client):
    response = client.get("/vopros-metodistu/otpravlen/")
    assert response.status_code == 302 and response["Location"] == URL


def test_form_works_without_javascript_and_labels_every_field(client, subjects):
    page = BeautifulSoup(client.get(URL).content, "html.parser")
    form = page.select_one("form.question-form")
    assert form["method"] == "post" and not page.select("form.question-form script")
    for field in form.select("input:not([type=hidden]), select, textarea"):
        if field.find_parent(attrs={"hidden": True}):
            continue  # the honeypot is hidden from everyone
        assert form.select_one(f'label[for="{field["id"]}"]') is not None, field
    assert form.select_one('button[type="submit"]').get_text(strip=True) == "Отправить вопрос"

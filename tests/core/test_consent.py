"""The shared consent component: a separate versioned text per purpose, a record of what was accepted."""

import pytest
from bs4 import BeautifulSoup
from django import forms
from django.contrib.auth import get_user_model
from django.test import RequestFactory

from core.consent import PURPOSES, ConsentFormMixin, current_document, record_consent, register_purpose
from core.forms import PublicForm
from core.models import ConsentDocument, ConsentRecord, OutgoingEmail, SiteSettings
from core.wagtail_hooks import ReadOnlyPermissionPolicy
from tests.home.factories import StandardPageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def purpose():
    register_purpose("test_purpose", "Тестовая цель", "Согласие на обработку имени для теста.")
    yield "test_purpose"
    PURPOSES.pop("test_purpose", None)


class DemoForm(ConsentFormMixin, PublicForm):
    consent_purpose = "test_purpose"
    name = forms.CharField()


def test_first_use_publishes_the_registered_default_text(purpose):
    document = current_document(purpose)
    assert document.live and document.live_revision_id
    assert (document.title, document.text) == ("Тестовая цель", "Согласие на обработку имени для теста.")
    assert current_document(purpose).pk == document.pk  # no duplicate on the second call


def test_question_purpose_is_registered_by_the_methodists_app():
    assert "question" in PURPOSES
    assert "59-ФЗ" in PURPOSES["question"].default_text


def test_new_published_revision_is_a_new_version_and_old_records_keep_theirs(purpose, rf):
    first = record_consent(rf.post("/", REMOTE_ADDR="203.0.113.5"), purpose)
    document = current_document(purpose)
    document.text = "Новая редакция: имя хранится один год."
    document.save_revision().publish()
    second = record_consent(rf.post("/", REMOTE_ADDR="203.0.113.9"), purpose)
    assert first.revision_id != second.revision_id
    assert first.revision.content["text"] == "Согласие на обработку имени для теста."
    assert second.revision.content["text"] == "Новая редакция: имя хранится один год."
    assert first.subnet_hash == second.subnet_hash  # same /24, and no address is stored
    assert "203.0.113" not in first.subnet_hash


def test_draft_changes_do_not_change_the_version_visitors_accept(purpose, rf):
    document = current_document(purpose)
    live = document.live_revision_id
    document.text = "Черновик"
    document.save_revision()  # saved, not published
    assert current_document(purpose).live_revision_id == live
    assert record_consent(rf.post("/"), purpose).revision_id == live


def test_unpublished_text_is_republished_rather_than_leaving_a_form_without_consent(purpose):
    document = current_document(purpose)
    document.unpublish()
    document = current_document(purpose)
    assert document.live and document.live_revision_id


def test_form_requires_consent_and_accepts_it(purpose):
    assert not DemoForm({"name": "Анна"}).is_valid()
    form = DemoForm({"name": "Анна", "consent": "on"})
    assert form.is_valid()
    assert DemoForm({"name": "Анна"}).errors["consent"] == [
        "Без согласия на обработку персональных данных мы не можем принять форму."
    ]


def test_form_rejects_consent_to_an_outdated_text(purpose):
    old = str(current_document(purpose).live_revision_id)
    document = current_document(purpose)
    document.text = "Изменённый текст"
    document.save_revision().publish()
    form = DemoForm({"name": "Анна", "consent": "on", "consent_version": old})
    assert not form.is_valid()
    assert "Текст согласия обновился" in form.errors["consent"][0]


def test_component_renders_text_version_checkbox_and_policy(purpose, site, home_page):
    policy = StandardPageFactory(title="Политика", slug="politika")
    SiteSettings.objects.update_or_create(site=site, defaults={"privacy_policy_page": policy})
    request = RequestFactory().get("/")
    request.site = site
    html = str(DemoForm(request=request))  # the consent block comes with the form (core.forms)
    page = BeautifulSoup(html, "html.parser")
    document = current_document(purpose)
    assert page.select_one(".consent__text").get_text() == "Согласие на обработку имени для теста."
    assert f"редакция № {document.live_revision_id}" in page.get_text()
    assert page.find("a", string="Политика обработки персональных данных")["href"] == "/politika/"
    checkbox = page.select_one("input[type=checkbox]")
    assert checkbox["name"] == "consent" and page.select_one(f'label[for="{checkbox["id"]}"]')
    assert page.select_one(".consent__text")["tabindex"] == "0"  # scrollable text reachable by keyboard


@pytest.mark.parametrize("model", [ConsentRecord, OutgoingEmail])
@pytest.mark.parametrize("action", ["add", "change", "delete"])
def test_registers_are_read_only_even_for_superusers(model, action):
    admin = get_user_model().objects.create_superuser("root", "root@example.ru", "pass")
    policy = ReadOnlyPermissionPolicy(model)
    assert not policy.user_has_permission(admin, action)
    assert policy.user_has_permission(admin, "view")


def test_admin_lists_consent_register_in_russian(client, purpose, rf):
    record_consent(rf.post("/"), purpose)
    admin = get_user_model().objects.create_superuser("root", "root@example.ru", "pass")
    client.force_login(admin)
    listing = client.get("/admin/snippets/core/consentrecord/")
    assert listing.status_code == 200
    assert "Реестр согласий" in listing.content.decode() and "test_purpose" in listing.content.decode()
    assert client.get("/admin/snippets/core/consentrecord/add/").status_code in (302, 403)
    record = ConsentRecord.objects.get()
    assert client.get(f"/admin/snippets/core/consentrecord/edit/{record.pk}/").status_code in (302, 403)
    assert client.get(f"/admin/snippets/core/consentrecord/inspect/{record.pk}/").status_code == 200
    texts = client.get("/admin/snippets/core/consentdocument/")
    assert texts.status_code == 200 and "Тестовая цель" in texts.content.decode()
    assert "Действующая редакция" in texts.content.decode() and "редакция №" in texts.content.decode()


def test_editor_publishes_a_new_consent_version_in_the_admin(client, purpose):
    document = current_document(purpose)
    admin = get_user_model().objects.create_superuser("root", "root@example.ru", "pass")
    client.force_login(admin)
    response = client.post(
        f"/admin/snippets/core/consentdocument/edit/{document.pk}/",
        {"title": document.title, "purpose": purpose, "text": "Редакция 2", "action-publish": "action-publish"},
    )
    assert response.status_code == 302
    assert current_document(purpose).text == "Редакция 2"
    assert current_document(purpose).live_revision_id != document.live_revision_id
    assert ConsentDocument.objects.filter(purpose=purpose).count() == 1

"""An application sent from the site is moderated by the contest organisers, end to end (issue 9.2):
they are e-mailed, the entry is not locked for them, they edit it and approve it, and it goes live.
Methodists (who may edit pages in /contests/) and other staff can't approve it."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import mail
from django.test import Client
from django.urls import reverse
from wagtail.models import TaskState, WorkflowState

from contests.models import ContestEntryPage, ContestIndexPage
from contests.moderation import WORKFLOW_NAME
from core.permissions import EDITORS, METHODISTS, grant_all_sections

from .test_admin_jury_pages import _submission, open_for_entries  # noqa: F401 - the fixture is used by name

TITLE = "Квест «Лабиринт паролей»"


def staff(username, group_name):
    user = get_user_model().objects.create_user(username, f"{username}@imc.example.ru", "x", first_name=username)
    user.groups.add(Group.objects.get(name=group_name))
    return user


@pytest.fixture
def people(db):
    return {
        "organiser": staff("organizator", "Организаторы конкурсов"),
        "editor": staff("redaktor", EDITORS),
        "methodist": staff("metodist", METHODISTS),
    }


@pytest.fixture
def submitted(open_for_entries, people, settings):  # noqa: F811 - the imported fixture
    settings.ALTCHA_TEST_MODE = True
    grant_all_sections()  # methodists may edit pages in /contests/ like any content section
    mail.outbox.clear()
    response = _submission(open_for_entries)
    assert response.status_code == 200, response.content.decode()[:2000]
    return ContestEntryPage.objects.get(title=TITLE)


def current_task_state(entry):
    return TaskState.objects.get(
        workflow_state__object_id=str(entry.pk),
        workflow_state__status=WorkflowState.STATUS_IN_PROGRESS,
        status=TaskState.STATUS_IN_PROGRESS,
    )


def test_the_contests_section_has_the_organisers_workflow(open_for_entries):  # noqa: F811
    index = ContestIndexPage.objects.get()
    assert index.get_workflow().name == WORKFLOW_NAME
    task = index.get_workflow().tasks.get().specific
    assert set(task.groups.values_list("name", flat=True)) == {"Организаторы конкурсов", EDITORS}


def test_an_application_enters_the_organisers_moderation_and_they_are_mailed(submitted, people):
    entry = submitted
    assert not entry.live
    state = current_task_state(entry)
    assert state.workflow_state.workflow.name == WORKFLOW_NAME
    recipients = {address for message in mail.outbox for address in message.to}
    assert people["organiser"].email in recipients
    assert people["methodist"].email not in recipients
    organiser_mail = next(m for m in mail.outbox if people["organiser"].email in m.to)
    assert TITLE in organiser_mail.subject + organiser_mail.body


def test_the_organiser_opens_edits_and_approves_the_entry_in_the_admin(client, submitted, people):
    entry = submitted
    organiser = people["organiser"]
    permissions = entry.permissions_for_user(organiser)
    assert permissions.can_edit() and permissions.can_publish()
    assert not permissions.page_locked()  # «Страница заблокирована» before the fix

    client.force_login(organiser)
    edit_url = reverse("wagtailadmin_pages:edit", args=[entry.pk])
    response = client.get(edit_url)
    assert response.status_code == 200
    html = response.content.decode()
    state = current_task_state(entry)
    approve_url = reverse("wagtailadmin_pages:workflow_action", args=[entry.pk, "approve", state.pk])
    assert 'data-workflow-action-name="approve"' in html  # «Одобрить» is offered in the action menu

    entry.specific.authors = "Соколова Елена Андреевна, Петров Пётр Петрович"
    entry.specific.save_revision(user=organiser)  # what «Сохранить черновик» does
    assert entry.permissions_for_user(organiser).can_edit()

    response = client.post(approve_url, {"comment": ""})
    assert response.status_code in (200, 302)
    entry.refresh_from_db()
    assert entry.live
    assert entry.authors == "Соколова Елена Андреевна, Петров Пётр Петрович"
    assert WorkflowState.objects.get(object_id=str(entry.pk)).status == WorkflowState.STATUS_APPROVED


def test_a_methodist_cannot_approve_an_application(client, submitted, people):
    entry = submitted
    methodist = people["methodist"]
    assert entry.permissions_for_user(methodist).page_locked()
    state = current_task_state(entry)
    assert state.task.specific.get_actions(entry, methodist) == []
    client.force_login(methodist)
    client.post(reverse("wagtailadmin_pages:workflow_action", args=[entry.pk, "approve", state.pk]))
    entry.refresh_from_db()
    assert not entry.live


def test_editors_still_approve_as_a_fallback(client, submitted, people):
    entry = submitted
    state = current_task_state(entry)
    client.force_login(people["editor"])
    client.post(reverse("wagtailadmin_pages:workflow_action", args=[entry.pk, "approve", state.pk]), {"comment": ""})
    entry.refresh_from_db()
    assert entry.live


def test_the_entry_files_open_for_visitors_once_the_organiser_publishes_it(client, submitted, people):
    """The entry page lists its «Материалы»: sent from the site they were login-only, and stayed so after
    publication — a visitor clicking one was sent to the admin login."""
    entry = submitted
    document = entry.documents.get().document
    original = document.file.open("rb").read()
    document.file.close()
    visitor = Client()
    before = visitor.get(document.url)
    assert before.status_code == 302 and "login" in before["Location"]

    client.force_login(people["organiser"])
    state = current_task_state(entry)
    client.post(reverse("wagtailadmin_pages:workflow_action", args=[entry.pk, "approve", state.pk]), {"comment": ""})
    entry.refresh_from_db()
    assert entry.live

    assert f'href="{document.url}"' in visitor.get(entry.url).content.decode()
    after = visitor.get(document.url)
    assert after.status_code == 200
    assert b"".join(after.streaming_content) == original


def test_a_rejected_entry_keeps_its_files_private(client, submitted, people):
    entry = submitted
    document = entry.documents.get().document
    client.force_login(people["organiser"])
    state = current_task_state(entry)
    client.post(
        reverse("wagtailadmin_pages:workflow_action", args=[entry.pk, "reject", state.pk]), {"comment": "Нет файла"}
    )
    entry.refresh_from_db()
    assert not entry.live
    response = Client().get(document.url)
    assert response.status_code == 302 and "login" in response["Location"]

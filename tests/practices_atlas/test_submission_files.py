"""The files sent with «Предложить практику»: private while the practice is a draft, open to every visitor
once a methodist publishes it, and deleted with a draft deleted unpublished (they may hold personal data)."""

import os

import pytest
from django.test import Client
from wagtail.documents import get_document_model
from wagtail.models import Collection, CollectionViewRestriction, WorkflowState

from practices_atlas.models import PracticeAttachment, PracticePage
from practices_atlas.submissions import PUBLIC_COLLECTION, SUBMISSIONS_COLLECTION
from tests.core import samples

from .test_submission import (  # noqa: F401 - the autouse fixture is used by name
    TITLE,
    _altcha_test_mode,
    form_data,
    pdf,
    submit,
)

pytestmark = pytest.mark.django_db
Document = get_document_model()


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def sent_practice(atlas, vocab, files=2) -> PracticePage:
    response = submit(atlas, form_data(vocab, files=[pdf(f"plan-{n}.pdf") for n in range(files)]))
    assert response.status_code == 200, response.content.decode()[:2000]
    return PracticePage.objects.get(title=TITLE)


def documents_of(practice):
    return [attachment.document for attachment in practice.attachments.select_related("document")]


def methodist_acts(user, practice, action, comment=""):
    admin = Client()
    admin.force_login(user)
    task_state = WorkflowState.objects.get(object_id=str(practice.pk)).current_task_state
    response = admin.post(f"/admin/pages/workflow/action/{practice.pk}/{action}/{task_state.pk}/", {"comment": comment})
    assert response.status_code == 302
    practice.refresh_from_db()


def assert_login_only(url):
    response = Client().get(url)
    assert response.status_code == 302 and "login" in response["Location"], (url, response.status_code)


def test_files_are_private_in_moderation_and_open_for_visitors_once_published(atlas, vocab, methodist):
    practice = sent_practice(atlas, vocab)
    documents = documents_of(practice)
    assert len(documents) == 2
    for document in documents:
        assert_login_only(document.url)

    methodist_acts(methodist, practice, "approve")
    assert practice.live

    visitor = Client()
    page = visitor.get(practice.url).content.decode()
    for document in documents:
        assert f'href="{document.url}"' in page  # the link a visitor clicks on the practice page
        response = visitor.get(document.url)
        assert response.status_code == 200, response.get("Location")
        assert body(response) == samples.PDF
        document.refresh_from_db()
        assert document.collection.name == PUBLIC_COLLECTION
    public = Collection.objects.get(name=PUBLIC_COLLECTION)
    assert not CollectionViewRestriction.objects.filter(collection=public).exists()


def test_files_of_a_returned_practice_stay_private(atlas, vocab, methodist):
    practice = sent_practice(atlas, vocab, files=1)
    methodist_acts(methodist, practice, "reject", "Добавьте результаты.")
    assert not practice.live
    (document,) = documents_of(practice)
    assert_login_only(document.url)
    document.refresh_from_db()
    assert document.collection.name == SUBMISSIONS_COLLECTION


def test_publishing_leaves_files_an_editor_restricted_elsewhere_alone(atlas, vocab, methodist, make_practice):
    """Only the submissions' collection is released: a file the centre keeps behind a login stays there."""
    root = Collection.get_first_root_node()
    internal = root.add_child(name="Для сотрудников")
    CollectionViewRestriction.objects.create(collection=internal, restriction_type=CollectionViewRestriction.LOGIN)
    practice = sent_practice(atlas, vocab, files=1)
    kept = Document.objects.create(title="Служебная записка", collection=internal, file=pdf("zapiska.pdf"))
    PracticeAttachment.objects.create(page=practice, document=kept, sort_order=5)
    methodist_acts(methodist, practice, "approve")
    kept.refresh_from_db()
    assert kept.collection_id == internal.pk
    assert_login_only(kept.url)


def delete_as(user, practice, django_capture_on_commit_callbacks):
    admin = Client()
    admin.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(f"/admin/pages/{practice.pk}/delete/")
    assert response.status_code == 302, response.content.decode()[:2000]
    assert not PracticePage.objects.filter(pk=practice.pk).exists()


def test_deleting_a_draft_deletes_its_files_unless_something_else_uses_them(
    atlas,
    vocab,
    methodist,
    make_practice,
    django_capture_on_commit_callbacks,
):
    practice = sent_practice(atlas, vocab, files=3)
    private, shared, removed_in_draft = documents_of(practice)
    # One file is also attached to another practice; one was taken off the draft by a methodist (only the
    # draft's revision knows it); and the methodist attached a file of the centre's own.
    other = make_practice("Другая практика")
    PracticeAttachment.objects.create(page=other, document=shared, sort_order=0)
    draft = practice.get_latest_revision_as_object()
    draft.attachments = [a for a in draft.attachments.all() if a.document_id != removed_in_draft.pk]
    draft.save_revision()
    PracticeAttachment.objects.filter(page=practice, document=removed_in_draft).delete()
    own = Document.objects.create(title="Методичка ИМЦ", file=pdf("metodichka.pdf"))
    PracticeAttachment.objects.create(page=practice, document=own, sort_order=9)
    paths = {d.pk: d.file.path for d in (private, shared, removed_in_draft, own)}
    assert all(os.path.exists(path) for path in paths.values())

    delete_as(methodist, practice, django_capture_on_commit_callbacks)

    remaining = set(Document.objects.values_list("pk", flat=True))
    assert private.pk not in remaining and not os.path.exists(paths[private.pk])
    assert removed_in_draft.pk not in remaining and not os.path.exists(paths[removed_in_draft.pk])
    assert shared.pk in remaining and os.path.exists(paths[shared.pk])
    assert own.pk in remaining and os.path.exists(paths[own.pk])


def test_deleting_a_practice_once_published_keeps_its_files(
    atlas,
    vocab,
    methodist,
    django_capture_on_commit_callbacks,
):
    """Its files were public (visitors may have linked them) and hold nothing the sender did not publish."""
    practice = sent_practice(atlas, vocab, files=1)
    methodist_acts(methodist, practice, "approve")
    practice.unpublish()  # an editor takes it off the site; a methodist may then delete it
    (document,) = documents_of(practice)
    delete_as(methodist, practice, django_capture_on_commit_callbacks)
    assert Document.objects.filter(pk=document.pk).exists() and os.path.exists(document.file.path)


def test_the_migration_releases_the_files_of_practices_published_before_the_fix(atlas, vocab, make_practice):
    from importlib import import_module

    from django.apps import apps

    migration = import_module("practices_atlas.migrations.0005_release_published_files")
    draft = sent_practice(atlas, vocab, files=1)
    (private,) = documents_of(draft)
    published = make_practice("Опубликована до исправления")
    (stuck,) = Document.objects.filter(pk=private.pk)  # another row in the same login-only collection
    stuck.pk = None
    stuck.save()
    PracticeAttachment.objects.create(page=published, document=stuck, sort_order=0)
    assert_login_only(stuck.url)

    migration.forwards(apps, None)

    assert Client().get(stuck.url).status_code == 200
    assert_login_only(private.url)

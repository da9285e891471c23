"""What a section that takes files and pages from the public needs for moderation: a one-step
group-approval workflow, a collection only logged-in staff can open for the files of drafts, the move of
those files to a public collection when their page is published (release_documents), and their removal
when a draft nobody published is deleted (discard_documents). Contest applications and atlas submissions
use them with their own names and groups."""

from django.contrib.auth.models import Group
from wagtail.documents import get_document_model
from wagtail.models import (
    Collection,
    CollectionViewRestriction,
    GroupApprovalTask,
    ReferenceIndex,
    Workflow,
    WorkflowTask,
)


def group_workflow(name: str, task_name: str, group_names: list[str]) -> Workflow:
    """The workflow `name` (oldest of that name), created with one GroupApprovalTask for these groups if
    missing: migrations create it, and this rebuilds it if an administrator deleted it."""
    workflow = Workflow.objects.filter(name=name).order_by("pk").first()
    if workflow is not None:
        return workflow
    task = GroupApprovalTask.objects.create(name=task_name)
    task.groups.set(Group.objects.filter(name__in=group_names))
    workflow = Workflow.objects.create(name=name)
    WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    return workflow


def _top_collections(name: str):
    return Collection.get_first_root_node().get_children().filter(name=name)


def _top_collection(name: str) -> Collection:
    return _top_collections(name).first() or Collection.get_first_root_node().add_child(name=name)


def restricted_collection(name: str) -> Collection:
    """A top-level collection whose files only logged-in users can open (drafts' files before moderation)."""
    collection = _top_collection(name)
    if not CollectionViewRestriction.objects.filter(collection=collection).exists():
        CollectionViewRestriction.objects.create(
            collection=collection, restriction_type=CollectionViewRestriction.LOGIN
        )
    return collection


def release_documents(documents, public_collection_name: str, restricted_collection_name: str) -> int:
    """Moves those of `documents` that are in the login-only collection `restricted_collection_name` to the
    top-level collection `public_collection_name` (created without a view restriction if missing), so that
    anonymous visitors can open them from the page that now shows them; returns how many moved.

    Called when a page built from a public submission is published: before, its files answered visitors
    with a redirect to the admin login. Only files of that collection move, never one an editor put in
    another restricted collection on purpose. Each is saved (not updated in bulk) so the site search
    re-reads it."""
    restricted = set(_top_collections(restricted_collection_name).values_list("pk", flat=True))
    moving = [document for document in documents if document.collection_id in restricted]
    if not moving:
        return 0
    public = _top_collection(public_collection_name)
    for document in moving:
        document.collection = public
        document.save(update_fields=["collection"])
    return len(moving)


def document_in_use(document) -> bool:
    """Whether anything on the site uses the document: a row of a model Wagtail tracks (a page, a snippet or
    their inline children) pointing to it, or a reference the reference index knows (rich text, StreamField).
    Search indexes and other bookkeeping tables are not uses."""
    for relation in type(document)._meta.get_fields(include_hidden=True):
        if not (relation.auto_created and relation.is_relation and relation.related_model):
            continue
        if relation.related_model not in ReferenceIndex.tracked_models:
            continue
        if relation.related_model._base_manager.filter(**{relation.field.name: document}).exists():
            return True
    return ReferenceIndex.get_references_to(document).exists()


def discard_documents(document_ids, restricted_collection_name: str) -> int:
    """Deletes the documents among `document_ids` that are still in the login-only collection
    `restricted_collection_name` and used by nothing (document_in_use): files sent from the site with a
    draft that was deleted unpublished hold the sender's personal data and serve nobody. Wagtail deletes
    the file from storage after the commit. Run it once the draft's deletion is committed; returns how
    many went."""
    documents = get_document_model().objects.filter(
        pk__in=list(document_ids), collection__in=_top_collections(restricted_collection_name)
    )
    count = 0
    for document in documents:
        if not document_in_use(document):
            document.delete()
            count += 1
    return count


def release_live_documents(
    apps, link_model: str, page_field: str, public_collection_name: str, restricted_collection_name: str
) -> int:
    """For a data migration (historical models only): releases the documents of `restricted_collection_name`
    that a live page already shows through `link_model` (an inline model whose `page_field` is the page and
    `document` the document),
    as release_documents() does on every publish since. Pages published before that kept their files behind
    the admin login."""
    Collection = apps.get_model("wagtailcore.Collection")
    Document = apps.get_model("wagtaildocs.Document")
    Link = apps.get_model(link_model)
    shown = Link.objects.filter(**{f"{page_field}__live": True}).values("document_id")
    documents = Document.objects.filter(pk__in=shown, collection__depth=2, collection__name=restricted_collection_name)
    if not documents.exists():
        return 0
    root = Collection.objects.get(depth=1)
    tops = Collection.objects.filter(depth=2)
    public = tops.filter(name=public_collection_name).first()
    if public is None:  # treebeard's materialised path: four base-36 digits a level
        last = tops.order_by("-path").first()
        number = int(last.path[-4:], 36) + 1 if last else 1
        step = ""
        while number:
            number, rest = divmod(number, 36)
            step = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"[rest] + step
        public = Collection.objects.create(
            name=public_collection_name, path=root.path + step.rjust(4, "0"), depth=2, numchild=0
        )
        root.numchild = tops.count()
        root.save(update_fields=["numchild"])
    return documents.update(collection=public)

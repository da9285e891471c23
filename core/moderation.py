"""What a section that takes files and pages from the public needs for moderation: a one-step
group-approval workflow and a collection only logged-in staff can open. Contest applications and
atlas submissions use them with their own names and groups."""

from django.contrib.auth.models import Group
from wagtail.models import Collection, CollectionViewRestriction, GroupApprovalTask, Workflow, WorkflowTask


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


def restricted_collection(name: str) -> Collection:
    """A top-level collection whose files only logged-in users can open (drafts' files before moderation)."""
    root = Collection.get_first_root_node()
    collection = root.get_children().filter(name=name).first()
    if collection is None:
        collection = root.add_child(name=name)
    if not CollectionViewRestriction.objects.filter(collection=collection).exists():
        CollectionViewRestriction.objects.create(
            collection=collection, restriction_type=CollectionViewRestriction.LOGIN
        )
    return collection

"""The end of a moderation workflow. Imported by wagtail.models itself (WAGTAIL_FINISH_WORKFLOW_ACTION is read
while WorkflowState is defined), so this module imports nothing at load time."""


def publish_approved(workflow_state, user=None):
    """settings.WAGTAIL_FINISH_WORKFLOW_ACTION: an object a workflow approved is published by its approver.

    Wagtail's default publishes as the approver and refuses if they have no publish right of their own.
    The groups of a workflow's task (set in «Настройки → Процессы согласования») are the people trusted to
    approve what enters it: «Методисты» approve practices sent from the site (practices_atlas/submissions.py)
    and so publish them, while their own edits elsewhere still go to the editors' moderation. Only a task
    of the workflow the object is in offers «Одобрить», so this opens nothing else.
    """
    workflow_state.content_object.get_latest_revision().publish(user=user, skip_permission_checks=True)

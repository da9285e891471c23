"""Moderation of entries sent from the public form: starting it, and finding entries that never entered it.

Which workflow an entry enters is decided by Wagtail (the workflow assigned to the page or its
nearest ancestor); this module only starts it, so the choice of workflow stays elsewhere.
"""

from wagtail.models import WorkflowState

from .models import ContestEntryPage


def start_moderation(entry) -> WorkflowState | None:
    """Starts the entry's workflow (moderation); None when no workflow applies."""
    workflow = entry.get_workflow()
    if workflow is None:
        return None
    return workflow.start(entry, user=None)


def orphaned_submissions():
    """Drafts sent from the site (they carry the sender's consent) that never entered a workflow:
    before every application became one transaction, a failure after the draft was saved left such
    entries, which no moderator ever sees. Entries a moderator rejected or cancelled have a
    workflow state and are left alone."""
    return (
        ContestEntryPage.objects.filter(live=False, submission_consent__isnull=False)
        .filter(_specific_workflow_states__isnull=True)
        .order_by("pk")
    )

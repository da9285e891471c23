"""Contest entries are moderated by the contests' organisers, not by the site's editors.

The site-wide workflow «Согласование публикации» (core/0003) is approved by «Редакторы» only, and a
GroupApprovalTask locks the page for everyone else: organisers saw «Страница заблокирована», could
not edit or publish an application sent from the site, and were not notified. The contests section
therefore has its own workflow, «Модерация конкурсных заявок», whose one task is approved by
«Организаторы конкурсов» (editors too, as a fallback). Wagtail e-mails the task's group members
when an entry enters it. The workflow is created by migration contests/0005 and assigned to every
contests index page: by that migration for existing ones and by `attach_moderation_workflow` (a
post_save receiver, so `load_demo` and an editor creating /contests/ get it too) for new ones.

Starting moderation (start_moderation) leaves the choice of workflow to Wagtail: the one assigned to
the entry's nearest ancestor, i.e. this one under /contests/.
"""

from wagtail.models import Workflow, WorkflowPage, WorkflowState

from core.moderation import group_workflow
from core.permissions import EDITORS

from .models import ContestEntryPage

ORGANISERS = "Организаторы конкурсов"
WORKFLOW_NAME = "Модерация конкурсных заявок"
TASK_NAME = "Проверка заявки организатором конкурса"


def moderation_workflow() -> Workflow:
    """The contests' workflow (created by the migration; rebuilt here if someone deleted it)."""
    return group_workflow(WORKFLOW_NAME, TASK_NAME, [ORGANISERS, EDITORS])


def attach_moderation_workflow(index_page) -> None:
    WorkflowPage.objects.update_or_create(page=index_page, defaults={"workflow": moderation_workflow()})


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

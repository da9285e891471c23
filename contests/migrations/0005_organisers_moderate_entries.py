"""Organisers moderate their contests' entries: a workflow «Модерация конкурсных заявок» approved by
«Организаторы конкурсов» (and «Редакторы»), assigned to every contests index page; the organisers'
page rights on those pages are (re)granted. See contests/moderation.py."""

from django.db import migrations

ORGANISERS = "Организаторы конкурсов"
EDITORS = "Редакторы"
WORKFLOW_NAME = "Модерация конкурсных заявок"
TASK_NAME = "Проверка заявки организатором конкурса"
ORGANISER_PAGE_PERMISSIONS = ("add_page", "change_page", "publish_page", "lock_page", "unlock_page")


def forwards(apps, schema_editor):
    Group = apps.get_model("auth.Group")
    Permission = apps.get_model("auth.Permission")
    ContentType = apps.get_model("contenttypes.ContentType")
    Workflow = apps.get_model("wagtailcore.Workflow")
    WorkflowTask = apps.get_model("wagtailcore.WorkflowTask")
    WorkflowPage = apps.get_model("wagtailcore.WorkflowPage")
    GroupApprovalTask = apps.get_model("wagtailcore.GroupApprovalTask")
    GroupPagePermission = apps.get_model("wagtailcore.GroupPagePermission")
    ContestIndexPage = apps.get_model("contests.ContestIndexPage")

    organisers, _ = Group.objects.get_or_create(name=ORGANISERS)
    groups = [organisers, *Group.objects.filter(name=EDITORS)]

    workflow = Workflow.objects.filter(name=WORKFLOW_NAME).order_by("pk").first()
    if workflow is None:
        task_type, _ = ContentType.objects.get_or_create(app_label="wagtailcore", model="groupapprovaltask")
        task = GroupApprovalTask.objects.create(name=TASK_NAME, content_type=task_type, active=True)
        task.groups.set(groups)
        workflow = Workflow.objects.create(name=WORKFLOW_NAME, active=True)
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)

    page_permissions = list(
        Permission.objects.filter(content_type__app_label="wagtailcore", codename__in=ORGANISER_PAGE_PERMISSIONS)
    )
    for index in ContestIndexPage.objects.all():
        WorkflowPage.objects.update_or_create(page_id=index.pk, defaults={"workflow": workflow})
        for permission in page_permissions:
            GroupPagePermission.objects.get_or_create(group=organisers, page_id=index.pk, permission=permission)


def backwards(apps, schema_editor):
    apps.get_model("wagtailcore.Workflow").objects.filter(name=WORKFLOW_NAME).delete()
    apps.get_model("wagtailcore.Task").objects.filter(name=TASK_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("contests", "0004_confirm_vote_function"),
        ("core", "0003_editor_groups"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]

"""Editors' groups, division collections and the moderation workflow — created here, never by hand.

See core/permissions.py for the design: «Редакторы» publish anywhere under the home page,
«Методисты» add and edit (no publish) only in the content sections, which get their permission when
they are published (methodists/apps.py) or by `manage.py grant_section_permissions`.
Wagtail's own default groups are reused: "Moderators" becomes «Редакторы» (so the default workflow's
approval task keeps its group) and "Editors" becomes «Методисты» with its site-wide rights removed.
"""

from django.db import migrations

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
STEPLEN = 4

METHODISTS = "Методисты"
EDITORS = "Редакторы"
CONTEST_ORGANISERS = "Организаторы конкурсов"
ADMINISTRATORS = "Администраторы"

DIVISION_COLLECTIONS = ["Методический отдел", "Центр информатизации", "Центр оценки качества образования"]
SVEDEN_COLLECTION = "Сведения об образовательной организации"

WORKFLOW_NAME = "Согласование публикации"
TASK_NAME = "Проверка и публикация редактором"

MEDIA = [("wagtailimages", "image"), ("wagtaildocs", "document")]


def _permission(apps, app_label, model, codename, name=None):
    ContentType = apps.get_model("contenttypes.ContentType")
    Permission = apps.get_model("auth.Permission")
    content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type, codename=codename, defaults={"name": name or f"Can {codename.replace('_', ' ')}"}
    )
    return permission


def _child_collection(apps, parent, name):
    Collection = apps.get_model("wagtailcore.Collection")
    children = Collection.objects.filter(depth=parent.depth + 1, path__startswith=parent.path)
    existing = children.filter(name=name).first()
    if existing:
        return existing
    last = children.order_by("-path").first()
    number = int(last.path[-STEPLEN:], len(ALPHABET)) + 1 if last else 1
    step = ""
    while number:
        number, rem = divmod(number, len(ALPHABET))
        step = ALPHABET[rem] + step
    collection = Collection.objects.create(
        name=name, path=parent.path + step.rjust(STEPLEN, "0"), depth=parent.depth + 1, numchild=0
    )
    parent.numchild = children.count()
    parent.save(update_fields=["numchild"])
    return collection


def _group(apps, name, wagtail_default=None):
    Group = apps.get_model("auth.Group")
    group = Group.objects.filter(name=name).first()
    if group is None and wagtail_default:
        group = Group.objects.filter(name=wagtail_default).first()
        if group is not None:
            group.name = name
            group.save(update_fields=["name"])
    if group is None:
        group = Group.objects.create(name=name)
    return group


def create_groups(apps, schema_editor):
    Page = apps.get_model("wagtailcore.Page")
    Site = apps.get_model("wagtailcore.Site")
    Collection = apps.get_model("wagtailcore.Collection")
    GroupPagePermission = apps.get_model("wagtailcore.GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore.GroupCollectionPermission")
    Workflow = apps.get_model("wagtailcore.Workflow")
    WorkflowTask = apps.get_model("wagtailcore.WorkflowTask")
    WorkflowPage = apps.get_model("wagtailcore.WorkflowPage")
    GroupApprovalTask = apps.get_model("wagtailcore.GroupApprovalTask")
    ContentType = apps.get_model("contenttypes.ContentType")

    def page_perm(codename):
        return _permission(apps, "wagtailcore", "page", codename)

    def model_perms(app_label, model, actions):
        return [_permission(apps, app_label, model, f"{action}_{model}") for action in actions]

    access_admin = _permission(apps, "wagtailadmin", "admin", "access_admin", "Can access Wagtail admin")

    editors = _group(apps, EDITORS, "Moderators")
    methodists = _group(apps, METHODISTS, "Editors")
    organisers = _group(apps, CONTEST_ORGANISERS)
    administrators = _group(apps, ADMINISTRATORS)
    groups = [editors, methodists, organisers, administrators]

    # Start from a clean slate: Wagtail's defaults gave both groups rights on the whole tree.
    GroupPagePermission.objects.filter(group__in=[editors, methodists]).exclude(page__depth__gt=2).delete()
    GroupCollectionPermission.objects.filter(group__in=groups).delete()
    for group in groups:
        # Model-level image/document rights from Wagtail's defaults are replaced by collection rights below.
        group.permissions.set([access_admin])

    # Pages. Editors: the whole site (every site root); administrators: the tree root.
    root_page = Page.objects.get(depth=1)
    site_roots = [site.root_page_id for site in Site.objects.all()] or [
        page.pk for page in Page.objects.filter(depth=2)
    ]
    editor_page_perms = [page_perm(c) for c in ("add_page", "change_page", "publish_page", "lock_page", "unlock_page")]
    for page_id in site_roots:
        for permission in editor_page_perms:
            GroupPagePermission.objects.get_or_create(group=editors, page_id=page_id, permission=permission)
    admin_page_perms = editor_page_perms + [page_perm("bulk_delete_page")]
    for permission in admin_page_perms:
        GroupPagePermission.objects.get_or_create(group=administrators, page=root_page, permission=permission)

    # Collections: one per division, plus one for the documents of /sveden/.
    root_collection = Collection.objects.get(depth=1)
    divisions = [_child_collection(apps, root_collection, name) for name in DIVISION_COLLECTIONS]
    _child_collection(apps, root_collection, SVEDEN_COLLECTION)

    def grant_collection(group, collection, actions):
        for app_label, model in MEDIA:
            for action in actions:
                permission = _permission(apps, app_label, model, f"{action}_{model}")
                GroupCollectionPermission.objects.get_or_create(
                    group=group, collection=collection, permission=permission
                )

    grant_collection(editors, root_collection, ["add", "change", "delete", "choose"])
    grant_collection(administrators, root_collection, ["add", "change", "delete", "choose"])
    grant_collection(methodists, root_collection, ["choose"])
    for collection in divisions:
        grant_collection(methodists, collection, ["add", "choose"])  # add: upload and edit their own files
    grant_collection(organisers, root_collection, ["add", "choose"])

    # Snippets and registers.
    editors.permissions.add(
        *model_perms("methodists", "subject", ["add", "change", "delete", "view"]),
        *model_perms("methodists", "question", ["change", "view"]),
        *model_perms("core", "consentdocument", ["add", "change", "publish", "view"]),
        *model_perms("core", "consentrecord", ["view"]),
        *model_perms("core", "outgoingemail", ["view"]),
        *model_perms("home", "sitesettings", ["change"]),
    )
    methodists.permissions.add(*model_perms("methodists", "question", ["change", "view"]))
    organisers.permissions.add(*model_perms("core", "outgoingemail", ["view"]))
    administrators.permissions.add(
        *model_perms("methodists", "subject", ["add", "change", "delete", "view"]),
        *model_perms("methodists", "question", ["change", "delete", "view"]),
        *model_perms("core", "consentdocument", ["add", "change", "delete", "publish", "view"]),
        *model_perms("core", "consentrecord", ["view"]),
        *model_perms("core", "outgoingemail", ["view"]),
        *model_perms("home", "sitesettings", ["change"]),
        *model_perms("auth", "user", ["add", "change", "delete", "view"]),
        *model_perms("auth", "group", ["add", "change", "delete", "view"]),
        *model_perms("wagtailredirects", "redirect", ["add", "change", "delete"]),
        *model_perms("wagtailcore", "workflow", ["add", "change", "delete"]),
        *model_perms("wagtailcore", "task", ["add", "change", "delete"]),
    )

    # Moderation: one workflow on the whole tree, approved by «Редакторы».
    task_type, _ = ContentType.objects.get_or_create(app_label="wagtailcore", model="groupapprovaltask")
    task = GroupApprovalTask.objects.filter(groups=editors, active=True).order_by("pk").first()
    if task is None:
        task = GroupApprovalTask.objects.create(name=TASK_NAME, content_type=task_type, active=True)
    task.name = TASK_NAME
    task.save(update_fields=["name"])
    task.groups.set([editors])
    workflow = Workflow.objects.filter(workflow_tasks__task=task, active=True).order_by("pk").first()
    if workflow is None:
        workflow = Workflow.objects.create(name=WORKFLOW_NAME, active=True)
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    workflow.name = WORKFLOW_NAME
    workflow.save(update_fields=["name"])
    WorkflowPage.objects.update_or_create(page=root_page, defaults={"workflow": workflow})


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_outgoing_email"),
        ("home", "0002_create_homepage"),
        ("methodists", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, migrations.RunPython.noop)]

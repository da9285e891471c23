"""«Методисты», «Редакторы» and «Администраторы» keep the section's registers (documents, sites, topics) and
its helpline block, and see the quiz statistics; «Редакторы» and «Администраторы» may also delete entries.
(Page rights come with the section: core/permissions.py.)"""

from django.db import migrations

REGISTERS = ["normativedocument", "saferesource", "topic"]
GROUPS = {
    "Методисты": ["add", "change", "view"],
    "Редакторы": ["add", "change", "delete", "view"],
    "Администраторы": ["add", "change", "delete", "view"],
}


def _permission(apps, model, codename):
    ContentType = apps.get_model("contenttypes.ContentType")
    Permission = apps.get_model("auth.Permission")
    content_type, _ = ContentType.objects.get_or_create(app_label="safe_internet", model=model)
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type, codename=codename, defaults={"name": f"Can {codename.replace('_', ' ')}"}
    )
    return permission


def grant(apps, schema_editor):
    Group = apps.get_model("auth.Group")
    for name, actions in GROUPS.items():
        group = Group.objects.filter(name=name).first()
        if group is None:
            continue
        permissions = [_permission(apps, model, f"{action}_{model}") for model in REGISTERS for action in actions]
        permissions.append(_permission(apps, "safeinternetsettings", "change_safeinternetsettings"))
        permissions.append(_permission(apps, "quizanswercount", "view_quizanswercount"))
        group.permissions.add(*permissions)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth.Group")
    Permission = apps.get_model("auth.Permission")
    own = Permission.objects.filter(content_type__app_label="safe_internet")
    for group in Group.objects.filter(name__in=GROUPS):
        group.permissions.remove(*own)


class Migration(migrations.Migration):
    dependencies = [
        ("safe_internet", "0007_quizzes"),
        ("core", "0003_editor_groups"),
    ]

    operations = [migrations.RunPython(grant, revoke)]

"""«Методисты» add and edit the atlas's vocabularies and choose the «Практика месяца»; «Редакторы» and
«Администраторы» may also delete vocabulary entries. (Page rights come with the section: core/permissions.py.)"""

from django.db import migrations

VOCABULARIES = ["practicetype", "educationlevel", "targetgroup", "project", "cluster", "organisation"]
GROUPS = {
    "Методисты": ["add", "change", "view"],
    "Редакторы": ["add", "change", "delete", "view"],
    "Администраторы": ["add", "change", "delete", "view"],
}


def _permission(apps, model, codename):
    ContentType = apps.get_model("contenttypes.ContentType")
    Permission = apps.get_model("auth.Permission")
    content_type, _ = ContentType.objects.get_or_create(app_label="practices_atlas", model=model)
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
        permissions = [_permission(apps, model, f"{action}_{model}") for model in VOCABULARIES for action in actions]
        permissions.append(_permission(apps, "atlassettings", "change_atlassettings"))
        group.permissions.add(*permissions)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth.Group")
    Permission = apps.get_model("auth.Permission")
    atlas = Permission.objects.filter(content_type__app_label="practices_atlas")
    for group in Group.objects.filter(name__in=GROUPS):
        group.permissions.remove(*atlas)


class Migration(migrations.Migration):
    dependencies = [
        ("practices_atlas", "0001_initial"),
        ("core", "0003_editor_groups"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]

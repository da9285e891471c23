"""The section is created by 0002 without a publish, so core.permissions' page_published receiver never gave
«Методисты» their page rights on it: add and change (never publish) on /safe-internet/ and below, as every
content section has (core/permissions.py)."""

from django.db import migrations

CODENAMES = ("add_page", "change_page")


def _section_and_group(apps):
    Group = apps.get_model("auth.Group")
    Page = apps.get_model("wagtailcore.Page")
    return (
        Page.objects.filter(slug="safe-internet", depth=3).first(),
        Group.objects.filter(name="Методисты").first(),
    )


def grant(apps, schema_editor):
    section, group = _section_and_group(apps)
    if section is None or group is None:
        return
    ContentType = apps.get_model("contenttypes.ContentType")
    Permission = apps.get_model("auth.Permission")
    GroupPagePermission = apps.get_model("wagtailcore.GroupPagePermission")
    page_type, _ = ContentType.objects.get_or_create(app_label="wagtailcore", model="page")
    for codename in CODENAMES:
        permission, _ = Permission.objects.get_or_create(
            content_type=page_type, codename=codename, defaults={"name": f"Can {codename.replace('_', ' ')}"}
        )
        GroupPagePermission.objects.get_or_create(group=group, page=section, permission=permission)


def revoke(apps, schema_editor):
    section, group = _section_and_group(apps)
    if section is None or group is None:
        return
    GroupPagePermission = apps.get_model("wagtailcore.GroupPagePermission")
    GroupPagePermission.objects.filter(group=group, page=section, permission__codename__in=CODENAMES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("safe_internet", "0008_editor_rights"),
        ("core", "0003_editor_groups"),
    ]

    operations = [migrations.RunPython(grant, revoke)]

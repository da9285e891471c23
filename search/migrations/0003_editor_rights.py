"""«Методисты», «Редакторы» and «Администраторы» keep the synonym table, see the search reports
(search/reports.py) and manage editors' picks (wagtail.contrib.search_promotions)."""

from django.db import migrations

GROUPS = ("Методисты", "Редакторы", "Администраторы")
RIGHTS = [
    ("search", "searchsynonym", ["add", "change", "delete", "view"]),
    ("search", "noresultquery", ["view"]),
    ("wagtailsearchpromotions", "searchpromotion", ["add", "change", "delete"]),
]


def _permissions(apps):
    ContentType = apps.get_model("contenttypes.ContentType")
    Permission = apps.get_model("auth.Permission")
    for app_label, model, actions in RIGHTS:
        content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
        for action in actions:
            codename = f"{action}_{model}"
            permission, _ = Permission.objects.get_or_create(
                content_type=content_type, codename=codename, defaults={"name": f"Can {action} {model}"}
            )
            yield permission


def grant(apps, schema_editor):
    Group = apps.get_model("auth.Group")
    permissions = list(_permissions(apps))
    for group in Group.objects.filter(name__in=GROUPS):
        group.permissions.add(*permissions)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth.Group")
    permissions = list(_permissions(apps))
    for group in Group.objects.filter(name__in=GROUPS):
        group.permissions.remove(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0002_postgres_indexes"),
        ("core", "0003_editor_groups"),
        ("wagtailsearchpromotions", "0001_initial"),
    ]

    operations = [migrations.RunPython(grant, revoke)]

"""Events choose their subject from the site's one list, core.Subject; this app's own list goes.

The list is merged by name into core.Subject and every reference re-pointed — event pages, their
revisions, the admin history and rights (core/migrations/_subjects.py says how). The new column is
added beside the old one, filled, and takes its name, so nothing is lost half-way.
"""

import django.db.models.deletion
from django.db import migrations, models

from core.migrations._subjects import (
    check_constraints_now,
    copy_back,
    merge_subjects,
    move_admin_records,
    repoint_foreign_key,
    repoint_revisions,
)


def forwards(apps, schema_editor):
    mapping = merge_subjects(apps, "events")
    repoint_foreign_key(apps, "events", "EventPage", "subject", "core_subject", mapping)
    repoint_revisions(apps, "events", "EventPage", "subject", mapping)
    move_admin_records(apps, "events", mapping)
    check_constraints_now(schema_editor)


def backwards(apps, schema_editor):
    mapping = copy_back(apps, "events")
    repoint_foreign_key(apps, "events", "EventPage", "core_subject", "subject", mapping)
    check_constraints_now(schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0001_initial"),
        ("core", "0006_subject"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailsearch", "0010_add_text_fields"),
        ("wagtailadmin", "0006_formstate"),
    ]

    operations = [
        migrations.AddField(
            model_name="eventpage",
            name="core_subject",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="core.subject",
            ),
        ),
        migrations.RunPython(forwards, backwards),
        migrations.RemoveField(model_name="eventpage", name="subject"),
        migrations.RenameField(model_name="eventpage", old_name="core_subject", new_name="subject"),
        migrations.AlterField(
            model_name="eventpage",
            name="subject",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="events",
                to="core.subject",
                verbose_name="Предмет / направление",
            ),
        ),
        migrations.DeleteModel(name="Subject"),
    ]

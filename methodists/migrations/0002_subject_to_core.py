"""Methodists' pages and the questions to them use the site's one subject list, core.Subject.

The methodists' own list is merged by name into core.Subject and every reference re-pointed — the
pages' subjects, their revisions, the questions, the admin history, and the right of «Редакторы» and
«Администраторы» to edit the list (core/migrations/_subjects.py says how). New columns are added
beside the old ones, filled, and take their names, so nothing is lost half-way.
"""

import django.db.models.deletion
import modelcluster.fields
from django.db import migrations, models

from core.migrations._subjects import (
    check_constraints_now,
    copy_back,
    merge_subjects,
    move_admin_records,
    repoint_foreign_key,
    repoint_many_to_many,
    repoint_revisions,
)


def forwards(apps, schema_editor):
    mapping = merge_subjects(apps, "methodists")
    repoint_many_to_many(apps, "methodists", "MethodistPage", "subjects", "core_subjects", mapping)
    repoint_foreign_key(apps, "methodists", "Question", "subject", "core_subject", mapping)
    repoint_revisions(apps, "methodists", "MethodistPage", "subjects", mapping)
    move_admin_records(apps, "methodists", mapping)
    check_constraints_now(schema_editor)


def backwards(apps, schema_editor):
    mapping = copy_back(apps, "methodists")
    repoint_many_to_many(apps, "methodists", "MethodistPage", "core_subjects", "subjects", mapping)
    repoint_foreign_key(apps, "methodists", "Question", "core_subject", "subject", mapping)
    check_constraints_now(schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("methodists", "0001_initial"),
        ("core", "0006_subject"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailsearch", "0010_add_text_fields"),
        ("wagtailadmin", "0006_formstate"),
    ]

    operations = [
        # Nullable for the time being, so that the migration can be reversed.
        migrations.AlterField(
            model_name="question",
            name="subject",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="questions",
                to="methodists.subject",
                verbose_name="Предмет",
            ),
        ),
        migrations.AddField(
            model_name="question",
            name="core_subject",
            field=models.ForeignKey(
                null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to="core.subject"
            ),
        ),
        migrations.AddField(
            model_name="methodistpage",
            name="core_subjects",
            field=modelcluster.fields.ParentalManyToManyField(blank=True, related_name="+", to="core.subject"),
        ),
        migrations.RunPython(forwards, backwards),
        migrations.RemoveField(model_name="question", name="subject"),
        migrations.RemoveField(model_name="methodistpage", name="subjects"),
        migrations.RenameField(model_name="question", old_name="core_subject", new_name="subject"),
        migrations.RenameField(model_name="methodistpage", old_name="core_subjects", new_name="subjects"),
        migrations.AlterField(
            model_name="question",
            name="subject",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="methodist_questions",
                to="core.subject",
                verbose_name="Предмет",
            ),
        ),
        migrations.AlterField(
            model_name="methodistpage",
            name="subjects",
            field=modelcluster.fields.ParentalManyToManyField(
                blank=True, related_name="methodist_pages", to="core.subject", verbose_name="Предметы и направления"
            ),
        ),
        migrations.DeleteModel(name="Subject"),
    ]

"""Documents sent with a contest application stayed in the login-only collection after the entry was
published, so visitors clicking «Материалы» on the entry page were sent to the admin login. Publishing now
moves them to a public collection (contests.submissions.release_files); this does it for the entries
already live."""

from django.db import migrations

from core.moderation import release_live_documents

SUBMISSIONS_COLLECTION = "Конкурсы: заявки с сайта"
PUBLIC_COLLECTION = "Конкурсы: материалы опубликованных работ"


def forwards(apps, schema_editor):
    release_live_documents(apps, "contests.EntryDocument", "entry", PUBLIC_COLLECTION, SUBMISSIONS_COLLECTION)


class Migration(migrations.Migration):
    dependencies = [
        ("contests", "0005_organisers_moderate_entries"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtaildocs", "0014_alter_document_file_size"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]

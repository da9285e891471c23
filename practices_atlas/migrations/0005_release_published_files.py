"""Files sent with «Предложить практику» stayed in the login-only collection after the practice was
published, so visitors clicking them were sent to the admin login. Publishing now moves them to a public
collection (practices_atlas.submissions.release_files); this does it for the practices already live."""

from django.db import migrations

from core.moderation import release_live_documents

SUBMISSIONS_COLLECTION = "Атлас практик: материалы с сайта"
PUBLIC_COLLECTION = "Атлас практик: материалы опубликованных практик"


def forwards(apps, schema_editor):
    release_live_documents(
        apps, "practices_atlas.PracticeAttachment", "page", PUBLIC_COLLECTION, SUBMISSIONS_COLLECTION
    )


class Migration(migrations.Migration):
    dependencies = [
        ("practices_atlas", "0004_submission"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtaildocs", "0014_alter_document_file_size"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]

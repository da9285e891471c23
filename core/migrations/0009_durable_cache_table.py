"""The table of the `durable` cache (settings: captcha replay records, rate limits' fallback)."""

from django.core.management import call_command
from django.db import migrations


def create(apps, schema_editor):
    call_command("createcachetable", "core_durable_cache", database=schema_editor.connection.alias, verbosity=0)


def drop(apps, schema_editor):
    schema_editor.execute("DROP TABLE IF EXISTS core_durable_cache")


class Migration(migrations.Migration):
    dependencies = [("core", "0008_outgoing_email_token_hashes")]

    operations = [migrations.RunPython(create, drop)]

"""Registration tokens stop being stored in plain text (core.tokens): each becomes a RegistrationLink
holding its SHA-256, so the links in e-mails already sent keep working, and the plain column goes.

Reversible in structure only: a hash cannot be turned back into the token people hold, so after a
rollback the plain column comes back empty of the old keys and links already sent stop working.
"""

import hashlib

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models


def hash_existing_tokens(apps, schema_editor):
    Registration = apps.get_model("events", "Registration")
    RegistrationLink = apps.get_model("events", "RegistrationLink")
    links = [
        RegistrationLink(
            registration_id=pk,
            token_hash=hashlib.sha256(token.encode()).hexdigest(),
            created_at=created_at,
        )
        for pk, token, created_at in Registration.objects.values_list("pk", "token", "created_at").iterator()
    ]
    RegistrationLink.objects.bulk_create(links, batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0002_subject_to_core"),
    ]

    operations = [
        migrations.CreateModel(
            name="RegistrationLink",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("token_hash", models.CharField(editable=False, max_length=64, unique=True)),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now, editable=False)),
                (
                    "registration",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="links",
                        to="events.registration",
                    ),
                ),
            ],
            options={
                "verbose_name": "Ссылка из письма о регистрации",
                "verbose_name_plural": "Ссылки из писем о регистрации",
            },
        ),
        migrations.RunPython(hash_existing_tokens, reverse_code=migrations.RunPython.noop),
        migrations.RemoveField(
            model_name="registration",
            name="token",
        ),
    ]

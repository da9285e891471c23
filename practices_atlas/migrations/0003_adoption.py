"""«Внедрили у себя»: the Adoption table (one confirmed adoption per practice and organisation, by a partial
unique index) and who sees it in the admin: «Методисты», «Редакторы» and «Администраторы» view, annotate and
delete reports; nobody adds them there (practices_atlas/wagtail_hooks.py)."""

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models

GROUPS = ("Методисты", "Редакторы", "Администраторы")
ACTIONS = ("view", "change", "delete")


def grant(apps, schema_editor):
    ContentType = apps.get_model("contenttypes.ContentType")
    Permission = apps.get_model("auth.Permission")
    Group = apps.get_model("auth.Group")
    content_type, _ = ContentType.objects.get_or_create(app_label="practices_atlas", model="adoption")
    permissions = [
        Permission.objects.get_or_create(
            content_type=content_type, codename=f"{action}_adoption", defaults={"name": f"Can {action} adoption"}
        )[0]
        for action in ACTIONS
    ]
    for group in Group.objects.filter(name__in=GROUPS):
        group.permissions.add(*permissions)


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth.Permission")
    Permission.objects.filter(content_type__app_label="practices_atlas", content_type__model="adoption").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0008_outgoing_email_token_hashes"),
        ("practices_atlas", "0002_editor_rights"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.CreateModel(
            name="Adoption",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("comment", models.TextField(max_length=500, verbose_name="Что и как внедрили")),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("pending", "ждёт подтверждения по почте"),
                            ("confirmed", "подтверждено"),
                            ("duplicate", "повтор: организация уже отмечена"),
                            ("expired", "не подтверждено вовремя"),
                        ],
                        default="pending",
                        max_length=10,
                        verbose_name="Состояние",
                    ),
                ),
                (
                    "created_at",
                    models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name="Отправлено"),
                ),
                ("expires_at", models.DateTimeField(verbose_name="Ссылка действует до")),
                ("confirmed_at", models.DateTimeField(blank=True, null=True, verbose_name="Подтверждено")),
                (
                    "token_hash",
                    models.CharField(
                        editable=False, max_length=64, unique=True, verbose_name="Хеш ссылки подтверждения"
                    ),
                ),
                (
                    "email",
                    models.EmailField(
                        blank=True, editable=False, max_length=254, verbose_name="E-mail для подтверждения"
                    ),
                ),
                (
                    "methodist_note",
                    models.TextField(
                        blank=True,
                        help_text="Видна только в админке: например, как проверили внедрение.",
                        verbose_name="Заметка методиста",
                    ),
                ),
                (
                    "consent",
                    models.ForeignKey(
                        editable=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="core.consentrecord",
                        verbose_name="Согласие",
                    ),
                ),
                (
                    "organisation",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="adoptions",
                        to="practices_atlas.organisation",
                        verbose_name="Организация",
                    ),
                ),
                (
                    "outgoing",
                    models.ForeignKey(
                        blank=True,
                        editable=False,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="core.outgoingemail",
                        verbose_name="Письмо со ссылкой",
                    ),
                ),
                (
                    "practice",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="adoptions",
                        to="practices_atlas.practicepage",
                        verbose_name="Практика",
                    ),
                ),
            ],
            options={
                "verbose_name": "Внедрение практики",
                "verbose_name_plural": "Внедрения практик",
                "ordering": ["-created_at", "-pk"],
                "constraints": [
                    models.UniqueConstraint(
                        condition=models.Q(("status", "confirmed")),
                        fields=("practice", "organisation"),
                        name="practices_atlas_adoption_one_confirmed",
                        violation_error_message="Эта организация уже отмечена как внедрившая практику.",
                    )
                ],
            },
        ),
        migrations.RunPython(grant, revoke),
    ]

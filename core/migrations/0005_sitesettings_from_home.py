"""SiteSettings moves from home to core (issue 10: core imports no app); its table stays home_sitesettings.

Only Django's state moves (home/0003 removes it there). The content type row is renamed from home to
core, so the permissions on it — «change_sitesettings», which core/0003 gives to «Редакторы» and
«Администраторы» — and every log entry keep pointing at the settings, and no second row is created.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def rename_content_type(apps, schema_editor):
    ContentType = apps.get_model("contenttypes.ContentType")
    Permission = apps.get_model("auth.Permission")
    old = ContentType.objects.filter(app_label="home", model="sitesettings").first()
    if old is None:
        return  # nothing to carry over: post_migrate creates core's row
    new = ContentType.objects.filter(app_label="core", model="sitesettings").first()
    if new is None:
        old.app_label = "core"
        old.save(update_fields=["app_label"])
        return
    # Both exist (core's row was made before this ran): carry the groups' and users' rights over.
    for permission in Permission.objects.filter(content_type=old):
        target, _ = Permission.objects.get_or_create(
            content_type=new, codename=permission.codename, defaults={"name": permission.name}
        )
        for group in permission.group_set.all():
            group.permissions.add(target)
        for user in permission.user_set.all():
            user.user_permissions.add(target)
    old.delete()


def restore_content_type(apps, schema_editor):
    ContentType = apps.get_model("contenttypes.ContentType")
    if not ContentType.objects.filter(app_label="home", model="sitesettings").exists():
        ContentType.objects.filter(app_label="core", model="sitesettings").update(app_label="home")


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0004_outgoing_email_message_fields"),
        ("home", "0002_create_homepage"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("wagtailcore", "0098_apitoken"),
        migrations.swappable_dependency(settings.WAGTAIL_PAGE_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="SiteSettings",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        (
                            "org_full_name",
                            models.CharField(
                                default="Государственное бюджетное учреждение дополнительного профессионального образования информационно-методический центр Центрального района Санкт-Петербурга",
                                max_length=300,
                                verbose_name="Полное наименование",
                            ),
                        ),
                        (
                            "org_short_name",
                            models.CharField(
                                default="ГБУ ИМЦ Центрального района",
                                max_length=120,
                                verbose_name="Краткое наименование",
                            ),
                        ),
                        ("address", models.CharField(blank=True, max_length=300, verbose_name="Адрес")),
                        ("phone", models.CharField(blank=True, max_length=100, verbose_name="Телефон")),
                        (
                            "phone_extra",
                            models.CharField(blank=True, max_length=100, verbose_name="Дополнительный телефон"),
                        ),
                        ("email", models.EmailField(blank=True, max_length=254, verbose_name="E-mail")),
                        ("work_time", models.CharField(blank=True, max_length=200, verbose_name="Режим работы")),
                        ("vk_url", models.URLField(blank=True, verbose_name="Официальная страница ВКонтакте")),
                        ("ok_url", models.URLField(blank=True, verbose_name="Официальная страница в Одноклассниках")),
                        ("telegram_url", models.URLField(blank=True, verbose_name="Канал в Telegram")),
                        (
                            "moodle_url",
                            models.URLField(blank=True, verbose_name="Портал дистанционного обучения (Moodle)"),
                        ),
                        (
                            "age_mark",
                            models.CharField(
                                choices=[("0+", "0+"), ("6+", "6+"), ("12+", "12+"), ("16+", "16+"), ("18+", "18+")],
                                default="12+",
                                max_length=3,
                                verbose_name="Возрастная маркировка сайта",
                            ),
                        ),
                        (
                            "privacy_policy_page",
                            models.ForeignKey(
                                blank=True,
                                help_text="Ссылка на неё показывается рядом с каждым согласием на обработку данных.",
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.WAGTAIL_PAGE_MODEL,
                                verbose_name="Политика обработки персональных данных",
                            ),
                        ),
                        (
                            "site",
                            models.OneToOneField(
                                editable=False, on_delete=django.db.models.deletion.CASCADE, to="wagtailcore.site"
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "Настройки сайта",
                        "db_table": "home_sitesettings",
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(rename_content_type, restore_content_type),
    ]

"""core.Subject: one list of subjects and directions for the site (issue 10). events/0002 and
methodists/0002 merge their own lists into it (core/migrations/_subjects.py)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0005_sitesettings_from_home"),
    ]

    operations = [
        migrations.CreateModel(
            name="Subject",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("name", models.CharField(max_length=150, unique=True, verbose_name="Название")),
                (
                    "slug",
                    models.SlugField(
                        help_text="Латиницей, например matematika: используется в ссылках с фильтрами. У действующей записи не меняйте — перестанут работать сохранённые ссылки и подписки на календарь.",
                        max_length=60,
                        unique=True,
                        verbose_name="Код для адреса",
                    ),
                ),
                (
                    "sort_order",
                    models.PositiveSmallIntegerField(
                        default=100, help_text="Меньше — выше в списках.", verbose_name="Порядок"
                    ),
                ),
            ],
            options={
                "verbose_name": "Предмет / направление",
                "verbose_name_plural": "Предметы и направления",
                "ordering": ["sort_order", "name"],
            },
        ),
    ]

"""A campaign's dates may be empty until they are announced (a yearly campaign is on the site before them)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("safe_internet", "0009_methodist_page_rights"),
    ]

    operations = [
        migrations.AlterField(
            model_name="campaignpage",
            name="end_date",
            field=models.DateField(blank=True, null=True, verbose_name="Окончание"),
        ),
        migrations.AlterField(
            model_name="campaignpage",
            name="start_date",
            field=models.DateField(
                blank=True,
                help_text="Оставьте обе даты пустыми, пока даты не объявлены: на странице акции будет «даты уточняются», а на главной раздела её объявят, когда даты появятся.",
                null=True,
                verbose_name="Начало",
            ),
        ),
    ]

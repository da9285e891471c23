"""The organisation's facts of «Основные сведения» join the site settings, their one source (issue 10);
sveden/0003 moves the values from the /sveden/common/ page. `updated_at` dates that page's facts."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0006_subject"),
    ]

    operations = [
        migrations.AddField(
            model_name="sitesettings",
            name="accreditation",
            field=models.TextField(blank=True, verbose_name="Государственная аккредитация"),
        ),
        migrations.AddField(
            model_name="sitesettings",
            name="address_places",
            field=models.TextField(
                blank=True,
                help_text="По одному адресу в строке.",
                verbose_name="Места осуществления образовательной деятельности",
            ),
        ),
        migrations.AddField(
            model_name="sitesettings",
            name="branches",
            field=models.TextField(blank=True, default="Филиалов нет.", verbose_name="Филиалы"),
        ),
        migrations.AddField(
            model_name="sitesettings",
            name="founder_address",
            field=models.CharField(blank=True, max_length=300, verbose_name="Адрес учредителя"),
        ),
        migrations.AddField(
            model_name="sitesettings",
            name="founder_email",
            field=models.EmailField(blank=True, max_length=254, verbose_name="E-mail учредителя"),
        ),
        migrations.AddField(
            model_name="sitesettings",
            name="founder_name",
            field=models.TextField(blank=True, verbose_name="Учредитель"),
        ),
        migrations.AddField(
            model_name="sitesettings",
            name="founder_phone",
            field=models.CharField(blank=True, max_length=100, verbose_name="Телефон учредителя"),
        ),
        migrations.AddField(
            model_name="sitesettings",
            name="founder_site",
            field=models.URLField(blank=True, verbose_name="Сайт учредителя"),
        ),
        migrations.AddField(
            model_name="sitesettings",
            name="license",
            field=models.TextField(blank=True, verbose_name="Лицензия на образовательную деятельность"),
        ),
        migrations.AddField(
            model_name="sitesettings",
            name="reg_date",
            field=models.CharField(
                blank=True, help_text="Например: 1995 год", max_length=100, verbose_name="Дата создания"
            ),
        ),
        migrations.AddField(
            model_name="sitesettings",
            name="representations",
            field=models.TextField(blank=True, default="Представительств нет.", verbose_name="Представительства"),
        ),
        migrations.AddField(
            model_name="sitesettings",
            name="updated_at",
            field=models.DateTimeField(auto_now=True, verbose_name="Изменены"),
        ),
        migrations.AlterField(
            model_name="sitesettings",
            name="address",
            field=models.CharField(blank=True, max_length=300, verbose_name="Место нахождения (адрес)"),
        ),
        migrations.AlterField(
            model_name="sitesettings",
            name="org_full_name",
            field=models.CharField(
                default="Государственное бюджетное учреждение дополнительного профессионального образования информационно-методический центр Центрального района Санкт-Петербурга",
                max_length=400,
                verbose_name="Полное наименование",
            ),
        ),
        migrations.AlterField(
            model_name="sitesettings",
            name="org_short_name",
            field=models.CharField(
                default="ГБУ ИМЦ Центрального района", max_length=200, verbose_name="Сокращённое наименование"
            ),
        ),
        migrations.AlterField(
            model_name="sitesettings",
            name="phone",
            field=models.CharField(blank=True, max_length=200, verbose_name="Телефон"),
        ),
        migrations.AlterField(
            model_name="sitesettings",
            name="phone_extra",
            field=models.CharField(blank=True, max_length=200, verbose_name="Дополнительный телефон"),
        ),
        migrations.AlterField(
            model_name="sitesettings",
            name="work_time",
            field=models.TextField(
                blank=True, help_text="Можно в несколько строк.", verbose_name="Режим и график работы"
            ),
        ),
    ]

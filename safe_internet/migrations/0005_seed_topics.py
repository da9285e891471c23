"""The five topics of the centre's lessons and memos (the annual report 2019-2020), so that every installation
can tag materials from the start; editors may rename or add topics."""

from django.db import migrations

TOPICS = [
    ("pravila-povedeniya", "Правила поведения в Интернете", "Правила поведения"),
    ("lichnaya-bezopasnost", "Безопасность работы в сети Интернет, собственная безопасность", "Личная безопасность"),
    ("otvetstvennost", "Уголовная и административная ответственность", "Ответственность"),
    (
        "zashchita-informatsii",
        "Методы защиты информации: морально-этические, организационные, технические",
        "Защита информации",
    ),
    (
        "roditeli-i-gadzhety",
        "Отношение родителей к проблеме бесконтрольного доступа обучающихся в глобальную сеть Интернет, "
        "а также бесконтрольного использования гаджетов",
        "Родители и гаджеты",
    ),
]


def seed(apps, schema_editor):
    Topic = apps.get_model("safe_internet", "Topic")
    for order, (slug, name, short_name) in enumerate(TOPICS, start=1):
        Topic.objects.get_or_create(slug=slug, defaults={"name": name, "short_name": short_name, "sort_order": order})


def unseed(apps, schema_editor):
    apps.get_model("safe_internet", "Topic").objects.filter(slug__in=[slug for slug, *_ in TOPICS]).delete()


class Migration(migrations.Migration):
    dependencies = [("safe_internet", "0004_materials")]

    operations = [migrations.RunPython(seed, unseed)]

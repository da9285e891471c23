"""Creates «Безопасный интернет» (/safe-internet/, in the main menu) and its six subsections under the
HomePage, named as the Ministry's letter of 14.05.2018 No. 08-1184 names them. A data migration, so every
installation has the structure after `migrate` alone; editors (or `load_demo`) fill the texts."""

from django.db import migrations
from django.utils import timezone

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
STEPLEN = 4

# slug, title, kind, audience, lead
SUBSECTIONS = [
    (
        "lokalnye-normativnye-akty",
        "Локальные нормативные акты",
        "local_acts",
        "",
        "Образцы локальных актов образовательной организации о безопасном доступе к сети «Интернет».",
    ),
    (
        "normativnoe-regulirovanie",
        "Нормативное регулирование",
        "normative",
        "",
        "Законы, указы, постановления, приказы и письма о защите детей от вредной информации.",
    ),
    (
        "pedagogam",
        "Педагогическим работникам",
        "audience",
        "teachers",
        "Материалы для учителей, классных руководителей и педагогов дополнительного образования.",
    ),
    (
        "obuchayushchimsya",
        "Обучающимся",
        "audience",
        "students",
        "Памятки для школьников и тест «Проверь себя».",
    ),
    (
        "roditelyam",
        "Родителям (законным представителям)",
        "audience",
        "parents",
        "Памятки и рекомендации для родителей: безопасность ребёнка в сети и договорённости о гаджетах.",
    ),
    (
        "detskie-bezopasnye-saity",
        "Детские безопасные сайты",
        "resources",
        "",
        "Проверенные сайты для детей, родителей и педагогов с возрастной маркировкой.",
    ),
]


def encode(number):
    result = ""
    while number:
        number, rem = divmod(number, len(ALPHABET))
        result = ALPHABET[rem] + result
    return result.rjust(STEPLEN, "0")


def decode(step):
    return int(step, len(ALPHABET))


def create_section(apps, schema_editor):
    ContentType = apps.get_model("contenttypes.ContentType")
    Page = apps.get_model("wagtailcore.Page")
    HomePage = apps.get_model("home.HomePage")

    home = HomePage.objects.order_by("depth", "path").first()
    if home is None:
        return
    if Page.objects.filter(depth=home.depth + 1, path__startswith=home.path, slug="safe-internet").exists():
        return
    now = timezone.now()
    home_page = Page.objects.get(pk=home.pk)

    def add_child(parent, model_name, slug, title, **fields):
        model = apps.get_model("safe_internet", model_name)
        content_type, _ = ContentType.objects.get_or_create(app_label="safe_internet", model=model_name.lower())
        last = Page.objects.filter(depth=parent.depth + 1, path__startswith=parent.path).order_by("-path").first()
        number = decode(last.path[-STEPLEN:]) + 1 if last else 1
        page = model.objects.create(
            title=title,
            draft_title=title,
            slug=slug,
            content_type=content_type,
            path=parent.path + encode(number),
            depth=parent.depth + 1,
            numchild=0,
            url_path=f"{parent.url_path}{slug}/",
            locale_id=parent.locale_id,
            live=True,
            has_unpublished_changes=False,
            first_published_at=now,
            last_published_at=now,
            **fields,
        )
        parent.numchild = Page.objects.filter(depth=parent.depth + 1, path__startswith=parent.path).count()
        parent.save(update_fields=["numchild"])
        return Page.objects.get(pk=page.pk)

    section = add_child(
        home_page,
        "SafeInternetPage",
        "safe-internet",
        "Безопасный интернет",
        show_in_menus=True,
        intro="Нормативные документы, детские безопасные сайты, памятки и рекомендации для педагогов, "
        "обучающихся и родителей, акции и тест «Проверь себя».",
    )
    for slug, title, kind, audience, lead in SUBSECTIONS:
        add_child(section, "SafeInternetSubsectionPage", slug, title, kind=kind, audience=audience, lead=lead)


def remove_section(apps, schema_editor):
    Page = apps.get_model("wagtailcore.Page")
    section = Page.objects.filter(slug="safe-internet", depth=3).first()
    if section is None:
        return
    Page.objects.filter(path__startswith=section.path).delete()
    parent = Page.objects.get(path=section.path[:-STEPLEN])
    parent.numchild = Page.objects.filter(depth=parent.depth + 1, path__startswith=parent.path).count()
    parent.save(update_fields=["numchild"])


class Migration(migrations.Migration):
    dependencies = [
        ("safe_internet", "0001_initial"),
        ("home", "0002_create_homepage"),
    ]

    operations = [migrations.RunPython(create_section, remove_section)]

"""Creates «Сведения об образовательной организации» and its 14 subsections under the HomePage.

A data migration, so every installation has the mandatory section after `migrate` alone. Facts that
follow from what the centre is (a state institution of additional professional education) are filled
in; the others show a «сведения уточняются» placeholder with the right itemprop until editors (or
`load_demo`) fill them.
"""

import json
import uuid

from django.db import migrations
from django.utils import timezone

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
STEPLEN = 4


def encode(number):
    result = ""
    while number:
        number, rem = divmod(number, len(ALPHABET))
        result = ALPHABET[rem] + result
    return result.rjust(STEPLEN, "0")


def decode(step):
    return int(step, len(ALPHABET))


def fact(label, itemprop, text):
    return {
        "type": "fact",
        "id": str(uuid.uuid4()),
        "value": {"label": label, "itemprop": itemprop, "value": f"<p>{text}</p>"},
    }


PENDING = "Сведения уточняются и будут размещены в течение десяти рабочих дней."

# slug, title, model, extra fields
SUBSECTIONS = [
    ("common", "Основные сведения", "SvedenCommonPage", {}),
    ("struct", "Структура и органы управления образовательной организацией", "SvedenStructPage", {}),
    (
        "document",
        "Документы",
        "SvedenSectionPage",
        {
            "intro": "<p>Копии документов размещаются в открытых форматах (PDF, DOCX, ODT) с возможностью поиска "
            "и копирования текста; у каждого документа указаны дата документа и дата обновления.</p>",
            "body": [
                fact("Устав", "ustavDocLink", PENDING),
                fact("Правила внутреннего распорядка обучающихся", "localActStud", PENDING),
                fact("Правила внутреннего трудового распорядка", "localActOrder", PENDING),
                fact("Коллективный договор", "localActCollec", PENDING),
                fact("Отчёт о результатах самообследования", "reportEduDocLink", PENDING),
                fact(
                    "Предписания органов, осуществляющих государственный контроль (надзор) в сфере образования",
                    "prescriptionDocLink",
                    PENDING,
                ),
            ],
        },
    ),
    (
        "education",
        "Образование",
        "SvedenSectionPage",
        {
            "body": [
                fact(
                    "Уровень образования", "", "Дополнительное профессиональное образование (повышение квалификации)."
                ),
                fact("Язык, на котором осуществляется образование", "languageEl", "Русский."),
                fact("Численность обучающихся", "eduChislenEl", PENDING),
                fact(
                    "Государственная аккредитация",
                    "accreditationDocLink",
                    "Дополнительные профессиональные программы государственной аккредитации не подлежат; "
                    "ИМЦ освобождён от процедуры государственной аккредитации.",
                ),
            ],
        },
    ),
    (
        "eduStandarts",
        "Образовательные стандарты и требования",
        "SvedenSectionPage",
        {
            "not_applicable": "Федеральные государственные образовательные стандарты и федеральные государственные "
            "требования к дополнительным профессиональным программам не применяются: ИМЦ реализует программы "
            "повышения квалификации, содержание которых определяется с учётом профессиональных стандартов "
            "(часть 9 статьи 76 Федерального закона № 273-ФЗ).",
            "body": [
                fact("Федеральные государственные образовательные стандарты", "eduFedDoc", "Не применяются."),
                fact(
                    "Образовательные стандарты, устанавливаемые самостоятельно", "eduStandartDoc", "Не устанавливаются."
                ),
                fact("Федеральные государственные требования", "eduFedTreb", "Не применяются."),
                fact("Требования, устанавливаемые самостоятельно", "eduStandartTreb", "Не устанавливаются."),
            ],
        },
    ),
    ("managers", "Руководство", "SvedenManagersPage", {}),
    ("employees", "Педагогический состав", "SvedenEmployeesPage", {}),
    (
        "objects",
        "Материально-техническое обеспечение и оснащенность образовательного процесса. Доступная среда",
        "SvedenSectionPage",
        {
            "body": [
                fact("Оборудованные учебные кабинеты", "purposeCab", PENDING),
                fact("Библиотека", "purposeLibr", PENDING),
                fact(
                    "Объекты спорта",
                    "purposeSport",
                    "Объектов спорта нет: программы повышения квалификации "
                    "не предусматривают занятий физической культурой.",
                ),
                fact("Средства обучения и воспитания", "purposeFacil", PENDING),
                fact("Доступная среда: обеспечение доступа в здание инвалидов и лиц с ОВЗ", "ovz", PENDING),
                fact("Доступ к информационным системам и информационно-телекоммуникационным сетям", "comNet", PENDING),
                fact("Электронные образовательные ресурсы", "erList", PENDING),
                fact("Специальные технические средства обучения", "techOvz", PENDING),
                fact(
                    "Общежитие, интернат",
                    "hostelInfo",
                    "Общежития и интерната нет: обучение проводится для педагогов, работающих в Санкт-Петербурге.",
                ),
            ],
        },
    ),
    (
        "paid_edu",
        "Платные образовательные услуги",
        "SvedenSectionPage",
        {"body": [fact("Порядок оказания платных образовательных услуг", "paidEdu", PENDING)]},
    ),
    (
        "budget",
        "Финансово-хозяйственная деятельность",
        "SvedenSectionPage",
        {
            "body": [
                fact("План финансово-хозяйственной деятельности", "finPlanDocLink", PENDING),
                fact("Объём образовательной деятельности", "volume", PENDING),
            ]
        },
    ),
    (
        "vacant",
        "Вакантные места для приема (перевода) обучающихся",
        "SvedenSectionPage",
        {
            "not_applicable": "Подраздел не применяется: приём на дополнительные профессиональные программы ведётся "
            "по заявкам без контрольных цифр приёма, перевод обучающихся не предусмотрен, поэтому вакантных мест "
            "для приёма (перевода) нет.",
            "body": [fact("Вакантные места для приёма (перевода)", "vacant", "Нет: подраздел не применяется.")],
        },
    ),
    (
        "grants",
        "Стипендии и меры поддержки обучающихся",
        "SvedenSectionPage",
        {
            "not_applicable": "Подраздел не применяется: слушатели курсов — работающие педагоги; стипендии и меры "
            "социальной поддержки обучающимся по дополнительным профессиональным программам не предусмотрены.",
            "body": [
                fact("Стипендии", "grant", "Не предусмотрены."),
                fact("Меры социальной поддержки", "support", "Не предусмотрены."),
                fact("Общежитие, интернат", "hostelInfo", "Нет."),
            ],
        },
    ),
    (
        "inter",
        "Международное сотрудничество",
        "SvedenSectionPage",
        {
            "body": [
                fact(
                    "Договоры с иностранными и (или) международными организациями",
                    "internationalDog",
                    "Заключённых договоров с иностранными и международными организациями по вопросам образования нет.",
                ),
            ]
        },
    ),
    (
        "catering",
        "Организация питания в образовательной организации",
        "SvedenSectionPage",
        {
            "not_applicable": "Подраздел не применяется: обучение слушателей проводится в форме краткосрочных курсов "
            "и семинаров, питание обучающихся не организуется.",
            "body": [
                fact("Организация питания", "meals", "Не организуется: пищеблока и столовой в ИМЦ нет."),
                fact(
                    "Охрана здоровья обучающихся",
                    "health",
                    "Занятия проводятся в помещениях, отвечающих "
                    "санитарным нормам; в помещениях есть аптечки первой помощи.",
                ),
            ],
        },
    ),
]


def create_sveden(apps, schema_editor):
    ContentType = apps.get_model("contenttypes.ContentType")
    Page = apps.get_model("wagtailcore.Page")
    HomePage = apps.get_model("home.HomePage")

    home = HomePage.objects.order_by("depth", "path").first()
    if home is None or Page.objects.filter(depth=home.depth + 1, path__startswith=home.path, slug="sveden").exists():
        return
    now = timezone.now()
    home_page = Page.objects.get(pk=home.pk)

    def add_child(parent, model_name, slug, title, **fields):
        model = apps.get_model("sveden", model_name)
        content_type, _ = ContentType.objects.get_or_create(app_label="sveden", model=model_name.lower())
        last = Page.objects.filter(depth=parent.depth + 1, path__startswith=parent.path).order_by("-path").first()
        number = decode(last.path[-STEPLEN:]) + 1 if last else 1
        if "body" in fields:
            fields["body"] = json.dumps(fields["body"])
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

    index = add_child(
        home_page,
        "SvedenIndexPage",
        "sveden",
        "Сведения об образовательной организации",
        show_in_menus=True,
        intro="<p>Информация о ГБУ ИМЦ Центрального района, размещаемая в соответствии со статьёй 29 Федерального "
        "закона от 29.12.2012 № 273-ФЗ «Об образовании в Российской Федерации» и требованиями к структуре "
        "официального сайта образовательной организации (приказ Рособрнадзора от 04.08.2023 № 1493).</p>",
    )
    for slug, title, model_name, extra in SUBSECTIONS:
        extra = dict(extra)
        if model_name == "SvedenCommonPage":
            extra.update(
                full_name="Государственное бюджетное учреждение дополнительного профессионального образования "
                "информационно-методический центр Центрального района Санкт-Петербурга",
                short_name="ГБУ ИМЦ Центрального района",
            )
        add_child(index, model_name, slug, title, **extra)


def remove_sveden(apps, schema_editor):
    Page = apps.get_model("wagtailcore.Page")
    index = Page.objects.filter(slug="sveden", depth=3).first()
    if index is None:
        return
    Page.objects.filter(path__startswith=index.path).delete()
    parent = Page.objects.get(path=index.path[:-STEPLEN])
    parent.numchild = Page.objects.filter(depth=parent.depth + 1, path__startswith=parent.path).count()
    parent.save(update_fields=["numchild"])


class Migration(migrations.Migration):
    dependencies = [
        ("sveden", "0001_initial"),
        ("home", "0002_create_homepage"),
    ]

    operations = [migrations.RunPython(create_sveden, remove_sveden)]

"""Demo facts of «Сведения об образовательной организации» from the seed (report 2019-2020, lines 27-53).

The section itself is created by the migration; this fills what an editor would: the facts of
«Основные сведения» (kept in the site settings), units, leadership (the real people named in the seed —
used only here), teaching staff (the demo's invented methodists), documents (generated DOCX/ODT) and
programmes. Idempotent: a filled page is left alone.
"""

import datetime

from django.apps import apps
from wagtail.models import Site
from wagtail.rich_text import RichText

from core.demo import make_document
from core.models import SiteSettings

from .models import Manager, StructUnit, SvedenIndexPage, TeachingStaff

COLLECTION = "Сведения об образовательной организации"
MAIN_ADDRESS = "191024, Санкт-Петербург, Невский пр., д. 154, пом. 2-Н"
CI_ADDRESS = "191036, Санкт-Петербург, 6-я Советская ул., д. 5, пом. 1-Н"
EMAIL = "imc@center-edu.spb.ru"
PHONE = "(812) 717-04-72"
LICENSE = (
    "Лицензия на осуществление образовательной деятельности по дополнительным профессиональным программам "
    "78Л02 № 0000927 от 25.05.2016, выдана Комитетом по образованию Санкт-Петербурга, действует бессрочно."
)

MANAGERS = [
    ("Липатова Ирина Альбертовна", "Директор", True),
    ("Морозов Антон Юрьевич", "Заместитель директора по учебно-методической работе", False),
    ("Нагорная Екатерина Алексеевна", "Заместитель директора по учебно-методической работе", False),
    ("Пашкевич Светлана Анатольевна", "Главный бухгалтер", False),
    ("Крибель Светлана Сергеевна", "Руководитель структурного подразделения «Центр информатизации»", False),
    (
        "Овчинников Тимур Альбертович",
        "Руководитель структурного подразделения «Центр оценки качества образования»",
        False,
    ),
    ("Березин Александр Александрович", "Заведующий хозяйством", False),
]

PROGRAMS = [
    ("Использование дистанционных образовательных технологий в обучении", "36 академических часов", "Дистанционная"),
    ("Использование интерактивных технологий в образовательной деятельности", "36 академических часов", "Очная"),
    ("Работа педагога с фото, видео и звуковыми данными", "36 академических часов", "Очная"),
    ("Медиация в образовании. Практический курс", "36 академических часов", "Очная"),
    (
        "Педагогика дошкольного образования: практика инноваций в реализации ФГОС ДО",
        "72 академических часа",
        "Очная, с применением ДОТ",
    ),
]

DOCUMENTS = [
    ("ustavDocLink", "Устав ГБУ ИМЦ Центрального района", "docx", datetime.date(2015, 12, 14)),
    (
        "licenseDocLink",
        "Выписка из реестра лицензий на образовательную деятельность",
        "odt",
        datetime.date(2016, 5, 25),
    ),
    ("localActOrder", "Правила внутреннего трудового распорядка", "docx", datetime.date(2023, 9, 1)),
    ("localActCollec", "Коллективный договор на 2024–2027 годы", "docx", datetime.date(2024, 3, 1)),
    ("localActStud", "Правила внутреннего распорядка слушателей", "odt", datetime.date(2023, 9, 1)),
    (
        "priemDocLink",
        "Правила приёма на обучение по дополнительным профессиональным программам",
        "docx",
        datetime.date(2023, 9, 1),
    ),
    ("tekKontrolDocLink", "Положение об итоговой аттестации слушателей", "odt", datetime.date(2023, 9, 1)),
    ("reportEduDocLink", "Отчёт о результатах самообследования за 2025 год", "docx", datetime.date(2026, 4, 15)),
    ("", "Программа развития ИМЦ «Центр центров» на 2020–2024 годы", "docx", datetime.date(2020, 1, 9)),
]

BUDGET_DOCUMENTS = [
    ("finPlanDocLink", "План финансово-хозяйственной деятельности на 2026 год", "odt", datetime.date(2026, 1, 20)),
    ("", "Государственное задание на 2026 год и плановый период 2027–2028 годов", "docx", datetime.date(2026, 1, 12)),
    ("", "Отчёт об исполнении государственного задания за 2025 год", "docx", datetime.date(2026, 1, 28)),
]


def fact(label, itemprop, *paragraphs):
    return (
        "fact",
        {"label": label, "itemprop": itemprop, "value": RichText("".join(f"<p>{p}</p>" for p in paragraphs))},
    )


def documents_block(heading, specs):
    items = []
    for itemprop, title, fmt, date in specs:
        document = make_document(
            title,
            [
                "Государственное бюджетное учреждение дополнительного профессионального образования "
                "информационно-методический центр Центрального района Санкт-Петербурга.",
                f"{title}. Утверждено {date:%d.%m.%Y}.",
                "Демонстрационная копия документа для портала ИМЦ: текст доступен для поиска и копирования.",
            ],
            fmt=fmt,
            collection=COLLECTION,
        )
        items.append({"document": document, "title": "", "itemprop": itemprop, "date": date, "updated": date})
    return ("sveden_documents", {"heading": heading, "documents": items})


def has_block(page, block_type):
    return any(block.block_type == block_type for block in page.body)


def publish(page):
    page.save_revision().publish()


def load(log):
    home = Site.objects.get(is_default_site=True).root_page
    index = SvedenIndexPage.objects.child_of(home).first()
    if index is None:  # the migration creates it; a site without it is broken, say so
        log("Сведения об образовательной организации: раздел не найден (миграция sveden не применена?).")
        return
    pages = {page.slug: page.specific for page in index.get_children()}

    # «Основные сведения» show the site settings (their one source); home/demo.py fills the contacts.
    facts = SiteSettings.for_site(Site.objects.get(is_default_site=True))
    if not facts.reg_date:
        facts.reg_date = "1995 год (создан на базе методического кабинета)"
        facts.founder_name = (
            "Санкт-Петербург. Функции и полномочия учредителя осуществляет администрация Центрального района "
            "Санкт-Петербурга."
        )
        facts.founder_address = "191167, Санкт-Петербург, Невский пр., д. 176"
        facts.address_places = f"{MAIN_ADDRESS}\n{CI_ADDRESS}"
        facts.license = LICENSE
        facts.accreditation = (
            "ИМЦ освобождён от процедуры государственной аккредитации: дополнительные профессиональные программы "
            "государственной аккредитации не подлежат."
        )
        facts.save()

    struct = pages["struct"]
    if not struct.units.exists():
        regulation = make_document(
            "Положение о структурном подразделении «Центр информатизации»",
            [
                "Центр информатизации — структурное подразделение ГБУ ИМЦ Центрального района.",
                "Обеспечивает информационную среду района, портал ИМЦ и направление «Безопасный интернет».",
            ],
            fmt="docx",
            collection=COLLECTION,
        )
        struct.units = [
            StructUnit(
                kind="body",
                name="Директор",
                head_fio="Липатова Ирина Альбертовна",
                head_post="Директор",
                address=MAIN_ADDRESS,
                email=EMAIL,
            ),
            StructUnit(kind="body", name="Общее собрание работников", address=MAIN_ADDRESS),
            StructUnit(
                kind="body",
                name="Педагогический совет",
                head_fio="Липатова Ирина Альбертовна",
                head_post="Председатель педагогического совета",
                address=MAIN_ADDRESS,
            ),
            StructUnit(
                kind="unit",
                name="Центр информатизации",
                head_fio="Крибель Светлана Сергеевна",
                head_post="Руководитель структурного подразделения",
                address=CI_ADDRESS,
                email=EMAIL,
                regulation=regulation,
            ),
            StructUnit(
                kind="unit",
                name="Центр оценки качества образования",
                head_fio="Овчинников Тимур Альбертович",
                head_post="Руководитель структурного подразделения",
                address=MAIN_ADDRESS,
                email=EMAIL,
            ),
        ]
        publish(struct)

    managers = pages["managers"]
    if not managers.managers.exists():
        managers.managers = [
            Manager(fio=fio, post=post, is_head=is_head, telephone=PHONE, email=EMAIL)
            for fio, post, is_head in MANAGERS
        ]
        publish(managers)

    employees = pages["employees"]
    if not employees.staff.exists():
        staff = []
        # Through the registry: sveden doesn't import methodists (apps are independent, pyproject.toml).
        MethodistPage = apps.get_model("methodists", "MethodistPage")
        for methodist in MethodistPage.objects.live().order_by("path").prefetch_related("subjects")[:8]:
            subjects = ", ".join(s.name for s in methodist.subjects.all())
            staff.append(
                TeachingStaff(
                    fio=methodist.title,
                    post="Методист",
                    disciplines=f"Модули курсов повышения квалификации: {subjects.lower()}",
                    education_level="Высшее",
                    qualification=f"Учитель ({subjects.lower()})",
                    prof_development="Повышение квалификации «Цифровая образовательная среда», 2025, 36 ч",
                    experience="15 лет",
                    programs="Дополнительные профессиональные программы повышения квалификации ИМЦ",
                )
            )
        employees.staff = staff
        publish(employees)

    document = pages["document"]
    if not has_block(document, "sveden_documents"):
        document.body = [
            documents_block("Устав, лицензия и локальные нормативные акты", DOCUMENTS),
            fact(
                "Предписания органов, осуществляющих государственный контроль (надзор) в сфере образования",
                "prescriptionDocLink",
                "Предписаний нет.",
            ),
        ]
        publish(document)

    education = pages["education"]
    if not has_block(education, "program"):
        programs = [
            (
                "program",
                {
                    "name": name,
                    "level": "Дополнительное профессиональное образование",
                    "kind": "Повышение квалификации",
                    "form": form,
                    "term": term,
                    "language": "Русский",
                    "document": None,
                },
            )
            for name, term, form in PROGRAMS
        ]
        education.body = [
            fact("Уровень образования", "", "Дополнительное профессиональное образование (повышение квалификации)."),
            fact("Язык, на котором осуществляется образование", "languageEl", "Русский."),
            fact(
                "Численность обучающихся",
                "eduChislenEl",
                "В 2019–2020 учебном году по программам ИМЦ обучились 760 педагогов образовательных учреждений "
                "района; обучение ведётся за счёт бюджета Санкт-Петербурга.",
            ),
            fact(
                "Государственная аккредитация",
                "accreditationDocLink",
                "Дополнительные профессиональные программы государственной аккредитации не подлежат.",
            ),
            *programs,
        ]
        publish(education)

    objects = pages["objects"]
    if not objects.intro:
        objects.intro = (
            "<p>Занятия проходят в учебных аудиториях и компьютерном классе по адресам осуществления "
            "образовательной деятельности; часть программ реализуется с применением дистанционных "
            "образовательных технологий на портале дистанционного обучения ИМЦ.</p>"
        )
        objects.body = [
            fact(
                "Оборудованные учебные кабинеты",
                "purposeCab",
                f"{MAIN_ADDRESS}: две учебные аудитории на 25 мест, проектор, интерактивная панель.",
                f"{CI_ADDRESS}: компьютерный класс на 12 рабочих мест.",
            ),
            fact("Библиотека", "purposeLibr", "Методический фонд ИМЦ: печатные и электронные издания для педагогов."),
            fact(
                "Объекты спорта",
                "purposeSport",
                "Объектов спорта нет: программы повышения квалификации "
                "не предусматривают занятий физической культурой.",
            ),
            fact(
                "Средства обучения и воспитания",
                "purposeFacil",
                "Компьютеры, проекторы, интерактивные панели, документ-камеры, система видеоконференций.",
            ),
            fact(
                "Доступная среда: обеспечение доступа в здание инвалидов и лиц с ОВЗ",
                "ovz",
                "Вход по адресу Невский пр., 154 оборудован кнопкой вызова персонала; сотрудник встречает "
                "посетителя и сопровождает его в учебную аудиторию на первом этаже.",
                "Сайт имеет версию для слабовидящих (ГОСТ Р 52872-2019).",
            ),
            fact(
                "Доступ к информационным системам и информационно-телекоммуникационным сетям",
                "comNet",
                "Все учебные аудитории подключены к сети «Интернет»; доступ слушателей с ОВЗ обеспечивается "
                "на тех же условиях.",
            ),
            fact(
                "Электронные образовательные ресурсы",
                "erList",
                "Портал дистанционного обучения ИМЦ (Moodle), электронные материалы курсов.",
            ),
            fact(
                "Специальные технические средства обучения",
                "techOvz",
                "Переносная индукционная система для слабослышащих, программа экранного доступа на рабочем "
                "месте компьютерного класса.",
            ),
            fact(
                "Общежитие, интернат",
                "hostelInfo",
                "Общежития и интерната нет: обучение проводится для педагогов, работающих в Санкт-Петербурге.",
            ),
        ]
        publish(objects)

    paid = pages["paid_edu"]
    if not paid.not_applicable:
        paid.not_applicable = (
            "Платные образовательные услуги ИМЦ не оказывает: обучение по дополнительным профессиональным программам "
            "проводится бесплатно для слушателей, за счёт бюджета Санкт-Петербурга в рамках государственного задания."
        )
        paid.body = [
            fact("Порядок оказания платных образовательных услуг", "paidEdu", "Платные услуги не оказываются."),
            fact("Образец договора об оказании платных образовательных услуг", "paidDog", "Не применяется."),
            fact("Стоимость обучения", "paidSt", "Не применяется."),
        ]
        publish(paid)

    budget = pages["budget"]
    if not has_block(budget, "sveden_documents"):
        budget.body = [
            fact(
                "Объём образовательной деятельности",
                "volume",
                "Образовательная деятельность финансируется за счёт субсидии из бюджета Санкт-Петербурга "
                "на выполнение государственного задания. За счёт федерального и местного бюджетов и по договорам "
                "с физическими и юридическими лицами образовательная деятельность не ведётся.",
            ),
            documents_block("План финансово-хозяйственной деятельности и государственное задание", BUDGET_DOCUMENTS),
        ]
        publish(budget)
    log("Сведения об образовательной организации: заполнены.")

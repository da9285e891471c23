"""Demo content of the home app: site settings, the home page and the editorial pages the seeds name."""

import datetime

from django.utils import timezone
from wagtail.models import Site
from wagtail.rich_text import RichText

from core.demo import child_page, make_image
from core.models import SiteSettings

from .models import HomePage, StandardPage


def p(*paragraphs):
    return RichText("".join(f"<p>{text}</p>" for text in paragraphs))


def ul(*items):
    return RichText("<ul>" + "".join(f"<li>{item}</li>" for item in items) + "</ul>")


PAGES = [
    {
        "slug": "povyshenie-kvalifikacii",
        "title": "Повышение квалификации",
        "show_in_menus": True,
        "lead": "Курсы повышения квалификации и постоянно действующие семинары для педагогов, руководителей "
        "и специалистов образовательных учреждений района. В 2019–2020 учебном году в ИМЦ обучились 760 педагогов.",
        "body": [
            ("heading", {"text": "Как записаться на курсы", "level": "h2"}),
            (
                "paragraph",
                p(
                    "Заявки на курсы принимает ответственный за повышение квалификации в вашем образовательном учреждении. "
                    "Комплектование групп проходит дважды в год: на осенний и весенний семестры.",
                    "Обучение проводится очно и с применением дистанционных образовательных технологий на портале "
                    "дистанционного обучения ИМЦ.",
                ),
            ),
            ("heading", {"text": "Направления программ", "level": "h2"}),
            (
                "paragraph",
                ul(
                    "Формирование функциональной грамотности обучающихся",
                    "Цифровая образовательная среда: инструменты педагога",
                    "Подготовка экспертов ОГЭ и ГИА",
                    "Работа с обучающимися с ОВЗ в условиях ФГОС",
                    "Управленческие команды: качество образования в современной школе",
                ),
            ),
            (
                "table",
                {
                    "first_row_is_table_header": True,
                    "first_col_is_header": False,
                    "table_caption": "Обучение педагогов района в 2019–2020 учебном году",
                    "data": [
                        ["Где обучались", "Человек"],
                        ["ГБУ ИМЦ Центрального района", "760"],
                        ["СПб АППО", "210"],
                        ["СПб РЦОКОиИТ", "253"],
                    ],
                },
            ),
            (
                "accordion",
                {
                    "heading": "Частые вопросы",
                    "items": [
                        {
                            "question": "Выдаётся ли удостоверение?",
                            "answer": p(
                                "Да, по окончании программы выдаётся удостоверение о повышении квалификации установленного образца."
                            ),
                        },
                        {
                            "question": "Можно ли учиться дистанционно?",
                            "answer": p(
                                "Да, часть программ реализуется полностью дистанционно на портале дистанционного обучения ИМЦ."
                            ),
                        },
                    ],
                },
            ),
            (
                "contact",
                {
                    "title": "Отдел повышения квалификации",
                    "person": "",
                    "phone": "(812) 717-04-72",
                    "email": "imc@center-edu.spb.ru",
                    "hours": "Пн–Пт, 10:00–17:00",
                    "note": "",
                },
            ),
        ],
    },
    {
        "slug": "ege-oge",
        "title": "ЕГЭ/ОГЭ",
        "show_in_menus": True,
        "lead": "Государственная итоговая аттестация: расписание, подготовка экспертов, горячие линии "
        "и материалы для выпускников, родителей и педагогов.",
        "body": [
            (
                "paragraph",
                p(
                    "Центр оценки качества образования ИМЦ обеспечивает проведение ГИА в районе: формирует базу данных "
                    "участников, готовит пункты проведения экзаменов и организует консультации экспертов предметных комиссий.",
                ),
            ),
            (
                "contact",
                {
                    "title": "Горячая линия по вопросам ГИА",
                    "person": "Центр оценки качества образования",
                    "phone": "(812) 717-16-04",
                    "email": "imc@center-edu.spb.ru",
                    "hours": "Пн–Пт, 10:00–17:00",
                    "note": "В дни экзаменов линия работает с 8:00.",
                },
            ),
        ],
    },
    {
        "slug": "olimpiady",
        "title": "Олимпиадное движение",
        "show_in_menus": True,
        "lead": "Всероссийская олимпиада школьников: школьный и районный этапы, результаты и материалы для подготовки.",
        "body": [
            (
                "paragraph",
                p(
                    "ИМЦ организует районный этап всероссийской олимпиады школьников (ВСОШ) по общеобразовательным предметам, "
                    "публикует протоколы и списки победителей и призёров.",
                ),
            ),
        ],
    },
    {
        "slug": "otchety-i-monitoringi",
        "title": "Отчеты и мониторинги",
        "show_in_menus": False,
        "lead": "Информационно-аналитические отчёты ИМЦ и результаты районных мониторингов — в открытом доступе.",
        "body": [
            (
                "paragraph",
                p(
                    "ИМЦ ежегодно публикует информационно-аналитический отчёт о работе: итоги учебного года, "
                    "выявленные проблемы и пути совершенствования деятельности на предстоящий год.",
                ),
            ),
        ],
    },
    {
        "slug": "politika-pdn",
        "title": "Политика обработки персональных данных",
        "show_in_menus": False,
        "lead": "Как ГБУ ИМЦ Центрального района обрабатывает и защищает персональные данные посетителей сайта.",
        "body": [
            (
                "paragraph",
                p(
                    "Оператор — ГБУ ИМЦ Центрального района Санкт-Петербурга, 191024, Санкт-Петербург, Невский пр., 154.",
                    "Мы собираем только те данные, которые нужны для конкретной цели: ответа на вопрос методисту, "
                    "регистрации на мероприятие, подтверждения голоса в конкурсе. На каждую цель посетитель даёт отдельное "
                    "согласие; текст согласия показывается рядом с формой.",
                    "Данные хранятся на серверах в Российской Федерации. Сайт не использует иностранные счётчики, шрифты "
                    "и сети доставки контента.",
                    "Согласие можно отозвать, написав на imc@center-edu.spb.ru. Отказ от согласия не ограничивает "
                    "доступ к материалам сайта.",
                ),
            ),
        ],
    },
]

QUICK_LINKS = [
    ("ЕГЭ/ОГЭ", "ege-oge", "Расписание, горячая линия, материалы"),
    ("Олимпиадное движение", "olimpiady", "Этапы ВСОШ и результаты"),
    ("Повышение квалификации", "povyshenie-kvalifikacii", "Курсы и семинары ИМЦ"),
]


def load(log):
    site = Site.objects.get(is_default_site=True)
    home = site.root_page.specific
    assert isinstance(home, HomePage)

    pages = {}
    for spec in PAGES:
        spec = dict(spec)
        slug = spec.pop("slug")
        pages[slug] = child_page(home, StandardPage, slug, **spec)

    settings, created = SiteSettings.objects.get_or_create(site=site)
    if created or not settings.address:
        settings.address = "191024, Санкт-Петербург, Невский пр., д. 154, пом. 2-Н"
        settings.phone = "(812) 717-04-72"
        settings.phone_extra = "(812) 717-16-04"
        settings.email = "imc@center-edu.spb.ru"
        settings.work_time = (
            "Понедельник — четверг: 9:00–18:00\nПятница: 9:00–16:45\nСуббота, воскресенье — выходные дни"
        )
        settings.vk_url = "https://vk.com/imc_centr"
        settings.ok_url = "https://ok.ru/group/imc.centr"
        settings.moodle_url = "https://do.center-imc.ru/"
        settings.privacy_policy_page = pages["politika-pdn"]
        settings.save()

    if not home.quick_links:
        home.quick_links = [
            ("link", {"title": title, "page": pages[slug], "description": text}) for title, slug, text in QUICK_LINKS
        ]
        home.announcements = [
            (
                "announcement",
                {
                    "title": "Открыт приём заявок на курсы повышения квалификации весеннего семестра",
                    "text": "Заявки принимают ответственные за повышение квалификации в образовательных учреждениях.",
                    "page": pages["povyshenie-kvalifikacii"],
                    "url": "",
                    "show_until": None,
                },
            ),
            (
                "announcement",
                {
                    "title": "Районный этап всероссийской олимпиады школьников: графики и протоколы",
                    "text": "Графики проведения по предметам и протоколы публикуются в разделе «Олимпиадное движение».",
                    "page": pages["olimpiady"],
                    "url": "",
                    # Shows how «Показывать до» works: the announcement leaves the home page by itself.
                    "show_until": timezone.localdate() + datetime.timedelta(days=60),
                },
            ),
            (
                "announcement",
                {
                    "title": "Горячая линия по вопросам ГИА работает ежедневно",
                    "text": "Телефон (812) 717-16-04, в дни экзаменов — с 8:00.",
                    "page": pages["ege-oge"],
                    "url": "",
                    "show_until": None,
                },
            ),
        ]
        home.social_image = make_image("Информационно-методический центр")
        home.save_revision().publish()
    log("Главная страница и разделы: готово.")

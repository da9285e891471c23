"""Demo calendar: ≥ 40 events from ten days ago over the next two months, built from the seeds' real event
kinds (семинары руководителей, РУМО, «Школа молодого педагога», КВН классных руководителей…),
venues (школа № 204, гимназия № 171, РГПУ им. Герцена…) and audiences. Idempotent."""

from datetime import date, datetime, time, timedelta

from django.core.files.base import ContentFile
from django.utils import timezone
from wagtail.documents import get_document_model
from wagtail.models import Page, Site

from core.demo import child_page, demo_subjects, get_collection

from .models import (
    MSK,
    Audience,
    EventException,
    EventIndexPage,
    EventPage,
    EventType,
    Format,
    Level,
    Repeat,
    Status,
    Venue,
)

TYPES = [
    ("seminar", "Семинар"),
    ("conference", "Конференция"),
    ("master-class", "Мастер-класс"),
    ("open-lesson", "Открытый урок"),
    ("courses", "Курсы повышения квалификации"),
    ("contest", "Конкурс"),
    ("olympiad", "Олимпиада"),
    ("webinar", "Вебинар"),
    ("round-table", "Круглый стол"),
    ("rumo", "РУМО"),
    ("meeting", "Совещание"),
]
AUDIENCES = [
    ("dou", "Педагоги ДОУ"),
    ("ou", "Учителя ОУ"),
    ("odod", "Педагоги ОДОД"),
    ("leaders", "Руководители и заместители"),
    ("young", "Молодые педагоги"),
    ("class-teachers", "Классные руководители"),
    ("parents", "Родители"),
    ("students", "Обучающиеся"),
]
# The specs' subject keys → slugs of the site's one subject list (core.demo.SUBJECTS).
SUBJECTS = {
    "russian": "russkij-yazyk",
    "foreign": "inostrannye-yazyki",
    "math": "matematika",
    "informatics": "informatika",
    "history": "istoriya",
    "upbringing": "vospitanie",
    "preschool": "doshkolnoe",
    "management": "upravlenie",
    "safety": "bezopasnyj-internet",
}
VENUES = [
    ("imc", "ГБУ ИМЦ Центрального района", "Санкт-Петербург, ул. Чайковского, д. 32"),
    ("s204", "ГБОУ школа № 204", "Санкт-Петербург, ул. Чайковского, д. 32 (здание школы)"),
    ("g171", "ГБОУ гимназия № 171", "Санкт-Петербург, ул. Фурштатская, д. 33"),
    ("s189", "ГБОУ школа № 189 «Шанс»", "Санкт-Петербург, ул. Рылеева, д. 14"),
    ("g157", "ГБОУ гимназия № 157", "Санкт-Петербург, ул. Кирочная, д. 8а"),
    ("g168", "ГБОУ гимназия № 168", "Санкт-Петербург, Суворовский пр., д. 10"),
    ("l214", "ГБОУ лицей № 214", "Санкт-Петербург, Ковенский пер., д. 12"),
    ("s169", "ГБОУ школа № 169", "Санкт-Петербург, ул. Ломоносова, д. 9"),
    ("herzen", "РГПУ им. А. И. Герцена, Колонный зал", "Санкт-Петербург, наб. реки Мойки, д. 48"),
    ("faberge", "Музей Фаберже", "Санкт-Петербург, наб. реки Фонтанки, д. 21"),
    ("zarya", "ДООЛ «Заря»", "Ленинградская область, Всеволожский район"),
]

ONLINE = "https://vcs.imc.example.ru/room/"

# (slug, title, type, audiences, subject, level, format, venue, day offset from DEMO_ANCHOR_DAYS ago,
#  start hour:minute, duration hours, extra)
# Counted back from today, not from the 1st: loaded on any day of the month, the archive holds the
# past events with materials and the calendar the rest.
DEMO_ANCHOR_DAYS = 10

EVENTS = [
    (
        "sovet-rukovoditelej",
        "Методический семинар руководителей ОУ «Потенциал образовательной среды школы»",
        "seminar",
        ["leaders"],
        "management",
        "district",
        "offline",
        "s204",
        2,
        "15:00",
        2,
        {},
    ),
    (
        "tehnosfera-shkoly",
        "Семинар «Техносфера современной школы: создание и перспективы использования»",
        "seminar",
        ["leaders", "ou"],
        "informatics",
        "district",
        "offline",
        "s169",
        3,
        "15:00",
        2,
        {"materials": True},
    ),
    (
        "vpr-analitika",
        "Семинар-практикум по итоговым аналитическим материалам РДР, ВПР и ГИА",
        "seminar",
        ["leaders"],
        "management",
        "district",
        "mixed",
        "imc",
        4,
        "14:30",
        2,
        {"materials": True},
    ),
    (
        "vernost-tradiciyam",
        "Семинар «Верность традициям, открытость миру»",
        "seminar",
        ["class-teachers", "leaders"],
        "upbringing",
        "district",
        "offline",
        "g157",
        5,
        "15:00",
        2,
        {"materials": True},
    ),
    (
        "shmp-start",
        "«Школа молодого педагога»: первое занятие",
        "seminar",
        ["young"],
        "",
        "district",
        "offline",
        "imc",
        6,
        "16:00",
        2,
        {},
    ),
    (
        "kiberbezopasnost-urok",
        "Единый урок безопасности в сети Интернет",
        "open-lesson",
        ["ou", "students"],
        "safety",
        "federal",
        "offline",
        "l214",
        7,
        "10:00",
        1,
        {"materials": True},
    ),
    (
        "doshkolniki-igra",
        "Мастер-класс «Игровые технологии в развитии речи дошкольников»",
        "master-class",
        ["dou"],
        "preschool",
        "district",
        "offline",
        "imc",
        8,
        "10:00",
        2,
        {},
    ),
    (
        "funkcionalnaya-gramotnost",
        "Семинар-практикум «Формирование и оценка функциональной грамотности»",
        "seminar",
        ["leaders", "ou"],
        "management",
        "district",
        "online",
        None,
        9,
        "15:00",
        2,
        {"materials": True},
    ),
    (
        "fgos-soo",
        "Семинар «ФГОС СОО: конструктор учебных планов, индивидуализация образования»",
        "seminar",
        ["leaders"],
        "management",
        "district",
        "offline",
        "g171",
        10,
        "15:00",
        2,
        {},
    ),
    (
        "vsosh-rayon-informatika",
        "Районный этап ВсОШ по информатике",
        "olympiad",
        ["students", "ou"],
        "informatics",
        "district",
        "offline",
        "l214",
        11,
        "10:00",
        4,
        {},
    ),
    (
        "kruglyj-stol-nastavnichestvo",
        "Круглый стол «Инновационный опыт педагогического наставничества»",
        "round-table",
        ["young", "class-teachers"],
        "upbringing",
        "city",
        "offline",
        "g168",
        12,
        "15:30",
        2,
        {},
    ),
    (
        "roditelskoe-sobranie-internet",
        "Онлайн-встреча для родителей «Дети в Интернете: правила безопасности»",
        "webinar",
        ["parents"],
        "safety",
        "district",
        "online",
        None,
        13,
        "19:00",
        1,
        {"public_link": True},
    ),
    (
        "ikt-masterskaya",
        "Мастер-класс «Интерактивные методы преподавания иностранного языка: приёмы театральной педагогики»",
        "master-class",
        ["ou"],
        "foreign",
        "city",
        "offline",
        "s204",
        14,
        "15:00",
        2,
        {},
    ),
    (
        "den-it-znanij",
        "«День ИТ-знаний» для обучающихся",
        "open-lesson",
        ["students", "ou"],
        "informatics",
        "federal",
        "offline",
        "l214",
        15,
        "11:00",
        3,
        {},
    ),
    (
        "pedagogicheskij-sovet-ceremoniya",
        "Педагогический совет Центрального района «Образовательная система района: вызовы времени – векторы изменений»",
        "conference",
        ["leaders", "ou", "dou", "odod"],
        "management",
        "district",
        "offline",
        "herzen",
        16,
        "11:00",
        4,
        {"registration": 300},
    ),
    (
        "kvn-klassnyh-rukovoditelej",
        "Городская игра КВН классных руководителей «Театр начинается с…»",
        "contest",
        ["class-teachers"],
        "upbringing",
        "city",
        "offline",
        "g171",
        17,
        "16:00",
        3,
        {},
    ),
    (
        "sozvezdie-molodyh",
        "Конференция молодых педагогов «Созвездие молодых»",
        "conference",
        ["young"],
        "",
        "district",
        "mixed",
        "g171",
        18,
        "14:00",
        4,
        {"registration": 3},
    ),
    (
        "faberge-vospitanie",
        "Выездное занятие для заместителей по ВР и классных руководителей в Музее Фаберже",
        "seminar",
        ["class-teachers", "leaders"],
        "upbringing",
        "district",
        "offline",
        "faberge",
        19,
        "11:00",
        3,
        {},
    ),
    (
        "dou-rechevoe-razvitie",
        "Семинар для педагогов ДОУ «Речевое развитие: от игры к проекту»",
        "seminar",
        ["dou"],
        "preschool",
        "district",
        "offline",
        "imc",
        20,
        "10:00",
        2,
        {"status": "cancelled"},
    ),
    (
        "oge-matematika-vebinar",
        "Вебинар «ОГЭ по математике: типичные ошибки и как их предупредить»",
        "webinar",
        ["ou"],
        "math",
        "district",
        "online",
        None,
        21,
        "16:00",
        1.5,
        {"status": "postponed"},
    ),
    (
        "vyezdnoj-seminar-zarya",
        "Городской выездной семинар классных руководителей «Роль классного руководителя в формировании социально-успешной личности»",
        "seminar",
        ["class-teachers"],
        "upbringing",
        "city",
        "offline",
        "zarya",
        22,
        "10:00",
        8,
        {"days": 3},
    ),
    (
        "kursy-ikt-osen",
        "Курсы ПК «Цифровые образовательные ресурсы в работе учителя»",
        "courses",
        ["ou"],
        "informatics",
        "district",
        "mixed",
        "imc",
        23,
        "15:00",
        3,
        {"days": 5, "registration": 20},
    ),
    (
        "konkurs-interaktiv",
        "Районный конкурс «Я выбираю интерактив»: очный тур",
        "contest",
        ["ou", "dou", "odod"],
        "informatics",
        "district",
        "offline",
        "g157",
        25,
        "",
        0,
        {"all_day": True, "days": 2},
    ),
    (
        "odod-tvorchestvo",
        "Мастер-класс для педагогов ОДОД «Театральная студия в школе»",
        "master-class",
        ["odod"],
        "upbringing",
        "district",
        "offline",
        "g157",
        27,
        "15:00",
        2,
        {},
    ),
    (
        "rukovoditeli-kachestvo",
        "Выездной семинар «Система управления качеством образования в современной школе»",
        "seminar",
        ["leaders"],
        "management",
        "city",
        "offline",
        "s189",
        29,
        "11:00",
        5,
        {},
    ),
    (
        "nedelya-bezopasnogo-interneta",
        "Неделя безопасного Интернета",
        "open-lesson",
        ["students", "parents", "ou"],
        "safety",
        "federal",
        "mixed",
        "l214",
        31,
        "",
        0,
        {"all_day": True, "days": 5},
    ),
    (
        "ege-russkij-seminar",
        "Семинар «Итоговое сочинение и ЕГЭ по русскому языку: критерии оценивания»",
        "seminar",
        ["ou"],
        "russian",
        "district",
        "offline",
        "g171",
        33,
        "15:30",
        2,
        {"registration": 40},
    ),
    (
        "dou-stem",
        "Мастер-класс «STEM-образование в детском саду»",
        "master-class",
        ["dou"],
        "preschool",
        "district",
        "offline",
        "imc",
        34,
        "10:00",
        2,
        {},
    ),
    (
        "obschestvoznanie-kruglyj-stol",
        "Круглый стол учителей истории и обществознания «Музей в школе»",
        "round-table",
        ["ou"],
        "history",
        "district",
        "offline",
        "g157",
        36,
        "15:00",
        2,
        {},
    ),
    (
        "molodye-pedagogi-vebinar",
        "Вебинар «Первый год в профессии: как выстроить диалог с родителями»",
        "webinar",
        ["young", "parents"],
        "",
        "district",
        "online",
        None,
        37,
        "17:00",
        1.5,
        {"registration": 100},
    ),
    (
        "konkurs-pedagogicheskih-dostizhenij",
        "Конкурс педагогических достижений: защита проектов",
        "contest",
        ["ou", "dou", "odod"],
        "",
        "district",
        "offline",
        "herzen",
        38,
        "10:00",
        6,
        {},
    ),
    (
        "olimpiada-anglijskij",
        "Районный этап ВсОШ по английскому языку",
        "olympiad",
        ["students"],
        "foreign",
        "district",
        "offline",
        "s204",
        40,
        "10:00",
        4,
        {},
    ),
    (
        "kiberbezopasnost-odod",
        "Семинар «Кибербезопасность в дополнительном образовании»",
        "seminar",
        ["odod"],
        "safety",
        "district",
        "online",
        None,
        41,
        "15:00",
        2,
        {},
    ),
    (
        "pedsovet-zoom",
        "Педагогический совет ИМЦ (онлайн)",
        "meeting",
        ["leaders"],
        "management",
        "district",
        "online",
        None,
        43,
        "14:00",
        2,
        {},
    ),
    (
        "otkrytyj-urok-fizika",
        "Открытый урок физики «Эксперимент на уроке»",
        "open-lesson",
        ["ou", "young"],
        "",
        "district",
        "offline",
        "g168",
        44,
        "12:00",
        1,
        {},
    ),
    (
        "ikt-talantlivo",
        "Конкурс «ИКТ – интересно, креативно, талантливо»: подведение итогов",
        "contest",
        ["ou", "students"],
        "informatics",
        "district",
        "mixed",
        "l214",
        47,
        "16:00",
        2,
        {},
    ),
    (
        "dou-zavedujuschie",
        "Совещание заведующих ДОУ",
        "meeting",
        ["dou", "leaders"],
        "preschool",
        "district",
        "offline",
        "imc",
        48,
        "10:00",
        2,
        {},
    ),
    (
        "roditeli-oge",
        "Встреча с родителями девятиклассников «Как подготовиться к ОГЭ без стресса»",
        "meeting",
        ["parents"],
        "math",
        "district",
        "mixed",
        "s169",
        50,
        "19:00",
        1.5,
        {},
    ),
    (
        "shmp-final",
        "«Школа молодого педагога»: итоговое занятие",
        "seminar",
        ["young"],
        "",
        "district",
        "offline",
        "imc",
        54,
        "16:00",
        2,
        {},
    ),
    (
        "novogodnij-festival",
        "Районный фестиваль педагогических идей",
        "conference",
        ["ou", "dou", "odod"],
        "",
        "district",
        "offline",
        "g171",
        56,
        "",
        0,
        {"all_day": True},
    ),
]

# Recurring: (slug, title, type, audiences, subject, venue, format, first day offset, time, hours, repeat, extra)
RECURRING = [
    (
        "rumo-informatika",
        "РУМО учителей информатики",
        "rumo",
        ["ou"],
        "informatics",
        "l214",
        "offline",
        0,
        "15:30",
        2,
        {"repeat": Repeat.WEEKLY, "interval": 2, "count": 8, "exceptions": [14]},
    ),
    (
        "rumo-doshkolnoe",
        "РУМО педагогов ДОУ: методическое объединение",
        "rumo",
        ["dou"],
        "preschool",
        "imc",
        "offline",
        0,
        "10:00",
        2,
        {"repeat": Repeat.MONTHLY_WEEKDAY, "until_months": 6},
    ),
    (
        "vebinar-cifrovaya-shkola",
        "Вебинары проекта «Цифровая школа»",
        "webinar",
        ["ou", "leaders"],
        "informatics",
        None,
        "online",
        1,
        "16:00",
        1,
        {"repeat": Repeat.WEEKLY, "until_months": 2, "exceptions": [29]},
    ),
]


def _vocab(model, items):
    result = {}
    for order, (slug, name) in enumerate(items):
        obj, _ = model.objects.get_or_create(slug=slug, defaults={"name": name, "sort_order": order})
        result[slug] = obj
    return result


def _at(day: date, hhmm: str) -> datetime:
    hour, minute = (int(x) for x in hhmm.split(":"))
    return timezone.make_aware(datetime.combine(day, time(hour, minute)), MSK)


def _materials_document():
    Document = get_document_model()
    title = "Презентация семинара (демо)"
    existing = Document.objects.filter(title=title).first()
    if existing:
        return existing
    document = Document(title=title, collection=get_collection("Мероприятия"))
    document.file.save(
        "imc-demo-seminar.txt",
        ContentFile("Материалы семинара ИМЦ (демонстрационный файл).\n".encode()),
        save=False,
    )
    document.save()
    return document


def _p(text):
    from wagtail.rich_text import RichText

    return RichText(f"<p>{text}</p>")


def load(log):
    site = Site.objects.get(is_default_site=True)
    home = site.root_page.specific
    types = _vocab(EventType, TYPES)
    audiences = _vocab(Audience, AUDIENCES)
    shared = demo_subjects()
    subjects = {key: shared[slug] for key, slug in SUBJECTS.items()}
    venues = {}
    for key, name, address in VENUES:
        venues[key], _ = Venue.objects.get_or_create(
            name=name,
            defaults={"address": address, "map_url": "https://yandex.ru/maps/?text=" + address.replace(" ", "+")},
        )
    index = child_page(
        home,
        EventIndexPage,
        "events",
        title="Календарь мероприятий",
        show_in_menus=True,
        intro="Семинары, конференции, мастер-классы, курсы, конкурсы и методические объединения "
        "для педагогов, руководителей, родителей и обучающихся района.",
    )
    if EventPage.objects.child_of(index).exists():
        log("events: demo calendar already loaded")
        return
    document = _materials_document()
    # Methodists' pages (the methodists app's demo runs before this one) organise some events.
    methodists = list(
        Page.objects.live()
        .filter(content_type__app_label="methodists", content_type__model="methodistpage")
        .order_by("path")
        .only("pk", "title")
    )
    first = timezone.localdate() - timedelta(days=DEMO_ANCHOR_DAYS)
    created = 0
    for slug, title, type_slug, aud, subj, level, fmt, venue, offset, hhmm, hours, extra in EVENTS:
        day = first + timedelta(days=offset)
        if extra.get("all_day"):
            start = _at(day, "00:00")
            end = _at(day + timedelta(days=extra.get("days", 1) - 1), "23:59")
        else:
            start = _at(day, hhmm)
            end = start + timedelta(hours=hours) + timedelta(days=extra.get("days", 1) - 1)
        fields = {
            "title": title,
            "event_type": types[type_slug],
            "subject": subjects.get(subj),
            "level": level,
            "format": fmt,
            "venue": venues.get(venue),
            "start": start,
            "end": end,
            "all_day": bool(extra.get("all_day")),
            "lead": f"{types[type_slug].name} для категорий: {', '.join(audiences[a].name for a in aud)}.",
            "organiser": methodists[len(slug) % len(methodists)] if methodists and len(slug) % 3 else None,
            "organiser_name": "" if methodists and len(slug) % 3 else "ГБУ ИМЦ Центрального района",
            "contact_email": "imc@imc.example.ru",
            "body": [
                (
                    "paragraph",
                    _p(
                        "Программа мероприятия, выступающие и порядок участия будут дополнены организатором. "
                        "Участникам выдаётся сертификат ИМЦ."
                    ),
                )
            ],
            "audiences": [audiences[a] for a in aud],
        }
        if fmt != Format.OFFLINE:
            fields["online_url"] = ONLINE + slug
            fields["online_url_private"] = not extra.get("public_link")
        if extra.get("materials"):
            fields["materials"] = [
                ("paragraph", _p("Спасибо участникам! Публикуем материалы семинара.")),
                (
                    "documents",
                    {"heading": "", "documents": [{"document": document, "title": "Презентация", "date": None}]},
                ),
            ]
        if extra.get("registration"):
            fields.update(
                registration_open=True, capacity=extra["registration"], registration_deadline=start - timedelta(hours=2)
            )
        page = child_page(index, EventPage, slug, **fields)
        if extra.get("status") == "cancelled":
            page.status = Status.CANCELLED
            page.status_note = "Отменено по решению организатора; о новой дате сообщим дополнительно."
            page.save_revision().publish()
        elif extra.get("status") == "postponed":
            page.status = Status.POSTPONED
            page.postponed_to = start + timedelta(days=14)
            page.status_note = "Перенесено в связи с совпадением с городским мероприятием."
            page.save_revision().publish()
        created += 1
    first = timezone.localdate().replace(day=1)  # series start this month (the third Thursday…)
    for slug, title, type_slug, aud, subj, venue, fmt, offset, hhmm, hours, extra in RECURRING:
        day = first + timedelta(days=offset)
        if extra["repeat"] == Repeat.MONTHLY_WEEKDAY:
            # the third Thursday of this month
            day = first + timedelta(days=(3 - first.weekday()) % 7 + 14)
        start = _at(day, hhmm)
        fields = {
            "title": title,
            "event_type": types[type_slug],
            "subject": subjects.get(subj),
            "level": Level.DISTRICT,
            "format": fmt,
            "venue": venues.get(venue) if venue else None,
            "start": start,
            "end": start + timedelta(hours=hours),
            "lead": "Регулярные встречи методического объединения: обмен опытом, разбор заданий, планирование.",
            "organiser_name": "ГБУ ИМЦ Центрального района",
            "audiences": [audiences[a] for a in aud],
            "repeat": extra["repeat"],
            "repeat_interval": extra.get("interval", 1),
            "repeat_count": extra.get("count"),
            "body": [("paragraph", _p("Повестка каждой встречи публикуется за неделю."))],
        }
        if "until_months" in extra:
            until = first
            for _ in range(extra["until_months"]):
                until = (until + timedelta(days=32)).replace(day=1)
            fields["repeat_until"] = until - timedelta(days=1)
        if fmt != Format.OFFLINE:
            fields["online_url"] = ONLINE + slug
            fields["registration_open"] = True
        exceptions = [
            EventException(date=first + timedelta(days=d), note="Каникулы") for d in extra.get("exceptions", [])
        ]
        page = EventPage(slug=slug, exceptions=exceptions, **fields)
        index.add_child(instance=page)
        page.save_revision().publish()
        created += 1
    log(f"events: {created} events in the calendar")

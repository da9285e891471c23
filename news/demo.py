"""Demo news built from the facts of the centre's annual report (../shared/seeds). Idempotent.

`manage.py load_demo` calls `load(log)` after the home app: it creates the news index at /news/ and
the news below, each with generated illustrations (core.demo.make_image — nothing is downloaded).
The embedded video is backed by a pre-created `wagtail.embeds` row, so no oEmbed request is made.
"""

import datetime

from django.utils import timezone
from wagtail.embeds.blocks import EmbedValue
from wagtail.embeds.embeds import get_embed_hash
from wagtail.embeds.models import Embed
from wagtail.models import Page, Site
from wagtail.rich_text import RichText

from core.demo import child_page, make_image

from .models import NewsIndexPage, NewsPage

INFO = "Центр информатизации"
QUALITY = "Центр оценки качества образования"

DEMO_VIDEO_URL = "https://rutube.ru/video/5f1c3c0d2f7e4b5c9a0e6d1b2c3a4f5e/"
DEMO_VIDEO_TITLE = "Неделя безопасного интернета: как говорить с детьми о сети"


def p(*paragraphs):
    return RichText("".join(f"<p>{text}</p>" for text in paragraphs))


def ul(*items):
    return RichText("<ul>" + "".join(f"<li>{item}</li>" for item in items) + "</ul>")


def ensure_demo_embed(url=DEMO_VIDEO_URL, title=DEMO_VIDEO_TITLE) -> Embed:
    """A stored oEmbed answer for the demo video: rendering it never goes to the network."""
    embed, _ = Embed.objects.get_or_create(
        hash=get_embed_hash(url),
        defaults={
            "url": url,
            "type": "video",
            "title": title,
            "provider_name": "RUTUBE",
            "width": 720,
            "height": 405,
            "html": (
                f'<iframe src="{url.replace("/video/", "/play/embed/")}" width="720" height="405" '
                f'title="{title}" loading="lazy" allow="clipboard-write; autoplay" allowfullscreen></iframe>'
            ),
        },
    )
    return embed


# Each item: slug, date, title, lead, tags, image collection, body (a function of the pages it may link to).
NEWS = [
    {
        "slug": "itogi-konkursa-deti-v-internete",
        "date": datetime.date(2026, 11, 18),
        "title": "Подведены итоги городского конкурса «Дети в Интернете»",
        "lead": "В оценке конкурсных работ педагогов приняли участие 37 741 посетитель портала ИМЦ и экспертное жюри.",
        "tags": ["Конкурсы", "Безопасный интернет"],
        "collection": INFO,
        "body": lambda pages: [
            (
                "paragraph",
                p(
                    "Городской конкурс работ педагогов на тему безопасности в сети Интернет «Дети в Интернете» "
                    "прошёл в дистанционном формате. Работы оценивали общественность — голосованием на портале ИМЦ — "
                    "и экспертное жюри.",
                    "Всего в оценке конкурсных работ приняли участие 37 741 посетитель портала. По итогам конкурса "
                    "определены победитель и пять призёров.",
                ),
            ),
            (
                "table",
                {
                    "first_row_is_table_header": True,
                    "first_col_is_header": False,
                    "table_caption": "Конкурс «Дети в Интернете» в цифрах",
                    "data": [
                        ["Показатель", "Значение"],
                        ["Голосовавших посетителей портала", "37 741"],
                        ["Участников от района", "17"],
                        ["Победителей", "1"],
                        ["Призёров", "5"],
                    ],
                },
            ),
            (
                "quote",
                {
                    "text": "Голосование на портале — это разговор о безопасности в сети, в который включились "
                    "тысячи семей района.",
                    "author": "Центр информатизации ИМЦ",
                },
            ),
        ],
    },
    {
        "slug": "edinyj-urok-bezopasnosti-v-internete",
        "date": datetime.date(2026, 11, 10),
        "title": "В школах района проходит Единый урок безопасности в сети Интернет",
        "lead": "Традиционно в ноябре образовательные учреждения района проводят Единый урок безопасности "
        "в сети Интернет.",
        "tags": ["Безопасный интернет"],
        "collection": INFO,
        "body": lambda pages: [
            (
                "paragraph",
                p(
                    "Основное внимание на уроках уделяется правилам поведения в Интернете, защите персональных данных "
                    "и противодействию кибермошенничеству.",
                    "Памятки для родителей и методические рекомендации для педагогов опубликованы в разделе "
                    "«Безопасный интернет».",
                ),
            ),
            (
                "accordion",
                {
                    "heading": "Вопросы родителей",
                    "items": [
                        {
                            "question": "С какого возраста говорить с ребёнком о безопасности в сети?",
                            "answer": p(
                                "Как только ребёнок начинает пользоваться планшетом или телефоном самостоятельно."
                            ),
                        },
                        {
                            "question": "Где взять памятку для родителей?",
                            "answer": p("Памятка и рекомендации размещены в разделе «Безопасный интернет» сайта ИМЦ."),
                        },
                    ],
                },
            ),
        ],
    },
    {
        "slug": "vsosh-rajonnyj-etap-start",
        "date": datetime.date(2026, 11, 5),
        "title": "Стартовал районный этап всероссийской олимпиады школьников",
        "lead": "ИМЦ организует районный этап ВсОШ по общеобразовательным предметам; протоколы публикуются "
        "в разделе «Олимпиадное движение».",
        "tags": ["ВСОШ", "Олимпиады"],
        "collection": QUALITY,
        "body": lambda pages: [
            (
                "paragraph",
                p(
                    "Участники районного этапа — победители и призёры школьного этапа олимпиады. "
                    "График проведения по предметам, места проведения и требования к участникам опубликованы "
                    "на странице «Олимпиадное движение».",
                ),
            ),
            (
                "cta",
                {"text": "График районного этапа", "page": pages.get("olimpiady"), "url": "", "description": ""},
            ),
        ],
    },
    {
        "slug": "kursy-vesennego-semestra",
        "date": datetime.date(2026, 10, 28),
        "title": "Открыт приём заявок на курсы повышения квалификации весеннего семестра",
        "lead": "Заявки на курсы ИМЦ принимают ответственные за повышение квалификации в образовательных учреждениях района.",
        "tags": ["Курсы", "Повышение квалификации"],
        "collection": INFO,
        "body": lambda pages: [
            (
                "paragraph",
                p(
                    "ИМЦ реализует образовательные программы объёмом до 72 часов; группы комплектуются по 25 или 12 человек. "
                    "Программы разделяются на тематические и программы по ИКТ.",
                    "В прошлом учебном году на курсах ИМЦ обучились 760 педагогов района.",
                ),
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
            (
                "cta",
                {"text": "Каталог курсов", "page": pages.get("povyshenie-kvalifikacii"), "url": "", "description": ""},
            ),
        ],
    },
    {
        "slug": "den-it-znanij",
        "date": datetime.date(2026, 10, 19),
        "title": "Акция «День ИТ-знаний» прошла в школах района",
        "lead": "18 октября школьники района участвовали в онлайн-квестах, играх и видеолекциях разработчиков.",
        "tags": ["Информатизация", "Безопасный интернет"],
        "collection": INFO,
        "body": lambda pages: [
            (
                "paragraph",
                p(
                    "Формы проведения уроков были разнообразными и вызвали большой интерес у школьников. "
                    "Особенно учащимся понравились онлайн-квесты, игры и видеолекции, предложенные разработчиками.",
                ),
            ),
        ],
    },
    {
        "slug": "nedelya-kiberbezopasnosti",
        "date": datetime.date(2026, 9, 29),
        "title": "Итоги недели «Кибербезопасности»",
        "lead": "С 23 по 28 сентября в образовательных учреждениях района прошла неделя «Кибербезопасности».",
        "tags": ["Безопасный интернет"],
        "collection": INFO,
        "body": lambda pages: [
            (
                "paragraph",
                p(
                    "В течение недели педагоги провели классные часы и интерактивные занятия о правилах поведения "
                    "в Интернете. В октябре школы района примут участие во Всероссийской контрольной работе "
                    "по информационной безопасности.",
                ),
            ),
        ],
    },
    {
        "slug": "avgustovskij-pedsovet",
        "date": datetime.date(2026, 8, 28),
        "title": "Районный педагогический совет: «вызовы времени — векторы изменений»",
        "lead": "В Колонном зале РГПУ им. А. И. Герцена прошёл районный педагогический совет "
        "«Образовательная система Центрального района: вызовы времени – векторы изменений».",
        "tags": ["Конференции", "Руководителям"],
        "collection": INFO,
        "body": lambda pages: [
            (
                "paragraph",
                p(
                    "Участники совета обсудили программу развития районной системы образования "
                    "«Развитие системы образования Центрального района Санкт-Петербурга: стратегия социального партнерства» "
                    "и задачи на новый учебный год.",
                ),
            ),
        ],
    },
    {
        "slug": "ege-goryachaya-liniya",
        "date": datetime.date(2026, 5, 20),
        "title": "Горячая линия по вопросам ГИА работает в период экзаменов",
        "lead": "На вопросы выпускников, родителей и педагогов об ЕГЭ и ОГЭ отвечают специалисты "
        "Центра оценки качества образования.",
        "tags": ["ЕГЭ и ОГЭ"],
        "collection": QUALITY,
        "body": lambda pages: [
            (
                "paragraph",
                p(
                    "Центр оценки качества образования ИМЦ формирует базу данных участников ГИА, готовит пункты "
                    "проведения экзаменов и организует консультации экспертов предметных комиссий.",
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
        "slug": "sozvezdie-molodyh",
        "date": datetime.date(2026, 4, 16),
        "title": "Молодые педагоги района — на городской конференции «Созвездие молодых»",
        "lead": "Материалы Совета молодых педагогов и тематических секций конференции «Созвездие молодых» "
        "вошли в Атлас педагогических практик.",
        "tags": ["Молодым педагогам", "Конференции"],
        "collection": INFO,
        "body": lambda pages: [
            (
                "paragraph",
                p(
                    "Совет молодых педагогов при Совете по развитию системы образования администрации района "
                    "работает с 2017 года: объединяет творческих, инициативных молодых педагогов и поддерживает их "
                    "на пути профессионального становления.",
                    "Лучшие практики секций конференции «Созвездие молодых» представлены в Атласе педагогических практик.",
                ),
            ),
        ],
    },
    {
        "slug": "shkola-molodogo-pedagoga",
        "date": datetime.date(2026, 3, 25),
        "title": "«Школа молодого педагога»: студия «Наставничество» приглашает",
        "lead": "На занятиях студии опытом делятся лучшие педагоги-наставники района и города.",
        "tags": ["Молодым педагогам", "Семинары"],
        "collection": INFO,
        "body": lambda pages: [
            (
                "paragraph",
                ul(
                    "авторские семинары и семинары-практикумы;",
                    "мастер-классы и открытые уроки;",
                    "круглые столы и конференции;",
                    "подготовка к конкурсу педагогических достижений в номинации «Педагогические надежды».",
                ),
            ),
        ],
    },
    {
        "slug": "konkurs-pedagogicheskih-dostizhenij",
        "date": datetime.date(2026, 3, 3),
        "title": "Районный конкурс педагогических достижений: 107 участников в 9 номинациях",
        "lead": "В конкурсе участвуют 107 педагогов из 51 образовательного учреждения района.",
        "tags": ["Конкурсы"],
        "collection": INFO,
        "body": lambda pages: [
            (
                "paragraph",
                p(
                    "Конкурс педагогических достижений Центрального района — крупнейший из 14 районных тематических "
                    "профессиональных конкурсов года. Победители представят район на городском этапе.",
                ),
            ),
        ],
    },
    {
        "slug": "nedelya-bezopasnogo-interneta",
        "date": datetime.date(2026, 2, 12),
        "title": "Неделя безопасного интернета «Безопасность в глобальной сети»",
        "lead": "Неделя приурочена к Всемирному дню безопасного интернета — 12 февраля.",
        "tags": ["Безопасный интернет"],
        "collection": INFO,
        "video": True,
        "body": lambda pages: [
            (
                "paragraph",
                p(
                    "В течение недели в школах района проходят уроки и родительские собрания о правилах поведения "
                    "в Интернете. Посмотрите запись занятия для родителей.",
                ),
            ),
            ("video", {"video": EmbedValue(DEMO_VIDEO_URL), "title": DEMO_VIDEO_TITLE}),
        ],
    },
    {
        "slug": "seminar-lingva-shkola-204",
        "date": datetime.date(2026, 1, 15),
        "title": "Семинар для руководителей в школе № 204: лингвистическая компетентность",
        "lead": "Районный методический семинар «Потенциал образовательной среды школы в формировании лингвистической "
        "компетентности обучающихся» прошёл в школе № 204 (кластер «Лингва»).",
        "tags": ["Семинары", "Руководителям"],
        "collection": INFO,
        "body": lambda pages: [
            (
                "paragraph",
                p(
                    "Участники семинара познакомились с опытом школ кластера «Лингва» и обсудили, как образовательная "
                    "среда школы помогает развивать языковую компетентность обучающихся.",
                ),
            ),
        ],
    },
    {
        "slug": "seminar-shkola-189-shans",
        "date": datetime.date(2025, 12, 18),
        "title": "Семинар для руководителей образовательных учреждений в школе № 189 «Шанс»",
        "lead": "Руководители школ района обсудили управление качеством образования в современной школе.",
        "tags": ["Семинары", "Руководителям"],
        "collection": QUALITY,
        "body": lambda pages: [
            (
                "paragraph",
                p(
                    "Семинар продолжил цикл встреч, посвящённых трансформации районной системы оценки качества "
                    "образования в систему управления качеством образования.",
                ),
            ),
        ],
    },
    {
        "slug": "klassnye-rukovoditeli-muzej-faberzhe",
        "date": datetime.date(2025, 12, 10),
        "title": "Заместители директоров и классные руководители — в Музее Фаберже",
        "lead": "Выездное занятие для педагогов района посвящено музейной педагогике в воспитательной работе.",
        "tags": ["Воспитание", "Семинары"],
        "collection": INFO,
        "body": lambda pages: [
            (
                "paragraph",
                p(
                    "Педагоги познакомились с образовательными программами музея и обсудили, как использовать "
                    "музейное пространство в работе классного руководителя.",
                ),
            ),
        ],
    },
    {
        "slug": "itogi-vsosh-lidery",
        "date": datetime.date(2025, 11, 26),
        "title": "Лидеры районного этапа олимпиады: гимназия № 171 и гимназия № 155",
        "lead": "Больше всего победителей и призёров районного этапа ВсОШ подготовили гимназии № 171 и № 155 "
        "и лицей № 214.",
        "tags": ["ВСОШ", "Олимпиады"],
        "collection": QUALITY,
        "body": lambda pages: [
            (
                "table",
                {
                    "first_row_is_table_header": True,
                    "first_col_is_header": True,
                    "table_caption": "Лидеры районного этапа всероссийской олимпиады школьников",
                    "data": [
                        ["Образовательное учреждение", "Победителей", "Призёров"],
                        ["Гимназия № 171", "14", "201"],
                        ["Гимназия № 155", "25", "120"],
                        ["Лицей № 214", "19", "92"],
                        ["Школа № 197", "13", "51"],
                        ["Гимназия № 209 «Павловская гимназия»", "12", "46"],
                    ],
                },
            ),
        ],
    },
    {
        "slug": "atlas-pedagogicheskih-praktik",
        "date": datetime.date(2025, 10, 14),
        "title": "«Дистанционное обучение: атлас педагогических практик» пополнился материалами школ",
        "lead": "В Атлас вошли практики кластера «Школа выбора», проекта «Онлайншкола174» и вебинары школы № 300.",
        "tags": ["Информатизация", "Дистанционное обучение"],
        "collection": INFO,
        "body": lambda pages: [
            (
                "paragraph",
                p(
                    "Атлас создан в рамках проектов «Цифровая школа» и «Педагогические кадры XXI века» программы развития "
                    "района. Цель Атласа — отбор, представление и распространение лучших практик дистанционного обучения.",
                ),
            ),
        ],
    },
    {
        "slug": "portal-distancionnogo-obucheniya",
        "date": datetime.date(2025, 9, 9),
        "title": "Портал дистанционного обучения ИМЦ: 203 курса для педагогов",
        "lead": "Часть программ повышения квалификации реализуется полностью дистанционно на портале Moodle.",
        "tags": ["Курсы", "Дистанционное обучение", "Повышение квалификации"],
        "collection": INFO,
        "body": lambda pages: [
            (
                "paragraph",
                p(
                    "На портале дистанционного обучения ИМЦ размещены 203 курса. Доступ к курсу слушатель получает "
                    "после зачисления в группу.",
                ),
            ),
        ],
    },
]


def get_news_index(home: Page) -> NewsIndexPage:
    return child_page(
        home,
        NewsIndexPage,
        "news",
        title="Новости",
        show_in_menus=True,
        intro="События, итоги конкурсов и олимпиад, курсы и семинары ИМЦ Центрального района.",
    )


def create_news(index: NewsIndexPage, spec: dict, pages: dict) -> NewsPage:
    existing = index.get_children().filter(slug=spec["slug"]).first()
    if existing:
        return existing.specific
    if spec.get("video"):
        ensure_demo_embed()
    title = spec["title"]
    image = make_image(title, collection=spec["collection"])
    tz = timezone.get_current_timezone()
    page = NewsPage(
        slug=spec["slug"],
        title=title,
        date=spec["date"],
        lead=spec["lead"],
        main_image=image,
        main_image_alt=f"Иллюстрация к новости «{title}»",
        body=spec["body"](pages),
        first_published_at=datetime.datetime.combine(spec["date"], datetime.time(10, 0), tzinfo=tz),
    )
    page.tags.add(*spec["tags"])
    index.add_child(instance=page)
    page.save_revision().publish()
    return page


def load(log):
    site = Site.objects.get(is_default_site=True)
    home = site.root_page.specific
    index = get_news_index(home)
    pages = {child.slug: child for child in home.get_children().live()}
    ensure_demo_embed()
    for spec in NEWS:
        create_news(index, spec, pages)
    log(f"Новости: {NewsPage.objects.child_of(index).count()} шт.")

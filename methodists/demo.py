"""Demo methodists: an index and a list of (invented) methodists with files.

The names are fictional; the seed's real leadership appears only in /sveden/managers.
"""

from wagtail.models import Site
from wagtail.rich_text import RichText

from core.demo import child_page, demo_subjects, make_document, make_image

from .models import MethodistIndexPage, MethodistPage

METHODISTS = [
    {
        "slug": "sokolova-mn",
        "title": "Соколова Марина Николаевна",
        "division": "method",
        "subjects": ["matematika"],
        "phone": "(812) 717-04-72, доб. 121",
        "email": "matematika@imc-centr.example",
        "consultation_hours": "Вторник, 15:00–17:00, Невский пр., 154, каб. 12",
        "summary": "Руководит районным учебно-методическим объединением учителей математики, готовит экспертов "
        "предметной комиссии ОГЭ и сопровождает олимпиадное движение по математике.",
        "files": [
            "План работы РУМО учителей математики на учебный год",
            "Рекомендации по подготовке к ОГЭ по математике",
        ],
    },
    {
        "slug": "belov-ai",
        "title": "Белов Андрей Игоревич",
        "division": "informatization",
        "subjects": ["informatika", "ikt", "bezopasnyj-internet"],
        "phone": "(812) 274-37-50",
        "email": "ikt@imc-centr.example",
        "consultation_hours": "Среда, 14:00–16:00, 6-я Советская ул., 5, Центр информатизации",
        "summary": "Ведёт курсы «Цифровая образовательная среда: инструменты педагога» и неделю безопасного "
        "интернета в школах района.",
        "files": ["Памятка «Безопасный интернет» для родителей"],
    },
    {
        "slug": "kuznecova-ov",
        "title": "Кузнецова Ольга Викторовна",
        "division": "method",
        "subjects": ["russkij-yazyk"],
        "phone": "(812) 717-04-72, доб. 118",
        "email": "russkij@imc-centr.example",
        "consultation_hours": "Четверг, 15:00–17:00, Невский пр., 154, каб. 9",
        "summary": "Сопровождает учителей русского языка и литературы: итоговое сочинение, функциональная "
        "грамотность, районный конкурс чтецов.",
        "files": ["Итоговое сочинение: методические рекомендации"],
    },
    {
        "slug": "lebedev-sp",
        "title": "Лебедев Сергей Павлович",
        "division": "method",
        "subjects": ["himiya", "biologiya"],
        "phone": "(812) 717-04-72, доб. 124",
        "email": "himiya@imc-centr.example",
        "consultation_hours": "Понедельник, 15:00–17:00, Невский пр., 154, каб. 12",
        "summary": "Ведёт видеоканал с опытами по химии для школьников района и вебинары для учителей биологии.",
        "files": ["Практикум по химии: лабораторные работы 8–9 классов"],
    },
    {
        "slug": "morozova-ea",
        "title": "Морозова Елена Александровна",
        "division": "method",
        "subjects": ["istoriya"],
        "phone": "(812) 717-04-72, доб. 119",
        "email": "istoriya@imc-centr.example",
        "consultation_hours": "Вторник, 14:00–16:00, Невский пр., 154, каб. 9",
        "summary": "Координирует проекты по истории Санкт-Петербурга и музейную педагогику в школах района.",
        "files": [],
    },
    {
        "slug": "volkova-ts",
        "title": "Волкова Татьяна Сергеевна",
        "division": "method",
        "subjects": ["doshkolnoe"],
        "phone": "(812) 717-04-72, доб. 130",
        "email": "doshkolnoe@imc-centr.example",
        "consultation_hours": "Среда, 10:00–12:00, Невский пр., 154, каб. 14",
        "summary": "Методическое сопровождение педагогов детских садов района, альманах «Великая Победа — гордость "
        "поколений», сетевое сообщество «Музей глазами ребёнка».",
        "files": ["Рекомендации по организации развивающей предметно-пространственной среды ДОУ"],
    },
    {
        "slug": "nikitina-ip",
        "title": "Никитина Ирина Петровна",
        "division": "method",
        "subjects": ["vospitanie"],
        "phone": "(812) 717-04-72, доб. 127",
        "email": "vospitanie@imc-centr.example",
        "consultation_hours": "Четверг, 14:00–16:00, Невский пр., 154, каб. 14",
        "summary": "Сопровождает заместителей директоров по воспитательной работе и классных руководителей, "
        "готовит городской выездной семинар классных руководителей.",
        "files": ["Программа воспитания: типичные вопросы и ответы"],
    },
    {
        "slug": "orlova-dv",
        "title": "Орлова Дарья Владимировна",
        "division": "method",
        "subjects": ["molodye-pedagogi", "nachalnaya-shkola"],
        "phone": "(812) 717-04-72, доб. 122",
        "email": "molodye@imc-centr.example",
        "consultation_hours": "Пятница, 14:00–16:00, Невский пр., 154, каб. 12",
        "summary": "Ведёт «Школу молодого педагога» и конкурс «Созвездие молодых», консультирует учителей "
        "начальных классов.",
        "files": ["План «Школы молодого педагога»"],
    },
    {
        "slug": "fedorov-kl",
        "title": "Фёдоров Константин Львович",
        "division": "quality",
        "subjects": ["gia"],
        "phone": "(812) 717-16-04",
        "email": "gia@imc-centr.example",
        "consultation_hours": "Понедельник–пятница, 10:00–12:00, по телефону горячей линии ГИА",
        "summary": "Организует проведение ГИА в районе: базы данных участников, пункты проведения экзаменов, "
        "консультации экспертов предметных комиссий.",
        "files": ["Памятка участника ГИА"],
    },
    {
        "slug": "grigoreva-an",
        "title": "Григорьева Анна Николаевна",
        "division": "method",
        "subjects": ["inostrannye-yazyki"],
        "phone": "(812) 717-04-72, доб. 125",
        "email": "yazyki@imc-centr.example",
        "consultation_hours": "Вторник, 15:00–17:00, Невский пр., 154, каб. 9",
        "summary": "Сопровождает учителей английского, немецкого и французского языков, районный этап олимпиады "
        "по иностранным языкам.",
        "files": [],
    },
]

DIVISION_COLLECTION = {
    "method": "Методический отдел",
    "informatization": "Центр информатизации",
    "quality": "Центр оценки качества образования",
}


def load(log):
    subjects = demo_subjects()

    home = Site.objects.get(is_default_site=True).root_page
    index = child_page(
        home,
        MethodistIndexPage,
        "metodisty",
        title="Методисты",
        show_in_menus=True,
        intro="Методисты ИМЦ ведут предметы и направления: консультируют педагогов, проводят семинары, "
        "руководят районными учебно-методическими объединениями. Часы консультаций — на странице каждого методиста.",
    )
    for spec in METHODISTS:
        if index.get_children().filter(slug=spec["slug"]).exists():
            continue
        collection = DIVISION_COLLECTION[spec["division"]]
        files = [
            (
                "document",
                {
                    "document": make_document(
                        title,
                        [
                            f"Автор: {spec['title']}, методист ГБУ ИМЦ Центрального района.",
                            spec["summary"],
                            "Материал подготовлен для педагогов образовательных учреждений Центрального района.",
                        ],
                        fmt="docx" if i % 2 == 0 else "odt",
                        collection=collection,
                    ),
                    "title": "",
                    "date": None,
                },
            )
            for i, title in enumerate(spec["files"])
        ]
        page = MethodistPage(
            slug=spec["slug"],
            title=spec["title"],
            division=spec["division"],
            phone=spec["phone"],
            email=spec["email"],
            consultation_hours=spec["consultation_hours"],
            summary=spec["summary"],
            photo=make_image(f"Методист: {spec['title']}", collection=collection, size=(480, 600)),
            body=[
                ("heading", {"text": "Направления работы", "level": "h2"}),
                ("paragraph", RichText(f"<p>{spec['summary']}</p>")),
            ],
            files=files,
        )
        page.subjects = [subjects[slug] for slug in spec["subjects"]]
        index.add_child(instance=page)
        page.save_revision().publish()
    log(f"Методисты: {index.get_children().count()} страниц, {len(subjects)} предметов.")

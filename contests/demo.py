"""Demo contests from the seeds (first seed, lines 1075-1210, 1352, 1416): «Дети в Интернете» (finished:
jury scores, public votes, an annulment, published results), «Лучший сайт» (voting open now) and the
«Конкурс инновационных продуктов» (accepting entries). Idempotent: what exists is left as it is."""

import hashlib
import random
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone
from wagtail.models import Site
from wagtail.rich_text import RichText

from core.consent import current_document
from core.demo import child_page, make_image
from core.hashing import keyed_hash
from core.models import ConsentRecord

from .models import (
    ContestEntryPage,
    ContestIndexPage,
    ContestPage,
    ContestStage,
    DisposableDomain,
    JuryCriterion,
    JuryScore,
    Nomination,
    ResultsVisibility,
    Vote,
    VoteAnnulment,
)


def p(*paragraphs):
    return RichText("".join(f"<p>{t}</p>" for t in paragraphs))


SCHOOLS = [
    "ГБОУ школа № 178",
    "ГБОУ гимназия № 171",
    "ГБОУ школа № 174",
    "ГБОУ лицей № 189 «Шанс»",
    "ГБОУ школа № 204",
    "ГБОУ гимназия № 155",
    "ГБОУ школа № 166",
    "ГБОУ школа № 168",
    "ГБДОУ детский сад № 8",
    "ГБДОУ детский сад № 41",
    "ГБУ ДО ЦВР «Фонтанка»",
    "ГБОУ школа № 304",
]
TEACHERS = [
    "Смирнова Ольга Викторовна",
    "Кузнецов Андрей Павлович",
    "Иванова Марина Сергеевна",
    "Соколова Елена Андреевна",
    "Попов Дмитрий Игоревич",
    "Лебедева Наталья Юрьевна",
    "Новикова Татьяна Николаевна",
    "Морозова Светлана Олеговна",
    "Волкова Ирина Александровна",
    "Фёдорова Анна Михайловна",
    "Михайлов Сергей Владимирович",
    "Алексеева Юлия Петровна",
]

RULES_DI = [
    ("heading", {"text": "Цели и задачи", "level": "h2"}),
    (
        "paragraph",
        p(
            "Городской конкурс работ педагогов на тему безопасности в сети Интернет «Дети в Интернете» проводится "
            "для выявления и распространения лучших практик формирования у детей культуры безопасного поведения в сети.",
            "Конкурс проводится в дистанционном формате: работы педагогов оцениваются экспертным жюри и общественностью "
            "посредством голосования на портале ИМЦ. В прошлом году в оценке работ приняли участие 37 741 посетитель портала.",
        ),
    ),
    ("heading", {"text": "Порядок голосования", "level": "h2"}),
    (
        "paragraph",
        p(
            "Проголосовать может любой посетитель, указав адрес электронной почты и подтвердив голос по ссылке из письма. "
            "С одного адреса можно поддержать одну работу в каждой номинации. Неподтверждённые голоса не учитываются.",
        ),
    ),
]

CONTESTS = [
    {
        "slug": "deti-v-internete",
        "title": "Дети в Интернете",
        "lead": "Городской конкурс работ педагогов на тему безопасности в сети Интернет: уроки, памятки и проекты. "
        "Работы оценивают экспертное жюри и посетители портала.",
        "organisers": "Центр информатизации ГБУ ИМЦ Центрального района\nОтветственный: методист Центра информатизации\n"
        "imc@center-edu.spb.ru, (812) 717-04-72",
        "state": "finished",
        "nominations": [
            ("Урок безопасного интернета", "Конспекты и сценарии уроков для 1–11 классов."),
            ("Памятка для родителей", "Материалы для родительских собраний и сайта школы."),
            ("Проект обучающихся", "Проекты, выполненные детьми под руководством педагога."),
        ],
        "entries": [
            ("Урок «Мой цифровой след»", 0),
            ("Квест «Лабиринт паролей» для 5–6 классов", 0),
            ("Урок-дискуссия «Фейк или факт?»", 0),
            ("Памятка «Ребёнок и смартфон: 10 правил семьи»", 1),
            ("Родительское собрание «Кибербуллинг: как заметить и помочь»", 1),
            ("Буклет «Безопасные покупки в сети»", 1),
            ("Проект «Кибердозор» 8-го класса", 2),
            ("Мультфильм «Почему нельзя делиться паролем»", 2),
            ("Игра «Сетевой этикет» для начальной школы", 2),
        ],
        "criteria": [
            ("Соответствие теме безопасности в сети", 10, 2),
            ("Методическая ценность", 10, 2),
            ("Оригинальность", 10, 1),
            ("Качество оформления", 5, 1),
        ],
        "votes": 1400,
    },
    {
        "slug": "luchshii-sait",
        "title": "Лучший сайт",
        "lead": "Районный конкурс сайтов образовательных учреждений: удобство для родителей, актуальность, "
        "доступность для людей с нарушениями зрения. Идёт общественное голосование.",
        "organisers": "Центр информатизации ГБУ ИМЦ Центрального района",
        "state": "voting",
        "nominations": [
            ("Сайт школы", "Официальные сайты общеобразовательных учреждений."),
            ("Сайт детского сада", "Официальные сайты дошкольных учреждений."),
            ("Сайт учреждения дополнительного образования", "Сайты ГБУ ДО и отделений ОДОД."),
        ],
        "entries": [
            ("Сайт школы № 178", 0),
            ("Сайт гимназии № 171", 0),
            ("Сайт лицея № 189 «Шанс»", 0),
            ("Сайт школы № 204", 0),
            ("Сайт детского сада № 8", 1),
            ("Сайт детского сада № 41", 1),
            ("Сайт детского сада № 58", 1),
            ("Сайт ЦВР «Фонтанка»", 2),
            ("Сайт ОДОД школы № 166", 2),
        ],
        "criteria": [
            ("Актуальность и полнота информации", 10, 2),
            ("Удобство навигации", 10, 1),
            ("Доступность (версия для слабовидящих)", 10, 1),
        ],
        "votes": 240,
    },
    {
        "slug": "konkurs-innovacionnyh-produktov",
        "title": "Конкурс инновационных продуктов",
        "lead": "Районный конкурс инновационных продуктов образовательных учреждений: программы, методические "
        "комплексы, цифровые ресурсы. Идёт приём заявок.",
        "organisers": "ГБУ ИМЦ Центрального района, отдел инновационной деятельности",
        "state": "submission",
        "nominations": [
            ("Образовательная программа", "Программы, реализующие новые подходы к обучению."),
            ("Цифровой образовательный ресурс", "Онлайн-курсы, сайты, приложения для обучения."),
        ],
        "entries": [
            ("Программа «Школа выбора»: индивидуальные траектории", 0),
            ("Модель сетевого взаимодействия кластера «Лингва»", 0),
            ("Программа наставничества молодых педагогов", 0),
            ("Комплекс «Динамическая оценка на уроке»", 0),
            ("Онлайншкола: курс подготовки к ОГЭ по математике", 1),
            ("Виртуальный музей «Музей глазами ребёнка»", 1),
            ("Альманах «Великая Победа — гордость поколений»", 1),
            ("Банк интерактивных заданий по химии", 1),
        ],
        "criteria": [
            ("Новизна", 10, 2),
            ("Результативность", 10, 2),
            ("Возможность распространения", 10, 1),
        ],
        "votes": 0,
    },
]

DISPOSABLE = ["mailinator.com", "yopmail.com", "10minutemail.com", "guerrillamail.com", "temp-mail.org", "tempmail.ru"]


def _dates(state, now):
    day = timedelta(days=1)
    if state == "finished":
        return {
            "submission_opens_at": None,
            "submission_closes_at": None,
            "voting_opens_at": now - 60 * day,
            "voting_closes_at": now - 40 * day,
            "results_published": True,
            "results_visibility": ResultsVisibility.AFTER_CLOSE,
        }, [
            ("submission", -100, -75),
            ("review", -74, -45),
            ("voting", -60, -40),
            ("results", -35, -35),
        ]
    if state == "voting":
        return {
            "submission_opens_at": None,
            "submission_closes_at": None,
            "voting_opens_at": now - 3 * day,
            "voting_closes_at": now + 14 * day,
            "results_visibility": ResultsVisibility.LIVE,
        }, [("submission", -40, -10), ("review", -9, 14), ("voting", -3, 14), ("results", 20, 20)]
    return {
        "submission_opens_at": now - 5 * day,
        "submission_closes_at": now + 20 * day,
        "voting_opens_at": now + 30 * day,
        "voting_closes_at": now + 40 * day,
        "results_visibility": ResultsVisibility.AFTER_CLOSE,
    }, [("submission", -5, 20), ("review", 21, 40), ("voting", 30, 40), ("results", 45, 45)]


def _jurors():
    User = get_user_model()
    group = Group.objects.filter(name="Жюри").first()
    jurors = []
    for username, first, last in [
        ("expert-orlova", "Вера", "Орлова"),
        ("expert-belov", "Игорь", "Белов"),
        ("expert-zaitseva", "Анна", "Зайцева"),
    ]:
        user, created = User.objects.get_or_create(
            username=username, defaults={"first_name": first, "last_name": last, "is_active": False}
        )
        if created:
            user.set_unusable_password()
            user.save()
        if group:
            user.groups.add(group)
        jurors.append(user)
    return jurors


def _votes(contest, entries, total, rng, now, finished):
    """Confirmed votes written directly (bulk): the demo's history, not a load test."""
    if Vote.objects.filter(contest=contest).exists() or not total:
        return
    document = current_document("vote")
    weights = [rng.randint(1, 10) for _ in entries]
    start = contest.voting_opens_at
    end = min(contest.voting_closes_at, now)
    span = (end - start).total_seconds()
    consents, votes = [], []
    used = set()
    for i in range(total):
        entry = rng.choices(entries, weights=weights)[0]
        voter = f"demo-voter-{rng.randint(1, total * 3)}"
        key = keyed_hash(f"voter:{contest.pk}:{voter}@example.ru")
        if (entry.nomination_id, key) in used:
            continue
        used.add((entry.nomination_id, key))
        created = start + timedelta(seconds=rng.random() * span * 0.98)
        subnet = keyed_hash(f"subnet:10.{rng.randint(0, 40)}.{rng.randint(0, 255)}.0/24")
        ua = keyed_hash(f"ua:demo-{rng.randint(1, 30)}")
        consents.append(
            ConsentRecord(
                document=document,
                revision_id=document.live_revision_id,
                purpose="vote",
                given_at=created,
                subnet_hash=subnet,
            )
        )
        votes.append(
            Vote(
                contest=contest,
                entry=entry,
                nomination_id=entry.nomination_id,
                token_hash=hashlib.sha256(f"demo:{contest.pk}:{i}".encode()).hexdigest(),
                created_at=created,
                expires_at=created + timedelta(hours=24),
                outcome=Vote.Outcome.CONFIRMED,
                completed_at=created + timedelta(seconds=rng.randint(40, 3600)),
                voter_key=key,
                subnet_hash=subnet,
                ua_hash=ua,
            )
        )
    consents = ConsentRecord.objects.bulk_create(consents)
    for vote, consent in zip(votes, consents, strict=True):
        vote.consent = consent
    # A burst from one subnet and one browser, confirmed within seconds: the anomaly the audit shows.
    burst_entry = entries[1]
    burst_at = start + timedelta(seconds=span * 0.5)
    subnet = keyed_hash("subnet:192.0.2.0/24")
    ua = keyed_hash("ua:demo-bot")
    for i in range(25):
        consent = ConsentRecord.objects.create(
            document=document,
            revision_id=document.live_revision_id,
            purpose="vote",
            given_at=burst_at,
            subnet_hash=subnet,
        )
        votes.append(
            Vote(
                contest=contest,
                entry=burst_entry,
                nomination_id=burst_entry.nomination_id,
                token_hash=hashlib.sha256(f"demo-burst:{contest.pk}:{i}".encode()).hexdigest(),
                created_at=burst_at + timedelta(seconds=i * 7),
                expires_at=burst_at + timedelta(hours=24),
                outcome=Vote.Outcome.CONFIRMED,
                completed_at=burst_at + timedelta(seconds=i * 7 + 3),
                voter_key=keyed_hash(f"voter:{contest.pk}:burst{i}@tempbox.example"),
                subnet_hash=subnet,
                ua_hash=ua,
                consent=consent,
            )
        )
    Vote.objects.bulk_create(votes, batch_size=1000)
    if finished:
        for vote in Vote.objects.filter(contest=contest, subnet_hash=subnet):
            VoteAnnulment.objects.create(
                vote=vote,
                reason="Серия из 25 голосов из одной подсети с одного браузера, подтверждения через 3 секунды",
                annulled_at=contest.voting_closes_at + timedelta(days=1),
            )


def _scores(contest, entries, rng):
    if JuryScore.objects.filter(entry__in=entries).exists():
        return
    criteria = list(contest.criteria.all())
    for juror in _jurors():
        for entry in entries:
            talent = (entry.pk * 7) % 5
            for criterion in criteria:
                base = criterion.max_points * (0.5 + talent / 10)
                points = max(0, min(criterion.max_points, round(base + rng.uniform(-1.5, 1.5))))
                JuryScore.objects.create(entry=entry, criterion=criterion, juror=juror, points=points)


def load(log):
    site = Site.objects.get(is_default_site=True)
    home = site.root_page.specific
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    rng = random.Random(20200517)

    for domain in DISPOSABLE:
        DisposableDomain.objects.get_or_create(domain=domain, defaults={"note": "Одноразовая почта"})

    index = child_page(
        home,
        ContestIndexPage,
        "contests",
        title="Конкурсы",
        show_in_menus=True,
        intro="Районные и городские конкурсы педагогических достижений, общественное голосование и итоги. "
        "В 2019–2020 учебном году в районе проведено 14 тематических конкурсов, в них участвовали 309 педагогов.",
    )

    for spec in CONTESTS:
        existing = index.get_children().filter(slug=spec["slug"]).first()
        if existing:
            continue
        fields, stages = _dates(spec["state"], now)
        contest = ContestPage(
            slug=spec["slug"],
            title=spec["title"],
            lead=spec["lead"],
            organisers=spec["organisers"],
            body=RULES_DI if spec["slug"] == "deti-v-internete" else [("paragraph", p(spec["lead"]))],
            image=make_image(f"Конкурс «{spec['title']}»"),
            votes_per_nomination=1,
            jury_weight=60 if spec["state"] == "finished" else 70,
            **fields,
        )
        for order, (title, description) in enumerate(spec["nominations"]):
            contest.nominations.add(Nomination(title=title, description=description, sort_order=order))
        for order, (title, max_points, weight) in enumerate(spec["criteria"]):
            contest.criteria.add(JuryCriterion(title=title, max_points=max_points, weight=weight, sort_order=order))
        for order, (kind, start, end) in enumerate(stages):
            contest.stages.add(
                ContestStage(
                    kind=kind,
                    starts_on=(now + timedelta(days=start)).date(),
                    ends_on=(now + timedelta(days=end)).date(),
                    sort_order=order,
                )
            )
        index.add_child(instance=contest)
        contest.save_revision().publish()
        nominations = list(contest.nominations.all())
        entries = []
        for i, (title, nomination_index) in enumerate(spec["entries"]):
            slug = f"rabota-{i + 1}"
            school = SCHOOLS[(i * 5 + len(spec["slug"])) % len(SCHOOLS)]
            entry = child_page(
                contest,
                ContestEntryPage,
                slug,
                title=title,
                authors=TEACHERS[(i * 3 + len(spec["title"])) % len(TEACHERS)],
                organisation=school,
                nomination=nominations[nomination_index],
                description=p(
                    f"Работа «{title}» подготовлена педагогами учреждения «{school}».",
                    "Материал апробирован в 2019–2020 учебном году и может использоваться коллегами района.",
                ),
                site_url=f"https://school{178 + i}.example.ru/" if spec["slug"] == "luchshii-sait" else "",
                cover=make_image(f"{spec['title']}: {title}"),
            )
            entries.append(entry)
        if spec["state"] in ("finished", "voting"):
            _votes(contest, entries, spec["votes"], rng, now, finished=spec["state"] == "finished")
        if spec["state"] == "finished":
            _scores(contest, entries, rng)
            from .results import publish_results_file

            publish_results_file(contest)
    log(
        "Конкурсы: «Дети в Интернете» (итоги), «Лучший сайт» (голосование), «Конкурс инновационных продуктов» (приём работ)."
    )

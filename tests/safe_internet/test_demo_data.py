"""The «Безопасный интернет» demo data (safe_internet/demo_data.py) as a visitor of the section would meet it.

The six subsections under the letter's exact names, every audience with materials and sites, quizzes a child
can actually pass, campaign dates that exist, links that resolve (other demos' events and contests, https
everywhere), no list showing the same title twice. Plain data: no database needed.
"""

import dataclasses
import re
from collections import Counter
from datetime import date
from urllib.parse import urlsplit

import pytest

from safe_internet import demo_data as data

# Letter of the Ministry of 14.05.2018 No. 08-1184: names and order of the subsections.
LETTER_SUBSECTIONS = [
    "Локальные нормативные акты",
    "Нормативное регулирование",
    "Педагогическим работникам",
    "Обучающимся",
    "Родителям (законным представителям)",
    "Детские безопасные сайты",
]
SEED_LINES = {"000": 2240, "003": 28}  # lines in ../shared/seeds/<file>.txt
OFFICIAL_HOSTS = {"publication.pravo.gov.ru", "government.ru", "kremlin.ru", "www.kremlin.ru"}
SLUG = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")


def records():
    """Every top-level record of the module, by collection name."""
    return {
        "TOPICS": data.TOPICS,
        "SUBSECTIONS": data.SUBSECTIONS,
        "NORMATIVE_DOCUMENTS": data.NORMATIVE_DOCUMENTS,
        "SAFE_RESOURCES": data.SAFE_RESOURCES,
        "MATERIALS": data.MATERIALS,
        "CAMPAIGNS": data.CAMPAIGNS,
        "QUIZZES": data.QUIZZES,
        "HELPLINES": data.HELPLINES,
    }


def walk(value):
    """Every dataclass instance inside `value`, however deeply nested (the value itself included)."""
    if dataclasses.is_dataclass(value):
        yield value
        for f in dataclasses.fields(value):
            yield from walk(getattr(value, f.name))
    elif isinstance(value, tuple | list):
        for item in value:
            yield from walk(item)


def all_urls():
    found = []
    for items in [*records().values(), data.CENTRE_CONTACTS]:
        for record in walk(items):
            url = getattr(record, "url", "")
            if url:
                found.append((type(record).__name__, getattr(record, "key", "?"), url))
    return found


# --- Structure -----------------------------------------------------------------------------------------------


def test_the_six_subsections_carry_the_letters_exact_names_in_its_order():
    assert [s.title for s in data.SUBSECTIONS] == LETTER_SUBSECTIONS
    for subsection in data.SUBSECTIONS:
        assert subsection.intro, subsection.key
        assert all(len(paragraph) >= 80 for paragraph in subsection.intro), subsection.key


def test_each_audience_has_its_own_subsection_named_for_it():
    by_audience = {s.audience: s.title for s in data.SUBSECTIONS if s.audience}
    assert by_audience == data.AUDIENCES


def test_keys_are_unique_slugs_in_every_collection():
    for name, items in records().items():
        keys = [item.key for item in items]
        assert len(keys) == len(set(keys)), name
        assert all(SLUG.fullmatch(key) for key in keys), (name, keys)
    for quiz in data.QUIZZES:
        keys = [q.key for q in quiz.questions]
        assert len(keys) == len(set(keys)), quiz.key


def test_no_list_shows_the_same_title_twice():
    for name, items in records().items():
        titles = Counter(getattr(item, "title", None) or item.name for item in items)
        assert [t for t, n in titles.items() if n > 1] == [], name
    questions = Counter(q.text for quiz in data.QUIZZES for q in quiz.questions)
    assert [t for t, n in questions.items() if n > 1] == []
    for material in data.MATERIALS:
        headings = Counter(section.heading for section in material.sections)
        assert [h for h, n in headings.items() if n > 1] == [], material.key


def test_every_url_is_https_with_a_host():
    urls = all_urls()
    assert len(urls) >= 20
    for where in urls:
        parts = urlsplit(where[2])
        assert parts.scheme == "https", where
        assert parts.hostname and "." in parts.hostname, where


def test_sources_point_at_lines_that_exist_in_the_seeds():
    cited = 0
    for items in [*records().values(), data.CENTRE_CONTACTS, data.SECTION_FIGURES]:
        for record in walk(items):
            for source in getattr(record, "sources", ()):
                seed, _, line = source.partition(":")
                assert seed in SEED_LINES and line.isdigit(), (record, source)
                assert 1 <= int(line) <= SEED_LINES[seed], (record, source)
                cited += 1
    assert cited >= 40


# --- Normative documents -------------------------------------------------------------------------------------


def test_registry_holds_at_least_twelve_real_acts_with_number_date_and_issuer():
    real = [d for d in data.NORMATIVE_DOCUMENTS if not d.is_sample]
    with_number_and_date = [d for d in real if d.number and d.date]
    assert len(with_number_and_date) >= 12
    for doc in data.NORMATIVE_DOCUMENTS:
        assert doc.kind in data.DOCUMENT_KINDS, doc.key
        assert doc.level in data.DOCUMENT_LEVELS, doc.key
        assert doc.status in data.DOCUMENT_STATUSES, doc.key
        assert doc.issuer and doc.title and doc.summary, doc.key
        assert doc.date is None or date(1990, 1, 1) <= doc.date <= date.today(), doc.key
    numbers = {d.number for d in real}
    for expected in ("436-ФЗ", "149-ФЗ", "152-ФЗ", "273-ФЗ", "08-1184", "1105-р"):
        assert expected in numbers


def test_every_level_of_the_registry_has_documents_and_samples_are_undated_local_acts():
    assert {d.level for d in data.NORMATIVE_DOCUMENTS} == set(data.DOCUMENT_LEVELS)
    samples = [d for d in data.NORMATIVE_DOCUMENTS if d.is_sample]
    assert len(samples) >= 5
    for doc in samples:
        assert doc.level == "local" and not doc.number and doc.date is None, doc.key
        assert doc.file_format in data.FILE_FORMATS, doc.key


def test_a_document_that_lost_force_says_when_and_what_replaced_it():
    by_key = {d.key: d for d in data.NORMATIVE_DOCUMENTS}
    lost = [d for d in data.NORMATIVE_DOCUMENTS if d.status == "lost_force"]
    assert lost
    for doc in lost:
        assert doc.lost_force_on and doc.lost_force_on > doc.date, doc.key
        successor = by_key[doc.replaced_by]
        assert successor.status == "in_force"
        assert successor.date <= doc.lost_force_on
        assert doc.number in successor.title  # the successor names the act it repealed
    for doc in data.NORMATIVE_DOCUMENTS:
        if doc.status == "in_force":
            assert doc.lost_force_on is None and doc.replaced_by is None, doc.key


def test_official_text_links_only_to_official_publication_hosts():
    for doc in data.NORMATIVE_DOCUMENTS:
        if doc.url:
            assert urlsplit(doc.url).hostname in OFFICIAL_HOSTS, doc.key


def test_a_document_published_as_a_material_points_at_it():
    materials = {m.key for m in data.MATERIALS}
    for doc in data.NORMATIVE_DOCUMENTS:
        if doc.material:
            assert doc.material in materials, doc.key


# --- Child-safe resources ------------------------------------------------------------------------------------


def test_at_least_fifteen_resources_and_every_audience_finds_some():
    resources = data.SAFE_RESOURCES
    assert len(resources) >= 15
    for audience in data.AUDIENCES:
        found = [r for r in resources if audience in r.audiences]
        assert len(found) >= 5, audience


def test_every_resource_type_filter_and_every_category_finds_resources():
    assert {r.resource_type for r in data.SAFE_RESOURCES} == set(data.RESOURCE_TYPES)
    categories = Counter(r.category for r in data.SAFE_RESOURCES)
    assert len(categories) >= 5


def test_resources_carry_a_valid_age_mark_and_student_sites_are_not_for_adults_only():
    for resource in data.SAFE_RESOURCES:
        assert resource.age_mark in data.AGE_MARKS, resource.key
        assert resource.audiences and set(resource.audiences) <= set(data.AUDIENCES), resource.key
        assert len(resource.description) >= 60, resource.key
        if "students" in resource.audiences:
            assert resource.age_mark != "16+", resource.key
    assert {r.age_mark for r in data.SAFE_RESOURCES if "students" in r.audiences} >= {"0+", "6+", "12+"}


def test_no_two_resources_share_an_address():
    urls = Counter(r.url.rstrip("/").casefold() for r in data.SAFE_RESOURCES)
    assert [u for u, n in urls.items() if n > 1] == []


# --- Materials -----------------------------------------------------------------------------------------------


def test_every_audience_page_lists_materials_and_parents_cover_all_five_topics():
    topics = {t.key for t in data.TOPICS}
    assert len(topics) == 5
    for audience in data.AUDIENCES:
        assert [m for m in data.MATERIALS if audience in m.audiences], audience
    parents_topics = {t for m in data.MATERIALS if "parents" in m.audiences for t in m.topics}
    assert parents_topics == topics
    titles = {m.title for m in data.MATERIALS}
    assert "Памятка для родителей по информационной безопасности" in titles  # the seed's memo (000:1370)


def test_materials_have_content_a_memo_can_print():
    for material in data.MATERIALS:
        assert material.kind in data.MATERIAL_KINDS, material.key
        assert material.age_band in data.AGE_BANDS, material.key
        assert material.file_format in data.FILE_FORMATS, material.key
        assert set(material.topics) <= {t.key for t in data.TOPICS}, material.key
        assert material.lead and len(material.sections) >= 2, material.key
        for section in material.sections:
            assert section.heading and (section.paragraphs or section.items), (material.key, section.heading)
    assert {m.age_band for m in data.MATERIALS if "students" in m.audiences} == {"junior", "teen"}


# --- Campaigns -----------------------------------------------------------------------------------------------


def test_campaign_windows_are_real_dates_within_a_year():
    for campaign in data.CAMPAIGNS:
        window = campaign.window
        assert campaign.window_text, campaign.key
        if window is None:
            assert campaign.contest_slug, campaign.key  # dates come from the contest page
            continue
        assert 1 <= window.start_month <= window.end_month <= 12, campaign.key
        for year in (2025, 2028):  # a leap year too
            start, end = window.bounds(year)  # raises on a day the month does not have
            assert start <= end, campaign.key


def test_campaigns_run_when_the_seed_says():
    by_title = {c.title: c for c in data.CAMPAIGNS}

    def covers(title, day):
        start, end = by_title[title].window.bounds(day.year)
        return start <= day <= end

    assert covers("Единый урок безопасности в сети «Интернет»", date(2019, 11, 15))  # 000:1362
    october_to_december = (date(2026, 10, 1), date(2026, 12, 31))
    assert by_title["Единый урок безопасности в сети «Интернет»"].window.bounds(2026) == october_to_december
    assert by_title["Неделя «Кибербезопасности»"].window.bounds(2019) == (date(2019, 9, 23), date(2019, 9, 28))
    assert covers("Всероссийская контрольная работа по информационной безопасности", date(2019, 10, 10))
    assert covers("Неделя безопасного интернета «Безопасность в глобальной сети»", date(2020, 2, 11))
    contest = by_title["Городской конкурс «Дети в Интернете»"]
    assert ("37 741", "000:1352") in {(f.value, s) for f in contest.figures for s in f.sources}
    course = by_title["Курс «Информационная безопасность для педагогов»"]
    assert "36" in {f.value for f in course.figures}


def test_campaigns_link_to_materials_events_and_contests_that_exist():
    from contests import demo as contests_demo
    from events import demo as events_demo

    materials = {m.key for m in data.MATERIALS}
    event_slugs = {spec[0] for spec in events_demo.EVENTS} | {spec[0] for spec in events_demo.RECURRING}
    contest_slugs = {spec["slug"] for spec in contests_demo.CONTESTS}
    for campaign in data.CAMPAIGNS:
        assert set(campaign.audiences) <= set(data.AUDIENCES), campaign.key
        assert set(campaign.materials) <= materials, campaign.key
        assert set(campaign.event_slugs) <= event_slugs, campaign.key
        assert campaign.contest_slug is None or campaign.contest_slug in contest_slugs, campaign.key
        assert campaign.description, campaign.key
    assert any(c.contest_slug == "deti-v-internete" for c in data.CAMPAIGNS)


# --- «Проверь себя» ------------------------------------------------------------------------------------------


def quizzes_for(audience):
    return [quiz for quiz in data.QUIZZES if quiz.audience == audience]


@pytest.mark.parametrize("audience", ["students", "parents"])
def test_students_and_parents_each_have_a_quiz_of_at_least_ten_questions(audience):
    assert any(len(quiz.questions) >= 10 for quiz in quizzes_for(audience))


def test_one_quiz_per_age_band():
    assert sorted(quiz.age_band for quiz in data.QUIZZES) == sorted(data.AGE_BANDS)


def test_every_question_has_three_or_four_options_exactly_one_correct_and_an_explanation():
    for quiz in data.QUIZZES:
        assert quiz.intro, quiz.key
        for question in quiz.questions:
            where = (quiz.key, question.key)
            assert 3 <= len(question.options) <= 4, where
            assert sum(option.correct for option in question.options) == 1, where
            texts = [option.text for option in question.options]
            assert len(set(texts)) == len(texts) and all(texts), where
            assert len(question.explanation) >= 40, where
            assert question.text.endswith("?"), where


def test_the_correct_answer_is_not_always_in_the_same_place():
    for quiz in data.QUIZZES:
        positions = {next(i for i, o in enumerate(q.options) if o.correct) for q in quiz.questions}
        assert len(positions) >= 2, quiz.key


def test_feedback_links_to_a_memo_for_the_same_audience_that_covers_the_question():
    materials = {m.key: m for m in data.MATERIALS}
    for quiz in data.QUIZZES:
        for question in quiz.questions:
            memo = materials[question.material]
            assert quiz.audience in memo.audiences, (quiz.key, question.key)
            assert question.topic in memo.topics, (quiz.key, question.key)
            assert memo.age_band == quiz.age_band, (quiz.key, question.key)


# --- Helpline block ------------------------------------------------------------------------------------------


def test_the_helpline_block_leads_with_the_federal_line():
    first = data.HELPLINES[0]
    assert first.name == "Линия помощи «Дети России онлайн»"
    assert first.phone == "8-800-25-000-15" and first.free_call
    for helpline in data.HELPLINES:
        assert re.fullmatch(r"8-800-[\d-]+|112", helpline.phone), helpline.key
    # every text that quotes the federal line quotes its number right
    for items in records().values():
        for record in walk(items):
            for f in dataclasses.fields(record):
                value = getattr(record, f.name)
                if isinstance(value, str) and "8-800-25" in value:
                    assert "8-800-25-000-15" in value, record


def test_the_centres_contacts_are_the_ones_published_in_sveden():
    from sveden import demo as sveden_demo

    contacts = data.CENTRE_CONTACTS
    assert contacts.address == sveden_demo.CI_ADDRESS
    assert contacts.organisation_address == sveden_demo.MAIN_ADDRESS
    assert contacts.email == sveden_demo.EMAIL
    assert contacts.organisation_phone.startswith(sveden_demo.PHONE)
    assert re.fullmatch(r"\(812\) \d{3}-\d{2}-\d{2}", contacts.phone)

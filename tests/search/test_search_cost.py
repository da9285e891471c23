"""What one search request costs in SQL statements: a handful, and the same at 100 and at 1,000 pages.

Not a timing test (bench/search.py measures time at 1,000 and 10,000 pages). The statement count is what
a visitor's wait grows with when a request talks to the database once per thing it wants to know, and
the plan check below is what keeps a single statement from reading the whole index as the site grows.
"""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page
from wagtail.rich_text import RichText

from home.models import StandardPage
from search.indexing import index_pages
from search.models import SearchEntry
from tests.news.factories import make_standard_page

pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("search_cost")]

# The budget of one search: the editors' picks (1); one transaction (BEGIN, the planner's settings, …,
# COMMIT: 3) holding the synonym table (1), the words' stems and whether the index knows them (1), one
# lookup per word the index does not know (typo, prefix: the second number below) and the search itself —
# facets, total and the page of hits (1); then counting it for the editors' report (1).
BASE_QUERIES = 8
QUERIES = {
    "one word": ({"q": "вебинар"}, 0),
    "two words": ({"q": "олимпиада школьников"}, 0),
    "question": ({"q": "где посмотреть расписание вебинаров для воспитателей на этой неделе"}, 1),
    "typo": ({"q": "вебинр"}, 1),
    "prefix": ({"q": "педаг"}, 1),
    "school number": ({"q": "гимназия 157"}, 0),
    "nothing found": ({"q": "криптовалюта биткоин"}, 2),
    "section filter": ({"q": "семинар", "section": "metodicheskaya-rabota"}, 0),
    "page 2": ({"q": "семинар", "page": "2"}, 0),
}
TITLES = [
    "Вебинар «Функциональная грамотность» для учителей начальных классов",
    "Олимпиада школьников по математике: школьный этап",
    "Гимназия № {n}: семинар «Проектная деятельность»",
    "Расписание вебинаров для воспитателей детских садов на {n} неделю",
    "Курсы повышения квалификации педагогов, поток {n}",
    "Семинар для педагогов-психологов",
]


def add_pages(parent, start, stop):
    """StandardPages start…stop-1 under `parent`, written in bulk (a publish per page would take minutes
    at 1,000) and indexed in bulk, as bench/search.py does."""
    parent.refresh_from_db()
    last = parent.get_last_child()
    step = int(last.path[-Page.steplen :], 36) + 1 if last else 1
    content_type = ContentType.objects.get_for_model(StandardPage)
    now = datetime.datetime(2026, 11, 1, tzinfo=datetime.UTC)
    pages = []
    for offset, n in enumerate(range(start, stop)):
        title = TITLES[n % len(TITLES)].format(n=n)
        pages.append(
            Page(
                title=title,
                draft_title=title,
                slug=f"cost-{n}",
                path=Page._get_path(parent.path, parent.depth + 1, step + offset),
                depth=parent.depth + 1,
                url_path=f"{parent.url_path}cost-{n}/",
                content_type=content_type,
                live=True,
                locale_id=parent.locale_id,
                first_published_at=now - datetime.timedelta(days=n),
            )
        )
    Page.objects.bulk_create(pages)
    Page.objects.filter(pk=parent.pk).update(numchild=parent.numchild + len(pages))
    body = RichText("<p>Методист центра расскажет педагогам района о семинаре и ответит на вопросы.</p>")
    rows = [
        StandardPage(page_ptr_id=page.pk, lead="Для педагогов района.", body=[("paragraph", body)]) for page in pages
    ]
    StandardPage.objects._insert(rows, fields=list(StandardPage._meta.local_concrete_fields))
    index_pages(Page.objects.filter(pk__in=[page.pk for page in pages]))
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {SearchEntry._meta.db_table}")


def statements(client, params) -> tuple[int, list[str]]:
    client.get("/search/", params)  # the first search of a string adds it to the editors' report
    with CaptureQueriesContext(connection) as ctx:
        response = client.get("/search/", params)
    assert response.status_code == 200
    return len(ctx), [query["sql"] for query in ctx.captured_queries]


@pytest.fixture
def section(home_page):
    return make_standard_page(home_page, "Методическая работа", slug="metodicheskaya-rabota")


def test_statements_per_search_are_few_and_do_not_grow_with_the_pages(client, section):
    add_pages(section, 0, 100)
    small = {name: statements(client, params)[0] for name, (params, _) in QUERIES.items()}
    add_pages(section, 100, 1000)
    assert SearchEntry.objects.filter(page__slug__startswith="cost-").count() == 1000
    large = {name: statements(client, params)[0] for name, (params, _) in QUERIES.items()}
    assert large == small
    budget = {name: BASE_QUERIES + unknown for name, (_, unknown) in QUERIES.items()}
    assert {name: count for name, count in large.items() if count > budget[name]} == {}, (large, budget)


def test_one_statement_reads_the_index_and_only_through_its_indexes(client, section):
    """The index table is read by GIN lookups (and rows fetched by id), never scanned whole: a full scan
    tests the vector of every page, which is what made a search cost more with every page added."""
    add_pages(section, 0, 1000)
    table = SearchEntry._meta.db_table
    for name, (params, _) in QUERIES.items():
        _, sql = statements(client, params)
        reading = [query for query in sql if table in query]
        if name == "nothing found":  # no word the index knows: nothing to look up
            assert reading == []
            continue
        assert len(reading) == 1, name
        settings = [query for query in sql if "set_config(" in query]
        with connection.cursor() as cursor:
            for setting in settings:  # as the view runs it: in its transaction, after its planner settings
                cursor.execute(setting)
            cursor.execute("EXPLAIN " + reading[0])
            plan = [row[0].strip() for row in cursor.fetchall()]
        scans = [line for line in plan if f" on {table} " in f"{line} "]
        assert scans, (name, plan)
        assert all(line.startswith("->  Bitmap Heap Scan") or line.startswith("Bitmap Heap Scan") for line in scans), (
            name,
            plan,
        )

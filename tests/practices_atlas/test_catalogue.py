"""The catalogue at /atlas/ as a visitor uses it: facet counts (OR inside a facet, AND across), the state in
the address, the empty result, addresses it cannot understand, text search and the cost per request."""

import re
from urllib.parse import parse_qsl, urlsplit

import pytest
from bs4 import BeautifulSoup
from django.core.cache import cache, caches
from django.db import connection
from django.test.utils import CaptureQueriesContext

from practices_atlas.models import AtlasIndexPage, PracticePage
from tests.conftest import module_data
from tests.core.factories import home

from .conftest import build_atlas, build_vocab, bulk_practices, practice_factory

# One xdist worker builds the module-scoped catalogue once (scripts/test.sh runs --dist loadgroup).
pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("atlas_catalogue")]


@pytest.fixture(scope="module")
def catalogue(django_db_setup, django_db_blocker):
    """The atlas, its vocabularies and the known practices, built once for the module: each test's own
    additions roll back with its savepoint. Tests get fresh instances (`atlas`, `practices`)."""
    with module_data(django_db_blocker):
        vocab = build_vocab()
        atlas = build_atlas(home())
        practices = known_practices(practice_factory(atlas, vocab))
        yield vocab, atlas.pk, {key: page.pk for key, page in practices.items()}


@pytest.fixture
def vocab(catalogue):
    return catalogue[0]


@pytest.fixture
def atlas(catalogue):
    return AtlasIndexPage.objects.get(pk=catalogue[1])


@pytest.fixture
def practices(catalogue):
    return {key: PracticePage.objects.get(pk=pk) for key, pk in catalogue[2].items()}


def known_practices(make_practice):
    """Four published practices (one archived) and a draft, with known facets."""
    return {
        "p1": make_practice(
            "Онлайн-школа: единое расписание",
            type="learning",
            levels=("primary",),
            subjects=("math",),
            groups=("pupils",),
            org="school",
            format="online",
            year=2020,
            project="digital",
        ),
        "p2": make_practice(
            "Семейный музейный маршрут",
            type="family",
            levels=("preschool",),
            subjects=("museum",),
            groups=("parents",),
            org="kindergarten",
            format="offline",
            year=2021,
            cluster="choice",
        ),
        "p3": make_practice(
            "Математика в детском саду и школе",
            type="learning",
            levels=("preschool", "primary"),
            subjects=("math", "museum"),
            groups=("pupils", "parents"),
            org="kindergarten",
            format="mixed",
            year=2021,
        ),
        "p4": make_practice(
            "Архивная практика",
            type="family",
            levels=("primary",),
            subjects=("math",),
            org="school",
            format="online",
            year=2019,
            status="archived",
        ),
        "draft": make_practice("Черновик", type="learning", publish=False),
    }


def soup_of(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.content[:500]
    return BeautifulSoup(response.content, "html.parser")


def found(soup) -> int:
    text = soup.select_one("[data-atlas-count]").get_text()
    return int(re.search(r"Найдено практик: (\d+)", text).group(1))


def option_count(soup, key, value):
    """The number shown next to an option, or None when the option is not offered."""
    box = soup.find("input", id=f"f-{key}-{value}")
    if box is None:
        return None
    label = soup.find("label", attrs={"for": f"f-{key}-{value}"})
    return int(re.search(r"\((\d+)\)", label.get_text()).group(1))


def titles(soup):
    return [a.get_text(strip=True) for a in soup.select(".atlas-cards .card__title a")]


CASES = [
    # query, total, {(facet, value): count shown}
    (
        "",
        3,
        {
            ("type", "learning"): 2,
            ("type", "family"): 1,
            ("level", "preschool"): 2,
            ("level", "primary"): 2,
            ("format", "online"): 1,
            ("format", "offline"): 1,
            ("format", "mixed"): 1,
            ("year", "2021"): 2,
            ("year", "2020"): 1,
            ("org", "kindergarten"): None,
            ("org", "ds-59"): 2,
            ("group", "parents"): 2,
        },
    ),
    # a facet's own options keep their counts (ticking «family» too would add one); other facets narrow
    (
        "type=learning",
        2,
        {
            ("type", "learning"): 2,
            ("type", "family"): 1,
            ("level", "preschool"): 1,
            ("level", "primary"): 2,
            ("format", "offline"): None,
            ("project", "digital"): 1,
        },
    ),
    ("type=learning&type=family", 3, {("level", "preschool"): 2, ("year", "2020"): 1}),
    (
        "type=learning&level=preschool",
        1,
        {
            ("type", "learning"): 1,
            ("type", "family"): 1,
            ("level", "preschool"): 1,
            ("level", "primary"): 2,
            ("subject", "museum"): 1,
        },
    ),
    ("org=ds-59&format=offline", 1, {("org", "ds-59"): 1, ("org", "school-174"): None, ("format", "mixed"): 1}),
    ("subject=museum&group=parents", 2, {("subject", "math"): 1, ("group", "pupils"): 1, ("group", "parents"): 2}),
    ("archive=1", 4, {("year", "2019"): 1, ("type", "family"): 2}),
    ("archive=1&year=2019&year=2021", 3, {("year", "2020"): 1, ("year", "2019"): 1}),
    ("cluster=choice&project=digital", 0, {("cluster", "choice"): 0, ("project", "digital"): 0}),
]


@pytest.mark.parametrize(("query", "total", "counts"), CASES, ids=[c[0] or "all" for c in CASES])
def test_facet_counts_and_combinations(client, practices, query, total, counts):
    soup = soup_of(client, f"/atlas/?{query}")
    assert found(soup) == total
    assert len(titles(soup)) == total
    assert "Черновик" not in titles(soup)
    for (key, value), expected in counts.items():
        assert option_count(soup, key, value) == expected, (key, value)


def test_chosen_options_stay_ticked_even_when_nothing_matches(client, practices):
    soup = soup_of(client, "/atlas/?type=family&year=2020")
    assert found(soup) == 0
    assert soup.find("input", id="f-type-family").has_attr("checked")
    assert option_count(soup, "year", "2020") == 0  # chosen, so shown with its zero


def test_empty_result_says_so_in_russian_with_a_way_out(client, practices):
    soup = soup_of(client, "/atlas/?type=family&year=2020")
    empty = soup.select_one(".atlas-empty")
    assert "Практик по выбранным условиям не нашлось" in empty.get_text()
    assert empty.find("a", href="/atlas/")
    assert not soup.select(".atlas-cards")


def _form_state(soup) -> list[tuple[str, str]]:
    """What submitting the page's form would send (checked boxes, the text, hidden fields)."""
    form = soup.find("form", id="atlas-form")
    pairs = []
    for field in form.find_all("input"):
        kind = field.get("type", "text")
        if kind == "checkbox" and not field.has_attr("checked"):
            continue
        if kind in ("submit", "button") or not field.get("name"):
            continue
        if field.get("value", ""):
            pairs.append((field["name"], field["value"]))
    select = soup.find("select", attrs={"form": "atlas-form"})
    if select is not None:
        chosen = select.find("option", selected=True)
        if chosen["value"] != "new":
            pairs.append(("sort", chosen["value"]))
    return sorted(pairs)


@pytest.mark.parametrize(
    "query",
    [
        "type=learning&level=preschool&level=primary",
        "subject=math&org=school-174&year=2020&sort=title",
        "q=школа&format=online&archive=1",
        "tag=ДОТ&group=pupils",
        "type=family&year=2020&sort=adopted",  # nothing found: no order select, the order rides in a hidden field
    ],
)
def test_url_round_trip(client, practices, query):
    """The page's form sends back exactly the state its address holds: a shared link reopens the same choice."""
    soup = soup_of(client, f"/atlas/?{query}")
    assert _form_state(soup) == sorted(parse_qsl(query))


def test_removing_one_condition_keeps_the_others(client, practices):
    soup = soup_of(client, "/atlas/?type=learning&level=preschool&sort=title")
    chips = {a.get_text(" ", strip=True): a["href"] for a in soup.select(".atlas-chip")}
    remove_level = next(href for text, href in chips.items() if "Дошкольное образование" in text)
    assert sorted(parse_qsl(urlsplit(remove_level).query)) == [("sort", "title"), ("type", "learning")]
    assert found(soup_of(client, "/atlas/" + remove_level)) == 2


def test_sort_by_title_ignores_quotes_and_newest_is_default(client, practices, make_practice):
    make_practice("«Азбука» дистанционного урока", year=2018)
    soup = soup_of(client, "/atlas/?sort=title")
    assert titles(soup)[0] == "«Азбука» дистанционного урока"
    newest = titles(soup_of(client, "/atlas/"))
    assert newest[-1] == "«Азбука» дистанционного урока"  # 2018, the oldest
    assert set(newest[:2]) == {"Семейный музейный маршрут", "Математика в детском саду и школе"}  # 2021
    # «most adopted» with no adoptions yet: ties fall back to the newest first (tests/practices_atlas/test_adoptions.py)
    assert titles(soup_of(client, "/atlas/?sort=adopted")) == newest


def test_pagination_keeps_the_filters(client, make_practice):
    url = "/atlas/?type=learning&type=family"
    before = found(soup_of(client, url))  # the module's known practices
    for n in range(16 - before):
        make_practice(f"Практика номер {n}", type="learning" if n % 2 else "family")
    soup = soup_of(client, url)
    assert found(soup) == 16 and len(titles(soup)) == 12
    next_link = soup.find("a", rel="next")["href"]
    assert sorted(parse_qsl(next_link.lstrip("?"))) == [("page", "2"), ("type", "family"), ("type", "learning")]
    assert len(titles(soup_of(client, "/atlas/" + next_link))) == 4


@pytest.mark.parametrize(
    "query",
    [
        "type=nosuch",
        "year=abc&year=20201&year=²⁰²⁰",
        "format=teleport",
        "page=abc",
        "page=999",
        "page=-1",
        "sort=random",
        "level=&subject=",
        "org=" + "x" * 300,
        "q=" + "школа " * 100,  # cut to 200 characters at a word
        "type=learning&" + "&".join(f"level=l{n}" for n in range(200)),
    ],
)
def test_bad_parameters_are_ignored_never_an_error(client, practices, query):
    response = client.get(f"/atlas/?{query}")
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    assert found(soup) >= 1


def test_ignored_conditions_are_named(client, practices):
    soup = soup_of(client, "/atlas/?type=nosuch&level=primary")
    notice = soup.find(string=re.compile("не распознана и не учтена"))
    assert notice and "Тип практики" in notice
    assert found(soup) == 2  # the level still applies


def test_hostile_bytes_get_the_sites_russian_400(client, practices):
    response = client.get("/atlas/?type=%00")
    assert response.status_code == 400
    assert "Неверный запрос" in response.content.decode() or "запрос" in response.content.decode().lower()


def test_text_search_with_russian_morphology_inside_the_facets(client, practices):
    # «расписания» (genitive) finds «расписание»; the facet narrows the match further
    assert titles(soup_of(client, "/atlas/?q=расписания")) == ["Онлайн-школа: единое расписание"]
    assert found(soup_of(client, "/atlas/?q=расписания&type=family")) == 0
    soup = soup_of(client, "/atlas/?q=математике")
    assert titles(soup) == ["Математика в детском саду и школе"]
    assert option_count(soup, "type", "learning") == 1  # counts follow the text too


def test_filtered_states_are_not_indexed_by_search_engines(client, practices):
    plain = soup_of(client, "/atlas/")
    assert plain.find("meta", attrs={"name": "robots"}) is None
    filtered = soup_of(client, "/atlas/?type=learning")
    assert filtered.find("meta", attrs={"name": "robots"})["content"] == "noindex, follow"


def test_works_without_javascript_and_with_it(client, practices):
    soup = soup_of(client, "/atlas/")
    form = soup.find("form", id="atlas-form")
    assert form["method"] == "get" and form["action"] == "/atlas/"
    assert form.find("button", type="submit", string="Показать практики")
    script = soup.find("script", src=re.compile(r"practices_atlas/atlas.*\.js"))
    assert script is not None and script.has_attr("defer")


def _queries(client, url) -> int:
    cache.clear()  # a new cache generation: nothing remembered from the previous request
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


def test_query_count_does_not_grow_with_the_catalogue(client, atlas, vocab):
    """Three facets chosen plus a text query: the same number of queries at 100 and at 5,000 practices."""
    url = "/atlas/?type=learning&level=primary&format=online&format=mixed&q=практика&sort=title&page=2"
    plain = "/atlas/?type=learning&level=primary&subject=math&page=3"
    adopted = "/atlas/?level=primary&sort=adopted&page=2"  # the count of adoptions is a subquery, not a query per card
    bulk_practices(atlas, vocab, 100)
    small = (_queries(client, url), _queries(client, plain), _queries(client, adopted))
    bulk_practices(atlas, vocab, 4900)
    large = (_queries(client, url), _queries(client, plain), _queries(client, adopted))
    assert small == large
    assert max(large) <= 40  # measured: 33 (facets 9, results 2, page chrome and routing the rest)
    soup = soup_of(client, plain)
    assert 600 < found(soup) < 650  # learning (n even), primary (n // 2 odd), math (n // 4 even): one in eight
    assert len(titles(soup)) == 12


def test_a_repeated_filter_state_reads_only_its_cards_and_a_publish_shows_the_new_practice(
    client, practices, make_practice
):
    """The search, the facets and the order run once per filter state and page until the next publish. The
    next visitor with the same address gets the kept cards; in another process (its own fragment cache) the
    cards cost one narrow query by id."""
    url = "/atlas/?type=learning&q=школа"
    cache.clear()
    first = soup_of(client, url)
    assert titles(first) == ["Математика в детском саду и школе", "Онлайн-школа: единое расписание"]

    def practice_queries():
        with CaptureQueriesContext(connection) as context:
            assert titles(soup_of(client, url)) == titles(first)
        return [q["sql"] for q in context.captured_queries if "practices_atlas_practicepage" in q["sql"]]

    assert practice_queries() == []
    caches["template_fragments"].clear()  # as in another gunicorn worker
    (by_id,) = practice_queries()
    assert "wagtailsearch" not in by_id and '"practices_atlas_practicepage"."page_ptr_id" IN (' in by_id

    make_practice("Новая школа наставников", type="learning", year=2026)
    assert titles(soup_of(client, url))[0] == "Новая школа наставников"

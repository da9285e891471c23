"""Running a parsed query (search/query.py) over the site search's index on PostgreSQL.

Ranking, in order:
1. pages matching more of the query's words first — all words, then most of them;
2. then pages whose TITLE holds more of them: a partial title match beats a body-only match;
3. then ts_rank over the weighted vector (title A 1.0, summary B 0.4, body C 0.2), divided by
   1 + log(length) so that a long digest mentioning every word once does not win on volume;
4. then the newer date.

Which pages match: at least MIN_SHARE of the words (all of them for one- and two-word queries), the
required numbers always; if that finds nothing, any one word.

Cost: one SQL statement per search gives the facet counts, the total and the page of hits. Which
pages reach the «most words» level the GIN index answers by itself: «at least 3 of these 4 words» is
an OR of ANDs, one bitmap scan that never reads a vector, and one more per higher level gives each
page its number of words (`level_queries`). A long query, where that OR would grow too large, and the
relaxed search instead look each word up on its own and count the matches per page. Rules 1, 2 and 4
order the candidates from those counts alone. Only the first
RANK_POOL of them are ranked by rule 3 (ts_rank reads the vector: the one per-page cost that grows with
the text), and only the page of ten gets a snippet. A page of results beyond the pool follows rules 1,
2 and 4, which is where rule 3 no longer separates anything a visitor compares.
"""

# SQL below is built from our own table names and fixed fragments; every value is a bound parameter.
# ruff: noqa: S608
import contextlib
import datetime
import itertools
import math
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils.html import escape
from django.utils.safestring import mark_safe

from .models import SearchEntry
from .query import ParsedQuery, parse, stems_of, tsquery_literal
from .text import SEARCH_CONFIG, words

MIN_SHARE = 0.6
MAX_CONJUNCTIONS = 64  # ANDs in the level queries; beyond, the words are counted per page
RANK_POOL = 200  # candidates ranked by ts_rank (rule 3); twenty pages of ten
SNIPPET_SOURCE = 6000  # characters of a page's text the snippet is looked for in
_START, _STOP = "\x02", "\x03"
HEADLINE_OPTIONS = (
    f"StartSel={_START}, StopSel={_STOP}, MaxWords=30, MinWords=12, ShortWord=2, MaxFragments=2, FragmentDelimiter=\x04"
)

# Entries a visitor may not see: pages below a view restriction, documents in a restricted collection
# (or below one). Evaluated once per statement (InitPlans), so saving a restriction needs no re-index.
_VISIBLE = """
    NOT (e.path <> '' AND e.path LIKE ANY (ARRAY(
        SELECT p.path || '%%' FROM wagtailcore_pageviewrestriction r JOIN wagtailcore_page p ON p.id = r.page_id)))
    AND (e.document_id IS NULL OR NOT e.document_id = ANY (ARRAY(
        SELECT d.id FROM wagtaildocs_document d
        JOIN wagtailcore_collection c ON c.id = d.collection_id
        JOIN wagtailcore_collection rc ON c.path LIKE rc.path || '%%'
        JOIN wagtailcore_collectionviewrestriction r ON r.collection_id = rc.id)))
"""


# The planner's settings for a search's transaction. Word lookups must be GIN bitmap scans and typo
# lookups trigram index scans. Left alone, for a frequent word the planner reads the whole table — a
# sequential scan, or the primary key in order to save a sort — testing every vector it reads (it does
# not see that they are stored out of line): 40–50 ms instead of 2–4 at 10,000 pages; and it computes
# the similarity of a typo to every word of the lexicon (50 ms) instead of those sharing trigrams with it.
# The disabled paths' penalty inflates the plans' cost estimates, which would start JIT compilation (over
# a second) and parallel workers (slower to start than these statements take): off too.
_PLANNER = (
    "SELECT set_config('enable_seqscan', 'off', true), set_config('enable_indexscan', 'off', true), "
    "set_config('jit', 'off', true), set_config('max_parallel_workers_per_gather', '0', true)"
)


@contextlib.contextmanager
def _planned():
    """A transaction with the search's planner settings (for this transaction only)."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(_PLANNER)
        yield


@dataclass
class Hit:
    title: str
    url: str
    kind: str
    section_title: str
    date: object
    snippet: str


@dataclass
class Facet:
    key: str
    label: str
    count: int


def min_words(count: int) -> int:
    return count if count <= 2 else math.ceil(count * MIN_SHARE)


def count_facets(rows, section: str = "", year: int | None = None) -> dict:
    """Counts by section and by year from (section, section title, year, count) rows; each facet counts under
    the other's filter, as visitors expect, and the total under both."""
    sections, years, total = {}, {}, 0
    for key, title, row_year, count in rows:
        if year is None or row_year == year:
            label, seen = sections.get(key, (title, 0))
            sections[key] = (label, seen + count)
        if not section or key == section:
            if row_year is not None:
                years[row_year] = years.get(row_year, 0) + count
            if year is None or row_year == year:
                total += count
    return {
        "sections": sorted(
            (Facet(key, label, count) for key, (label, count) in sections.items()), key=lambda f: (-f.count, f.label)
        ),
        "years": [Facet(str(key), str(key), count) for key, count in sorted(years.items(), reverse=True)],
        "total": total,
    }


def level_queries(terms, minimum: int) -> list[str] | None:
    """For each level from `minimum` (or the number of required terms, if higher) to all the terms: a
    tsquery matching the entries with at least that many of the terms, the required ones always — an OR
    of ANDs of the terms' own tsqueries. None when they would hold more than MAX_CONJUNCTIONS ANDs."""
    required = [term.tsquery for term in terms if term.required]
    others = [term.tsquery for term in terms if not term.required]
    queries, conjunctions = [], 0
    for level in range(max(minimum, len(required)), len(terms) + 1):
        subsets = list(itertools.combinations(others, level - len(required)))
        conjunctions += len(subsets)
        if conjunctions > MAX_CONJUNCTIONS:
            return None
        queries.append(" | ".join("(" + " & ".join([*required, *subset]) + ")" for subset in subsets))
    return queries


class PostgresSearch:
    """One search over the index, run when made: the query parsed and, in one statement, the facets, the
    total and the slice of hits `window` (the page the view will ask for). Another slice (a page number
    past the end) costs one more statement."""

    def __init__(self, query: str, section: str = "", year: int | None = None, exclude_pages=(), window=None):
        self.exclude_pages = list(exclude_pages)  # editors' picks, shown above the list
        self.section = section
        self.year = year
        self.relaxed = False
        self._pages = {}
        window = window or slice(0, 10)
        with _planned():
            self.parsed = parse(query)
            self._run(window.start or 0, window.stop)

    def _statement(self, start: int, stop: int, levels: list[str] | None) -> tuple[str, list]:
        terms = self.parsed.terms
        table = SearchEntry._meta.db_table
        required = [number for number, term in enumerate(terms) if term.required]
        minimum = min_words(len(terms))
        any_query = self.parsed.any_tsquery
        shown = f"{_VISIBLE} AND (e.page_id IS NULL OR NOT e.page_id = ANY(%s))"
        titles_sql = " UNION ALL ".join(f"SELECT id FROM {table} WHERE title_vector @@ %s::tsquery" for _ in terms)
        if levels:  # the entries at the level, from the index alone; each one's words from the levels above
            lowest = len(terms) + 1 - len(levels)
            above = " UNION ALL ".join(
                f"SELECT id, {lowest + number} AS words FROM {table} WHERE vector @@ %s::tsquery"
                for number in range(1, len(levels))
            )
            more = f"SELECT id, max(words) AS words FROM ({above}) AS hits GROUP BY id" if above else "SELECT 0, 0"
            head = f"""
            strong AS MATERIALIZED (SELECT id, section, section_title, date, path, document_id, page_id
                                    FROM {table} WHERE vector @@ %s::tsquery),
            more (id, words) AS ({more}),
            titled AS (SELECT id, count(*) AS title_words FROM ({titles_sql}) AS hits GROUP BY id),
            level AS (SELECT %s::int AS minimum),
            candidates AS MATERIALIZED (
                SELECT e.id, coalesce(m.words, %s) AS words, coalesce(t.title_words, 0) AS title_words,
                       e.section, e.section_title, e.date
                FROM strong e LEFT JOIN more m ON m.id = e.id LEFT JOIN titled t ON t.id = e.id
                WHERE {shown}
            ),"""
            params = [*levels, *[term.tsquery for term in terms], minimum, lowest, self.exclude_pages]
        elif len(terms) == 1:  # nothing to count per page: the bitmap scan brings the facet columns along
            head = f"""
            matched AS (SELECT id, section, section_title, date, path, document_id, page_id, 1 AS words
                        FROM {table} WHERE vector @@ %s::tsquery),
            titled AS (SELECT id, 1 AS title_words FROM {table} WHERE title_vector @@ %s::tsquery),
            level AS (SELECT %s::int AS minimum),
            candidates AS MATERIALIZED (
                SELECT e.id, e.words, coalesce(t.title_words, 0) AS title_words, e.section, e.section_title, e.date
                FROM matched e LEFT JOIN titled t ON t.id = e.id
                WHERE {shown}
            ),"""
            params = [terms[0].tsquery, terms[0].tsquery, minimum, self.exclude_pages]
        else:
            # Matches are counted per id only (each lookup returns a page at most once, so count(*) is the
            # number of distinct terms it matches); the facet columns are read for the pages that reach the
            # «most words» level, not for every page a common word touches (at 10,000 pages a question's
            # three common words touch 8,700 pages, 2,200 of them reach the level).
            words_sql = " UNION ALL ".join(
                f"SELECT id, {number} AS term FROM {table} WHERE vector @@ %s::tsquery" for number in range(len(terms))
            )
            head = f"""
            counts AS MATERIALIZED (
                SELECT id, count(*) AS words FROM ({words_sql}) AS hits
                GROUP BY id HAVING count(*) FILTER (WHERE term = ANY(%s)) = %s
            ),
            titled AS (SELECT id, count(*) AS title_words FROM ({titles_sql}) AS hits GROUP BY id),
            level AS (
                SELECT CASE WHEN EXISTS (
                    SELECT 1 FROM counts c JOIN {table} e ON e.id = c.id WHERE c.words >= %s AND {shown}
                ) THEN %s ELSE %s END AS minimum
            ),
            candidates AS MATERIALIZED (
                SELECT e.id, c.words, coalesce(t.title_words, 0) AS title_words, e.section, e.section_title, e.date
                FROM counts c JOIN {table} e ON e.id = c.id LEFT JOIN titled t ON t.id = c.id
                WHERE c.words >= (SELECT minimum FROM level) AND {shown}
            ),"""
            params = [term.tsquery for term in terms] + [required, len(required)]
            params += [term.tsquery for term in terms]
            params += [minimum, self.exclude_pages, minimum, 1, self.exclude_pages]
        sql = f"""
            WITH {head}
            facets AS (
                SELECT section, section_title, date_part('year', date)::int AS year, count(*) AS count
                FROM candidates GROUP BY section, section_title, year
            ),
            filtered AS MATERIALIZED (
                SELECT * FROM candidates
                WHERE (%s = '' OR section = %s) AND (%s::int IS NULL OR date_part('year', date) = %s::int)
            ),
            pool AS MATERIALIZED (
                SELECT f.*, ts_rank(e.vector, %s::tsquery, 1) AS rank
                FROM (SELECT id, words, title_words, date FROM filtered
                      ORDER BY words DESC, title_words DESC, date DESC NULLS LAST, id LIMIT %s) AS f
                JOIN {table} e ON e.id = f.id
            ),
            page AS (
                (SELECT 0 AS part, id, words, title_words, rank, date FROM pool
                 ORDER BY words DESC, title_words DESC, rank DESC, date DESC NULLS LAST, id LIMIT %s OFFSET %s)
                UNION ALL
                (SELECT 1, id, words, title_words, NULL, date FROM filtered
                 ORDER BY words DESC, title_words DESC, date DESC NULLS LAST, id LIMIT %s OFFSET %s)
            )
            SELECT (SELECT minimum FROM level),
                   (SELECT json_agg(json_build_array(section, section_title, year, count)) FROM facets),
                   (SELECT json_agg(json_build_array(
                               e.title, e.url, e.kind, e.section_title, e.date,
                               ts_headline(%s::regconfig, left(e.text, %s), %s::tsquery, %s))
                           ORDER BY h.part, h.words DESC, h.title_words DESC, h.rank DESC,
                                    h.date DESC NULLS LAST, h.id)
                    FROM page h JOIN {table} e ON e.id = h.id)
        """
        # Rule 3 orders the pool (the first RANK_POOL candidates by rules 1, 2 and 4); past it, rules 1, 2, 4.
        in_pool = slice(min(start, RANK_POOL), max(min(stop, RANK_POOL), start))
        past_pool = slice(max(start, RANK_POOL), max(stop, RANK_POOL))
        params += [self.section, self.section, self.year, self.year]
        params += [any_query, RANK_POOL]
        params += [in_pool.stop - in_pool.start, in_pool.start, past_pool.stop - past_pool.start, past_pool.start]
        params += [SEARCH_CONFIG, SNIPPET_SOURCE, any_query, HEADLINE_OPTIONS]
        return sql, params

    def _run(self, start: int, stop: int) -> None:
        rows, facet_rows = [], []
        terms = self.parsed.terms
        if terms:
            levels = level_queries(terms, min_words(len(terms))) if len(terms) > 1 else None
            with connection.cursor() as cursor:
                cursor.execute(*self._statement(start, stop, levels))
                minimum, facet_rows, rows = cursor.fetchone()
                if levels and not facet_rows:  # nothing at the level: the relaxed search counts per word
                    cursor.execute(*self._statement(start, stop, None))
                    minimum, facet_rows, rows = cursor.fetchone()
            self.relaxed = minimum < min_words(len(terms))
        self._facets = count_facets(facet_rows or [], self.section, self.year)
        self._pages[(start, stop)] = [
            Hit(title, url, kind, section, datetime.date.fromisoformat(date) if date else None, highlight(snippet))
            for title, url, kind, section, date, snippet in rows or []
        ]

    def facets(self) -> dict:
        return self._facets

    def count(self) -> int:
        return self.facets()["total"]

    def __len__(self):
        return self.count()

    def __getitem__(self, window: slice) -> list[Hit]:
        start, stop = window.start or 0, window.stop
        for (first, last), hits in self._pages.items():
            # Within a slice already fetched, or past the end of the hits it found (the paginator asks
            # for the last page's exact length).
            if first <= start and (stop <= last or len(hits) < last - first):
                return hits[start - first : stop - first]
        if not self.parsed.terms:
            return []
        with _planned():
            self._run(start, stop)
        return self._pages[(start, stop)]


def highlight(headline: str) -> str:
    """ts_headline's output made safe: the text escaped, only our own markers turned into <mark>."""
    if not headline:
        return ""
    fragments = [escape(" ".join(part.split())) for part in headline.split("\x04") if part.strip()]
    html = " … ".join(fragments).replace(_START, "<mark>").replace(_STOP, "</mark>")
    return mark_safe(html)  # escaped above; the markers are control characters we chose


def suggest(prefix_query: str, limit: int = 8) -> list[dict]:
    """Titles for the search box as the visitor types: every word but the last matched whole, the
    last as a prefix; best title matches first, then the newer."""
    query_words = words(prefix_query)[:8]
    if not query_words or len(" ".join(query_words)) < 3:
        return []
    with _planned(), connection.cursor() as cursor:
        parsed = parse(" ".join(query_words[:-1])) if len(query_words) > 1 else ParsedQuery([], [])
        last = query_words[-1]
        stem = stems_of([last]).get(last, "")
        last_alternatives = [tsquery_literal(last, prefix=True)]
        last_alternatives += [tsquery_literal(stem, prefix=True)] if stem else []
        tsquery = " & ".join([term.tsquery for term in parsed.terms] + ["(" + " | ".join(last_alternatives) + ")"])
        table = SearchEntry._meta.db_table
        cursor.execute(
            f"""SELECT e.title, e.url, e.section_title, e.kind FROM {table} e
            WHERE e.title_vector @@ %s::tsquery AND {_VISIBLE}
            ORDER BY ts_rank(e.title_vector, %s::tsquery) DESC, e.date DESC NULLS LAST, e.id
            LIMIT %s""",
            [tsquery, tsquery, limit],
        )
        return [{"title": t, "url": u, "section": s, "kind": k} for t, u, s, k in cursor.fetchall()]

"""Running a parsed query (search/query.py) over the site search's index on PostgreSQL.

Ranking, in order:
1. pages matching more of the query's words first — all words, then most of them;
2. then pages whose TITLE holds more of them: a partial title match beats a body-only match;
3. then ts_rank over the weighted vector (title A 1.0, summary B 0.4, body C 0.2), divided by
   1 + log(length) so that a long digest mentioning every word once does not win on volume;
4. then the newer date.

Which pages match: at least MIN_SHARE of the words (all of them for one- and two-word queries), the
required numbers always; if that finds nothing, any one word. Cost is bounded by the GIN indexes: each
word is looked up on its own (an index scan that never reads the vectors), the matches are counted per
page, and only the pages that survive are ranked.
"""

# SQL below is built from our own table names and fixed fragments; every value is a bound parameter.
# ruff: noqa: S608
import math
from dataclasses import dataclass

from django.db import connection
from django.utils.html import escape
from django.utils.safestring import mark_safe
from wagtail.models import CollectionViewRestriction, PageViewRestriction

from .models import SearchEntry
from .query import ParsedQuery, parse, stems_of, tsquery_literal
from .text import SEARCH_CONFIG, words

MIN_SHARE = 0.6
SNIPPET_SOURCE = 6000  # characters of a page's text the snippet is looked for in
_START, _STOP = "\x02", "\x03"
HEADLINE_OPTIONS = (
    f"StartSel={_START}, StopSel={_STOP}, MaxWords=30, MinWords=12, ShortWord=2, MaxFragments=2, FragmentDelimiter=\x04"
)


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


def _restrictions() -> tuple[list[str], list[int]]:
    """Path prefixes of pages and ids of collections that need a login or password: never listed."""
    paths = [f"{path}%" for path in PageViewRestriction.objects.values_list("page__path", flat=True)]
    collections = []
    for collection in CollectionViewRestriction.objects.select_related("collection"):
        collections.extend(collection.collection.get_descendants(inclusive=True).values_list("pk", flat=True))
    return paths, collections


class PostgresSearch:
    """One search over the index: facet counts and pages of hits, each one SQL query."""

    def __init__(self, query: str, section: str = "", year: int | None = None, exclude_pages=()):
        self.parsed = parse(query)
        self.exclude_pages = list(exclude_pages)  # editors' picks, shown above the list
        self.section = section
        self.year = year
        self.relaxed = False
        self._facets = None

    # The candidate set: per-word GIN lookups counted per entry, restrictions applied.
    def _candidates_sql(self, minimum: int) -> tuple[str, list]:
        terms = self.parsed.terms
        table = SearchEntry._meta.db_table
        parts, params = [], []
        for number, term in enumerate(terms):
            parts.append(f"SELECT id, {number} AS term, false AS in_title FROM {table} WHERE vector @@ %s::tsquery")
            parts.append(
                f"SELECT id, {number} AS term, true AS in_title FROM {table} WHERE title_vector @@ %s::tsquery"
            )
            params += [term.tsquery, term.tsquery]
        required = [number for number, term in enumerate(terms) if term.required]
        paths, collections = _restrictions()
        sql = f"""
            WITH hits AS ({" UNION ALL ".join(parts)}),
            matched AS (
                SELECT id,
                       count(DISTINCT term) FILTER (WHERE NOT in_title) AS words,
                       count(DISTINCT term) FILTER (WHERE in_title) AS title_words,
                       count(DISTINCT term) FILTER (WHERE NOT in_title AND term = ANY(%s)) AS required_words
                FROM hits GROUP BY id
            )
            SELECT e.id, e.section, e.section_title, e.date, m.words, m.title_words
            FROM matched m JOIN {table} e ON e.id = m.id
            LEFT JOIN wagtaildocs_document d ON d.id = e.document_id
            WHERE m.words >= %s AND m.required_words = %s
              AND NOT (e.path <> '' AND e.path LIKE ANY(%s))
              AND (d.id IS NULL OR NOT (d.collection_id = ANY(%s)))
              AND (e.page_id IS NULL OR NOT (e.page_id = ANY(%s)))
        """
        params += [required, minimum, len(required), paths, collections, self.exclude_pages]
        return sql, params

    def _minimum(self) -> int:
        return 1 if self.relaxed else min_words(len(self.parsed.terms))

    def facets(self) -> dict:
        """Counts by section and by year; each facet counts under the other's filter, as visitors expect."""
        if self._facets is not None:
            return self._facets
        rows = self._facet_rows(self._minimum())
        if not rows and len(self.parsed.terms) > 1 and not self.relaxed:
            self.relaxed = True
            rows = self._facet_rows(1)
        sections, years, total = {}, {}, 0
        for section, title, year, count in rows:
            if self.year is None or year == self.year:
                label, seen = sections.get(section, (title, 0))
                sections[section] = (label, seen + count)
            if not self.section or section == self.section:
                if year is not None:
                    years[year] = years.get(year, 0) + count
                if self.year is None or year == self.year:
                    total += count
        self._facets = {
            "sections": sorted(
                (Facet(key, label, count) for key, (label, count) in sections.items()),
                key=lambda f: (-f.count, f.label),
            ),
            "years": [Facet(str(year), str(year), count) for year, count in sorted(years.items(), reverse=True)],
            "total": total,
        }
        return self._facets

    def _facet_rows(self, minimum: int):
        if not self.parsed.terms:
            return []
        sql, params = self._candidates_sql(minimum)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT section, section_title, extract(year FROM date)::int AS year, count(*) "
                f"FROM ({sql}) AS c GROUP BY section, section_title, year",
                params,
            )
            return cursor.fetchall()

    def count(self) -> int:
        return self.facets()["total"]

    def __len__(self):
        return self.count()

    def __getitem__(self, window: slice) -> list[Hit]:
        self.facets()  # decides whether the query is relaxed
        if not self.parsed.terms:
            return []
        sql, params = self._candidates_sql(self._minimum())
        filters, filter_params = [], []
        if self.section:
            filters.append("c.section = %s")
            filter_params.append(self.section)
        if self.year is not None:
            filters.append("extract(year FROM c.date) = %s")
            filter_params.append(self.year)
        where = ("WHERE " + " AND ".join(filters)) if filters else ""
        any_query = self.parsed.any_tsquery
        table = SearchEntry._meta.db_table
        start, stop = window.start or 0, window.stop
        with connection.cursor() as cursor:
            cursor.execute(
                f"""SELECT e.title, e.url, e.kind, e.section_title, e.date,
                           ts_headline(%s, left(e.text, %s), %s::tsquery, %s) AS snippet
                FROM ({sql}) AS c JOIN {table} e ON e.id = c.id
                {where}
                ORDER BY c.words DESC, c.title_words DESC, ts_rank(e.vector, %s::tsquery, 1) DESC,
                         e.date DESC NULLS LAST, e.id
                LIMIT %s OFFSET %s""",
                [SEARCH_CONFIG, SNIPPET_SOURCE, any_query, HEADLINE_OPTIONS, *params, *filter_params]
                + [any_query, stop - start, start],
            )
            rows = cursor.fetchall()
        return [
            Hit(title, url, kind, section, date, highlight(snippet))
            for title, url, kind, section, date, snippet in rows
        ]


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
    parsed = parse(" ".join(query_words[:-1])) if len(query_words) > 1 else ParsedQuery([], [])
    last = query_words[-1]
    stem = stems_of([last]).get(last, "")
    last_alternatives = [tsquery_literal(last, prefix=True)] + ([tsquery_literal(stem, prefix=True)] if stem else [])
    parts = [term.tsquery for term in parsed.terms] + ["(" + " | ".join(last_alternatives) + ")"]
    tsquery = " & ".join(parts)
    paths, collections = _restrictions()
    table = SearchEntry._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"""SELECT e.title, e.url, e.section_title, e.kind FROM {table} e
            LEFT JOIN wagtaildocs_document d ON d.id = e.document_id
            WHERE e.title_vector @@ %s::tsquery
              AND NOT (e.path <> '' AND e.path LIKE ANY(%s))
              AND (d.id IS NULL OR NOT (d.collection_id = ANY(%s)))
            ORDER BY ts_rank(e.title_vector, %s::tsquery) DESC, e.date DESC NULLS LAST, e.id
            LIMIT %s""",
            [tsquery, paths, collections, tsquery, limit],
        )
        return [{"title": t, "url": u, "section": s, "kind": k} for t, u, s, k in cursor.fetchall()]

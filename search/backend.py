"""The search through Wagtail's configured backend: Elasticsearch when ELASTICSEARCH_URL is set, the
SQLite database backend in `make run`. Same interface as search.engine.PostgresSearch, fewer features:

- relaxing: `operator="or"`, so pages matching more words rank higher (BM25 on Elasticsearch);
- typos: Elasticsearch's fuzzy matching (modelsearch `Fuzzy`) when the plain query finds nothing;
  no «Возможно, вы искали» line;
- as you type: the backend's autocomplete over AutocompleteField titles;
- facets by section and year as on PostgreSQL, counted over the first POOL matches in the backend's order
  from their site search entries (section and date as the index keeps them; the entries exist on every
  database, only their vectors are PostgreSQL's);
- registered objects (core.searchsources: the registries' entries) found by the backend are shown as
  their site search entries describe them (URL, kind, section): before the pages if their title holds
  every word of the query, after them otherwise.
"""

from collections import Counter
from dataclasses import dataclass

from django.conf import settings
from django.db import connection
from wagtail.models import Page
from wagtail.search.backends import get_search_backend

from .engine import Hit, count_facets
from .indexing import HOME_SECTION
from .models import SearchEntry
from .query import ParsedQuery
from .text import normalise, words


def uses_own_index() -> bool:
    """PostgreSQL with the database backend as default: search/engine.py answers."""
    backend = settings.WAGTAILSEARCH_BACKENDS["default"]["BACKEND"]
    return connection.vendor == "postgresql" and backend.endswith(".database")


def _sections() -> dict[str, tuple[str, str]]:
    """The top-level sections by tree path: (slug, title)."""
    return {
        path: (slug, title) for path, slug, title in Page.objects.filter(depth=3).values_list("path", "slug", "title")
    }


MAX_ITEMS = 50  # registered objects listed per source, after the pages
POOL = 1000  # pages listed and counted: a district site's query that finds more is not read to the end
SNIPPET = 300


@dataclass
class Match:
    """A page or registered object found, with what the facets need."""

    hit: Hit
    section: str

    @property
    def year(self) -> int | None:
        return self.hit.date.year if self.hit.date else None


def _entry_match(entry: SearchEntry) -> Match:
    return Match(
        Hit(entry.title, entry.url, entry.kind, entry.section_title, entry.date, entry.text[:SNIPPET]), entry.section
    )


class BackendSearch:
    relaxed = False

    def __init__(self, query: str, section: str = "", year: int | None = None, exclude_pages=()):
        self.query = query
        self.section, self.year = section, year
        self.exclude_pages = list(exclude_pages)
        self.parsed = ParsedQuery([], [])
        self.backend = get_search_backend()
        self._matches = None

    def _pages(self):
        return Page.objects.live().public().exclude(pk__in=self.exclude_pages)

    def _page_ids(self) -> list[int]:
        """The backend's matches in its order (ids only: no specific page is loaded for the facets)."""
        pages = self._pages()
        found = [page.pk for page in self.backend.search(self.query, pages, operator="or")[:POOL]]
        if not found and "elasticsearch" in type(self.backend).__module__:
            from modelsearch.query import Fuzzy

            found = [page.pk for page in self.backend.search(Fuzzy(self.query), pages)[:POOL]]
        return found

    def _page_matches(self) -> list[Match]:
        """The pages found, as their site search entries describe them (written on publish on every
        database), so both ways of searching show a page alike."""
        ids = self._page_ids()
        entries = {entry.page_id: entry for entry in SearchEntry.objects.filter(page_id__in=ids)}
        return [_entry_match(entries[pk]) for pk in ids if pk in entries]

    def _item_matches(self) -> list[Match]:
        """Registered objects the backend finds, as their entries in the site search's index show them
        (an object with no entry — hidden, or on a restricted or unpublished page — is left out)."""
        from django.contrib.contenttypes.models import ContentType
        from wagtail.models import PageViewRestriction

        from core.searchsources import SEARCH_SOURCES

        restricted = list(PageViewRestriction.objects.values_list("page__path", flat=True))
        matches = []
        for source in SEARCH_SOURCES.values():
            found = [obj.pk for obj in self.backend.search(self.query, source.queryset(), operator="or")[:MAX_ITEMS]]
            if not found:
                continue
            content_type = ContentType.objects.get_for_model(source.model)
            by_id = {e.object_id: e for e in SearchEntry.objects.filter(content_type=content_type, object_id__in=found)}
            matches += [
                _entry_match(entry)
                for entry in (by_id.get(pk) for pk in found)
                if entry and not any(entry.path.startswith(path) for path in restricted)
            ]
        return matches

    def matches(self) -> list[Match]:
        """Everything found, in the order listed: the objects whose title holds every word of the query (its
        first five letters: any form of it) — as a page with that title would rank — then the pages, then
        the other objects."""
        if self._matches is None:
            query_words = [word[:5] for word in words(self.query)]
            titled, others = [], []
            for match in self._item_matches():
                title = normalise(match.hit.title).lower()
                (titled if query_words and all(word in title for word in query_words) else others).append(match)
            self._matches = titled + self._page_matches() + others
        return self._matches

    def _shown(self) -> list[Match]:
        return [
            match
            for match in self.matches()
            if (not self.section or match.section == self.section) and (self.year is None or match.year == self.year)
        ]

    def facets(self) -> dict:
        counted = Counter((match.section, match.hit.section_title, match.year) for match in self.matches())
        return count_facets([(*key, count) for key, count in counted.items()], self.section, self.year)

    def count(self) -> int:
        return len(self._shown())

    def __len__(self):
        return self.count()

    def __getitem__(self, window: slice) -> list[Hit]:
        return [match.hit for match in self._shown()[window]]

    def suggest(self, limit: int) -> list[dict]:
        sections = _sections()
        return [
            {
                "title": page.title,
                "url": page.url,
                "section": sections.get(page.path[: Page.steplen * 3], HOME_SECTION)[1],
                "kind": str(page.specific_class._meta.verbose_name).capitalize(),
            }
            for page in self.backend.autocomplete(self.query, self._pages().specific())[:limit]
        ]

"""The search through Wagtail's configured backend: Elasticsearch when ELASTICSEARCH_URL is set, the
SQLite database backend in `make run`. Same interface as search.engine.PostgresSearch, fewer features:

- relaxing: `operator="or"`, so pages matching more words rank higher (BM25 on Elasticsearch);
- typos: Elasticsearch's fuzzy matching (modelsearch `Fuzzy`) when the plain query finds nothing;
  no «Возможно, вы искали» line;
- as you type: the backend's autocomplete over AutocompleteField titles;
- no facets by section or year (the page shows the list only);
- registered objects (core.searchsources: the registries' entries) found by the backend are shown as
  their site search entries describe them (URL, kind, section): before the pages if their title holds
  every word of the query, after them otherwise.
"""

from django.conf import settings
from django.db import connection
from wagtail.models import Page
from wagtail.search.backends import get_search_backend

from .engine import Hit
from .query import ParsedQuery
from .text import normalise, words


def uses_own_index() -> bool:
    """PostgreSQL with the database backend as default: search/engine.py answers."""
    backend = settings.WAGTAILSEARCH_BACKENDS["default"]["BACKEND"]
    return connection.vendor == "postgresql" and backend.endswith(".database")


def _section_titles() -> dict[str, str]:
    return dict(Page.objects.filter(depth=3).values_list("path", "title"))


MAX_ITEMS = 50  # registered objects listed per source, after the pages


class BackendSearch:
    relaxed = False

    def __init__(self, query: str, exclude_pages=()):
        self.query = query
        self.exclude_pages = list(exclude_pages)
        self.parsed = ParsedQuery([], [])
        self.backend = get_search_backend()
        self._results = None
        self._items = None

    def _pages(self):
        return Page.objects.live().public().exclude(pk__in=self.exclude_pages).specific()

    def results(self):
        if self._results is None:
            results = self.backend.search(self.query, self._pages(), operator="or")
            if not results.count() and "elasticsearch" in type(self.backend).__module__:
                from modelsearch.query import Fuzzy

                results = self.backend.search(Fuzzy(self.query), self._pages())
            self._results = results
        return self._results

    def items(self) -> list[Hit]:
        """Registered objects the backend finds, as their entries in the site search's index show them
        (an object with no entry — hidden, or on a restricted or unpublished page — is left out)."""
        if self._items is None:
            from django.contrib.contenttypes.models import ContentType
            from wagtail.models import PageViewRestriction

            from core.searchsources import SEARCH_SOURCES

            from .models import SearchEntry

            restricted = list(PageViewRestriction.objects.values_list("page__path", flat=True))
            self._items = []
            for source in SEARCH_SOURCES.values():
                found = [
                    obj.pk for obj in self.backend.search(self.query, source.queryset(), operator="or")[:MAX_ITEMS]
                ]
                if not found:
                    continue
                content_type = ContentType.objects.get_for_model(source.model)
                entries = SearchEntry.objects.filter(content_type=content_type, object_id__in=found)
                by_id = {entry.object_id: entry for entry in entries}
                self._items += [
                    Hit(entry.title, entry.url, entry.kind, entry.section_title, entry.date, entry.text[:300])
                    for entry in (by_id.get(pk) for pk in found)
                    if entry and not any(entry.path.startswith(path) for path in restricted)
                ]
        return self._items

    def count(self) -> int:
        return self.results().count() + len(self.items())

    def __len__(self):
        return self.count()

    def facets(self) -> dict:
        return {"sections": [], "years": [], "total": self.count()}

    def _titled_items(self) -> tuple[list[Hit], list[Hit]]:
        """The objects whose title holds every word of the query (its first five letters: any form of
        it) — listed before the pages, as a page with that title would rank — and the others, after."""
        query_words = [word[:5] for word in words(self.query)]
        titled, others = [], []
        for hit in self.items():
            title = normalise(hit.title).lower()
            (titled if query_words and all(word in title for word in query_words) else others).append(hit)
        return titled, others

    def __getitem__(self, window: slice) -> list[Hit]:
        start, stop = window.start or 0, window.stop
        titled, others = self._titled_items()
        pages = self.results().count()
        hits = titled[start:stop]
        first, last = max(start - len(titled), 0), max(min(stop - len(titled), pages), 0)
        if first < last:
            hits += self._page_hits(self.results()[first:last])
        offset = len(titled) + pages
        return hits + others[max(start - offset, 0) : max(stop - offset, 0)]

    def _page_hits(self, results) -> list[Hit]:
        sections = _section_titles()
        hits = []
        for page in results:
            date = getattr(page, "date", None) or (page.first_published_at and page.first_published_at.date())
            hits.append(
                Hit(
                    title=page.title,
                    url=page.url,
                    kind=str(page.specific_class._meta.verbose_name).capitalize(),
                    section_title=sections.get(page.path[: Page.steplen * 3], "Главная"),
                    date=date if hasattr(date, "year") else None,
                    snippet=page.get_meta_description() if hasattr(page, "get_meta_description") else "",
                )
            )
        return hits

    def suggest(self, limit: int) -> list[dict]:
        sections = _section_titles()
        return [
            {
                "title": page.title,
                "url": page.url,
                "section": sections.get(page.path[: Page.steplen * 3], "Главная"),
                "kind": str(page.specific_class._meta.verbose_name).capitalize(),
            }
            for page in self.backend.autocomplete(self.query, self._pages())[:limit]
        ]

"""Site search: one list across every section, facets by section and year, suggestions as you type.

PostgreSQL answers from the site search's own index (search/engine.py, the rules in search/query.py).
With Elasticsearch configured, or on SQLite (`make run`), Wagtail's backend answers (search/backend.py):
the same page and facets, without typo suggestions. Search pages are never stored by the page cache
or a proxy: every search must be counted, and arbitrary query strings would fill the shared cache.
"""

import logging

from django.core.paginator import Paginator
from django.db import connection
from django.http import JsonResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_GET
from wagtail.contrib.search_promotions.models import Query, QueryDailyHits, SearchPromotion
from wagtail.models import Page
from wagtail.search.utils import normalise_query_string

from core.middleware import long_query_allowed

from .backend import BackendSearch, uses_own_index
from .engine import PostgresSearch, suggest
from .models import NoResultQuery

logger = logging.getLogger(__name__)

MAX_QUERY_LENGTH = 200
RESULTS_PER_PAGE = 10
SUGGESTIONS = 8


def clean_query(raw: str) -> tuple[str, bool]:
    """The query as searched: whitespace collapsed, at most MAX_QUERY_LENGTH characters cut at a word."""
    query = " ".join(raw.replace("\x00", " ").split())
    if len(query) <= MAX_QUERY_LENGTH:
        return query, False
    cut = query[:MAX_QUERY_LENGTH]
    if " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return cut, True


def promotions_for(query: str):
    """Editors' picks for this query (wagtail.contrib.search_promotions), live public pages and links.
    One query when there are none (the usual case); the privacy check runs only for picked pages."""
    picks = [
        pick
        for pick in SearchPromotion.objects.filter(query__query_string=normalise_query_string(query))
        .select_related("page")
        .order_by("sort_order", "pk")
        if not pick.page_id or pick.page.live
    ]
    pages = [pick.page_id for pick in picks if pick.page_id]
    if not pages:
        return picks
    private = set(Page.objects.filter(pk__in=pages).not_public().values_list("pk", flat=True))
    return [pick for pick in picks if pick.page_id not in private]


def _year(raw) -> int | None:
    try:
        year = int(raw)
    except (TypeError, ValueError):
        return None
    return year if 1990 <= year <= 2100 else None


def _section(raw) -> str:
    raw = (raw or "")[:100]
    return raw if raw.replace("-", "").replace("_", "").isalnum() else ""


# Query.get(query).add_hit() and the «Поиск без результатов» counter in one statement (Wagtail's way
# costs three to five): the query row is made if new, today's hits (the date as Wagtail computes it)
# go up by one, and so does the no-result counter when the search found nothing.
_RECORD = f"""
    WITH query AS (
        INSERT INTO {Query._meta.db_table} (query_string) VALUES (%s)
        ON CONFLICT (query_string) DO UPDATE SET query_string = EXCLUDED.query_string
        RETURNING id
    ), daily AS (
        INSERT INTO {QueryDailyHits._meta.db_table} AS h (query_id, date, hits)
        SELECT id, %s, 1 FROM query
        ON CONFLICT (query_id, date) DO UPDATE SET hits = h.hits + 1
    )
    INSERT INTO {NoResultQuery._meta.db_table} AS n (query_string, hits, last_searched)
    SELECT %s, 1, now() WHERE %s
    ON CONFLICT (query_string) DO UPDATE SET hits = n.hits + 1, last_searched = EXCLUDED.last_searched
"""  # noqa: S608 — table names are our models'; every value is a bound parameter


def _record(query: str, found: bool) -> None:
    """Every search is counted (the editors' search-terms report); one that found nothing also in
    «Поиск без результатов»."""
    normalised = normalise_query_string(query)
    try:
        if connection.vendor != "postgresql":
            Query.get(query).add_hit()
            if not found:
                entry, _ = NoResultQuery.objects.get_or_create(query_string=normalised[:255])
                NoResultQuery.objects.filter(pk=entry.pk).update(hits=entry.hits + 1)
            return
        with connection.cursor() as cursor:
            cursor.execute(_RECORD, [normalised, timezone.now().date(), normalised[:255], not found])
    except Exception:
        logger.warning("search: could not record the query", exc_info=True)


def _window(raw) -> slice:
    """The hits of the page number asked for (the paginator's own rules decide in the end)."""
    try:
        number = min(max(int(raw), 1), 100_000)
    except (TypeError, ValueError):
        number = 1
    return slice((number - 1) * RESULTS_PER_PAGE, number * RESULTS_PER_PAGE)


def _run(query, section, year, exclude_pages, window=None):
    """The search for this query: our own index on PostgreSQL, Wagtail's backend otherwise; if the
    configured backend (Elasticsearch) fails at run time, PostgreSQL answers instead."""
    if uses_own_index():
        return PostgresSearch(query, section=section, year=year, exclude_pages=exclude_pages, window=window)
    results = BackendSearch(query, section=section, year=year, exclude_pages=exclude_pages)
    try:
        results.count()
        return results
    except Exception:
        if connection.vendor != "postgresql":
            raise
        logger.warning("search: the configured backend failed; answering from the database", exc_info=True)
        return PostgresSearch(query, section=section, year=year, exclude_pages=exclude_pages, window=window)


@long_query_allowed
@require_GET
def search(request):
    search_query, truncated = clean_query(request.GET.get("q", ""))
    section, year = _section(request.GET.get("section")), _year(request.GET.get("year"))
    context = {
        "search_query": search_query,
        "query_truncated": truncated,
        "max_query_length": MAX_QUERY_LENGTH,
        "selected_section": section,
        "selected_year": str(year) if year else "",
        "promotions": [],
        "total": 0,
        "found": 0,
    }
    if search_query:
        promotions = promotions_for(search_query)
        excluded = [pick.page_id for pick in promotions if pick.page_id]
        results = _run(search_query, section, year, excluded, _window(request.GET.get("page")))
        page = Paginator(results, RESULTS_PER_PAGE).get_page(request.GET.get("page"))
        if page.number > 1:
            promotions = []  # shown above the first page only; excluded from every page of the list
        facets = results.facets()
        context.update(
            search_results=page,
            promotions=promotions,
            total=facets["total"],
            found=facets["total"] + len(promotions),
            sections=facets["sections"],
            years=facets["years"],
            suggestion=results.parsed.suggestion,
            relaxed=results.relaxed,
            ignored=results.parsed.ignored,
        )
        _record(search_query, bool(facets["total"] or promotions))
    response = TemplateResponse(request, "search/search.html", context)
    patch_cache_control(response, private=True, no_store=True)
    return response


@long_query_allowed
@require_GET
def search_suggestions(request):
    """JSON titles for the header search box (from 3 characters); the browser may keep them a minute,
    the shared cache never stores them."""
    query, _ = clean_query(request.GET.get("q", ""))
    items = []
    if len(query) >= 3:
        try:
            items = suggest(query, SUGGESTIONS) if uses_own_index() else BackendSearch(query).suggest(SUGGESTIONS)
        except Exception:
            logger.warning("search: suggestions failed", exc_info=True)
    response = JsonResponse({"query": query, "suggestions": items}, json_dumps_params={"ensure_ascii": False})
    patch_cache_control(response, private=True, max_age=60)
    return response

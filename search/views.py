"""Site search: PostgreSQL full-text with Russian morphology (or Elasticsearch), editors' picks first."""

import logging

from django.conf import settings
from django.core.paginator import Paginator
from django.template.response import TemplateResponse
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_GET
from wagtail.contrib.search_promotions.models import Query
from wagtail.models import Page
from wagtail.search.backends import get_search_backend
from wagtail.search.utils import normalise_query_string

logger = logging.getLogger(__name__)

MAX_QUERY_LENGTH = 200
RESULTS_PER_PAGE = 10


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
    """Editors' picks for this query (wagtail.contrib.search_promotions), live pages and external links."""
    picks = []
    query_obj = Query.objects.filter(query_string=normalise_query_string(query)).first()
    if query_obj is None:
        return picks
    for pick in query_obj.editors_picks.select_related("page").order_by("sort_order", "pk"):
        if pick.page_id and not pick.page.live:
            continue
        picks.append(pick)
    private = set(
        Page.objects.filter(pk__in=[p.page_id for p in picks if p.page_id]).not_public().values_list("pk", flat=True)
    )
    picks = [pick for pick in picks if pick.page_id not in private]
    return picks


def _page_of(results, page_number):
    """A page of results, evaluated here so that a backend failure surfaces inside our try."""
    page = Paginator(results, RESULTS_PER_PAGE).get_page(page_number)
    page.object_list = list(page.object_list)
    return page


def run_search(query: str, exclude_ids, page_number):
    """Search the default backend; if it fails at run time (Elasticsearch down), PostgreSQL answers instead."""
    pages = Page.objects.live().public().exclude(pk__in=exclude_ids).specific()
    backend = get_search_backend()
    try:
        return _page_of(backend.search(query, pages, operator="and"), page_number)
    except Exception:
        fallback = getattr(settings, "DATABASE_SEARCH_BACKEND", None)
        if not fallback or "database" in type(backend).__module__:
            raise
        logger.warning("search: the default backend failed; answering from the database", exc_info=True)
        params = {key: value for key, value in fallback.items() if key != "BACKEND"}
        database = get_search_backend(fallback["BACKEND"], **params)
        return _page_of(database.search(query, pages, operator="and"), page_number)


@require_GET
def search(request):
    search_query, truncated = clean_query(request.GET.get("q", ""))
    promotions = []
    results_page = None

    if search_query:
        promotions = promotions_for(search_query)
        promoted_ids = [pick.page_id for pick in promotions if pick.page_id]
        try:
            Query.get(search_query).add_hit()
        except Exception:
            logger.warning("search: could not record the query", exc_info=True)
        results_page = run_search(search_query, promoted_ids, request.GET.get("page"))
        if results_page.number > 1:
            promotions = []

    response = TemplateResponse(
        request,
        "search/search.html",
        {
            "search_query": search_query,
            "query_truncated": truncated,
            "max_query_length": MAX_QUERY_LENGTH,
            "search_results": results_page,
            "promotions": promotions,
            "total": (results_page.paginator.count if results_page else 0) + len(promotions),
        },
    )
    # Never stored by the page cache or a proxy: every search must reach Query.add_hit() (the editors'
    # search-terms report), and arbitrary query strings would fill the shared cache one entry each.
    patch_cache_control(response, private=True, no_store=True)
    return response

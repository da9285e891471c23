"""Admin reports for methodists: what visitors search for, and what they search for in vain.

Wagtail's own «Поисковые запросы» report is for superusers only; these two are open to the editor
groups (permission «search.view_noresultquery», granted by migration 0003), so that the people who
can add content, a synonym or a promotion see what is missing.
"""

from wagtail.admin.auth import permission_denied
from wagtail.admin.ui.tables import Column, DateColumn, NumberColumn
from wagtail.admin.views.reports import ReportView
from wagtail.contrib.search_promotions.views.reports import SearchTermsReportView

from .models import NoResultQuery

PERMISSION = "search.view_noresultquery"


class _EditorsOnly:
    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(PERMISSION):
            return permission_denied(request)
        return ReportView.dispatch(self, request, *args, **kwargs)


class PopularQueriesReport(_EditorsOnly, SearchTermsReportView):
    page_title = "Популярные запросы"
    index_url_name = "site_search_reports:popular"
    index_results_url_name = "site_search_reports:popular_results"
    columns = [
        Column("query_string", label="Запрос", sort_key="query_string"),
        NumberColumn("_hits", label="Сколько раз искали", sort_key="_hits"),
    ]
    export_headings = {"query_string": "Запрос", "_hits": "Сколько раз искали"}


class NoResultQueriesReport(_EditorsOnly, ReportView):
    page_title = "Поиск без результатов"
    header_icon = "warning"
    is_searchable = True
    search_fields = ["query_string"]
    default_ordering = "-hits"
    index_url_name = "site_search_reports:no_results"
    index_results_url_name = "site_search_reports:no_results_results"
    columns = [
        Column("query_string", label="Запрос", sort_key="query_string"),
        NumberColumn("hits", label="Сколько раз искали", sort_key="hits"),
        DateColumn("last_searched", label="Последний раз", sort_key="last_searched"),
    ]
    list_export = ["query_string", "hits", "last_searched"]
    export_headings = {"query_string": "Запрос", "hits": "Сколько раз искали", "last_searched": "Последний раз"}

    def get_base_queryset(self):
        return NoResultQuery.objects.all()

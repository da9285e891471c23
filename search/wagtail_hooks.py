from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import SearchSynonym
from .reports import PERMISSION, NoResultQueriesReport, PopularQueriesReport


class SearchSynonymViewSet(SnippetViewSet):
    model = SearchSynonym
    icon = "search"
    menu_label = "Синонимы для поиска"
    add_to_settings_menu = True  # beside «Продвигаемые результаты поиска»
    list_display = ["terms", "note"]
    search_fields = ["terms"]


register_snippet(SearchSynonymViewSet)


@hooks.register("register_admin_urls")
def register_report_urls():
    urls = [
        path("popular/", PopularQueriesReport.as_view(), name="popular"),
        path("popular/results/", PopularQueriesReport.as_view(results_only=True), name="popular_results"),
        path("no-results/", NoResultQueriesReport.as_view(), name="no_results"),
        path("no-results/results/", NoResultQueriesReport.as_view(results_only=True), name="no_results_results"),
    ]
    return [path("reports/site-search/", include((urls, "site_search_reports")))]


class _EditorsMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(PERMISSION)


@hooks.register("register_reports_menu_item")
def popular_queries_menu_item():
    return _EditorsMenuItem(
        "Популярные запросы", reverse("site_search_reports:popular"), icon_name="search", order=1310
    )


@hooks.register("register_reports_menu_item")
def no_result_queries_menu_item():
    return _EditorsMenuItem(
        "Поиск без результатов", reverse("site_search_reports:no_results"), icon_name="warning", order=1320
    )

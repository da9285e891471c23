from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import admin_views


@hooks.register("register_admin_urls")
def contests_admin_urls():
    return [
        path("contests/", admin_views.dashboard, name="contests_admin_dashboard"),
        path("contests/<int:contest_id>/jury/", admin_views.jury_contest, name="contests_admin_jury_contest"),
        path("contests/jury/<int:entry_id>/", admin_views.jury_entry, name="contests_admin_jury_entry"),
        path("contests/<int:contest_id>/audit/", admin_views.audit, name="contests_admin_audit"),
        path("contests/<int:contest_id>/annul/", admin_views.annul, name="contests_admin_annul"),
        path(
            "contests/<int:contest_id>/export/<slug:kind>.<slug:fmt>",
            admin_views.export,
            name="contests_admin_export",
        ),
        path(
            "contests/<int:contest_id>/results-file/",
            admin_views.regenerate_results_file,
            name="contests_admin_results_file",
        ),
    ]


class ContestsMenuItem(MenuItem):
    def is_shown(self, request):
        user = request.user
        return any(
            user.has_perm(f"contests.{p}") for p in ("score_entries", "view_vote_audit", "annul_vote", "export_contest")
        )


@hooks.register("register_admin_menu_item")
def contests_menu_item():
    return ContestsMenuItem(
        "Конкурсы: жюри и голоса", reverse("contests_admin_dashboard"), icon_name="trophy", order=350
    )


@hooks.register("register_sensitive_admin_urls")
def sensitive_urls():
    """Downloads of votes, voters and entries' authors: a recent password first (core/reauth.py)."""
    return ["contests_admin_export"]

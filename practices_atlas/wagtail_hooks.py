"""Admin: the atlas's vocabularies as snippets under one menu «Атлас практик», for methodists and editors,
and the «Внедрили у себя» reports (read, annotated, deleted; never added or retyped here).
Subjects are core's one list (menu «Предметы и направления»)."""

from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.admin.ui.tables import DateColumn
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import Adoption, Cluster, EducationLevel, Organisation, PracticeType, Project, TargetGroup


class TermViewSet(SnippetViewSet):
    list_display = ["name", "slug", "sort_order"]
    search_fields = ["name"]
    ordering = ["sort_order", "name"]


class PracticeTypeViewSet(TermViewSet):
    model = PracticeType
    icon = "tag"
    menu_label = "Типы практик"


class EducationLevelViewSet(TermViewSet):
    model = EducationLevel
    icon = "list-ol"
    menu_label = "Уровни образования"


class TargetGroupViewSet(TermViewSet):
    model = TargetGroup
    icon = "group"
    menu_label = "Целевые группы"


class ProjectViewSet(TermViewSet):
    model = Project
    icon = "folder-open-inverse"
    menu_label = "Проекты"


class ClusterViewSet(TermViewSet):
    model = Cluster
    icon = "globe"
    menu_label = "Кластеры и сети"
    list_display = ["name", "kind", "slug"]


class OrganisationViewSet(SnippetViewSet):
    model = Organisation
    icon = "home"
    menu_label = "Организации"
    list_display = ["short_name", "kind", "number", "district"]
    list_filter = ["kind", "district"]
    search_fields = ["short_name", "full_name"]
    ordering = ["kind", "number", "short_name"]


class AdoptionPermissionPolicy(ModelPermissionPolicy):
    """Adoptions come from the site form only: nobody adds or copies one in the admin."""

    def user_has_permission(self, user, action):
        if action in ("add", "copy"):
            return False
        return super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


register_permission_policy(Adoption, AdoptionPermissionPolicy(Adoption))


class AdoptionViewSet(SnippetViewSet):
    """What the visitor sent stays as sent (read-only); a methodist adds a note or deletes a false report.
    The e-mail is never shown: it exists only until the confirmation (practices_atlas/adoptions.py)."""

    model = Adoption
    icon = "tick-inverse"
    menu_label = "Внедрения практик"
    list_display = [
        "practice",
        "organisation",
        "status",
        DateColumn("created_at", label="Отправлено"),
        DateColumn("confirmed_at", label="Подтверждено"),
    ]
    list_filter = ["status", "practice", "organisation"]
    ordering = ["-created_at", "-pk"]
    copy_view_enabled = False
    inspect_view_enabled = True
    inspect_view_fields = [
        "practice",
        "organisation",
        "comment",
        "status",
        "created_at",
        "confirmed_at",
        "methodist_note",
    ]
    panels = [
        MultiFieldPanel(
            [
                FieldPanel("practice", read_only=True),
                FieldPanel("organisation", read_only=True),
                FieldPanel("comment", read_only=True),
                FieldPanel("status", read_only=True),
                FieldPanel("created_at", read_only=True),
                FieldPanel("confirmed_at", read_only=True),
            ],
            heading="Сообщение с сайта",
        ),
        FieldPanel("methodist_note"),
    ]

    def get_queryset(self, request):
        return Adoption.objects.select_related("practice", "organisation")


class AtlasGroup(SnippetViewSetGroup):
    menu_label = "Атлас практик"
    menu_icon = "doc-full-inverse"
    menu_order = 255
    items = (
        PracticeTypeViewSet,
        EducationLevelViewSet,
        TargetGroupViewSet,
        ProjectViewSet,
        ClusterViewSet,
        OrganisationViewSet,
        AdoptionViewSet,
    )


register_snippet(AtlasGroup)

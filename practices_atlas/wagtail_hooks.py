"""Admin: the atlas's vocabularies as snippets under one menu «Атлас практик», for methodists and editors.
Subjects are core's one list (menu «Предметы и направления»)."""

from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import Cluster, EducationLevel, Organisation, PracticeType, Project, TargetGroup


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
    )


register_snippet(AtlasGroup)

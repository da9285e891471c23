"""Admin: the registry of normative documents as a snippet under «Безопасный интернет»."""

from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import NormativeDocument, QuizAnswerCount, SafeResource, Topic


class NormativeDocumentViewSet(SnippetViewSet):
    model = NormativeDocument
    icon = "doc-full"
    menu_label = "Нормативные документы"
    list_display = ["title", "kind", "number", "date", "level", "status"]
    list_filter = ["kind", "level", "status"]
    search_fields = ["title", "number", "issuer"]
    ordering = ["-date", "title"]


class SafeResourceViewSet(SnippetViewSet):
    """«Скрыт проверкой ссылок» in the filter lists what the link checker hid, with the reason."""

    model = SafeResource
    icon = "link"
    menu_label = "Детские безопасные сайты"
    list_display = ["name", "url", "age_mark", "category", "last_checked_at", "check_status", "hidden"]
    list_filter = ["hidden", "last_check_ok", "age_mark", "category"]
    search_fields = ["name", "url", "description"]
    ordering = ["category", "sort_order", "name"]


class TopicViewSet(SnippetViewSet):
    model = Topic
    icon = "tag"
    menu_label = "Темы материалов"
    list_display = ["short_name", "name", "sort_order"]
    ordering = ["sort_order", "name"]


class QuizAnswerCountViewSet(SnippetViewSet):
    """Read-only for editors in practice: which options children choose (no personal data)."""

    model = QuizAnswerCount
    icon = "list-ul"
    menu_label = "Статистика тестов"
    list_display = ["question", "option", "count"]
    ordering = ["question__page", "question__sort_order", "option"]


class SafeInternetGroup(SnippetViewSetGroup):
    menu_label = "Безопасный интернет"
    menu_icon = "lock"
    menu_order = 256
    items = (NormativeDocumentViewSet, SafeResourceViewSet, TopicViewSet, QuizAnswerCountViewSet)


register_snippet(SafeInternetGroup)

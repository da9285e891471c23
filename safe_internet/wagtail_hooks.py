"""Admin: the registry of normative documents as a snippet under «Безопасный интернет»."""

from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import NormativeDocument


class NormativeDocumentViewSet(SnippetViewSet):
    model = NormativeDocument
    icon = "doc-full"
    menu_label = "Нормативные документы"
    list_display = ["title", "kind", "number", "date", "level", "status"]
    list_filter = ["kind", "level", "status"]
    search_fields = ["title", "number", "issuer"]
    ordering = ["-date", "title"]


class SafeInternetGroup(SnippetViewSetGroup):
    menu_label = "Безопасный интернет"
    menu_icon = "lock"
    menu_order = 256
    items = (NormativeDocumentViewSet,)


register_snippet(SafeInternetGroup)

"""The registry's entries as site search results (core.searchsources, registered in apps.py): a normative
document leads to the registry page filtered to it, a child-safe site to its place in the catalogue.
An entry no live subsection lists (a hidden site, a registry page unpublished) is not a result."""

from urllib.parse import urlsplit

from core.searchsources import SearchItem

from .models import NormativeDocument, SafeInternetSubsectionPage, SafeResource


def _listing_page(kind):
    """The live subsection that lists this kind of entry (the first in the tree, if several do)."""
    return SafeInternetSubsectionPage.objects.live().filter(kind=kind).order_by("path").first()


def document_anchor(document) -> str:
    return f"?document={document.pk}#doc-{document.pk}"


def describe_documents(documents) -> dict[int, SearchItem]:
    pages = {}
    items = {}
    for document in documents:
        local = document.level == NormativeDocument.Level.LOCAL
        kind = SafeInternetSubsectionPage.Kind.LOCAL_ACTS if local else SafeInternetSubsectionPage.Kind.NORMATIVE
        if kind not in pages:
            pages[kind] = _listing_page(kind)
        if pages[kind] is None:
            continue
        status = "Действует"
        if document.lost_force:
            status = "Утратил силу" + (f" с {document.lost_force_on:%d.%m.%Y}" if document.lost_force_on else "")
        items[document.pk] = SearchItem(
            title=document.full_title,
            kind="Нормативный документ" + (", утратил силу" if document.lost_force else ""),
            page=pages[kind],
            anchor=document_anchor(document),
            summary=document.summary,
            text=f"{status}. {document.issuer}. {document.get_level_display()}.",
            date=document.date,
        )
    return items


def describe_resources(resources) -> dict[int, SearchItem]:
    page = None
    items = {}
    for resource in resources:
        if resource.hidden:
            continue  # the link checker hid it: visitors do not see it in the catalogue either
        page = page or _listing_page(SafeInternetSubsectionPage.Kind.RESOURCES)
        if page is None:
            return {}
        audiences = ", ".join(resource.audience_labels)
        items[resource.pk] = SearchItem(
            title=resource.name,
            kind="Безопасный сайт",
            page=page,
            anchor=f"#resource-{resource.pk}",
            summary=resource.description,
            text=" ".join(
                part
                for part in (
                    f"{resource.category}.",
                    urlsplit(resource.url).hostname or "",
                    f"{resource.get_resource_type_display()}, {resource.age_mark}.",
                    f"Для кого: {audiences}." if audiences else "",
                )
                if part
            ),
        )
    return items


def register() -> None:
    from core.searchsources import register_search_source

    register_search_source(
        NormativeDocument,
        describe_documents,
        queryset=lambda: NormativeDocument.objects.order_by("pk"),
        pages=(SafeInternetSubsectionPage,),
    )
    register_search_source(
        SafeResource,
        describe_resources,
        queryset=lambda: SafeResource.objects.order_by("pk"),
        pages=(SafeInternetSubsectionPage,),
    )

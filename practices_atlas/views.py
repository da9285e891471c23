"""The catalogue at /atlas/, and what practice and collection pages show besides their fields."""

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.db.models import (
    Case,
    Count,
    IntegerField,
    OuterRef,
    Prefetch,
    Subquery,
    Value,
    When,
    prefetch_related_objects,
)
from django.db.models.functions import Coalesce
from django.template.response import TemplateResponse

from core import seo
from core.cache import cached_for_generation
from core.siteurl import public_origin

from . import catalogue as cat
from .adoptions import adopters, organisations_phrase
from .cards import card_rows, cards_by_id, with_urls
from .models import AtlasCollectionPage, PracticeAttachment, PracticePage, PracticePresentation, Status

RELATED_COUNT = 3


def _page_number(value: str) -> int:
    value = (value or "").strip()
    if value.isascii() and value.isdigit() and len(value) <= 6:  # «²» is a digit too, int() refuses it
        return max(int(value), 1)
    return 1


def catalogue(index, request):
    vocab = cat.vocabularies(request)
    filters = cat.Filters.from_query(request.GET, vocab)
    facets, total = cat.cached_facet_counts(request, index, filters, vocab)
    # Page numbers only: the facet pass (kept until the next publish) counted the results.
    paginator = Paginator(range(total), cat.PER_PAGE)
    number = min(_page_number(request.GET.get("page", "")), paginator.num_pages)
    page_obj = paginator.page(number)

    def cards():
        """Called by the template only when the cards' fragment (per filter state and page) is not kept."""
        ids = cat.cached_page_ids(request, index, filters, vocab, number) if total else ()
        return cards_by_id(ids, request, index, adopted=filters.sort == "adopted")

    chosen = [(facet, option) for facet in facets for option in facet.selected_options]
    context = {
        "page": index,
        "self": index,
        "filters": filters,
        "facets": facets,
        "chosen": chosen,
        "total": total,
        "page_obj": page_obj,
        "practices": cards,
        "sorts": [(key, cat.SORTS[key]) for key in cat.OFFERED_SORTS],
        "filter_query": filters.querystring(),
        "reset_query": urlencode([("sort", filters.sort)]) if filters.sort != cat.DEFAULT_SORT else "",
        "max_query_length": cat.MAX_QUERY_LENGTH,
        "without_q": filters.querystring(without=("q", filters.q)),
        "without_tag": filters.querystring(without=("tag", filters.tag)),
        "without_archive": filters.querystring(without=("archive", "1")),
        "collections": collections_of(request, index),
    }
    return TemplateResponse(request, "practices_atlas/atlas_index_page.html", context)


# --- practice page ---------------------------------------------------------------------------------------


def facet_links(practice: PracticePage, index_url: str) -> list[dict]:
    """The practice's facets as links into the catalogue filtered by each value."""

    def link(key, value):
        return f"{index_url}?{urlencode([(key, value)])}"

    rows = []

    def add(label, items):
        items = [item for item in items if item[1]]
        if items:
            rows.append(
                {"label": label, "links": [{"text": text, "url": link(key, value)} for key, value, text in items]}
            )

    if practice.practice_type_id:
        add("Тип практики", [("type", practice.practice_type.slug, practice.practice_type.name)])
    add("Уровень образования", [("level", term.slug, term.name) for term in practice.levels.all()])
    add("Предмет / направление", [("subject", term.slug, term.name) for term in practice.subjects.all()])
    add("Целевая группа", [("group", term.slug, term.name) for term in practice.target_groups.all()])
    add("Формат", [("format", practice.format, practice.get_format_display())])
    add("Год", [("year", str(practice.year), str(practice.year))])
    if practice.project_id:
        add("Проект", [("project", practice.project.slug, practice.project.name)])
    if practice.cluster_id:
        add("Кластер или сеть", [("cluster", practice.cluster.slug, practice.cluster.name)])
    if practice.organisation_id:
        add("Организация", [("org", practice.organisation.slug, practice.organisation.short_name)])
    return rows


def _shared(through, column, ids):
    """Per candidate practice, how many of these vocabulary ids it shares (a correlated subquery)."""
    return Coalesce(
        Subquery(
            through.objects.filter(practicepage_id=OuterRef("pk"), **{f"{column}__in": ids})
            .values("practicepage_id")
            .annotate(n=Count("*"))
            .values("n")[:1],
            output_field=IntegerField(),
        ),
        Value(0),
    )


def related_practices(practice: PracticePage, request, index, limit=RELATED_COUNT) -> list[dict]:
    """Cards of the practices chosen by the methodist, else of the live practices sharing most facets with this
    one (one query)."""
    chosen = [link.related_id for link in practice.related_links.all()]  # in a preview: the editor's list
    if chosen:
        cards = cards_by_id(chosen, request, index)
        if cards:
            return cards
    subjects = [s.pk for s in practice.subjects.all()]
    levels = [term.pk for term in practice.levels.all()]
    score = Value(0)
    for field, value, weight in (
        ("practice_type_id", practice.practice_type_id, 3),
        ("cluster_id", practice.cluster_id, 2),
        ("project_id", practice.project_id, 1),
    ):
        if value:
            score = score + Case(When(**{field: value}, then=Value(weight)), default=Value(0))
    if subjects:
        score = score + 2 * _shared(PracticePage.subjects.through, "subject_id", subjects)
    if levels:
        score = score + _shared(PracticePage.levels.through, "educationlevel_id", levels)
    candidates = (
        PracticePage.objects.live()
        .public()
        .sibling_of(practice, inclusive=False)
        .filter(status=Status.PUBLISHED)
        .annotate(score=score)
        .filter(score__gt=0)
        .order_by("-score", "-year", "-pk")
    )
    return with_urls(card_rows(candidates)[:limit], request, index)


def learning_resource(practice: PracticePage, request) -> dict:
    """schema.org LearningResource (a CreativeWork) for search engines; printed by {% json_ld %} (core.seo)."""
    url = practice.get_full_url(request)
    data = {
        "@context": "https://schema.org",
        "@type": "LearningResource",
        "name": practice.title,
        "description": practice.annotation,
        "url": url,
        "mainEntityOfPage": url,
        "inLanguage": "ru",
        "isAccessibleForFree": True,
        "dateCreated": str(practice.year),
        "creativeWorkStatus": practice.get_status_display(),
        "publisher": seo.organisation(request),
        "author": [
            {
                "@type": "Person"
                if not author.name.lower().startswith(("творческая", "коллектив"))
                else "Organization",
                "name": author.name,
                **({"jobTitle": author.position} if author.position else {}),
            }
            for author in practice.authors.all()
        ],
    }
    if practice.first_published_at:
        data["datePublished"] = practice.first_published_at.isoformat()
    if practice.last_published_at:
        data["dateModified"] = practice.last_published_at.isoformat()
    if practice.organisation_id:
        org = practice.organisation
        data["sourceOrganization"] = {
            "@type": "EducationalOrganization",
            "name": org.full_name,
            "alternateName": org.short_name,
        }
    if practice.practice_type_id:
        data["learningResourceType"] = practice.practice_type.name
    levels = [term.name for term in practice.levels.all()]
    if levels:
        data["educationalLevel"] = levels
    subjects = [term.name for term in practice.subjects.all()]
    if subjects:
        data["about"] = [{"@type": "Thing", "name": name} for name in subjects]
    groups = [term.name for term in practice.target_groups.all()]
    if groups:
        data["audience"] = [{"@type": "EducationalAudience", "educationalRole": name} for name in groups]
    tags = [tag.name for tag in practice.tags.all()]
    if tags:
        data["keywords"] = ", ".join(tags)
    if practice.review_date:
        data["contentReferenceTime"] = practice.review_date.isoformat()
    if practice.video_url:
        data["video"] = {"@type": "VideoObject", "name": practice.video_title, "url": practice.video_url}
    parts = []
    for attachment in practice.attachments.all():
        document = attachment.document
        part = {
            "@type": "MediaObject",
            "name": attachment.title or document.title,
            "contentUrl": public_origin() + document.url,
            "encodingFormat": document.file_extension.lower(),
        }
        if document.file_size:
            part["contentSize"] = f"{document.file_size} B"
        parts.append(part)
    if parts:
        data["associatedMedia"] = parts
    return data


def read_lists_once(practice: PracticePage, request) -> None:
    """Every list the page shows — vocabularies, authors, tags, files with their documents, presentations —
    read with one query each, whatever its length; the facets, the JSON-LD and the template then reuse them.
    Not in previews: there the lists are the editor's unsaved ones, held in memory by modelcluster."""
    if not practice.pk or getattr(request, "is_preview", False):
        return
    prefetch_related_objects(
        [practice],
        "levels",
        "subjects",
        "target_groups",
        "authors",
        "tags",
        Prefetch("attachments", queryset=PracticeAttachment.objects.select_related("document")),
        Prefetch("presentations", queryset=PracticePresentation.objects.select_related("event")),
    )


def practice_context(practice: PracticePage, request) -> dict:
    read_lists_once(practice, request)
    index = practice.get_parent()
    index_url = index.get_url(request) if index else "/atlas/"
    facets = facet_links(practice, index_url)
    attachments = list(practice.attachments.all())
    presentations = list(practice.presentations.all())
    video = None
    if practice.video_url:
        # The shape of core's video block value: components/blocks/video.html renders the click-to-load player.
        video = {"video": {"url": practice.video_url}, "title": practice.video_title or practice.title}
    adopting = adopters(practice)
    sections = [
        (key, label, getattr(practice, key))
        for key, label in (
            ("problem", "Проблема и цели"),
            ("description", "Описание практики"),
            ("conditions", "Условия и ресурсы"),
            ("results", "Результаты и подтверждения"),
            ("how_to_adopt", "Как внедрить у себя"),
        )
        if getattr(practice, key)
    ]
    return {
        "index_page": index,
        "index_url": index_url,
        "facet_links": facets,
        "attachments": attachments,
        "presentations": presentations,
        "video": video,
        "sections": sections,
        "related": related_practices(practice, request, index),
        "adopters": adopting,
        "adopters_phrase": organisations_phrase(len(adopting)),
        "authors": list(practice.authors.all()),
        "page_tags": list(practice.tags.all()),
        "structured_data": learning_resource(practice, request),
        "og_type": "article",
    }


# --- collection page --------------------------------------------------------------------------------------


def collection_context(collection: AtlasCollectionPage, request) -> dict:
    index = collection.get_parent()
    chosen = [item.practice_id for item in collection.collection_items.all()]  # in their order (Orderable)
    return {
        "practices": cards_by_id(chosen, request, index),
        "index_page": index,
        "index_url": index.get_url(request) if index else "/atlas/",
        "og_type": "website",
    }


def collections_of(request, index) -> tuple[dict, ...]:
    """The themed editions above the catalogue (title, edition, address), kept until the next publish."""

    def build():
        pages = AtlasCollectionPage.objects.child_of(index).live().public().only("title", "url_path", "edition")
        return tuple(
            {"title": page.title, "edition": page.edition, "url": page.get_url(request)}
            for page in pages.order_by("path")
        )

    return cached_for_generation(request, f"atlas-collections:{index.pk}", build)

"""Writing the site search's index (search.models.SearchEntry) in the request that changes content.

Weights: A — the title; B — what summarises the page (search description, lead, intro, fields with a
boost, tags and other related names); C — everything else. A page's entry holds its live content;
pages not live have none. View restrictions and restricted document collections are applied when
searching, so saving a restriction needs no re-index.
"""

# SQL below is built from our own table names and fixed fragments; every value is a bound parameter.
# ruff: noqa: S608
import logging

from django.contrib.postgres.search import SearchVector
from django.db import connection, transaction
from django.db.models import TextField, Value
from django.utils import timezone
from wagtail.models import Page
from wagtail.search.index import AutocompleteField, RelatedFields, SearchField

from .models import SearchEntry, SearchWord
from .text import SEARCH_CONFIG, normalise, plain, words

logger = logging.getLogger(__name__)

SUMMARY_FIELDS = {"search_description", "lead", "intro", "annotation", "description"}
MAX_VECTOR_TEXT = 200_000  # characters per weight: far below tsvector's 1 MB, far above any page
MAX_SNIPPET_TEXT = 50_000
HOME_SECTION = ("home", "Главная")


def _field_texts(obj, fields, related=False):
    """(weight, text) for every search field of obj, following RelatedFields (tags, types, authors)."""
    for field in fields:
        if isinstance(field, AutocompleteField):
            continue  # the same text as a SearchField
        if isinstance(field, RelatedFields):
            value = field.get_value(obj)
            if value is None:
                continue
            items = value.all() if hasattr(value, "all") else [value() if callable(value) else value]
            for item in items:
                yield from _field_texts(item, field.fields, related=True)
        elif isinstance(field, SearchField):
            if field.field_name == "title" and not related:
                continue  # the title has its own weight
            summary = related or field.field_name in SUMMARY_FIELDS or (field.boost or 1) > 1
            yield ("B" if summary else "C"), plain(field.get_value(obj))


def page_texts(page) -> dict[str, str]:
    """The title, summary and body text of a specific page, normalised for the index."""
    texts = {"A": page.title, "B": [], "C": []}
    for weight, text in _field_texts(page, page.get_search_fields()):
        if text:
            texts[weight].append(text)
    return {weight: normalise(value if isinstance(value, str) else " ".join(value)) for weight, value in texts.items()}


def _section_of(page) -> tuple[str, str]:
    """The top-level section (a child of the home page) a page belongs to: its slug and title."""
    if page.depth <= 2:
        return HOME_SECTION
    section = Page.objects.filter(path=page.path[: Page.steplen * 3]).values_list("slug", "title").first()
    return tuple(section) if section else HOME_SECTION


def _date_of(page):
    """The date a visitor associates with the page: a news date, an event's start, else first publication."""
    for attr in ("date", "start"):
        value = getattr(page, attr, None)
        if value and hasattr(value, "year"):
            return timezone.localdate(value) if hasattr(value, "hour") else value
    published = page.first_published_at or page.last_published_at
    return timezone.localdate(published) if published else None


def _kind_of(page) -> str:
    from core.models import SectionIndexPage

    if isinstance(page, SectionIndexPage) or page.depth <= 2:
        return "Раздел"
    return str(page.specific_class._meta.verbose_name).capitalize()


def _vectors(texts: dict[str, str]) -> dict:
    if connection.vendor != "postgresql":
        return {}
    parts = [
        SearchVector(
            Value(texts[weight][:MAX_VECTOR_TEXT], output_field=TextField()), weight=weight, config=SEARCH_CONFIG
        )
        for weight in "ABC"
    ]
    title = SearchVector(Value(texts["A"], output_field=TextField()), config=SEARCH_CONFIG)
    return {"vector": parts[0] + parts[1] + parts[2], "title_vector": title}


def remember_words(texts) -> None:
    """Add the words of these texts the lexicon does not know yet (with their Russian stems)."""
    if connection.vendor != "postgresql":
        return
    seen = {
        word for text in texts for word in words(text) if (len(word) <= 8 if word.isdigit() else 2 <= len(word) <= 60)
    }
    if not seen:
        return
    with connection.cursor() as cursor:
        cursor.execute(
            f"""INSERT INTO {SearchWord._meta.db_table} (word, lexeme)
            SELECT word, lexeme FROM (
                SELECT word, array_to_string(tsvector_to_array(to_tsvector(%s, word)), ' ') AS lexeme
                FROM unnest(%s::text[]) AS word
            ) AS candidates
            WHERE lexeme <> '' AND length(lexeme) <= 60
            ON CONFLICT (word) DO NOTHING""",
            [SEARCH_CONFIG, sorted(seen)],
        )


def _write(lookup: dict, fields: dict, texts: dict[str, str]) -> None:
    with transaction.atomic():
        entry, _ = SearchEntry.objects.update_or_create(**lookup, defaults=fields)
        vectors = _vectors(texts)
        if vectors:
            SearchEntry.objects.filter(pk=entry.pk).update(**vectors)
        remember_words(texts.values())


def index_page(page) -> None:
    """Write (or remove) the entry of one page: live pages under the home page only."""
    page = page.specific_deferred if type(page) is Page else page
    if not page.live or page.depth < 2:
        remove_page(page)
        return
    texts = page_texts(page)
    section, section_title = _section_of(page)
    fields = {
        "section": section,
        "section_title": section_title,
        "kind": _kind_of(page),
        "title": page.title,
        "text": " ".join(part for part in (texts["B"], texts["C"]) if part)[:MAX_SNIPPET_TEXT],
        "url": page.get_url() or page.url_path,
        "path": page.path,
        "date": _date_of(page),
    }
    _write({"page_id": page.pk}, fields, texts)


def remove_page(page) -> None:
    SearchEntry.objects.filter(page_id=page.pk).delete()


def index_document(document) -> None:
    from .documents import document_kind, document_text

    text = normalise(document_text(document))
    tags = normalise(" ".join(tag.name for tag in document.tags.all())) if document.pk else ""
    texts = {"A": normalise(document.title), "B": tags, "C": text}
    fields = {
        "section": "documents",
        "section_title": "Документы",
        "kind": document_kind(document),
        "title": document.title,
        "text": text[:MAX_SNIPPET_TEXT],
        "url": document.url,
        "path": "",
        "date": timezone.localdate(document.created_at) if document.created_at else None,
    }
    _write({"document_id": document.pk}, fields, texts)


def rebuild(stdout=None) -> dict[str, int]:
    """Index every live page and every document from scratch (manage.py rebuild_site_search, load_demo)."""
    from wagtail.documents import get_document_model

    counts = {"pages": 0, "documents": 0}
    SearchEntry.objects.all().delete()
    for page in Page.objects.live().filter(depth__gte=2).specific().iterator(chunk_size=200):
        index_page(page)
        counts["pages"] += 1
    for document in get_document_model().objects.all().iterator(chunk_size=200):
        try:
            index_document(document)
        except Exception:  # a broken upload must not stop the rebuild
            logger.warning("search: document %s could not be indexed", document.pk, exc_info=True)
            continue
        counts["documents"] += 1
    return counts


def index_missing_pages() -> int:
    """Live pages without an entry (made by data migrations or add_child) are indexed; returns how many."""
    from django.db.models import Exists, OuterRef

    entries = SearchEntry.objects.filter(page_id=OuterRef("pk"))
    missing = Page.objects.live().filter(depth__gte=2).exclude(Exists(entries))
    count = 0
    for page in missing.specific().iterator(chunk_size=200):
        index_page(page)
        count += 1
    return count

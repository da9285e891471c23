"""Writing the site search's index (search.models.SearchEntry) in the request that changes content.

Weights: A — the title; B — what summarises the page (search description, lead, intro, fields with a
boost, tags and other related names); C — everything else. A page's entry holds its live content;
pages not live have none. View restrictions and restricted document collections are applied when
searching, so saving a restriction needs no re-index.
"""

# SQL below is built from our own table names and fixed fragments; every value is a bound parameter.
# ruff: noqa: S608
import logging

from django.db import connection, transaction
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


def _sections(pages) -> dict[str, tuple[str, str]]:
    """The top-level sections (children of the home page) these pages belong to, by tree path: (slug, title)."""
    paths = {page.path[: Page.steplen * 3] for page in pages if page.depth > 2}
    rows = Page.objects.filter(path__in=paths).values_list("path", "slug", "title") if paths else []
    return {path: (slug, title) for path, slug, title in rows}


def _section_of(page, sections) -> tuple[str, str]:
    """The top-level section a page belongs to: its slug and title."""
    if page.depth <= 2:
        return HOME_SECTION
    return sections.get(page.path[: Page.steplen * 3], HOME_SECTION)


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


# One row per entry; the vectors are made in the statement (one call of to_tsvector per weight). `{key}`
# is the entry's own id column (page_id, document_id, object_id); `{fixed}` columns take one value for
# every row (a registered object's content type), and `{conflict}` is the unique key they make together.
_UPSERT = """
    INSERT INTO {table} ({fixed}{key}, section, section_title, kind, title, text, url, path, date, vector, title_vector)
    SELECT {fixed_values}r.key, r.section, r.section_title, r.kind, r.title, r.text, r.url, r.path, r.date,
           setweight(to_tsvector(%s::regconfig, r.a), 'A') || setweight(to_tsvector(%s::regconfig, r.b), 'B')
           || setweight(to_tsvector(%s::regconfig, r.c), 'C'),
           to_tsvector(%s::regconfig, r.a)
    FROM unnest(%s::int[], %s::text[], %s::text[], %s::text[], %s::text[], %s::text[], %s::text[], %s::text[],
                %s::date[], %s::text[], %s::text[], %s::text[])
         AS r(key, section, section_title, kind, title, text, url, path, date, a, b, c)
    ON CONFLICT ({conflict}) DO UPDATE SET
        section = EXCLUDED.section, section_title = EXCLUDED.section_title, kind = EXCLUDED.kind,
        title = EXCLUDED.title, text = EXCLUDED.text, url = EXCLUDED.url, path = EXCLUDED.path,
        date = EXCLUDED.date, vector = EXCLUDED.vector, title_vector = EXCLUDED.title_vector
"""
_COLUMNS = ("section", "section_title", "kind", "title", "text", "url", "path", "date")


def _write(key: str, rows: list[tuple[int, dict, dict[str, str]]], fixed: dict | None = None) -> None:
    """Insert or update the entries of `rows` — (page, document or object id, fields, texts by weight) —
    in one statement, and add their new words to the lexicon in another. `fixed`: columns with the same
    value in every row, part of the unique key (a registered object's content_type_id)."""
    if not rows:
        return
    fixed = fixed or {}
    if connection.vendor != "postgresql":  # SQLite (make run) keeps the entries without vectors
        with transaction.atomic():
            for pk, fields, _ in rows:
                SearchEntry.objects.update_or_create(**fixed, **{key: pk}, defaults=fields)
        return
    columns = [[pk for pk, _, _ in rows]]
    columns += [[fields[name] for _, fields, _ in rows] for name in _COLUMNS]
    columns += [[texts[weight][:MAX_VECTOR_TEXT] for _, _, texts in rows] for weight in "ABC"]
    sql = _UPSERT.format(
        table=SearchEntry._meta.db_table,
        key=key,
        fixed="".join(f"{name}, " for name in fixed),
        fixed_values="%s, " * len(fixed),
        conflict=", ".join([*fixed, key]),
    )
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, list(fixed.values()) + [SEARCH_CONFIG] * 4 + columns)
        remember_words(text for _, _, texts in rows for text in texts.values())


def _page_row(page, sections) -> tuple[int, dict, dict[str, str]]:
    texts = page_texts(page)
    section, section_title = _section_of(page, sections)
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
    return page.pk, fields, texts


def _specific_pages(pages) -> list:
    """The specific pages for these pages. Plain `Page` rows are fetched per model in one query, with
    the related search fields (tags…) prefetched; specific instances are used as given."""
    specific = [page for page in pages if type(page) is not Page]
    by_model = {}
    for page in pages:
        if type(page) is Page:
            by_model.setdefault(page.specific_class or Page, []).append(page.pk)
    for model, ids in by_model.items():
        queryset = model.objects.filter(pk__in=ids)
        for field in model.get_search_fields():
            if isinstance(field, RelatedFields):
                queryset = field.select_on_queryset(queryset)
        specific.extend(queryset)
    return specific


def index_pages(pages, batch_size: int = 500) -> int:
    """Write (or remove) the entries of these pages: live pages under the home page get one, others
    (and pages that no longer exist) lose theirs. A handful of statements per batch whatever its size
    (a moved subtree, a rebuild, the bench's 10,000 pages). Returns how many pages were indexed."""
    indexed = 0
    batch = []

    def flush():
        nonlocal indexed
        live = [page for page in _specific_pages(batch) if page.live and page.depth >= 2]
        gone = {page.pk for page in batch} - {page.pk for page in live}
        if gone:
            SearchEntry.objects.filter(page_id__in=gone).delete()
        sections = _sections(live)
        _write("page_id", [_page_row(page, sections) for page in live])
        indexed += len(live)
        batch.clear()

    for page in pages:
        batch.append(page)
        if len(batch) >= batch_size:
            flush()
    if batch:
        flush()
    return indexed


def index_page(page) -> None:
    """Write (or remove) the entry of one page: live pages under the home page only."""
    index_pages([page])


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
    _write("document_id", [(document.pk, fields, texts)])


def _item_row(pk, item, sections) -> tuple[int, dict, dict[str, str]]:
    texts = {"A": normalise(item.title), "B": normalise(plain(item.summary)), "C": normalise(plain(item.text))}
    section, section_title = _section_of(item.page, sections)
    fields = {
        "section": section,
        "section_title": section_title,
        "kind": item.kind,
        "title": item.title,
        "text": " ".join(part for part in (texts["B"], texts["C"]) if part)[:MAX_SNIPPET_TEXT],
        "url": (item.page.get_url() or item.page.url_path) + item.anchor,
        "path": item.page.path,  # the listing page's view restrictions apply to what it lists
        "date": item.date,
    }
    return pk, fields, texts


def index_items(model, objects) -> int:
    """Write (or remove) the entries of these objects of a registered model (core.searchsources): those
    its app describes get one, the rest (hidden, listed on no live page, deleted) lose theirs. Returns
    how many were indexed."""
    from django.contrib.contenttypes.models import ContentType

    from core.searchsources import source_of

    source = source_of(model)
    objects = list(objects)
    if source is None or not objects:
        return 0
    items = source.describe(objects)
    content_type = ContentType.objects.get_for_model(model)
    gone = {obj.pk for obj in objects} - set(items)
    if gone:
        remove_items(model, gone)
    sections = _sections([item.page for item in items.values()])
    rows = [_item_row(pk, item, sections) for pk, item in items.items()]
    _write("object_id", rows, fixed={"content_type_id": content_type.pk})
    return len(rows)


def remove_items(model, pks) -> None:
    from django.contrib.contenttypes.models import ContentType

    content_type = ContentType.objects.get_for_model(model)
    SearchEntry.objects.filter(content_type=content_type, object_id__in=list(pks)).delete()


def _in_batches(model, objects, batch_size: int = 500) -> int:
    count, batch = 0, []
    for obj in objects:
        batch.append(obj)
        if len(batch) >= batch_size:
            count += index_items(model, batch)
            batch = []
    return count + index_items(model, batch)


def index_source(source) -> int:
    """Every object of a registered source again; entries of objects that no longer exist are dropped."""
    from django.contrib.contenttypes.models import ContentType

    content_type = ContentType.objects.get_for_model(source.model)
    queryset = source.queryset()
    SearchEntry.objects.filter(content_type=content_type).exclude(object_id__in=queryset.values("pk")).delete()
    return _in_batches(source.model, queryset.iterator(chunk_size=500))


def rebuild(stdout=None) -> dict[str, int]:
    """Index every live page, every document and every registered object (core.searchsources) from
    scratch (manage.py rebuild_site_search, load_demo)."""
    from wagtail.documents import get_document_model

    from core.searchsources import SEARCH_SOURCES

    counts = {"pages": 0, "documents": 0, "items": 0}
    SearchEntry.objects.all().delete()
    counts["pages"] = index_pages(Page.objects.live().filter(depth__gte=2).iterator(chunk_size=500))
    for document in get_document_model().objects.all().iterator(chunk_size=200):
        try:
            index_document(document)
        except Exception:  # a broken upload must not stop the rebuild
            logger.warning("search: document %s could not be indexed", document.pk, exc_info=True)
            continue
        counts["documents"] += 1
    for source in SEARCH_SOURCES.values():
        counts["items"] += index_source(source)
    return counts


def index_missing_pages() -> int:
    """Live pages without an entry (made by data migrations or add_child) are indexed; returns how many."""
    from django.db.models import Exists, OuterRef

    entries = SearchEntry.objects.filter(page_id=OuterRef("pk"))
    return index_pages(Page.objects.live().filter(depth__gte=2).exclude(Exists(entries)).iterator(chunk_size=500))


def index_missing_items() -> int:
    """Registered objects without an entry (an upgrade that adds a source, rows loaded by a migration) are
    described; hidden ones stay without. Returns how many were indexed."""
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import Exists, OuterRef

    from core.searchsources import SEARCH_SOURCES

    count = 0
    for source in SEARCH_SOURCES.values():
        content_type = ContentType.objects.get_for_model(source.model)
        entries = SearchEntry.objects.filter(content_type=content_type, object_id=OuterRef("pk"))
        count += _in_batches(source.model, source.queryset().exclude(Exists(entries)).iterator(chunk_size=500))
    return count

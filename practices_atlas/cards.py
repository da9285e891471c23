"""Cards of practices in a list — the catalogue, a collection, «Похожие практики» — as plain dicts read by one
narrow `.values()` query (only what a card shows) and rendered by one template,
practices_atlas/components/practice_cards.html.

A PracticePage instance has dozens of fields over two tables (≈0.7 ms each to build, bench/README.md); a
dozen of them per request was most of what was left of the catalogue's time. A card needs eight values.
"""

from django.db.models import QuerySet
from wagtail.models import Page

from .adoptions import adoption_count
from .models import PracticePage

CARD_FIELDS = (
    "pk",
    "title",
    "url_path",
    "year",
    "status",
    "annotation",
    "practice_type__name",
    "organisation__short_name",
)


def card_rows(practices: QuerySet, adopted: bool = False) -> QuerySet:
    """The practices as card rows, in the queryset's order. `adopted`: the queryset carries `adopted_count`
    (catalogue.with_adoption_counts) and the cards show it («Внедрили: N»)."""
    return practices.values(*CARD_FIELDS, *(("adopted_count",) if adopted else ()))


def with_urls(rows, request, index) -> list[dict]:
    """Each row gets its `url`, as {% pageurl %} would give it: practices live under their atlas page, so the
    address is the atlas page's plus the rest of the practice's path (no site lookup per card); a practice
    under another atlas (a collection may name one) asks Wagtail."""
    base_url = index.get_url(request) if index is not None else None
    base_path = index.url_path if index is not None else None
    cards = []
    for row in rows:
        url_path = row["url_path"]
        if base_url and url_path.startswith(base_path):
            row["url"] = base_url + url_path[len(base_path) :]
        else:
            row["url"] = Page(url_path=url_path).get_url(request)
        cards.append(row)
    return cards


def cards_by_id(ids, request, index, adopted: bool = False) -> list[dict]:
    """Cards of the live practices among `ids`, in the order of `ids`, from one query (none for no ids);
    `adopted`: with the confirmed «Внедрили у себя» count."""
    ids = list(ids)
    if not ids:
        return []
    practices = PracticePage.objects.live().filter(pk__in=ids)
    if adopted:
        practices = practices.annotate(adopted_count=adoption_count())
    rows = {row["pk"]: row for row in card_rows(practices, adopted=adopted)}
    return with_urls([rows[pk] for pk in ids if pk in rows], request, index)

"""Objects that are not pages but are site search results: an app says which of its models are searchable
and how each object reads as a result, and the search app indexes them, without either importing the other.

# safe_internet/apps.py, in ready():
register_search_source(NormativeDocument, describe=describe_documents, pages=(SafeInternetSubsectionPage,))

`describe(objects)` returns a SearchItem per searchable object, by pk; an object left out (hidden, or no
live page lists it) has no entry. Saves and deletes are followed through Django's signals; a change made
without them (`bulk_update`) is announced with `items_changed(model, objects)`. Publishing, unpublishing
or moving a page of one of `pages` re-describes every object of the source: those pages give the URL.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models.signals import post_delete, post_save
from django.dispatch import Signal

# sender: the model; objects: the changed objects (to index again) / pks: the deleted ones (to drop).
search_items_changed = Signal()
search_items_deleted = Signal()


@dataclass(frozen=True)
class SearchItem:
    title: str
    kind: str  # the result's label: «Нормативный документ», «Безопасный сайт»
    page: object  # the live page that lists the object: its section, view restrictions and URL
    anchor: str = ""  # appended to the page's URL to show the object: "?document=5#doc-5", "#resource-7"
    summary: str = ""  # weighted like a page's lead
    text: str = ""  # the rest: searched and shown as the snippet
    date: datetime.date | None = None


@dataclass(frozen=True)
class SearchSource:
    model: type
    describe: Callable[[list], dict[int, SearchItem]]
    queryset: Callable  # every object, for a rebuild
    pages: tuple[type, ...]


SEARCH_SOURCES: dict[str, SearchSource] = {}  # by model label


def items_changed(model, objects) -> None:
    search_items_changed.send(sender=model, objects=list(objects))


def _saved(sender, instance, raw=False, **kwargs):
    if not raw:
        items_changed(sender, [instance])


def _deleted(sender, instance, **kwargs):
    search_items_deleted.send(sender=sender, pks=[instance.pk])


def register_search_source(model, describe: Callable, *, queryset: Callable | None = None, pages=()) -> None:
    SEARCH_SOURCES[model._meta.label_lower] = SearchSource(
        model, describe, queryset or (lambda: model._default_manager.all()), tuple(pages)
    )
    uid = f"search-source-{model._meta.label_lower}"
    post_save.connect(_saved, sender=model, dispatch_uid=uid)
    post_delete.connect(_deleted, sender=model, dispatch_uid=uid)


def source_of(model) -> SearchSource | None:
    return SEARCH_SOURCES.get(model._meta.label_lower)

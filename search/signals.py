"""Signal receivers that keep the site search's index current (search/indexing.py does the work).

A failure to index is logged and never breaks the publish: the page is saved, and
`manage.py rebuild_site_search` (or the next publish) repairs the index.
"""

import logging

from django.db import DatabaseError, transaction
from wagtail.models import Page

from . import indexing

logger = logging.getLogger(__name__)


def _safely(action, obj):
    try:
        action(obj)
    except Exception:
        logger.exception("site search: could not update the index for %r", obj)


def _sources_listed_on(page, subtree=False):
    """The registered objects a page lists take their URL and section from it: described again once the
    change is committed (a deleted page is gone by then, not just unpublished). `subtree`: the page or
    any below it (a move)."""
    from core.searchsources import SEARCH_SOURCES

    for source in SEARCH_SOURCES.values():
        if not source.pages:
            continue
        if subtree:
            listed = Page.objects.descendant_of(page, inclusive=True).type(*source.pages).exists()
        else:
            listed = isinstance(page, source.pages)
        if listed:
            transaction.on_commit(lambda source=source: _safely(indexing.index_source, source))


def page_changed(sender, instance, **kwargs):
    _safely(indexing.index_page, instance)
    _sources_listed_on(instance)


def page_removed(sender, instance, **kwargs):
    _safely(indexing.remove_page, instance)
    _sources_listed_on(instance)


def page_moved(sender, instance, **kwargs):
    # The URL and the section change for the page and everything below it: re-indexed in bulk.
    _safely(indexing.index_pages, Page.objects.descendant_of(instance, inclusive=True).live().iterator(chunk_size=500))
    _sources_listed_on(instance, subtree=True)


def items_changed(sender, objects, **kwargs):
    """A registered model's objects were saved (core.searchsources): in the same transaction, like pages."""
    _safely(lambda objects: indexing.index_items(sender, objects), objects)


def items_deleted(sender, pks, **kwargs):
    _safely(lambda pks: indexing.remove_items(sender, pks), pks)


def document_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        _safely(indexing.index_document, instance)


def index_after_migrate(using="default", verbosity=1, stdout=None, **kwargs):
    """Pages made by data migrations (the sections) become searchable without a manual rebuild."""
    try:
        count = indexing.index_missing_pages() + indexing.index_missing_items()
    except DatabaseError:  # a partial migrate (to zero): the tables are not what the models say
        logger.warning("site search: pages created by migrations were not indexed", exc_info=True)
        return
    if count and verbosity >= 1:
        import sys

        (stdout or sys.stdout).write(f"  Site search: {count} pages and registry entries indexed\n")

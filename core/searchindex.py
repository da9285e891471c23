"""Pages that exist but were never indexed get indexed after `migrate`.

Search is kept current by Wagtail's post_save signal, which data migrations never send: they work on
historical models. /sveden/ and its subsections, the home page, anything a future migration creates,
would stay unsearchable until someone ran `update_index`. After every `migrate` the pages with no
entry in the database search index (wagtail.search's IndexEntry, written by the database backend,
which is kept up to date even when Elasticsearch is configured) are indexed in every backend. One
query finds them, so an up-to-date install pays almost nothing.
"""

import logging

from django.db import DatabaseError
from django.db.models import CharField, Exists, OuterRef
from django.db.models.functions import Cast

logger = logging.getLogger(__name__)


def unindexed_pages(using: str = "default"):
    """Pages (any state: search itself filters live ones) with no database index entry."""
    from wagtail.models import Page
    from wagtail.search.models import IndexEntry

    entries = IndexEntry.objects.using(using).filter(
        content_type_id=OuterRef("content_type_id"), object_id=Cast(OuterRef("pk"), CharField())
    )
    return Page.objects.using(using).filter(depth__gt=1).exclude(Exists(entries))


def index_unindexed_pages(using: str = "default") -> int:
    """Index every page missing from the search index; returns how many."""
    from wagtail.search import index

    count = 0
    for page in unindexed_pages(using).specific().iterator():
        index.insert_or_update_object(page)
        count += 1
    return count


def index_after_migrate(using="default", **kwargs):
    """post_migrate: pages created by data migrations become searchable without `update_index`."""
    try:
        count = index_unindexed_pages(using)
    except DatabaseError:  # a partial migrate (e.g. to zero): tables are not what the models say
        logger.warning("Pages created by migrations were not indexed", exc_info=True)
        return
    if count and kwargs.get("verbosity", 1) >= 1:
        import sys

        kwargs.get("stdout", sys.stdout).write(f"  Search: {count} pages indexed\n")

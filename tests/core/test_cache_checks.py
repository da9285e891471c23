"""core.W010 (core/checks.py): every model a page shows must invalidate the page cache when saved,
or a renamed venue or tag would stay on stored pages until the next publish (docs/dev/caching.md)."""

from django.core.management import call_command

from core import cache as core_cache
from core.checks import check_page_relations, unregistered_page_relations
from events.models import EventPage, Venue
from methodists.models import MethodistPage
from news.models import NewsPage


def test_the_site_passes_the_check():
    assert check_page_relations() == []
    call_command("check", fail_level="WARNING")  # as make test runs it, with every other check


def test_a_model_shown_on_pages_but_not_registered_is_flagged(monkeypatch):
    monkeypatch.setattr(core_cache, "INVALIDATING_MODELS", core_cache.INVALIDATING_MODELS - {Venue})
    (warning,) = check_page_relations()
    assert warning.id == "core.W010" and warning.obj is EventPage
    assert "events.EventPage shows events.Venue (venue)" in warning.msg
    assert "invalidate_on_change" in warning.hint


def test_the_check_looks_into_inline_children_and_streamfield_choosers():
    from taggit.models import Tag
    from wagtail.documents import get_document_model

    found = unregistered_page_relations(registered=set())
    assert sorted(found[(NewsPage, Tag)]) == ["tagged_items.tag", "tags"]  # through the tag rows
    assert "body" in found[(NewsPage, get_document_model())]  # a document block
    assert (EventPage, Venue) in found


def test_a_relation_the_page_never_shows_needs_no_registration():
    from django.contrib.auth import get_user_model

    assert MethodistPage.relations_not_shown == ("user",)
    assert (MethodistPage, get_user_model()) not in unregistered_page_relations(registered=set())

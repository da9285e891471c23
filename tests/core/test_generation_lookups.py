"""Lookups every page repeats, kept per cache generation (core.models, core.routing): the pages under a view
restriction (`public()`), a page's ancestors for its breadcrumbs and section link, the sites' root paths.
Each gives what Wagtail's own call gives, costs no query when warm, and follows a change at once."""

import pytest
from django.test import RequestFactory
from wagtail.models import Page, PageViewRestriction, Site

from core.models import link_ancestors, public
from core.routing import site_root_paths
from tests.home.factories import StandardPageFactory

pytestmark = pytest.mark.django_db


def add(parent, title, slug):
    return StandardPageFactory(parent=parent, title=title, slug=slug)


@pytest.fixture
def tree(home_page):
    section = add(home_page, "Раздел", "razdel")
    private = add(section, "Закрытая", "zakrytaya")
    return {
        "section": section,
        "private": private,
        "inner": add(private, "Внутри", "vnutri"),
        "open": add(section, "Открытая", "otkrytaya"),
    }


def request():
    return RequestFactory().get("/")


def test_public_lists_what_wagtails_public_lists(tree, django_assert_num_queries):
    everything = Page.objects.descendant_of(tree["section"]).order_by("path")
    assert list(public(everything, request())) == list(everything.public())
    PageViewRestriction.objects.create(
        page=tree["private"], restriction_type=PageViewRestriction.PASSWORD, password="x"
    )
    assert list(public(everything, request())) == list(everything.public()) == [tree["open"].page_ptr]
    public(everything, request())
    with django_assert_num_queries(0):  # the restricted paths are known: the queryset is only built
        public(everything, request())


def test_a_restriction_removed_shows_at_once(tree):
    restriction = PageViewRestriction.objects.create(
        page=tree["private"], restriction_type=PageViewRestriction.PASSWORD, password="x"
    )
    everything = Page.objects.descendant_of(tree["section"])
    assert public(everything, request()).count() == 1
    restriction.delete()
    assert public(everything, request()).count() == 3


def test_link_ancestors_are_wagtails_ancestors_and_cost_nothing_warm(tree, django_assert_num_queries):
    inner = tree["inner"]
    expected = [(p.pk, p.title, p.url_path) for p in inner.get_ancestors().filter(depth__gte=2)]
    assert [(p.pk, p.title, p.url_path) for p in link_ancestors(inner, request())] == expected
    assert [(p.pk, p.title) for p in link_ancestors(Page.objects.get(pk=inner.pk))] == [e[:2] for e in expected]
    sibling = Page.objects.get(pk=inner.pk)  # another instance, as the next request has
    with django_assert_num_queries(0):
        assert [p.pk for p in link_ancestors(sibling, request())] == [e[0] for e in expected]


def test_a_renamed_section_shows_in_its_pages_breadcrumbs_at_once(client, tree):
    assert ">Раздел</a>" in client.get(tree["open"].url).content.decode()
    section = tree["section"]
    section.title = "Переименованный раздел"
    section.save_revision().publish()
    assert ">Переименованный раздел</a>" in client.get(tree["open"].url).content.decode()


def test_site_root_paths_are_wagtails_and_reach_the_request(site, django_assert_num_queries):
    first = request()
    assert site_root_paths(first) == Site.get_site_root_paths()
    assert first._wagtail_cached_site_root_paths == Site.get_site_root_paths()
    with django_assert_num_queries(0):
        site_root_paths(request())

"""core.pagination.CountingPaginator answers what Django's Paginator answers, in one query per page."""

import pytest
from django.core.paginator import Paginator
from wagtail.models import Page

from core.pagination import CountingPaginator
from tests.home.factories import StandardPageFactory

pytestmark = pytest.mark.django_db

NUMBERS = [1, 2, 3, 4, 0, -1, 99, "2", "abc", None, 2.0, 2.5, "", 10**20]


@pytest.fixture
def pages(home_page):
    for n in range(5):
        StandardPageFactory(parent=home_page, title=f"Страница {n}", slug=f"stranica-{n}")
    return Page.objects.filter(slug__startswith="stranica-").order_by("path")


@pytest.mark.parametrize("number", NUMBERS)
def test_the_same_page_as_djangos_paginator(pages, number):
    expected = Paginator(pages, 2).get_page(number)
    got = CountingPaginator(pages, 2).get_page(number)
    assert got.number == expected.number
    assert [p.pk for p in got.object_list] == [p.pk for p in expected.object_list]
    assert (got.paginator.count, got.paginator.num_pages) == (expected.paginator.count, expected.paginator.num_pages)
    assert (got.has_next(), got.has_previous()) == (expected.has_next(), expected.has_previous())


@pytest.mark.parametrize("number", [1, "abc", 99])
def test_an_empty_list_is_one_empty_page(number):
    got = CountingPaginator(Page.objects.none(), 2).get_page(number)
    assert (got.number, list(got.object_list), got.paginator.count) == (1, [], 0)


def test_a_page_in_range_costs_one_query(pages, django_assert_num_queries):
    with django_assert_num_queries(1):
        page = CountingPaginator(pages, 2).get_page(2)
        assert (len(page.object_list), page.paginator.count, page.paginator.num_pages) == (2, 5, 3)


def test_orphans_are_refused(pages):
    with pytest.raises(ValueError, match="orphans"):
        CountingPaginator(pages, 2, orphans=1)

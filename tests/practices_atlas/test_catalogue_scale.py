"""The catalogue's counts at a few hundred practices: the shared pass over the facets nobody chose gives the
same numbers as counting each facet on its own, and choosing facets costs a query per chosen facet at most."""

import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext

from practices_atlas import catalogue as cat

from .conftest import bulk_practices

pytestmark = pytest.mark.django_db

STATES = [
    "",
    "type=learning",
    "type=learning&level=primary&format=online&format=mixed",
    "subject=math&year=2020&year=2021&org=ds-59",
    # every single-valued facet chosen: nothing left for the shared pass
    "type=family&format=offline&year=2022&org=school-174&project=digital&cluster=choice",
]


def one_by_one(index, filters, vocab):
    """What each option's count means, computed the slow way: one query per facet."""
    base = cat.base_queryset(index, filters)
    counts = {
        spec.key: cat._counts(spec, cat.apply_facets(base, filters, vocab, exclude=spec.key)) for spec in cat.FACETS
    }
    return counts, cat.apply_facets(base, filters, vocab).count()


@pytest.mark.parametrize("state", STATES, ids=[s or "all" for s in STATES])
def test_counts_match_counting_each_facet_alone(atlas, vocab, state):
    bulk_practices(atlas, vocab, 300)
    vocabularies = cat._load_vocabularies()
    filters = cat.Filters.from_query(QueryDict(state), vocabularies)
    assert not filters.ignored

    with CaptureQueriesContext(connection) as ctx:
        facets, total = cat.facet_counts(atlas, filters, vocabularies)
    expected, expected_total = one_by_one(atlas, filters, vocabularies)

    assert total == expected_total
    assert total > 0 or state.endswith("cluster=choice")
    for facet in facets:
        spec = cat.SPECS[facet.key]
        for option in facet.options:
            if spec.kind == "choice":
                key = option.value
            elif spec.kind == "year":
                key = int(option.value)
            else:
                key = next(term.pk for term in vocabularies[facet.key] if term.slug == option.value)
            assert option.count == expected[facet.key].get(key, 0), (facet.key, option.value)
    # Wagtail's view restrictions (read by .public()), then a query per chosen single-valued facet, one per
    # many-to-many facet and one pass for the rest (or the count): never one per facet nobody chose
    chosen_scalars = sum(1 for key in filters.selected if cat.SPECS[key].kind != "m2m")
    assert len(ctx) == 1 + chosen_scalars + 3 + 1, [q["sql"][:80] for q in ctx.captured_queries]

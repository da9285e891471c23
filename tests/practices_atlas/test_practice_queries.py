"""A practice page costs the same number of queries with one author, file, tag and term as with many:
every list is read once (practices_atlas/views.py, read_lists_once), never once per item."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from practices_atlas.models import PracticeAttachment, PracticeAuthor
from tests.core.factories import DocumentFactory

pytestmark = pytest.mark.django_db


def queries(client, url) -> tuple[int, str]:
    client.get(url)  # routes and site roots remembered, as on a warm server
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries), response.content.decode()


def fill(page, authors: int, files: int, tags: int):
    page.authors = [PracticeAuthor(name=f"Автор {n}", position="учитель") for n in range(authors)]
    page.attachments = [
        PracticeAttachment(document=DocumentFactory(title=f"Материал {page.pk}-{n}")) for n in range(files)
    ]
    page.tags.add(*[f"тег {n}" for n in range(tags)])
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def test_practice_page_queries_do_not_grow_with_authors_files_tags_and_terms(client, make_practice):
    one = fill(
        make_practice(
            "Одна практика",
            levels=("primary",),
            subjects=("math",),
            groups=("pupils",),
            cluster="choice",
            project="digital",
        ),
        1,
        1,
        1,
    )
    many = fill(
        make_practice(
            "Много всего",
            levels=("primary", "preschool"),
            subjects=("math", "museum"),
            groups=("pupils", "parents"),
            cluster="choice",
            project="digital",
        ),
        6,
        6,
        5,
    )
    few, few_html = queries(client, one.url)
    lots, lots_html = queries(client, many.url)
    assert "Автор 5" in lots_html and "Материал" in lots_html and "тег 4" in lots_html
    assert few == lots
    assert lots <= 40

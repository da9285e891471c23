"""The registry of normative documents: filters by kind, level, issuer, year and status through a plain GET
form, sorted by date, lost-force documents shown clearly (never silently dropped), constant queries."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext

from safe_internet.models import NormativeDocument
from tests.safe_internet.factories import NormativeDocumentFactory

pytestmark = pytest.mark.django_db

URL = "/safe-internet/normativnoe-regulirovanie/"
LOCAL_URL = "/safe-internet/lokalnye-normativnye-akty/"


def titles(client, url=URL, **params):
    response = client.get(url, params)
    assert response.status_code == 200
    page = BeautifulSoup(response.content, "html.parser")
    return [li.select_one(".si-document__title").get_text(" ", strip=True) for li in page.select(".si-document")]


@pytest.fixture
def documents():
    old = NormativeDocumentFactory(
        title="Об утверждении Концепции информационной безопасности детей",
        kind=NormativeDocument.Kind.DIRECTIVE,
        number="2471-р",
        date=datetime.date(2015, 12, 2),
        issuer="Правительство Российской Федерации",
    )
    new = NormativeDocumentFactory(
        title="Об утверждении Концепции информационной безопасности детей в Российской Федерации",
        kind=NormativeDocument.Kind.DIRECTIVE,
        number="1105-р",
        date=datetime.date(2023, 4, 28),
        issuer="Правительство Российской Федерации",
    )
    old.status = NormativeDocument.Status.LOST_FORCE
    old.lost_force_on = datetime.date(2023, 4, 28)
    old.replaced_by = new
    old.save()
    law = NormativeDocumentFactory(
        title="О защите детей от информации, причиняющей вред их здоровью и развитию",
        number="436-ФЗ",
        date=datetime.date(2010, 12, 29),
    )
    letter = NormativeDocumentFactory(
        title="О методических рекомендациях по размещению информации",
        kind=NormativeDocument.Kind.LETTER,
        number="08-1184",
        date=datetime.date(2018, 5, 14),
        issuer="Министерство образования и науки Российской Федерации",
    )
    regional = NormativeDocumentFactory(
        title="О мерах по обеспечению информационной безопасности",
        kind=NormativeDocument.Kind.ORDER,
        level=NormativeDocument.Level.REGIONAL,
        issuer="Комитет по образованию Санкт-Петербурга",
        date=datetime.date(2018, 9, 1),
    )
    local = NormativeDocumentFactory(
        title="Положение об использовании сети «Интернет»",
        kind=NormativeDocument.Kind.LOCAL,
        level=NormativeDocument.Level.LOCAL,
        issuer="Образовательная организация (образец)",
        number="",
        date=None,
    )
    return {"old": old, "new": new, "law": law, "letter": letter, "regional": regional, "local": local}


def test_the_list_is_sorted_by_date_newest_first_and_keeps_local_acts_apart(client, documents):
    listed = titles(client)
    assert len(listed) == 5
    assert "1105-р" in listed[0]  # 2023
    assert "436-ФЗ" in listed[-1]  # 2010
    assert not any("Положение об использовании" in t for t in listed)
    assert titles(client, LOCAL_URL) == ["Локальный акт «Положение об использовании сети «Интернет»»"]


def test_a_document_that_lost_force_is_listed_with_the_date_and_its_replacement(client, documents):
    page = BeautifulSoup(client.get(URL).content, "html.parser")
    lost = page.select(".si-document--lost-force")
    assert len(lost) == 1
    text = lost[0].get_text(" ", strip=True)
    assert "2471-р" in text
    assert "Утратил силу с 28.04.2023" in text
    assert "заменён" in text and "1105-р" in text
    assert lost[0].select_one(f'a[href="{documents["new"].url}"]')


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"kind": "letter"}, ["08-1184"]),
        ({"level": "regional"}, ["Комитет"]),
        ({"issuer": "Правительство Российской Федерации"}, ["1105-р", "2471-р"]),
        ({"year": "2018"}, ["Комитет", "08-1184"]),
        ({"status": "lost_force"}, ["2471-р"]),
        ({"status": "in_force", "kind": "directive"}, ["1105-р"]),
        ({"kind": "law", "year": "2018"}, []),
    ],
)
def test_filters(client, documents, params, expected):
    response = client.get(URL, params)
    page = BeautifulSoup(response.content, "html.parser")
    items = [li.get_text(" ", strip=True) for li in page.select(".si-document")]
    assert len(items) == len(expected)
    for item, needle in zip(items, expected, strict=True):
        if needle == "Комитет":
            assert "Комитет по образованию" in item
        else:
            assert needle in item
    if not expected:
        assert "Документов с такими условиями нет." in page.get_text()


def test_the_filter_form_is_a_plain_get_form_that_keeps_the_choice(client, documents):
    page = BeautifulSoup(client.get(URL, {"kind": "letter", "year": "2018"}).content, "html.parser")
    form = page.select_one("form.si-registry__filters")
    assert form["method"] == "get"
    assert not page.select("form.si-registry__filters script")
    assert form.select_one('select[name="kind"] option[selected]')["value"] == "letter"
    assert form.select_one('select[name="year"] option[selected]')["value"] == "2018"
    issuers = [o["value"] for o in form.select('select[name="issuer"] option')]
    assert "Образовательная организация (образец)" not in issuers  # local acts are listed on their own page
    assert "Правительство Российской Федерации" in issuers


def test_an_unknown_filter_value_shows_everything(client, documents):
    assert len(titles(client, kind="no-such-kind")) == 5


def _bulk(count):
    NormativeDocument.objects.bulk_create(
        NormativeDocument(
            kind=NormativeDocument.Kind.ORDER if i % 2 else NormativeDocument.Kind.LETTER,
            number=f"{i}-н",
            date=datetime.date(2000 + i % 25, 1 + i % 12, 1 + i % 28),
            issuer=f"Ведомство {i % 7}",
            level=NormativeDocument.Level.FEDERAL,
            title=f"Документ {i}",
            url=f"https://example.test/{i}",
        )
        for i in range(count)
    )


def _queries(client, params):
    with CaptureQueriesContext(connection) as context:
        assert client.get(URL, params).status_code == 200
    return len(context.captured_queries)


@pytest.mark.parametrize("params", [{}, {"kind": "order", "year": "2010"}])
def test_queries_per_request_do_not_grow_with_the_documents(client, params):
    _bulk(10)
    client.get(URL, params)  # the menu, the route and the site settings are remembered after the first request
    few = _queries(client, params)
    _bulk(190)
    many = _queries(client, params)
    assert few == many

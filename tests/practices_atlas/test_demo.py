"""The atlas's demo loader: ≥ 25 practices over every facet, generated files, two collections, the subjects
only the atlas uses, the «Практика месяца» — and a second run changes nothing."""

import pytest
from wagtail.documents import get_document_model
from wagtail.models import Page

from core.models import Subject
from practices_atlas import demo, demo_data
from practices_atlas.models import AtlasCollectionPage, AtlasSettings, PracticePage

pytestmark = pytest.mark.django_db

ATLAS_ONLY = {
    "inklyuziya",
    "proforientaciya",
    "muzejnaya-pedagogika",
    "teatralnaya-pedagogika",
    "robototehnika",
    "funkcionalnaya-gramotnost",
    "proektnaya-deyatelnost",
    "ocenka-kachestva",
}


def test_demo_loads_the_atlas_once(site, client):
    messages = []
    demo.load(messages.append)
    practices = PracticePage.objects.live()
    assert practices.count() == len(demo_data.PRACTICES) >= 25
    assert AtlasCollectionPage.objects.live().count() == 2
    assert "40 практик, 2 подборки" in messages[-1]
    # the eight directions only the atlas names join the site's one subject list
    assert set(Subject.objects.values_list("slug", flat=True)) >= ATLAS_ONLY
    assert Subject.objects.filter(practices__isnull=False).distinct().count() == len(demo_data.SUBJECTS)
    # every practice has its generated files, readable documents of their declared kind
    Document = get_document_model()
    for page in practices[:5]:
        attachments = list(page.attachments.select_related("document"))
        assert attachments
        for attachment in attachments:
            document = attachment.document
            head = document.file.open("rb").read(4)
            assert head in (b"%PDF", b"PK\x03\x04"), document.title
            assert document.file_size > 500, document.title  # the page shows the size next to the type
    assert Document.objects.filter(file__endswith=".pdf").exists()
    assert Document.objects.filter(file__endswith=".docx").exists()
    assert AtlasSettings.for_site(site).practice_of_month.slug == demo.PRACTICE_OF_MONTH

    pages, documents = Page.objects.count(), Document.objects.count()
    demo.load(messages.append)
    assert (Page.objects.count(), Document.objects.count()) == (pages, documents)

    # the catalogue offers every facet the data uses, and the pages render
    soup_html = client.get("/atlas/?archive=1").content.decode()
    assert "Найдено практик: 40" in soup_html
    for spec in demo_data.PRACTICE_TYPES + demo_data.LEVELS:
        assert spec.name in soup_html
    assert client.get("/atlas/onlajnshkola-174/").status_code == 200
    assert client.get("/atlas/distancionnoe-obuchenie-2020/").status_code == 200
    assert "Практика месяца" in client.get("/").content.decode()


def test_generated_pdf_is_valid_and_carries_russian_text():
    pdf = demo.pdf_bytes("Положение о смешанном обучении № 174", ["Единое расписание онлайн-уроков."], pages=3)
    assert pdf.startswith(b"%PDF-1.4") and pdf.rstrip().endswith(b"%%EOF")
    assert pdf.count(b"/Type /Page ") == 3
    assert "Положение".encode("cp1251") in pdf  # the text itself, mapped back to Unicode by /ToUnicode
    assert b"/ToUnicode" in pdf and b"/afii10017" in pdf
    xref = int(pdf.rsplit(b"startxref\n", 1)[1].split(b"\n")[0])
    assert pdf[xref : xref + 4] == b"xref"

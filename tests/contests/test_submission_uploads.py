"""The public application form stores files by their detected format (issue 8.1, stored XSS)."""

from datetime import timedelta
from pathlib import PurePath

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page

from contests.models import ContestEntryPage, ContestIndexPage, ContestPage
from tests.conftest import module_data
from tests.core import samples

from .factories import ContestBuilder

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("altcha_test_mode"),
    pytest.mark.xdist_group("contests-submission-uploads"),
]
TITLE = "Памятка «Осторожно, фишинг»"


@pytest.fixture(scope="module")
def open_for_applications(django_db_setup, django_db_blocker):
    """A contest taking applications, built once for the module; what a test uploads rolls back with it."""
    with module_data(django_db_blocker):
        now = timezone.now()
        contest = ContestBuilder(ContestIndexPage.objects.get())(
            state="none", submission_opens_at=now - timedelta(days=1), submission_closes_at=now + timedelta(days=5)
        )
        yield contest.pk


@pytest.fixture
def contest(open_for_applications):
    return ContestPage.objects.get(pk=open_for_applications)


def submit(contest, **files):
    data = {
        "title": TITLE,
        "authors": "Петрова Анна Сергеевна",
        "organisation": "ГБОУ школа № 178",
        "nomination": contest.nominations.first().pk,
        "description": "Памятка для 7 класса.",
        "email": "petrova@school178.example",
        "consent": "on",
        "altcha": "test",
        "website": "",
        **files,
    }
    return Client().post(contest.url + "zayavka/", data, REMOTE_ADDR="203.0.113.77")


@pytest.mark.parametrize("name", ["x.html", "x.svg", "x.htm", "x"])
def test_png_named_as_markup_is_stored_as_png(contest, name):
    response = submit(contest, image=SimpleUploadedFile(name, samples.image("PNG"), content_type="text/html"))
    assert response.status_code == 200, response.content.decode()[:3000]
    entry = ContestEntryPage.objects.get(title=TITLE)
    stored = entry.cover.file.name
    assert stored.startswith("original_images/")
    assert PurePath(stored).suffix == ".png", stored
    assert (entry.cover.file.storage.path(stored)).endswith(".png")


def test_pdf_named_docx_is_stored_as_pdf(contest):
    response = submit(contest, document=SimpleUploadedFile("rabota.docx", samples.PDF))
    assert response.status_code == 200, response.content.decode()[:3000]
    document = ContestEntryPage.objects.get(title=TITLE).documents.get().document
    assert PurePath(document.file.name).suffix == ".pdf"
    assert "rabota" not in document.file.name


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ({"image": SimpleUploadedFile("logo.svg", samples.SVG_WITH_SCRIPT)}, "SVG-разметка"),
        ({"image": SimpleUploadedFile("logo.png", samples.SVG_WITH_SCRIPT)}, "SVG-разметка"),
        ({"image": SimpleUploadedFile("page.html", samples.HTML)}, "HTML- или SVG-разметка"),
        ({"image": SimpleUploadedFile("anim.gif", samples.image("GIF"))}, "Изображения GIF не принимаются"),
        ({"document": SimpleUploadedFile("rabota.pdf", samples.EXE)}, "это программа"),
        ({"document": SimpleUploadedFile("rabota.html", samples.HTML)}, "HTML- или SVG-разметка"),
        ({"document": SimpleUploadedFile("arhiv.zip", samples.plain_zip())}, "Файлы ZIP здесь не принимаются"),
        (
            {
                "image": SimpleUploadedFile("ok.png", samples.image()),
                "document": SimpleUploadedFile("r.pdf", samples.EXE),
            },
            "это программа",
        ),
    ],
)
def test_dangerous_files_are_refused_and_nothing_is_saved(contest, files, message):
    images, documents, pages = (
        get_image_model().objects.count(),
        get_document_model().objects.count(),
        Page.objects.count(),
    )
    response = submit(contest, **files)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ContestEntryPage.objects.filter(title=TITLE).exists()
    assert get_image_model().objects.count() == images
    assert get_document_model().objects.count() == documents
    assert Page.objects.count() == pages

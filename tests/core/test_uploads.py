"""Uploads are stored by detected format: no `.html`/`.svg` ever reaches /media/ (issue 8.1)."""

from pathlib import PurePath

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection

from core.uploads import detect_document, detect_image

from . import samples

Image = get_image_model()
Document = get_document_model()


# Detection, by content


@pytest.mark.parametrize(
    ("name", "data", "ext"),
    [
        ("photo.png", samples.image("PNG"), "png"),
        ("x.html", samples.image("PNG"), "png"),
        ("x.svg", samples.image("PNG"), "png"),
        ("photo.jpeg", samples.image("JPEG"), "jpg"),
        ("photo.png", samples.image("JPEG"), "jpg"),
        ("anim.gif", samples.image("GIF"), "gif"),
        ("pic.webp", samples.image("WEBP"), "webp"),
    ],
)
def test_image_extension_comes_from_the_content(name, data, ext):
    assert detect_image(SimpleUploadedFile(name, data)) == ext


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("x.svg", samples.SVG_WITH_SCRIPT, "SVG-разметка"),
        ("x.png", samples.SVG_WITH_SCRIPT, "SVG-разметка"),
        ("x.png", samples.HTML, "HTML- или SVG-разметка"),
        ("x.jpg", samples.EXE, "это программа"),
        ("x.bmp", samples.image("BMP"), "не является изображением JPEG, PNG, GIF, WebP"),
        ("x.png", samples.PDF, "не является изображением"),
    ],
)
def test_images_that_are_not_pictures_are_refused_in_russian(name, data, message):
    with pytest.raises(ValidationError) as refused:
        detect_image(SimpleUploadedFile(name, data))
    assert message in " ".join(refused.value.messages)


@pytest.mark.parametrize(
    ("name", "data", "ext"),
    [
        ("polozhenie.pdf", samples.PDF, "pdf"),
        ("polozhenie.docx", samples.PDF, "pdf"),  # a PDF named .docx is a PDF
        ("rabota.docx", samples.ooxml("word/"), "docx"),
        ("tablica.pdf", samples.ooxml("xl/"), "xlsx"),
        ("slides.pptx", samples.ooxml("ppt/"), "pptx"),
        ("text.odt", samples.odf("text"), "odt"),
        ("calc.ods", samples.odf("spreadsheet"), "ods"),
        ("show.odp", samples.odf("presentation"), "odp"),
        ("pack.zip", samples.plain_zip(), "zip"),
        ("letter.rtf", samples.RTF, "rtf"),
        ("notes.txt", "Заметки к семинару\n".encode(), "txt"),
        ("list.csv", "ФИО;школа\nИванова;204\n".encode(), "csv"),
        ("notes.html", "Просто текст".encode(), "txt"),
    ],
)
def test_document_extension_comes_from_the_content(name, data, ext):
    assert detect_document(SimpleUploadedFile(name, data)) == ext


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("report.pdf", samples.EXE, "это программа"),  # disguised executable
        ("setup.exe", samples.EXE, "это программа"),
        ("page.html", samples.HTML, "HTML- или SVG-разметка"),
        ("page.txt", samples.HTML, "HTML- или SVG-разметка"),
        ("pic.svg", samples.SVG_WITH_SCRIPT, "HTML- или SVG-разметка"),
        ("notes.txt", b"see <script>alert(1)</script> here", "без служебных символов и HTML-разметки"),
        ("notes.txt", "Привет".encode("cp1251"), "в кодировке UTF-8"),
        ("notes.txt", b"abc\x00def", "в кодировке UTF-8"),
        ("report.pdf", b"PK\x03\x04 broken zip", "не похоже на PDF"),
        ("photo.png", samples.image("PNG"), "Файлы этого типа (PNG) не принимаются"),
    ],
)
def test_documents_that_are_not_documents_are_refused_in_russian(name, data, message):
    with pytest.raises(ValidationError) as refused:
        detect_document(SimpleUploadedFile(name, data))
    text = " ".join(refused.value.messages)
    assert message in text
    assert "Допустимы файлы PDF, DOCX" in text


def test_document_formats_follow_the_allowed_list():
    with pytest.raises(ValidationError, match="Файлы ZIP здесь не принимаются"):
        detect_document(SimpleUploadedFile("pack.zip", samples.plain_zip()), allowed=["pdf", "docx"])


# The Wagtail admin: editors are an attack surface too


@pytest.fixture
def editor_client(client, db):
    user = get_user_model().objects.create_superuser("editor", "editor@example.ru", "pass")
    client.force_login(user)
    return client


def _root():
    return Collection.get_first_root_node().pk


@pytest.mark.parametrize("name", ["x.html", "x.svg", "x.png"])
def test_admin_image_upload_is_stored_under_the_detected_format(editor_client, name):
    response = editor_client.post(
        reverse("wagtailimages:add"),
        {"title": "Обложка", "collection": _root(), "file": SimpleUploadedFile(name, samples.image("PNG"))},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    image = Image.objects.get(title="Обложка")
    assert PurePath(image.file.name).suffix == ".png"
    assert image.file.name.startswith("original_images/x")
    assert ".html" not in image.file.name and ".svg" not in image.file.name


def test_admin_multiple_image_upload_is_stored_under_the_detected_format(editor_client):
    response = editor_client.post(
        reverse("wagtailimages:add_multiple"),
        {"files[]": SimpleUploadedFile("x.html", samples.image("JPEG")), "collection": _root()},
        headers={"x-requested-with": "XMLHttpRequest"},
    )
    assert response.status_code == 200 and response.json()["success"], response.content.decode()[:2000]
    assert PurePath(Image.objects.get().file.name).suffix == ".jpg"


def test_admin_multiple_upload_parked_as_uploaded_file_is_renamed_too(editor_client):
    """Without a valid collection Wagtail parks the file as an UploadedFile: it is renamed all the same."""
    from wagtail.models import UploadedFile

    response = editor_client.post(
        reverse("wagtailimages:add_multiple"),
        {"files[]": SimpleUploadedFile("x.html", samples.image("PNG"))},
        headers={"x-requested-with": "XMLHttpRequest"},
    )
    assert response.status_code == 200 and response.json()["success"], response.content.decode()[:2000]
    assert not Image.objects.exists()
    assert PurePath(UploadedFile.objects.get().file.name).suffix == ".png"


def test_admin_image_upload_of_svg_with_script_is_refused(editor_client):
    response = editor_client.post(
        reverse("wagtailimages:add"),
        {"title": "Логотип", "collection": _root(), "file": SimpleUploadedFile("logo.svg", samples.SVG_WITH_SCRIPT)},
    )
    assert response.status_code == 200
    assert "SVG-разметка" in response.content.decode()
    assert not Image.objects.exists()


def test_admin_document_upload_is_stored_under_the_detected_format(editor_client):
    response = editor_client.post(
        reverse("wagtaildocs:add"),
        {"title": "Положение", "collection": _root(), "file": SimpleUploadedFile("Положение.docx", samples.PDF)},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    document = Document.objects.get(title="Положение")
    assert document.file.name.endswith(".pdf")
    assert "Положение" in document.file.name  # editors' documents keep their download name


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("plan.html", samples.HTML, "HTML- или SVG-разметка"),
        ("plan.pdf", samples.EXE, "это программа"),
        ("plan.txt", samples.SVG_WITH_SCRIPT, "HTML- или SVG-разметка"),
    ],
)
def test_admin_document_upload_of_markup_or_programs_is_refused(editor_client, name, data, message):
    response = editor_client.post(
        reverse("wagtaildocs:add"),
        {"title": "План", "collection": _root(), "file": SimpleUploadedFile(name, data)},
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Document.objects.exists()


def test_admin_multiple_document_upload_refuses_html(editor_client):
    response = editor_client.post(
        reverse("wagtaildocs:add_multiple"),
        {"files[]": SimpleUploadedFile("plan.pdf", samples.HTML)},
        headers={"x-requested-with": "XMLHttpRequest"},
    )
    assert response.status_code == 200
    assert not response.json()["success"]
    assert "HTML- или SVG-разметка" in response.json()["error_message"]
    assert not Document.objects.exists()

"""`manage.py check_media_files` finds files stored under a wrong extension and renames them (issue 8.1)."""

from io import StringIO
from pathlib import PurePath

import pytest
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from . import samples

pytestmark = pytest.mark.django_db
Image = get_image_model()
Document = get_document_model()


def _stored(model, name, data, **fields):
    """A row and a file as an old upload left them: the uploaded name's extension, whatever the content."""
    obj = model(title=name, file=ContentFile(data, name=name), **fields)
    obj.save()
    assert obj.file.name.endswith(PurePath(name).suffix)
    return obj


def _run(*args):
    out = StringIO()
    try:
        call_command("check_media_files", *args, stdout=out)
    except CommandError as error:
        return out.getvalue(), str(error)
    return out.getvalue(), None


@pytest.fixture
def stored_files():
    return {
        "good": _stored(Image, "good.png", samples.image("PNG"), width=40, height=30),
        "jpeg": _stored(Image, "photo.jpeg", samples.image("JPEG"), width=40, height=30),
        "evil": _stored(Image, "evil.html", samples.image("PNG"), width=40, height=30),
        "pdf": _stored(Document, "plan.docx", samples.PDF),
        "doc_ok": _stored(Document, "notes.txt", "Заметки".encode()),
        "unknown": _stored(Document, "page.html", samples.HTML),
    }


def test_reports_mismatches_and_unknown_files_without_touching_them(stored_files):
    out, error = _run()
    evil, pdf, unknown = stored_files["evil"], stored_files["pdf"], stored_files["unknown"]
    assert f"MISMATCH  image #{evil.pk}" in out and "content is PNG, extension .html" in out
    assert f"MISMATCH  document #{pdf.pk}" in out and "content is PDF, extension .docx" in out
    assert f"UNKNOWN   document #{unknown.pk}" in out and "unknown format" in out
    assert "good.png" not in out and "photo.jpeg" not in out and "notes.txt" not in out
    assert "Checked 6 files: 3 fine, 2 with a wrong extension (0 renamed), 1 of unknown format" in out
    assert error == "3 file(s) need attention (see above)."
    evil.refresh_from_db()
    assert evil.file.name.endswith(".html") and evil.file.storage.exists(evil.file.name)


def test_fix_renames_file_and_row_to_the_detected_extension(stored_files):
    evil, pdf, unknown = stored_files["evil"], stored_files["pdf"], stored_files["unknown"]
    old_image, old_document = evil.file.name, pdf.file.name
    out, error = _run("--fix")
    assert "RENAMED" in out and error == "1 file(s) need attention (see above)."  # the unknown one is left
    evil.refresh_from_db()
    pdf.refresh_from_db()
    unknown.refresh_from_db()
    assert PurePath(evil.file.name).suffix == ".png" and evil.file.name.startswith("original_images/evil")
    assert PurePath(pdf.file.name).suffix == ".pdf"
    storage = evil.file.storage
    assert storage.exists(evil.file.name) and not storage.exists(old_image)
    assert storage.exists(pdf.file.name) and not storage.exists(old_document)
    with storage.open(evil.file.name, "rb") as fh:
        assert fh.read() == samples.image("PNG")
    assert unknown.file.name.endswith(".html") and storage.exists(unknown.file.name)

    unknown.file.delete()
    unknown.delete()
    out, error = _run("--fix")
    assert error is None
    assert "Checked 5 files: 5 fine, 0 with a wrong extension (0 renamed), 0 of unknown format, 0 missing." in out

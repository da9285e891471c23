"""Uploads are stored by what they are, never by what they are called.

A file's extension decides how it is served: nginx (and a browser without `nosniff`) picks the
content type from it, so a real PNG named `x.html` stored as `…/x.html` is an HTML page on the
site's own origin — stored XSS. Every upload therefore goes through here: the format is detected
from the content (Pillow for pictures, signatures and container structure for documents), anything
not on the short list is refused with a Russian message, and the stored name gets the detected
format's extension, whatever the uploaded name said.

Used by the public contest form (contests/forms.py, contests/submissions.py), by the Wagtail admin
image and document forms (WAGTAILIMAGES_IMAGE_FORM_BASE / WAGTAILDOCS_DOCUMENT_FORM_BASE, below),
and by `manage.py check_media_files`, which audits files stored before this existed.
"""

import codecs
import re
import secrets
import zipfile
from pathlib import PurePath

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from wagtail.documents.fields import WagtailDocumentField
from wagtail.documents.forms import BaseDocumentForm
from wagtail.images.fields import WagtailImageField
from wagtail.images.forms import BaseImageForm

# Pillow format → the one extension we store it under.
IMAGE_FORMATS = {"JPEG": "jpg", "PNG": "png", "GIF": "gif", "WEBP": "webp"}
IMAGE_EXTENSIONS = ("jpg", "png", "gif", "webp")
LABELS = {
    "jpg": "JPEG", "png": "PNG", "gif": "GIF", "webp": "WebP",
    "pdf": "PDF", "docx": "DOCX", "xlsx": "XLSX", "pptx": "PPTX", "odt": "ODT", "ods": "ODS", "odp": "ODP",
    "rtf": "RTF", "txt": "TXT", "csv": "CSV", "zip": "ZIP",
}  # fmt: skip
# Extensions that name the same format: a stored `photo.jpeg` is not a mismatch.
SAME_FORMAT = {"jpeg": "jpg", "jpe": "jpg", "csv": "txt"}

OOXML_FOLDERS = {"word/": "docx", "xl/": "xlsx", "ppt/": "pptx"}
ODF_MIMETYPES = {
    "application/vnd.oasis.opendocument.text": "odt",
    "application/vnd.oasis.opendocument.spreadsheet": "ods",
    "application/vnd.oasis.opendocument.presentation": "odp",
}
HEAD = 8192
# What a browser would sniff as markup (HTML, SVG, XML): never accepted as a picture or a text file.
MARKUP = re.compile(
    rb"<\s*(?:!doctype|\?xml|html|head|body|script|svg|iframe|object|embed|img|a\s|meta|style|link|xsl|math)",
    re.IGNORECASE,
)
EXECUTABLES = (b"MZ", b"\x7fELF", b"#!", b"\xca\xfe\xba\xbe", b"\xcf\xfa\xed\xfe", b"\xce\xfa\xed\xfe")


def _label_list(extensions) -> str:
    return ", ".join(LABELS.get(ext, ext.upper()) for ext in extensions)


def _head(upload, size=HEAD) -> bytes:
    upload.seek(0)
    try:
        return upload.read(size) or b""
    finally:
        upload.seek(0)


def _name_extension(upload) -> str:
    return PurePath(getattr(upload, "name", "") or "").suffix.lower().lstrip(".")


def _danger(head: bytes, what: str) -> str | None:
    """Why a file is refused before any format check: a program, or markup (HTML, SVG) a browser would run.

    `what` is the instrumental case: «изображением», «документом».
    """
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n\x00")
    if stripped.startswith(EXECUTABLES):
        return f"Файл не является {what}: это программа. Такие файлы не принимаются."
    if stripped[:1] == b"<" and MARKUP.match(stripped):
        return (
            f"Файл не является {what}: в нём HTML- или SVG-разметка, которая может содержать программный код. "
            "Такие файлы не принимаются."
        )
    return None


# Images


def image_format(upload) -> tuple[str, int, int] | None:
    """(extension, width, height) if Pillow recognises one of our picture formats, else None."""
    from PIL import Image, UnidentifiedImageError

    upload.seek(0)
    try:
        with Image.open(upload) as img:
            fmt, (width, height) = img.format, img.size
            img.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        return None
    finally:
        upload.seek(0)
    if fmt not in IMAGE_FORMATS:
        return None
    return IMAGE_FORMATS[fmt], width, height


def detect_image(upload, allowed=IMAGE_EXTENSIONS, max_side=None) -> str:
    """The canonical extension of a JPEG, PNG, GIF or WebP picture (limited to `allowed`), by content.

    SVG is refused on purpose: it is a document that can carry script, not a picture.
    """
    danger = _danger(_head(upload, 1024), "изображением")
    if danger:
        raise ValidationError(
            f"{danger} Сохраните рисунок в формате {_label_list(allowed)} и загрузите снова.", code="dangerous"
        )
    found = image_format(upload)
    if found is None:
        raise ValidationError(
            f"Файл не является изображением {_label_list(allowed)}. Сохраните рисунок в одном из этих форматов.",
            code="invalid_image",
        )
    ext, width, height = found
    if ext not in allowed:
        raise ValidationError(
            f"Изображения {LABELS[ext]} не принимаются. Допустимы {_label_list(allowed)}.", code="image_format"
        )
    if max_side and (width > max_side or height > max_side):
        raise ValidationError(
            f"Изображение слишком большое: не более {max_side} точек по стороне.", code="image_too_large"
        )
    return ext


# Documents


def _zip_format(upload) -> str | None:
    """docx/xlsx/pptx by [Content_Types].xml and the part folder, odt/ods/odp by `mimetype`, else zip."""
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            names = archive.namelist()
            if "[Content_Types].xml" in names:
                for folder, ext in OOXML_FOLDERS.items():
                    if any(name.startswith(folder) for name in names):
                        return ext
            if "mimetype" in names and archive.getinfo("mimetype").file_size < 200:
                mimetype = archive.read("mimetype").decode("ascii", errors="ignore").strip()
                if mimetype in ODF_MIMETYPES:
                    return ODF_MIMETYPES[mimetype]
            return "zip"
    except (zipfile.BadZipFile, KeyError, OSError, RuntimeError, ValueError, EOFError):
        return None
    finally:
        upload.seek(0)


def _is_plain_text(upload) -> bool:
    """Valid UTF-8, no NUL or other control bytes, no markup a browser could sniff as HTML."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    upload.seek(0)
    try:
        first = True
        while chunk := upload.read(64 * 1024):
            if first and chunk.startswith(codecs.BOM_UTF8):
                chunk = chunk[len(codecs.BOM_UTF8) :]
            first = False
            text = decoder.decode(chunk)
            if re.search(r"[\x00-\x08\x0b\x0e-\x1f\x7f]", text) or MARKUP.search(chunk):
                return False
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    finally:
        upload.seek(0)
    return True


def document_format(upload) -> str | None:
    """The canonical extension of a document we know (any of LABELS' document formats), else None."""
    head = _head(upload)
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return _zip_format(upload)
    if head.startswith(b"{\\rtf"):
        return "rtf"
    if filetype.guess(head) is not None:  # a known binary format that is none of ours
        return None
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped[:1] == b"<" and MARKUP.match(stripped):
        return None
    if _is_plain_text(upload):
        return "csv" if _name_extension(upload) == "csv" else "txt"
    return None


def document_extensions() -> list[str]:
    return [ext.lower() for ext in getattr(settings, "WAGTAILDOCS_EXTENSIONS", None) or LABELS]


def detect_document(upload, allowed=None) -> str:
    """The canonical extension of a document, by content, limited to `allowed` (WAGTAILDOCS_EXTENSIONS).

    A PDF named `.docx` is a PDF: stored as `.pdf`. Programs, HTML/SVG and unknown content are refused.
    """
    allowed = list(allowed or document_extensions())
    head = _head(upload)
    danger = _danger(head, "документом")
    if danger:
        raise ValidationError(f"{danger} Допустимы файлы {_label_list(allowed)}.", code="dangerous")
    ext = document_format(upload)
    if ext is None:
        claimed = _name_extension(upload)
        kind = filetype.guess(head)
        if claimed in ("txt", "csv") and claimed in allowed:
            reason = "Текстовый файл должен быть в кодировке UTF-8, без служебных символов и HTML-разметки."
        elif claimed in allowed:
            reason = f"Содержимое файла не похоже на {LABELS.get(claimed, claimed.upper())}."
        elif kind is not None:
            reason = f"Файлы этого типа ({kind.extension.upper()}) не принимаются."
        elif "txt" in allowed or "csv" in allowed:
            reason = "Текстовый файл должен быть в кодировке UTF-8 и без HTML-разметки."
        else:
            reason = "Формат файла не распознан."
        raise ValidationError(f"{reason} Допустимы файлы {_label_list(allowed)}.", code="invalid_document")
    if ext in ("txt", "csv") and ext not in allowed:  # text is text: take whichever name is allowed
        ext = "txt" if "txt" in allowed else "csv"
    if ext not in allowed:
        raise ValidationError(
            f"Файлы {LABELS.get(ext, ext.upper())} здесь не принимаются. Допустимы файлы {_label_list(allowed)}.",
            code="document_format",
        )
    return ext


def detect_format(upload) -> str | None:
    """Image or document, whichever the content is; None when it is neither (the audit command)."""
    found = image_format(upload)
    if found is not None:
        return found[0]
    head = _head(upload, 1024).lstrip(b"\xef\xbb\xbf \t\r\n\x00")
    if head.startswith(EXECUTABLES):
        return None
    return document_format(upload)


def same_format(ext_a: str, ext_b: str) -> bool:
    return SAME_FORMAT.get(ext_a, ext_a) == SAME_FORMAT.get(ext_b, ext_b)


# Names


def random_name(ext: str) -> str:
    """An unguessable name with the detected extension (contest uploads: names often carry children's names)."""
    return f"{secrets.token_urlsafe(16)}.{ext}"


def safe_name(original: str, ext: str) -> str:
    """The uploaded stem with the detected extension: `отчёт.pdf.html` → `отчёт_pdf.<ext>`.

    Editors' documents keep their name (it is the download name and part of the document's address);
    the dots inside the stem go, so no server can read a second extension into it.
    """
    stem = PurePath(original or "").stem.replace(".", "_").strip(" _") or secrets.token_urlsafe(8)
    return f"{stem[:80]}.{ext}"


# Wagtail admin: the image and document forms' file fields.
# Wagtail 8 builds the forms with modelform_factory(form=WAGTAILIMAGES_IMAGE_FORM_BASE, …) and a
# formfield_callback that always yields WagtailImageField / WagtailDocumentField, so the base form swaps
# the file field for a subclass that checks the content and renames the upload before it is saved.


class ContentCheckedImageField(WagtailImageField):
    """Wagtail's checks (size, pixels), but the format comes from the content and names the file."""

    def check_image_file_format(self, f):
        configured = {SAME_FORMAT.get(ext, ext) for ext in self.allowed_image_extensions}
        ext = detect_image(f, allowed=[ext for ext in IMAGE_EXTENSIONS if ext in configured])
        f.name = safe_name(f.name, ext)


class ContentCheckedDocumentField(WagtailDocumentField):
    def to_python(self, data):
        f = super().to_python(data)
        if f is None:
            return None
        ext = detect_document(f)
        f.name = safe_name(f.name, ext)
        return f


def _swap_file_field(form, field_class):
    old = form.fields.get("file")
    if old is None:
        return
    form.fields["file"] = field_class(
        label=old.label, required=old.required, widget=old.widget, help_text=old.help_text
    )


class ImageForm(BaseImageForm):
    """WAGTAILIMAGES_IMAGE_FORM_BASE: the admin's add, edit, chooser and multiple-upload image forms."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _swap_file_field(self, ContentCheckedImageField)

    class Meta(BaseImageForm.Meta):
        pass


class DocumentForm(BaseDocumentForm):
    """WAGTAILDOCS_DOCUMENT_FORM_BASE: the admin's add, edit, chooser and multiple-upload document forms."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _swap_file_field(self, ContentCheckedDocumentField)

    class Meta(BaseDocumentForm.Meta):
        pass

"""Helpers for the demo content loaders (`manage.py load_demo`).

Every app that has demo content owns `<app>/demo.py` with a `load(log)` function and says so with
`demo_order` on its AppConfig (and `demo_module` if the loader lives elsewhere); the command calls them
in `demo_order`, so core names no app. Loaders are idempotent: what exists is left as it is, so running
the command twice changes nothing.
"""

import hashlib
import io
import textwrap

from django.apps import apps
from django.core.files.images import ImageFile
from wagtail.images import get_image_model
from wagtail.models import Collection, Page


def demo_modules() -> list[str]:
    """Dotted paths of the apps' demo loaders in load order (pages a later loader links to come first)."""
    configs = [config for config in apps.get_app_configs() if getattr(config, "demo_order", None) is not None]
    configs.sort(key=lambda config: config.demo_order)
    return [getattr(config, "demo_module", None) or f"{config.name}.demo" for config in configs]


# The one subject list (core.Subject) that the demo's events, methodists and practices choose from.
SUBJECTS = [
    ("matematika", "Математика"),
    ("informatika", "Информатика"),
    ("russkij-yazyk", "Русский язык и литература"),
    ("himiya", "Химия"),
    ("biologiya", "Биология"),
    ("istoriya", "История и обществознание"),
    ("inostrannye-yazyki", "Иностранные языки"),
    ("nachalnaya-shkola", "Начальная школа"),
    ("doshkolnoe", "Дошкольное образование"),
    ("vospitanie", "Воспитательная работа"),
    ("molodye-pedagogi", "Молодые педагоги"),
    ("upravlenie", "Управление образованием"),
    ("ikt", "ИКТ в образовании"),
    ("bezopasnyj-internet", "Безопасный интернет"),
    ("gia", "ГИА: ЕГЭ и ОГЭ"),
]


def demo_subjects() -> dict:
    """The demo subjects by slug, created the first time (their order is the list's)."""
    from .models import Subject

    subjects = {}
    for order, (slug, name) in enumerate(SUBJECTS):
        subjects[slug], _ = Subject.objects.get_or_create(slug=slug, defaults={"name": name, "sort_order": order * 10})
    return subjects


PALETTE = ["#0b4f8a", "#1d6b32", "#a8321c", "#5b3f8c", "#8a5a0b", "#0b6f74", "#44546a"]


def get_collection(name: str) -> Collection:
    root = Collection.get_first_root_node()
    existing = root.get_children().filter(name=name).first()
    return existing or root.add_child(name=name)


def make_image(title: str, collection: str = "Центр информатизации", size=(1200, 675)):
    """A generated illustration (nothing is downloaded): a colour field with geometric shapes."""
    from PIL import Image as PILImage
    from PIL import ImageDraw

    Image = get_image_model()
    existing = Image.objects.filter(title=title).first()
    if existing:
        return existing
    digest = hashlib.sha256(title.encode()).digest()
    base = PALETTE[digest[0] % len(PALETTE)]
    img = PILImage.new("RGB", size, base)
    draw = ImageDraw.Draw(img)
    w, h = size
    for i in range(6):
        x = digest[i + 1] / 255 * w
        y = digest[i + 7] / 255 * h
        r = 60 + digest[i + 13] / 255 * 220
        shade = 255 - (i * 25)
        draw.ellipse((x - r, y - r, x + r, y + r), outline=(shade, shade, shade), width=6)
    draw.rectangle((0, h - 90, w, h), fill=(255, 255, 255))
    buffer = io.BytesIO()
    img.save(buffer, "PNG", optimize=True)
    slug = hashlib.sha256(title.encode()).hexdigest()[:12]
    image = Image(title=title, collection=get_collection(collection))
    image.file = ImageFile(buffer, name=f"demo-{slug}.png")
    image.save()
    return image


def child_page(parent: Page, model, slug: str, **fields):
    """Returns the live child with this slug, creating and publishing it the first time."""
    existing = parent.get_children().filter(slug=slug).first()
    if existing:
        return existing.specific
    page = model(slug=slug, **fields)
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def _xml_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def document_bytes(title: str, paragraphs: list[str], fmt: str = "docx") -> bytes:
    """A minimal valid office document written with the standard library (text-searchable, Cyrillic).

    fmt "docx" (Office Open XML) or "odt" (OpenDocument Text): both are open formats the /sveden/
    requirements accept and both keep the text selectable and indexable.
    """
    import zipfile

    buffer = io.BytesIO()
    lines = [title, *paragraphs]
    if fmt == "docx":
        title_style = '<w:pPr><w:pStyle w:val="Title"/></w:pPr>'
        body = "".join(
            f'<w:p>{title_style if i == 0 else ""}<w:r><w:t xml:space="preserve">{_xml_escape(line)}</w:t></w:r></w:p>'
            for i, line in enumerate(lines)
        )
        files = {
            "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/word/document.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
            '<Override PartName="/docProps/core.xml" '
            'ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
            "</Types>",
            "_rels/.rels": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" '
            'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
            'Target="word/document.xml"/>'
            '<Relationship Id="rId2" '
            'Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" '
            'Target="docProps/core.xml"/>'
            "</Relationships>",
            "docProps/core.xml": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/">'
            f"<dc:title>{_xml_escape(title)}</dc:title><dc:language>ru-RU</dc:language>"
            "</cp:coreProperties>",
            "word/document.xml": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            f"<w:body>{body}</w:body></w:document>",
        }
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, content in files.items():
                archive.writestr(name, content)
        return buffer.getvalue()
    if fmt == "odt":
        heading = '<text:h text:outline-level="1">{}</text:h>'
        paragraph = "<text:p>{}</text:p>"
        body = "".join((heading if i == 0 else paragraph).format(_xml_escape(line)) for i, line in enumerate(lines))
        content = (
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
            'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
            f"<office:body><office:text>{body}</office:text></office:body></office:document-content>"
        )
        manifest = (
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" '
            'manifest:version="1.2">'
            '<manifest:file-entry manifest:full-path="/" '
            'manifest:media-type="application/vnd.oasis.opendocument.text"/>'
            '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
            "</manifest:manifest>"
        )
        with zipfile.ZipFile(buffer, "w") as archive:
            # The mimetype entry comes first and uncompressed (OpenDocument packaging rule).
            archive.writestr(
                zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text", compress_type=zipfile.ZIP_STORED
            )
            archive.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
            archive.writestr("META-INF/manifest.xml", manifest, compress_type=zipfile.ZIP_DEFLATED)
        return buffer.getvalue()
    if fmt == "pdf":
        return pdf_bytes(title, paragraphs)
    raise ValueError(f"unknown document format {fmt!r}")


# Cyrillic in a PDF without embedding a font: Windows-1251 bytes, named glyphs for the letters (Adobe glyph
# list) over WinAnsi, and a ToUnicode map so the text can be selected, searched and read aloud.
_CYRILLIC = (
    [(0xA8, "afii10023"), (0xB8, "afii10071"), (0xB9, "afii61352")]
    + [(0xC0 + i, f"afii{10017 + i if i < 6 else 10018 + i}") for i in range(32)]
    + [(0xE0 + i, f"afii{10065 + i if i < 6 else 10066 + i}") for i in range(32)]
)


def _pdf_text(text: str) -> bytes:
    raw = text.encode("cp1251", errors="replace")
    return b"(" + raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


def pdf_bytes(
    title: str, body: list[str], pages: int = 1, continuation: str = "материалы практики (демонстрационный файл)"
) -> bytes:
    """A small valid PDF: the title and the text on the first page, numbered pages after it (A4, Cyrillic)."""
    pages = max(1, min(pages, 12))
    lines_per_page = []
    first = [title, ""] + [line for text in body for line in (textwrap.wrap(text, 85) + [""])]
    lines_per_page.append(first[:44])
    for number in range(2, pages + 1):
        lines_per_page.append([title, "", f"Страница {number} из {pages}: {continuation}."])
    objects = []

    def add(content: bytes) -> int:
        objects.append(content)
        return len(objects)

    differences = b" ".join(f"{code} /{name}".encode() for code, name in _CYRILLIC)
    bfchar = []
    for code in range(0x80, 0x100):
        try:
            char = bytes([code]).decode("cp1251")
        except UnicodeDecodeError:
            continue
        bfchar.append(f"<{code:02X}> <{ord(char):04X}>")
    cmap = (
        "/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /Cyr def "
        "1 begincodespacerange <00> <FF> endcodespacerange 1 beginbfrange <20> <7E> <0020> endbfrange "
        f"{len(bfchar)} beginbfchar {' '.join(bfchar)} endbfchar endcmap "
        "CMapName currentdict /CMap defineresource pop end end"
    ).encode()
    catalog = add(b"")  # filled below
    pages_obj = add(b"")
    cmap_obj = add(b"<< /Length %d >>\nstream\n" % len(cmap) + cmap + b"\nendstream")
    font = add(
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding << /Type /Encoding "
        b"/BaseEncoding /WinAnsiEncoding /Differences [" + differences + b"] >> /ToUnicode %d 0 R >>" % cmap_obj
    )
    kids = []
    for lines in lines_per_page:
        ops = [b"BT /F1 11 Tf 14 TL 56 790 Td"]
        for i, line in enumerate(lines):
            ops.append((b"/F1 15 Tf " if i == 0 else b"/F1 11 Tf ") + _pdf_text(line) + b" Tj T*")
        ops.append(b"ET")
        stream = b"\n".join(ops)
        content = add(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
        kids.append(
            add(
                b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 %d 0 R >> >> "
                b"/Contents %d 0 R >>" % (pages_obj, font, content)
            )
        )
    objects[catalog - 1] = b"<< /Type /Catalog /Pages %d 0 R /Lang (ru-RU) >>" % pages_obj
    objects[pages_obj - 1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (
        b" ".join(b"%d 0 R" % kid for kid in kids),
        len(kids),
    )
    info = add(b"<< /Title <FEFF" + title.encode("utf-16-be").hex().upper().encode() + b"> >>")
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, content in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + content + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer\n<< /Size %d /Root %d 0 R /Info %d 0 R >>\nstartxref\n%d\n%%%%EOF\n"
        % (len(objects) + 1, catalog, info, xref)
    )
    return out.getvalue()


def make_document(title: str, paragraphs: list[str], fmt: str = "docx", collection: str = "Методический отдел"):
    """A generated demo document in a collection; returns the existing one with this title if present."""
    from django.core.files.base import ContentFile
    from wagtail.documents import get_document_model

    Document = get_document_model()
    existing = Document.objects.filter(title=title).first()
    if existing:
        return existing
    slug = hashlib.sha256(title.encode()).hexdigest()[:12]
    document = Document(title=title, collection=get_collection(collection))
    document.file = ContentFile(document_bytes(title, paragraphs, fmt), name=f"demo-{slug}.{fmt}")
    document.save()
    return document

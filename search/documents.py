"""Text of an uploaded document for the site search: PDF (pypdf), DOCX/ODT/XLSX (their XML), plain text.

Extraction is bounded (pages, characters, time spent is proportional) and never raises: a document
whose text cannot be read is still found by its title and tags.
"""

import logging
import os
import re
import zipfile

logger = logging.getLogger(__name__)

MAX_TEXT = 200_000
MAX_PDF_PAGES = 200
MAX_XML_BYTES = 20_000_000  # an XML part larger than this is a zip bomb, not a methodist's memo
_XML_TAG = re.compile(rb"<[^>]+>")

KINDS = {
    ".pdf": "Документ PDF",
    ".doc": "Документ Word",
    ".docx": "Документ Word",
    ".odt": "Документ ODT",
    ".xls": "Таблица Excel",
    ".xlsx": "Таблица Excel",
    ".ods": "Таблица ODS",
    ".ppt": "Презентация",
    ".pptx": "Презентация",
    ".txt": "Текст",
}


def document_kind(document) -> str:
    return KINDS.get(_extension(document), "Документ")


def _extension(document) -> str:
    return os.path.splitext(document.file.name or "")[1].lower()


def _pdf_text(handle) -> str:
    from pypdf import PdfReader

    reader = PdfReader(handle)
    parts, size = [], 0
    for page in reader.pages[:MAX_PDF_PAGES]:
        text = page.extract_text() or ""
        parts.append(text)
        size += len(text)
        if size >= MAX_TEXT:
            break
    return " ".join(parts)


def _xml_text(handle, members) -> str:
    """Text of the XML parts of an Office Open XML or OpenDocument file, tags removed."""
    parts = []
    with zipfile.ZipFile(handle) as archive:
        for info in archive.infolist():
            if not any(re.fullmatch(pattern, info.filename) for pattern in members):
                continue
            if info.file_size > MAX_XML_BYTES:
                continue
            with archive.open(info) as member:
                data = member.read(MAX_XML_BYTES)
            parts.append(_XML_TAG.sub(b" ", data).decode("utf-8", "ignore"))
    import html

    return html.unescape(" ".join(parts))


_MEMBERS = {
    ".docx": [r"word/document\.xml"],
    ".pptx": [r"ppt/slides/slide\d+\.xml"],
    ".xlsx": [r"xl/sharedStrings\.xml"],
    ".odt": [r"content\.xml"],
    ".ods": [r"content\.xml"],
}


def document_text(document) -> str:
    """The document's text (at most MAX_TEXT characters), or "" if it cannot be read."""
    extension = _extension(document)
    try:
        with document.file.open("rb") as handle:
            if extension == ".pdf":
                text = _pdf_text(handle)
            elif extension in _MEMBERS:
                text = _xml_text(handle, _MEMBERS[extension])
            elif extension in (".txt", ".csv"):
                text = handle.read(MAX_TEXT * 4).decode("utf-8", "ignore")
            else:
                return ""
    except Exception:  # a damaged or hostile upload: the title still finds it
        logger.info("search: no text extracted from document %s", document.pk, exc_info=True)
        return ""
    return " ".join(text.split())[:MAX_TEXT]

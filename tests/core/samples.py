"""Real files of each format (and disguised ones), built in memory for the upload tests."""

import io
import zipfile

from PIL import Image

SVG_WITH_SCRIPT = (
    b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    b"<script>alert(document.cookie)</script></svg>"
)
HTML = b"<!DOCTYPE html><html><body><script>fetch('/admin/')</script></body></html>"
EXE = (
    b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00"
    + b"\x00" * 48
    + b"This program cannot be run in DOS mode"
)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
RTF = b"{\\rtf1\\ansi \\b \xd0\x9f\xd1\x80\xd0\xb8\xd0\xb2\xd0\xb5\xd1\x82\\b0}"


def image(fmt="PNG", size=(40, 30)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, "#0b4f8a").save(buffer, fmt)
    return buffer.getvalue()


def _zip(entries: dict[str, str]) -> bytes:
    """A ZIP with a fixed timestamp: the bytes appear in parametrized test ids, which must be the same in
    every xdist worker (a minute ticking over between two workers' imports made them differ)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in entries.items():
            archive.writestr(zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0)), text)
    return buffer.getvalue()


def ooxml(folder="word/") -> bytes:
    return _zip({"[Content_Types].xml": "<Types/>", f"{folder}document.xml": "<doc/>"})


def odf(kind="text") -> bytes:
    return _zip({"mimetype": f"application/vnd.oasis.opendocument.{kind}", "content.xml": "<office:document-content/>"})


def plain_zip() -> bytes:
    return _zip({"readme.txt": "Материалы семинара"})

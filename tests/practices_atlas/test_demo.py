"""The atlas's demo files. The loaded demo itself is checked in tests/test_demo.py, which shares one
`load_demo` between every section's checks."""

import pytest

from practices_atlas import demo

pytestmark = pytest.mark.django_db


def test_generated_pdf_is_valid_and_carries_russian_text():
    pdf = demo.pdf_bytes("Положение о смешанном обучении № 174", ["Единое расписание онлайн-уроков."], pages=3)
    assert pdf.startswith(b"%PDF-1.4") and pdf.rstrip().endswith(b"%%EOF")
    assert pdf.count(b"/Type /Page ") == 3
    assert "Положение".encode("cp1251") in pdf  # the text itself, mapped back to Unicode by /ToUnicode
    assert b"/ToUnicode" in pdf and b"/afii10017" in pdf
    xref = int(pdf.rsplit(b"startxref\n", 1)[1].split(b"\n")[0])
    assert pdf[xref : xref + 4] == b"xref"

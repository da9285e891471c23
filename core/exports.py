"""CSV and XLSX downloads for organisers (registrations, votes, jury sheets, results).

return table_response("registrations", ["ФИО", "E-mail"], rows, fmt="xlsx")
"""

import csv
import io
from collections.abc import Iterable, Sequence

from django.http import HttpResponse
from django.utils import timezone

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _cell(value):
    if hasattr(value, "tzinfo") and value.tzinfo is not None:
        value = timezone.localtime(value).replace(tzinfo=None)
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value  # keep spreadsheet formulas out of visitor-supplied text
    return value


def table_bytes(headers: Sequence[str], rows: Iterable[Sequence], fmt: str, title: str = "Данные") -> bytes:
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=";")
        writer.writerow(headers)
        for row in rows:
            writer.writerow([_cell(value) for value in row])
        return ("\ufeff" + buffer.getvalue()).encode("utf-8")  # BOM: Excel opens Cyrillic correctly
    if fmt == "xlsx":
        from openpyxl import Workbook

        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(title=title[:31])
        sheet.append(list(headers))
        for row in rows:
            sheet.append([_cell(value) for value in row])
        buffer = io.BytesIO()
        workbook.save(buffer)
        return buffer.getvalue()
    raise ValueError(f"unknown format {fmt!r}")


def table_response(name: str, headers: Sequence[str], rows: Iterable[Sequence], fmt: str = "csv") -> HttpResponse:
    if fmt not in CONTENT_TYPES:
        return HttpResponse("Неизвестный формат выгрузки: допустимы csv и xlsx.", status=400)
    response = HttpResponse(table_bytes(headers, rows, fmt, title=name), content_type=CONTENT_TYPES[fmt])
    stamp = timezone.localtime().strftime("%Y-%m-%d")
    response["Content-Disposition"] = f'attachment; filename="{name}-{stamp}.{fmt}"'
    return response

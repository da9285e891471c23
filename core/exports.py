"""CSV and XLSX downloads for organisers (registrations, votes, jury sheets, results).

return table_response("registrations", ["ФИО", "E-mail"], rows, fmt="xlsx")

One set of cell rules for every export, ours and Wagtail's admin list exports (ExportValuesMixin):
times in Moscow time to the second, numbers stored as numbers (so a spreadsheet can sum and sort
them), visitor-supplied text that looks like a formula neutralised.
"""

import csv
import datetime
import io
from collections.abc import Iterable, Sequence
from decimal import Decimal
from fractions import Fraction

from django.http import HttpResponse
from django.utils import timezone

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
XLSX_DATETIME_FORMAT = "DD.MM.YYYY HH:MM:SS"
XLSX_NUMBER_FORMAT = "0.00"


def local_time(value: datetime.datetime) -> datetime.datetime:
    """Moscow wall-clock time to the second, naive: what an organiser reads beside other local times."""
    if timezone.is_aware(value):
        value = timezone.localtime(value).replace(tzinfo=None)
    return value.replace(microsecond=0)


def _cell(value):
    if isinstance(value, datetime.datetime):
        return local_time(value)
    if isinstance(value, Fraction | Decimal):
        return round(float(value), 2)
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value  # keep spreadsheet formulas out of visitor-supplied text
    return value


def _csv_cell(value):
    value = _cell(value)
    if isinstance(value, float):
        return f"{value:.2f}".replace(".", ",")  # the decimal comma Russian Excel reads as a number
    if isinstance(value, datetime.datetime):
        return value.strftime("%d.%m.%Y %H:%M:%S")
    return value


def _xlsx_cell(sheet, value):
    from openpyxl.cell import WriteOnlyCell

    value = _cell(value)
    cell = WriteOnlyCell(sheet, value)
    if cell.data_type == "f":
        cell.data_type = "s"
    if isinstance(value, datetime.datetime):
        cell.number_format = XLSX_DATETIME_FORMAT
    elif isinstance(value, float):
        cell.number_format = XLSX_NUMBER_FORMAT
    return cell


def table_bytes(headers: Sequence[str], rows: Iterable[Sequence], fmt: str, title: str = "Данные") -> bytes:
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=";")
        writer.writerow(headers)
        for row in rows:
            writer.writerow([_csv_cell(value) for value in row])
        return ("\ufeff" + buffer.getvalue()).encode("utf-8")  # BOM: Excel opens Cyrillic correctly
    if fmt == "xlsx":
        from openpyxl import Workbook

        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(title=title[:31])
        sheet.append(list(headers))
        for row in rows:
            sheet.append([_xlsx_cell(sheet, value) for value in row])
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


class ExportValuesMixin:
    """For Wagtail's admin list exports (SpreadsheetExportMixin views): the same cell rules as ours.

    Wagtail writes aware datetimes to XLSX in UTC and to CSV as ISO strings with microseconds.
    """

    custom_value_preprocess = {
        datetime.datetime: {"xlsx": local_time, "csv": lambda value: _csv_cell(value)},
        (datetime.date, datetime.time): {"xlsx": None},
        (Fraction, Decimal): {"xlsx": _cell, "csv": _csv_cell},
        list: {"csv": lambda value: ", ".join(map(str, value)), "xlsx": lambda value: ", ".join(map(str, value))},
    }

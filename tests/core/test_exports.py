"""CSV and XLSX downloads for organisers: Cyrillic intact, dates local, formulas neutralised."""

import io
from datetime import UTC, datetime

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from core.exports import table_bytes, table_response

HEADERS = ["№", "ФИО", "E-mail", "Получено"]
ROWS = [
    [1, "Иванова Анна Петровна", "anna@school.example", datetime(2026, 11, 23, 9, 30, tzinfo=UTC)],
    [2, '=HYPERLINK("http://evil")', "+79990000000", datetime(2026, 11, 23, 21, 5, tzinfo=UTC)],
]


def test_csv_opens_in_excel_with_cyrillic_and_semicolons():
    data = table_bytes(HEADERS, ROWS, "csv")
    assert data.startswith("\ufeff".encode())
    text = data.decode("utf-8-sig")
    lines = text.splitlines()
    assert lines[0] == "№;ФИО;E-mail;Получено"
    assert lines[1] == "1;Иванова Анна Петровна;anna@school.example;23.11.2026 12:30:00"  # Moscow time


def test_formulas_from_visitors_are_neutralised():
    text = table_bytes(HEADERS, ROWS, "csv").decode("utf-8-sig")
    assert "'=HYPERLINK" in text and "'+79990000000" in text


def test_xlsx_content():
    workbook = load_workbook(io.BytesIO(table_bytes(HEADERS, ROWS, "xlsx", title="Регистрации")))
    sheet = workbook["Регистрации"]
    values = list(sheet.values)
    assert values[0] == tuple(HEADERS)
    assert values[1][:3] == (1, "Иванова Анна Петровна", "anna@school.example")
    assert values[1][3] == datetime(2026, 11, 23, 12, 30)
    assert values[2][1].startswith("'=")


def test_times_are_moscow_to_the_second_and_numbers_are_numbers():
    """A spreadsheet must sum and sort scores, and read every time in one zone."""
    from fractions import Fraction

    rows = [[datetime(2026, 11, 23, 9, 30, 15, 123456, tzinfo=UTC), Fraction(2, 3), 7]]
    text = table_bytes(["Время", "Балл", "Голосов"], rows, "csv").decode("utf-8-sig")
    assert text.splitlines()[1] == "23.11.2026 12:30:15;0,67;7"
    sheet = load_workbook(io.BytesIO(table_bytes(["Время", "Балл", "Голосов"], rows, "xlsx"))).active
    moment, score, votes = next(sheet.iter_rows(min_row=2, values_only=False))
    assert moment.value == datetime(2026, 11, 23, 12, 30, 15)
    assert moment.number_format == "DD.MM.YYYY HH:MM:SS"
    assert score.data_type == "n" and score.value == 0.67
    assert votes.data_type == "n" and votes.value == 7


@pytest.mark.parametrize(("fmt", "content_type"), [("csv", "text/csv"), ("xlsx", "application/vnd.openxmlformats")])
def test_response_is_a_dated_attachment(fmt, content_type):
    response = table_response("registrations", HEADERS, ROWS, fmt=fmt)
    assert response.status_code == 200
    assert response["Content-Type"].startswith(content_type)
    assert response["Content-Disposition"].startswith('attachment; filename="registrations-')
    assert response["Content-Disposition"].endswith(f'.{fmt}"')


def test_unknown_format_is_a_russian_400():
    response = table_response("registrations", HEADERS, ROWS, fmt="pdf")
    assert response.status_code == 400
    assert "Неизвестный формат выгрузки" in response.content.decode()


@pytest.mark.django_db
def test_questions_export_from_the_admin(client, django_user_model, rf):
    from django.contrib.auth.models import Group

    from core.consent import record_consent
    from core.models import Subject
    from core.permissions import EDITORS
    from methodists.models import Question

    subject = Subject.objects.create(name="Химия", slug="himiya")
    Question.objects.create(
        subject=subject,
        name="Анна",
        email="a@school.example",
        text="Когда олимпиада?",
        consent=record_consent(rf.post("/"), "question"),
    )
    editor = django_user_model.objects.create_user("editor", "e@imc-centr.example", "x")
    editor.groups.add(Group.objects.get(name=EDITORS))
    client.force_login(editor)
    csv_response = client.get("/admin/snippets/methodists/question/?export=csv")
    assert csv_response.status_code == 200
    body = (
        b"".join(csv_response.streaming_content).decode("utf-8")
        if csv_response.streaming
        else csv_response.content.decode()
    )
    assert "Когда олимпиада?" in body and "Химия" in body
    xlsx_response = client.get("/admin/snippets/methodists/question/?export=xlsx")
    assert xlsx_response.status_code == 200
    content = b"".join(xlsx_response.streaming_content) if xlsx_response.streaming else xlsx_response.content
    sheet = load_workbook(io.BytesIO(content)).active
    rows = list(sheet.values)
    assert any("Когда олимпиада?" in str(cell) for row in rows for cell in row)
    received = rows[0].index("Получен")
    question = next(row for row in rows if "Когда олимпиада?" in row)
    moment = question[received]
    # Moscow wall-clock time (UTC+3), not UTC, and no microseconds.
    expected = timezone.localtime(Question.objects.get().created_at).replace(tzinfo=None, microsecond=0)
    assert moment == expected
    assert question[rows[0].index("Состояние")] == "Новый"
    csv_row = next(line for line in body.splitlines() if "Когда олимпиада?" in line)
    assert "+00:00" not in csv_row and expected.strftime("%d.%m.%Y %H:%M:%S") in csv_row

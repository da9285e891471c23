"""The Atom feed of new practices and the CSV/XLSX export, both with the catalogue's filters."""

import io
import xml.etree.ElementTree as ET

import pytest
from openpyxl import load_workbook

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def parse(content):
    return ET.fromstring(content)  # noqa: S314 - the site's own feed


@pytest.fixture
def practices(make_practice):
    return [
        make_practice("Онлайн-школа", type="learning", levels=("primary",), year=2020),
        make_practice("Семейный маршрут", type="family", levels=("preschool",), org="kindergarten", year=2021),
        make_practice("Архивная", type="family", status="archived"),
    ]


def test_atom_feed_lists_new_practices_with_the_same_filters(client, practices):
    response = client.get("/atlas/feed/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = parse(response.content)
    titles = [entry.find(f"{ATOM}title").text for entry in feed.iter(f"{ATOM}entry")]
    assert titles == ["Семейный маршрут", "Онлайн-школа"]  # newest first, the archived one left out
    entry = next(feed.iter(f"{ATOM}entry"))
    assert entry.find(f"{ATOM}link").get("href") == "http://testserver/atlas/" + practices[1].slug + "/"
    assert entry.find(f"{ATOM}summary").text == practices[1].annotation

    filtered = parse(client.get("/atlas/feed/?type=learning").content)
    assert [e.find(f"{ATOM}title").text for e in filtered.iter(f"{ATOM}entry")] == ["Онлайн-школа"]
    self_link = next(link for link in filtered.findall(f"{ATOM}link") if link.get("rel") == "self")
    assert self_link.get("href").endswith("/atlas/feed/?type=learning")
    # the catalogue announces the feed of what it shows
    html = client.get("/atlas/?type=learning").content.decode()
    assert 'type="application/atom+xml"' in html and "/atlas/feed/?type=learning" in html


def test_export_with_the_current_filters_as_xlsx_and_csv(client, practices):
    response = client.get("/atlas/export/xlsx/?level=preschool&archive=1")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="atlas-praktik-')
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.values)
    assert rows[0][:3] == ("Название", "Адрес страницы", "Организация")
    assert [row[0] for row in rows[1:]] == ["Семейный маршрут"]
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["Организация"] == "ГБДОУ детский сад № 59"
    assert row["Тип организации"] == "ДОУ"
    assert row["Уровни образования"] == "Дошкольное образование"
    assert row["Год"] == 2021  # a number the spreadsheet can sum
    assert row["Статус"] == "опубликована"

    csv_text = client.get("/atlas/export/csv/?archive=1&sort=title").content.decode("utf-8-sig")
    lines = csv_text.strip().splitlines()
    assert lines[0].startswith("Название;Адрес страницы;")
    assert [line.split(";")[0] for line in lines[1:]] == ["Архивная", "Онлайн-школа", "Семейный маршрут"]
    assert client.get("/atlas/export/pdf/").status_code == 400

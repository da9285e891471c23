"""Organisers in the admin: registrations listing, CSV/XLSX export, permissions."""

import csv
import io

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from openpyxl import load_workbook
from wagtail.models import GroupPagePermission

from core.consent import record_consent
from events.models import Registration


@pytest.fixture
def registrations(make_event, rf):
    event = make_event("Семинар «ФГОС СОО»", registration_open=True, capacity=1)
    request = rf.post("/")
    consent = record_consent(request, "event_registration")
    rows = [
        ("Иванова Мария Петровна", "ГБОУ школа № 204", "учитель", "ivanova@example.ru", "registered"),
        ("Петров Олег", "ГБОУ гимназия № 171", '=HYPERLINK("x")', "petrov@example.ru", "waitlist"),
    ]
    for full_name, org, position, email, status in rows:
        Registration.objects.create(
            event=event,
            full_name=full_name,
            organisation=org,
            position=position,
            email=email,
            status=status,
            consent=consent,
        )
    return event


@pytest.fixture
def admin_client(client, db):
    user = get_user_model().objects.create_superuser("admin", "admin@example.ru", "pass")
    client.force_login(user)
    return client


def test_registrations_page_lists_and_counts(admin_client, registrations):
    html = admin_client.get(f"/admin/events/{registrations.pk}/registrations/").content.decode()
    assert "Иванова Мария Петровна" in html and "Петров Олег" in html
    assert "Зарегистрировано: <strong>1</strong>" in html and "Лист ожидания: <strong>1</strong>" in html


def test_csv_export(admin_client, registrations):
    response = admin_client.get(f"/admin/events/{registrations.pk}/registrations/?format=csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:6] == ["№", "ФИО", "Образовательное учреждение", "Должность", "E-mail", "Статус"]
    assert rows[1][1:6] == [
        "Иванова Мария Петровна",
        "ГБОУ школа № 204",
        "учитель",
        "ivanova@example.ru",
        "Зарегистрирован",
    ]
    assert rows[2][3] == '\'=HYPERLINK("x")'  # formula neutralised
    assert rows[2][5] == "Лист ожидания"


def test_xlsx_export(admin_client, registrations):
    response = admin_client.get(f"/admin/events/{registrations.pk}/registrations/?format=xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][1] == "ФИО"
    assert values[1][1] == "Иванова Мария Петровна"
    assert len(values) == 3


def test_bad_format_is_400(admin_client, registrations):
    response = admin_client.get(f"/admin/events/{registrations.pk}/registrations/?format=pdf")
    assert response.status_code == 400
    assert "Неизвестный формат" in response.content.decode()


def test_editor_without_rights_on_the_event_cannot_export(client, registrations):
    user = get_user_model().objects.create_user("other", "o@example.ru", "pass")
    group = Group.objects.create(name="Без прав на календарь")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    user.groups.add(group)
    client.force_login(user)
    response = client.get(f"/admin/events/{registrations.pk}/registrations/?format=csv")
    assert response.status_code in (302, 403)
    assert "ivanova@example.ru" not in response.content.decode()


def test_methodist_with_edit_rights_on_the_calendar_can_export(client, registrations, index):
    user = get_user_model().objects.create_user("metodist", "m@example.ru", "pass")
    group = Group.objects.create(name="Методисты календаря")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    GroupPagePermission.objects.create(
        group=group, page=index, permission=Permission.objects.get(codename="change_page")
    )
    user.groups.add(group)
    client.force_login(user)
    assert client.get(f"/admin/events/{registrations.pk}/registrations/?format=csv").status_code == 200
    # the button is on the page's header in the admin
    assert "/registrations/" in client.get(f"/admin/pages/{registrations.pk}/edit/").content.decode()


def test_snippets_are_in_the_admin(admin_client, registrations):
    for model in ("eventtype", "audience", "venue", "registration"):
        assert admin_client.get(f"/admin/snippets/events/{model}/").status_code == 200
    assert admin_client.get("/admin/snippets/core/subject/").status_code == 200  # the site's one list

"""«Внедрили у себя» under concurrency, on PostgreSQL with real transactions on separate connections: two
colleagues confirming the same organisation at once leave one confirmed adoption and the second reads a
Russian explanation (409), never a 500; the same link clicked twice at once is confirmed once.

The data is committed for real (the threads' connections must see it) by a fixture that removes it
afterwards — not `django_db(transaction=True)`, whose flush would empty the reused test database (the site
and home page created by migrations, the base tree), as tests/events/test_registration.py explains.
"""

import threading
import uuid

import pytest
from bs4 import BeautifulSoup
from django.db import connection, transaction
from django.test import Client

from core.consent import record_consent
from core.models import ConsentRecord, OutgoingEmail
from practices_atlas.adoption_forms import CONSENT_PURPOSE
from practices_atlas.adoptions import confirm_adoption, request_adoption
from practices_atlas.models import Adoption, AtlasIndexPage, Organisation, PracticePage, PracticeType

RACE = "race-"


def remove_race_data():
    """Everything these tests commit (also what an interrupted run left behind)."""
    adoptions = Adoption.objects.filter(organisation__slug__startswith=RACE)
    consents = list(adoptions.values_list("consent_id", flat=True))
    letters = list(adoptions.values_list("outgoing_id", flat=True))
    adoptions.delete()
    ConsentRecord.objects.filter(pk__in=consents).delete()
    OutgoingEmail.objects.filter(pk__in=letters).delete()
    for index in AtlasIndexPage.objects.filter(slug__startswith="atlas-" + RACE):
        index.delete()
    Organisation.objects.filter(slug__startswith=RACE).delete()
    PracticeType.objects.filter(slug__startswith=RACE).delete()


@pytest.fixture
def committed(django_db_setup, django_db_blocker):
    """A live practice under an atlas of its own and a school that adopts it, committed; removed after."""
    from wagtail.models import Site

    with django_db_blocker.unblock():
        if connection.settings_dict["NAME"] != connection.creation._get_test_db_name():
            # Run alone, no other test asked pytest-django for the database: set it up (kept).
            from django.test.utils import setup_databases

            setup_databases(verbosity=0, interactive=False, aliases={"default"}, keepdb=True)
        remove_race_data()
        try:
            suffix = uuid.uuid4().hex[:8]
            home = Site.objects.get(is_default_site=True).root_page
            index = AtlasIndexPage(title="Атлас (тест гонки)", slug=f"atlas-{RACE}{suffix}")
            home.add_child(instance=index)
            author, school = (
                Organisation.objects.create(
                    slug=f"{RACE}{slug}-{suffix}", short_name=f"{name} ({suffix})", full_name=name, kind="ОУ"
                )
                for slug, name in (("author", "ГБОУ школа № 174"), ("school", "ГБОУ школа № 204"))
            )
            kind = PracticeType.objects.create(slug=f"{RACE}{suffix}", name=f"Тип практики ({suffix})")
            practice = PracticePage(
                title="Онлайн-школа (тест гонки)",
                slug="race",
                annotation="Единое расписание.",
                organisation=author,
                practice_type=kind,
            )
            index.add_child(instance=practice)
            practice.save_revision().publish()
            practice.refresh_from_db()
            yield practice, school
        finally:
            remove_race_data()
            connection.close()


def pending(practice, organisation, email):
    class Request:
        META = {"REMOTE_ADDR": "203.0.113.10"}

    consent = record_consent(Request(), CONSENT_PURPOSE)
    return request_adoption(practice, organisation, "Внедрили в двух классах.", email, consent)[1]


def text(response) -> str:
    return " ".join(BeautifulSoup(response.content, "html.parser").get_text(" ").split())


def someone_waits_on_a_lock() -> bool:
    with connection.cursor() as cursor:
        # Inside a transaction the statistics views keep their first snapshot unless told to drop it.
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0] > 0


def test_two_simultaneous_confirmations_leave_one_adoption(committed):
    """The first colleague's transaction holds its confirmed row uncommitted while the second confirms on
    another connection: PostgreSQL makes the second wait on the unique index, then refuses it."""
    practice, school = committed
    first = pending(practice, school, "ivanova@school204.example.ru")
    second = pending(practice, school, "petrova@school204.example.ru")
    first_done, results = threading.Event(), {}

    def hold_first():
        try:
            with transaction.atomic():
                results["first"] = confirm_adoption(first, practice).status
                first_done.set()
                for _ in range(200):  # keep the transaction open until the second one waits on it (≤ 10 s)
                    if someone_waits_on_a_lock():
                        results["second_waited"] = True
                        break
                    threading.Event().wait(0.05)
        finally:
            connection.close()

    def confirm_second():
        try:
            first_done.wait(10)
            response = Client().post(practice.url + f"vnedrili/{second}/", REMOTE_ADDR="203.0.113.20")
            results["second"] = (response.status_code, text(response))
        finally:
            connection.close()

    threads = [threading.Thread(target=hold_first), threading.Thread(target=confirm_second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert results["first"] == "confirmed"
    assert results.get("second_waited"), "the second confirmation never waited for the first"
    status, body = results["second"]
    assert status == 409
    assert "Организация уже отмечена" in body and "уже подтвердил другой сотрудник" in body
    adoptions = Adoption.objects.filter(practice=practice, organisation=school)
    assert sorted(adoptions.values_list("status", flat=True)) == ["confirmed", "duplicate"]
    assert not adoptions.exclude(email="").exists()  # both addresses erased
    assert school.short_name in text(Client().get(practice.url))


def test_two_visitors_confirming_at_once_over_http_never_get_a_500(committed):
    practice, school = committed
    tokens = [pending(practice, school, f"teacher{n}@school204.example.ru") for n in range(2)]
    barrier, answers = threading.Barrier(2), []

    def click(token, n):
        try:
            client = Client()
            barrier.wait(10)
            response = client.post(practice.url + f"vnedrili/{token}/", REMOTE_ADDR=f"203.0.113.{40 + n}")
            answers.append((response.status_code, text(response)))
        finally:
            connection.close()

    threads = [threading.Thread(target=click, args=(token, n)) for n, token in enumerate(tokens)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(code for code, _ in answers) == [200, 409]
    assert "Организация уже отмечена" in dict(answers)[409]
    assert Adoption.objects.filter(practice=practice, status="confirmed").count() == 1


def test_the_same_link_clicked_twice_at_once_is_confirmed_once(committed):
    practice, school = committed
    token = pending(practice, school, "ivanova@school204.example.ru")
    barrier, answers = threading.Barrier(2), []

    def click(n):
        try:
            client = Client()
            barrier.wait(10)
            response = client.post(practice.url + f"vnedrili/{token}/", REMOTE_ADDR=f"203.0.113.{50 + n}")
            answers.append((response.status_code, text(response)))
        finally:
            connection.close()

    threads = [threading.Thread(target=click, args=(n,)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(code for code, _ in answers) == [200, 200]
    bodies = " ".join(body for _, body in answers)
    assert "Спасибо, внедрение подтверждено" in bodies and "Уже подтверждено" in bodies
    assert Adoption.objects.filter(practice=practice, status="confirmed").count() == 1

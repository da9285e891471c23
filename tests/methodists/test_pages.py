"""Methodists' pages and who sees the questions in the admin."""

import pytest
from bs4 import BeautifulSoup
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from core.consent import record_consent
from core.permissions import EDITORS, METHODISTS
from home.models import HomePage, StandardPage
from methodists.models import MethodistIndexPage, MethodistPage, Question
from tests.core.factories import UserFactory

from .factories import MethodistIndexPageFactory, MethodistPageFactory, SubjectFactory

pytestmark = pytest.mark.django_db


def test_index_groups_methodists_by_division(client, methodists):
    page = BeautifulSoup(client.get("/metodisty/").content, "html.parser")
    headings = [h.get_text() for h in page.select("main h2")]
    assert headings == ["Методический отдел", "Центр информатизации"]
    assert page.find("a", string="Соколова Марина Николаевна")["href"] == "/metodisty/sokolova/"


def test_index_queries_do_not_grow_with_methodists(
    client, methodists, methodist_index, subjects, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get("/metodisty/")
    with CaptureQueriesContext(connection) as baseline:
        client.get("/metodisty/")
    warm = len(baseline.captured_queries)  # read now: every request clears the connection's query log
    assert 0 < warm <= 30
    for i in range(6):
        MethodistPageFactory(parent=methodist_index, title=f"Методист {i}", subjects=[subjects["math"]])
    client.get("/metodisty/")  # publishing started a new cache generation: warm the route and menu again
    with django_assert_max_num_queries(warm):
        client.get("/metodisty/")


def test_methodist_page_shows_subject_contacts_hours_and_question_link(client, methodists):
    page = BeautifulSoup(client.get("/metodisty/sokolova/").content, "html.parser")
    text = page.get_text(" ")
    assert "Математика" in text and "(812) 717-04-72, доб. 121" in text and "Вторник, 15:00–17:00" in text
    assert page.select_one('a[href="mailto:math@imc-centr.example"]') is not None
    assert page.find("a", string="Задать вопрос методисту")["href"] == "/vopros-metodistu/?predmet=matematika"


class TestMethodistPageTypes(WagtailPageTestCase):
    def test_creation_rules(self):
        self.assertAllowedParentPageTypes(MethodistIndexPage, {HomePage})
        self.assertAllowedSubpageTypes(MethodistIndexPage, {MethodistPage})
        self.assertAllowedParentPageTypes(MethodistPage, {MethodistIndexPage})
        self.assertAllowedSubpageTypes(MethodistPage, set())
        self.assertCanNotCreateAt(HomePage, MethodistPage)
        self.assertCanNotCreateAt(MethodistIndexPage, StandardPage)

    def test_create_render_and_preview(self):
        index = MethodistIndexPageFactory()  # the base page tree's
        subject = SubjectFactory(name="Химия", slug="himiya")
        self.login()
        data = nested_form_data(
            {
                "title": "Лебедев Сергей Павлович",
                "slug": "lebedev",
                "position": "Методист",
                "division": "method",
                "phone": "(812) 717-04-72",
                "email": "chem@imc-centr.example",
                "consultation_hours": "Понедельник, 15:00–17:00",
                "summary": "Химия и биология",
                "body": streamfield([("paragraph", rich_text("<p>Опыты по химии</p>"))]),
                "files": streamfield([]),
            }
        )
        data["subjects"] = [subject.pk]  # a multiple choice, not a nested list
        self.assertCanCreate(index, MethodistPage, data)
        page = MethodistPage.objects.get(slug="lebedev")
        self.assertEqual(list(page.subjects.all()), [subject])
        self.assertPageIsRenderable(page)
        self.assertPageIsPreviewable(page, post_data=data)
        self.assertPageIsRenderable(index)


@pytest.fixture
def users(methodists):
    methodist = UserFactory(username="sokolova", groups=[METHODISTS])
    editor = UserFactory(username="editor", groups=[EDITORS])
    page = methodists["math"]
    page.user = methodist
    page.save_revision().publish()
    return {"methodist": methodist, "editor": editor}


def make_question(rf, methodist_page, subject, text):
    record = record_consent(rf.post("/"), "question")
    return Question.objects.create(
        subject=subject, methodist=methodist_page, name="Анна", email="a@school.example", text=text, consent=record
    )


def test_methodist_sees_only_questions_addressed_to_them(client, rf, users, methodists, subjects):
    own = make_question(rf, methodists["math"], subjects["math"], "Вопрос по математике")
    other = make_question(rf, methodists["chem"], subjects["chem"], "Вопрос по химии")
    client.force_login(users["methodist"])
    listing = client.get("/admin/snippets/methodists/question/")
    assert listing.status_code == 200
    assert "Математика" in listing.content.decode() and "Химия —" not in listing.content.decode()
    assert client.get(f"/admin/snippets/methodists/question/edit/{own.pk}/").status_code == 200
    assert client.get(f"/admin/snippets/methodists/question/edit/{other.pk}/").status_code in (302, 403, 404)
    assert client.get("/admin/snippets/methodists/question/add/").status_code in (302, 403)

    client.force_login(users["editor"])
    listing = client.get("/admin/snippets/methodists/question/").content.decode()
    assert "Вопрос" in listing and str(other) in listing and str(own) in listing


def test_methodist_marks_a_question_answered(client, rf, users, methodists, subjects):
    question = make_question(rf, methodists["math"], subjects["math"], "Вопрос по математике")
    client.force_login(users["methodist"])
    response = client.post(
        f"/admin/snippets/methodists/question/edit/{question.pk}/", {"status": "answered", "note": "Ответила письмом"}
    )
    assert response.status_code == 302
    question.refresh_from_db()
    assert (question.status, question.note) == ("answered", "Ответила письмом")

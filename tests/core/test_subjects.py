"""One subject list for the site (core.Subject): editors keep it once in the admin, and the calendar,
the methodists' pages and the question form all offer the same entries."""

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client
from django.utils import timezone

from core.models import Subject
from core.permissions import EDITORS, METHODISTS
from tests.events.factories import EventPageFactory, EventTypeFactory, VenueFactory
from tests.methodists.factories import MethodistPageFactory

pytestmark = pytest.mark.django_db

SOON = (timezone.now() + timedelta(days=3)).replace(microsecond=0)


def user_in(group):
    user = get_user_model().objects.create_user(f"u-{group}", f"{len(group)}@imc.example.ru", "x")
    user.groups.add(Group.objects.get(name=group))
    client = Client()
    client.force_login(user)
    return client


def test_editors_add_a_subject_once_and_the_whole_site_offers_it(home_page, client):
    editor = user_in(EDITORS)
    response = editor.post(
        "/admin/snippets/core/subject/add/", {"name": "Астрономия", "slug": "astronomiya", "sort_order": "5"}
    )
    assert response.status_code == 302
    astronomy = Subject.objects.get(slug="astronomiya")

    event = EventPageFactory(title="Семинар «Звёздное небо»", slug="zvezdy", start=SOON, subject=astronomy)
    methodist = MethodistPageFactory(
        title="Звездина Ольга", slug="zvezdina", email="stars@imc.example.ru", subjects=[astronomy]
    )

    assert "Астрономия" in BeautifulSoup(client.get(event.url).content, "html.parser").select_one("dl").get_text()
    assert "Астрономия" in client.get(methodist.url).content.decode()
    form = BeautifulSoup(client.get("/vopros-metodistu/?predmet=astronomiya").content, "html.parser")
    options = [option.get_text() for option in form.select("#id_subject option")]
    assert options.count("Астрономия") == 1
    assert form.select_one("#id_subject option[selected]").get_text() == "Астрономия"
    calendar_page = client.get("/events/upcoming/?subject=astronomiya")
    assert calendar_page.status_code == 200 and "Звёздное небо" in calendar_page.content.decode()


def test_methodists_choose_subjects_but_do_not_edit_the_list(db):
    Subject.objects.create(name="Химия", slug="himiya")
    methodist = user_in(METHODISTS)
    assert methodist.get("/admin/snippets/core/subject/").status_code != 200
    methodist.post("/admin/snippets/core/subject/add/", {"name": "Алхимия", "slug": "alhimiya", "sort_order": "1"})
    assert not Subject.objects.filter(slug="alhimiya").exists()
    listing = user_in(EDITORS).get("/admin/snippets/core/subject/")
    assert listing.status_code == 200 and "Химия" in listing.content.decode()


def test_renaming_a_subject_reaches_a_cached_event_page(home_page, page_cache_on):
    subject = Subject.objects.create(name="Математика", slug="matematika")
    event = EventPageFactory(
        title="РУМО учителей математики",
        slug="rumo",
        start=SOON,
        event_type=EventTypeFactory(name="РУМО", slug="rumo"),
        venue=VenueFactory(name="ГБУ ИМЦ"),
        subject=subject,
    )
    visitor = Client()
    assert "Математика" in visitor.get(event.url).content.decode()
    subject.name = "Математика и финансовая грамотность"
    subject.save()
    assert "Математика и финансовая грамотность" in visitor.get(event.url).content.decode()

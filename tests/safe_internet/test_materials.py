"""Memos and guidelines: each audience page lists exactly its materials; a memo shows its audience, topics and
age band, its files with type and size, and prints clean (print stylesheet without navigation, URLs after links)."""

import pytest
from bs4 import BeautifulSoup
from django.contrib.staticfiles import finders
from django.core.exceptions import ValidationError

from safe_internet.models import MaterialPage, Topic
from tests.safe_internet.factories import DocumentFactory, MaterialPageFactory

pytestmark = pytest.mark.django_db

AUDIENCE_URLS = {
    "teachers": "/safe-internet/pedagogam/",
    "students": "/safe-internet/obuchayushchimsya/",
    "parents": "/safe-internet/roditelyam/",
}


def listed(client, url):
    page = BeautifulSoup(client.get(url).content, "html.parser")
    return sorted(a.get_text(strip=True) for a in page.select(".si-material-card .card__title a"))


def test_each_audience_page_lists_exactly_its_materials(client):
    MaterialPageFactory(title="Памятка для родителей", for_parents=True)
    MaterialPageFactory(title="Рекомендации педагогам", for_parents=False, for_teachers=True)
    MaterialPageFactory(title="Памятка школьнику", for_parents=False, for_students=True, age_band="junior")
    MaterialPageFactory(title="Для всех", for_parents=True, for_teachers=True, for_students=True)
    MaterialPageFactory(title="Черновик", for_parents=True, live=False)

    assert listed(client, AUDIENCE_URLS["parents"]) == ["Для всех", "Памятка для родителей"]
    assert listed(client, AUDIENCE_URLS["teachers"]) == ["Для всех", "Рекомендации педагогам"]
    assert listed(client, AUDIENCE_URLS["students"]) == ["Для всех", "Памятка школьнику"]


def test_a_memo_shows_its_audiences_topics_age_band_and_files_with_type_and_size(client):
    document = DocumentFactory(
        title="Памятка для родителей (PDF)",
        file__filename="pamyatka.pdf",
        file__data=b"%PDF-1.4\n" + b"0" * (1_258_291 - 9),
    )
    document.file_size = document.file.size  # as the admin's upload records it
    document.save()
    material = MaterialPageFactory(
        title="Памятка для родителей",
        for_students=True,
        topics=list(Topic.objects.filter(slug__in=["otvetstvennost", "roditeli-i-gadzhety"])),
        files=[("document", {"document": document, "title": "", "date": None})],
    )
    page = BeautifulSoup(client.get(material.url).content, "html.parser")
    text = " ".join(page.select_one(".si-material").get_text(" ").split())
    assert "Памятка · Взрослым · обучающимся, родителям" in text
    assert "Темы: Ответственность, Родители и гаджеты" in text
    item = page.select_one(".si-material .document-item")
    assert item.a["href"] == document.url
    assert item.select_one(".document-item__meta").get_text().startswith("PDF, 1,2\xa0МБ")
    assert page.select_one(".si-helpline")


def test_the_memo_links_a_print_stylesheet_that_drops_navigation_and_prints_urls(client):
    material = MaterialPageFactory()
    page = BeautifulSoup(client.get(material.url).content, "html.parser")
    link = page.select_one('link[rel="stylesheet"][media="print"]')
    assert link["href"].endswith("safe_internet/print.css")
    with open(finders.find("safe_internet/print.css"), encoding="utf-8") as stylesheet:
        css = stylesheet.read()
    assert ".site-header" in css and ".main-nav" in css and ".breadcrumbs" in css and "display: none" in css
    assert 'content: " (" attr(href) ")"' in css
    assert "size: A4" in css


def test_a_material_needs_an_audience():
    material = MaterialPage(title="Без аудитории", slug="bez", for_parents=False)
    with pytest.raises(ValidationError, match="аудиторию"):
        material.clean()


def test_the_five_topics_come_with_migrate():
    assert Topic.objects.count() == 5
    assert Topic.objects.first().short_name == "Правила поведения"

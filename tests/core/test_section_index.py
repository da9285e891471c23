"""The five section front pages share one base (core.models.SectionIndexPage): the intro field, its
panel, one per site, the intro under the title — each keeping its own database column."""

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from wagtail.models import Page

from contests.models import ContestIndexPage
from core.models import SectionIndexPage
from events.models import EventIndexPage
from methodists.models import MethodistIndexPage
from news.models import NewsIndexPage
from sveden.models import SvedenIndexPage

SECTIONS = [EventIndexPage, NewsIndexPage, MethodistIndexPage, SvedenIndexPage, ContestIndexPage]


@pytest.mark.parametrize("model", SECTIONS, ids=lambda model: model.__name__)
def test_every_section_page_is_a_section_index_page(model):
    assert issubclass(model, SectionIndexPage)
    assert model.max_count == 1
    assert model.content_panels is SectionIndexPage.content_panels
    assert [getattr(panel, "field_name", "") for panel in model.content_panels][-1] == "intro"
    assert model._meta.get_field("intro").verbose_name == "Вступление"


@pytest.mark.django_db
@pytest.mark.parametrize("model", SECTIONS, ids=lambda model: model.__name__)
def test_each_keeps_its_own_intro_column(model):
    with connection.cursor() as cursor:
        columns = [c.name for c in connection.introspection.get_table_description(cursor, model._meta.db_table)]
    assert "intro" in columns


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("model", "slug"),
    [(EventIndexPage, "events"), (NewsIndexPage, "news"), (MethodistIndexPage, "metodisty"), (ContestIndexPage, "k")],
    ids=lambda value: getattr(value, "__name__", value),
)
def test_the_intro_stands_under_the_title(client, home_page, model, slug):
    page = model.objects.first() or home_page.add_child(instance=model(title="Раздел", slug=slug))
    page.intro = "Вступление раздела для учителей."
    page.save_revision().publish()
    html = BeautifulSoup(client.get(page.url).content.decode(), "html.parser")
    heading = html.select_one("main h1")
    assert heading.get_text(strip=True) == page.title
    lead = heading.find_next_sibling()
    assert lead.name == "p" and "lead" in lead["class"] and lead.get_text() == "Вступление раздела для учителей."


@pytest.mark.django_db
def test_the_sveden_intro_stays_rich_text(client):
    page = SvedenIndexPage.objects.get()
    page.intro = '<p>Сведения <a href="https://example.ru/">об организации</a>.</p>'
    page.save_revision().publish()
    html = BeautifulSoup(client.get(page.url).content.decode(), "html.parser")
    assert html.select_one("main .lead a")["href"] == "https://example.ru/"
    assert Page.objects.get(pk=page.pk).specific.intro.startswith("<p>")

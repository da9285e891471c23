"""`manage.py load_demo`, loaded once for the module (it is a minute of work, so every section's demo
checks share this one load): the news from the seeds, the home page as a newcomer sees it, the atlas,
the search, and a second run changes nothing."""

import pytest
from bs4 import BeautifulSoup
from django.core.management import call_command
from wagtail.embeds.models import Embed
from wagtail.images import get_image_model
from wagtail.models import Page, Revision

from news.demo import DEMO_VIDEO_URL
from news.models import NewsIndexPage, NewsPage
from tests.conftest import counted, module_data

# One xdist worker builds the module-scoped data once (scripts/test.sh runs --dist loadgroup).
pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("demo")]


def snapshot():
    return {
        "pages": Page.objects.count(),
        "revisions": Revision.objects.count(),
        "images": get_image_model().objects.count(),
        "embeds": Embed.objects.count(),
        "latest_revision": Revision.objects.order_by("-pk").values_list("pk", flat=True).first(),
    }


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo, loaded once for the module (a minute of work)."""

    def no_network(*args, **kwargs):
        raise AssertionError("the demo must not fetch oEmbed")

    with module_data(django_db_blocker), pytest.MonkeyPatch.context() as patch:
        patch.setattr("wagtail.embeds.embeds.get_finder_for_embed", no_network)
        with counted():
            call_command("load_demo", quiet=True)
        yield


def test_demo_news(demo, client):
    index = NewsIndexPage.objects.get()
    assert index.url == "/news/"
    news = NewsPage.objects.live().child_of(index)
    assert news.count() >= 15
    assert news.filter(main_image__isnull=True).count() == 0
    assert all(page.tags.exists() for page in news)
    assert news.filter(title__contains="Дети в Интернете", lead__contains="37 741").exists()
    assert len({page.date.strftime("%Y-%m") for page in news}) >= 6
    for page in news:
        assert client.get(page.url).status_code == 200


def test_demo_video_renders_from_the_stored_embed(demo, client):
    page = next(p for p in NewsPage.objects.live() if any(b.block_type == "video" for b in p.body))
    soup = BeautifulSoup(client.get(page.url).content, "html.parser")
    # The player waits in a <template> until the reader presses «Смотреть видео» (no third-party request).
    assert soup.select_one(".block-video template.embed__player").find("iframe")["title"]
    assert soup.select_one(".block-video [data-embed-play]")["href"] == DEMO_VIDEO_URL
    assert Embed.objects.filter(url=DEMO_VIDEO_URL).count() == 1


def test_demo_home_has_quick_links_announcements_and_news(demo, client):
    soup = BeautifulSoup(client.get("/").content, "html.parser")
    quick = [a.select_one(".quick-link__title").get_text() for a in soup.select("a.quick-link")]
    assert quick == ["ЕГЭ/ОГЭ", "Олимпиадное движение", "Повышение квалификации"]
    announcements = [h.get_text(strip=True) for h in soup.select(".announcement .card__title")]
    assert len(announcements) >= 2
    assert any("олимпиады" in title for title in announcements)
    assert soup.select_one(".announcement .card__date").get_text().startswith("Актуально до ")
    assert len(soup.select(".card-grid .news-card")) == 4
    assert soup.find("a", string="Все новости")["href"] == "/news/"


def test_demo_twice_changes_nothing(demo):
    before = snapshot()
    call_command("load_demo", quiet=True)
    assert snapshot() == before


def test_demo_is_searchable_across_sections_with_its_synonyms(demo, client):
    """Everything the demo publishes or uploads is in the site search; the demo synonyms apply."""
    from search.models import SearchEntry

    assert SearchEntry.objects.filter(page__isnull=False).count() == Page.objects.live().filter(depth__gte=2).count()
    assert SearchEntry.objects.filter(document__isnull=False).exists()
    soup = BeautifulSoup(client.get("/search/", {"q": "мудл"}).content, "html.parser")
    # Moodle pages, found by the Cyrillic spelling, the Latin word highlighted in their snippets.
    assert "moodle" in {mark.get_text().lower() for mark in soup.select("ol.search-results mark")}
    assert soup.select(".search-facets a")  # facets by section and year


def test_demo_registry_entries_are_search_results_that_lead_to_them(demo, client):
    """«Безопасный интернет»'s documents and sites are results of their own (core.searchsources)."""
    from safe_internet.models import NormativeDocument, SafeResource
    from search.models import SearchEntry

    listed = NormativeDocument.objects.count() + SafeResource.objects.filter(hidden=False).count()
    assert SearchEntry.objects.filter(object_id__isnull=False).count() == listed
    for query, expected in (("закон 436-ФЗ", "436-ФЗ"), ("дети россии онлайн", "Дети России онлайн")):
        soup = BeautifulSoup(client.get("/search/", {"q": query}).content, "html.parser")
        link = next(a for a in soup.select("ol.search-results .search-result__title a") if expected in a.get_text())
        path, _, anchor = link["href"].partition("#")
        shown = BeautifulSoup(client.get(path).content, "html.parser").find(id=anchor)
        assert expected in shown.get_text()


# --- the atlas ------------------------------------------------------------------------------------------------

ATLAS_ONLY = {
    "inklyuziya",
    "proforientaciya",
    "muzejnaya-pedagogika",
    "teatralnaya-pedagogika",
    "robototehnika",
    "funkcionalnaya-gramotnost",
    "proektnaya-deyatelnost",
    "ocenka-kachestva",
}


def test_demo_atlas_has_every_facet_files_collections_and_the_practice_of_month(demo, site, client):
    from wagtail.documents import get_document_model

    from core.models import Subject
    from practices_atlas import demo as atlas_demo
    from practices_atlas import demo_data
    from practices_atlas.models import AtlasCollectionPage, AtlasSettings, PracticePage

    practices = PracticePage.objects.live()
    assert practices.count() == len(demo_data.PRACTICES) >= 25
    assert AtlasCollectionPage.objects.live().count() == 2
    # the eight directions only the atlas names join the site's one subject list
    assert set(Subject.objects.values_list("slug", flat=True)) >= ATLAS_ONLY
    assert Subject.objects.filter(practices__isnull=False).distinct().count() == len(demo_data.SUBJECTS)
    # every practice has its generated files, readable documents of their declared kind
    Document = get_document_model()
    for page in practices[:5]:
        attachments = list(page.attachments.select_related("document"))
        assert attachments
        for attachment in attachments:
            document = attachment.document
            head = document.file.open("rb").read(4)
            assert head in (b"%PDF", b"PK\x03\x04"), document.title
            assert document.file_size > 500, document.title  # the page shows the size next to the type
    assert Document.objects.filter(file__endswith=".pdf").exists()
    assert Document.objects.filter(file__endswith=".docx").exists()
    assert AtlasSettings.for_site(site).practice_of_month.slug == atlas_demo.PRACTICE_OF_MONTH

    messages = []
    atlas_demo.load(messages.append)  # the atlas's own loader again: it reports the same and adds nothing
    assert "40 практик, 2 подборки" in messages[-1]
    assert PracticePage.objects.count() == len(demo_data.PRACTICES)

    # the catalogue offers every facet the data uses, and the pages render
    html = client.get("/atlas/?archive=1").content.decode()
    assert "Найдено практик: 40" in html
    for spec in demo_data.PRACTICE_TYPES + demo_data.LEVELS:
        assert spec.name in html
    assert client.get("/atlas/onlajnshkola-174/").status_code == 200
    assert client.get("/atlas/distancionnoe-obuchenie-2020/").status_code == 200
    assert "Практика месяца" in client.get("/").content.decode()


def test_demo_adoptions_are_confirmed_and_shown(demo, client):
    from practices_atlas import demo_data
    from practices_atlas.models import Adoption

    assert Adoption.objects.filter(status="confirmed").count() == len(demo_data.ADOPTIONS) >= 3
    assert not Adoption.objects.exclude(email="").exists()
    spec = demo_data.ADOPTIONS[0]
    adoption = Adoption.objects.select_related("practice", "organisation").get(
        practice__slug=spec.practice, organisation__slug=spec.organisation
    )
    page = BeautifulSoup(client.get(adoption.practice.url).content, "html.parser")
    assert adoption.organisation.short_name in page.find("section", class_="practice-adopters").get_text()

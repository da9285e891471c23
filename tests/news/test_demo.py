"""`manage.py load_demo`, loaded once for the module: at least 15 news from the seeds, the home page as a
newcomer sees it, and a second run changes nothing."""

import pytest
from bs4 import BeautifulSoup
from django.core.management import call_command
from wagtail.embeds.models import Embed
from wagtail.images import get_image_model
from wagtail.models import Page, Revision

from news.demo import DEMO_VIDEO_URL
from news.models import NewsIndexPage, NewsPage
from tests.conftest import module_data

# One xdist worker builds the module-scoped data once (scripts/test.sh runs --dist loadgroup).
pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("news_demo")]


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

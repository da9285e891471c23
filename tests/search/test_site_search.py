"""The site search as a visitor and a methodist meet it: facets, highlights, suggestions, the index kept
current by publishing, documents, the reports and the synonym table in the admin."""

import datetime
import io
import json
import zipfile

import pytest
from bs4 import BeautifulSoup
from django.core.files.base import ContentFile
from wagtail.models import Collection, CollectionViewRestriction
from wagtail.rich_text import RichText

from search.models import NoResultQuery, SearchEntry, SearchSynonym
from tests.core.factories import DocumentFactory, UserFactory
from tests.news.factories import make_news, make_standard_page

pytestmark = pytest.mark.django_db


def soup_of(client, **params):
    response = client.get("/search/", params)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    return BeautifulSoup(response.content, "html.parser")


def titles(soup):
    return [a.get_text(strip=True) for a in soup.select("ol.search-results .search-result__title a")]


@pytest.fixture
def site_content(home_page, news_index):
    pages = {
        "webinars": make_standard_page(
            home_page,
            "Вебинары для воспитателей",
            slug="vebinary",
            lead="Расписание на неделю.",
            body=[
                (
                    "paragraph",
                    RichText(
                        "<p>"
                        + "Вводный текст без нужных слов. " * 30
                        + "Запись на вебинар <b>по игровым технологиям</b> открыта до пятницы.</p>"
                    ),
                )
            ],
        ),
        "news_2025": make_news(
            news_index, "Вебинар о читательской грамотности", datetime.date(2025, 3, 5), image=False
        ),
        "news_2026": make_news(news_index, "Вебинар о цифровой среде", datetime.date(2026, 10, 1), image=False),
    }
    return pages


def test_results_show_section_type_date_and_the_matched_words(client, site_content):
    soup = soup_of(client, q="игровые технологии")
    result = soup.select_one("ol.search-results .search-result")
    assert result.a.get_text() == "Вебинары для воспитателей"
    snippet = result.select_one(".search-result__snippet")
    # The snippet is cut around the words found deep in the text, not the first 200 characters.
    assert [mark.get_text() for mark in snippet.select("mark")] == ["игровым", "технологиям"]
    assert "<b>" not in str(snippet)  # the page's own markup never reaches the snippet


@pytest.fixture(params=["own index", "wagtail backend"])
def engine(request, monkeypatch):
    """Both ways a search is answered: the site search's own index (PostgreSQL), and Wagtail's backend
    (search/backend.py), as on SQLite (`make run`) or with Elasticsearch."""
    if request.param == "wagtail backend":
        from search import views

        monkeypatch.setattr(views, "uses_own_index", lambda: False)
    return request.param


def test_facets_by_section_and_year_with_counts(client, site_content, engine):
    soup = soup_of(client, q="вебинар")
    facets = {a.get_text(" ", strip=True) for a in soup.select(".search-facets a")}
    assert "Новости 2" in facets
    assert "2025 1" in facets and "2026 2" in facets  # the news dates; the standard page's publication
    soup = soup_of(client, q="вебинар", section="news", year="2025")
    assert titles(soup) == ["Вебинар о читательской грамотности"]
    assert soup.select_one(".search-summary").get_text().endswith("найдено: 1")
    assert soup.select_one('.search-facets [aria-current="true"]') is not None


@pytest.mark.parametrize("params", [{"section": "нет-такого"}, {"year": "abc"}, {"year": "99999"}, {"page": "x"}])
def test_odd_filters_are_ignored_or_answer_empty_never_fail(client, site_content, params):
    response = client.get("/search/", {"q": "вебинар", **params})
    assert response.status_code == 200


def test_a_typo_offers_the_known_word_and_finds_its_pages(client, site_content):
    soup = soup_of(client, q="вебинр")
    assert soup.select_one(".search-suggestion").get_text(strip=True) == "Возможно, вы искали:вебинар"
    assert "Вебинары для воспитателей" in titles(soup)


def test_most_words_are_enough_and_the_page_says_so(client, site_content):
    soup = soup_of(client, q="вебинары воспитателей кукуруза")  # one word no page has
    assert titles(soup)[0] == "Вебинары для воспитателей"
    assert "кукуруза" in soup.select_one(".search-ignored").get_text()


def test_nothing_found_is_recorded_for_the_editors(client, site_content):
    soup_of(client, q="Квантовая хромодинамика")
    soup_of(client, q="квантовая  хромодинамика")
    assert NoResultQuery.objects.get(query_string="квантовая хромодинамика").hits == 2
    soup_of(client, q="вебинар")
    assert not NoResultQuery.objects.filter(query_string="вебинар").exists()


def test_publish_unpublish_and_move_keep_the_index_current(client, home_page, site_content):
    page = site_content["webinars"]
    page.title = "Вебинары для воспитателей и родителей"
    page.save_revision().publish()
    assert titles(soup_of(client, q="вебинары родителям")) == ["Вебинары для воспитателей и родителей"]
    page.unpublish()
    assert "Вебинары для воспитателей и родителей" not in titles(soup_of(client, q="вебинары родителям"))
    assert not SearchEntry.objects.filter(page=page).exists()


def test_a_moved_page_is_found_at_its_new_address(client, home_page, news_index, site_content):
    page = site_content["webinars"]
    page.move(news_index, pos="last-child")
    entry = SearchEntry.objects.get(page=page)
    assert entry.url == "/news/vebinary/" and entry.section == "news"


def test_suggestions_json_for_the_search_box(client, site_content):
    response = client.get("/search/suggest/", {"q": "вебин"})
    assert response.status_code == 200
    assert "no-store" not in response["Cache-Control"] and "private" in response["Cache-Control"]
    data = json.loads(response.content)
    assert {item["title"] for item in data["suggestions"]} >= {"Вебинары для воспитателей", "Вебинар о цифровой среде"}
    assert {"url", "section", "kind"} <= set(data["suggestions"][0])
    assert json.loads(client.get("/search/suggest/", {"q": "ве"}).content)["suggestions"] == []


def test_suggestions_complete_the_last_word(client, site_content):
    data = json.loads(client.get("/search/suggest/", {"q": "вебинар о цифр"}).content)
    assert [item["title"] for item in data["suggestions"]] == ["Вебинар о цифровой среде"]


def _docx(text: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "word/document.xml", f"<w:document><w:body><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:body></w:document>"
        )
    return buffer.getvalue()


def _pdf(text: str) -> bytes:
    """A one-page PDF with a cross-reference table, as pypdf expects of a real file."""
    stream = f"BT /F1 12 Tf 10 50 Td ({text}) Tj ET".encode()
    objects = [
        b"<</Type/Catalog/Pages 2 0 R>>",
        b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
        b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 300 100]/Contents 4 0 R/Resources<</Font<</F1 5 0 R>>>>>>",
        b"<</Length %d>>stream\n" % len(stream) + stream + b"\nendstream",
        b"<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>",
    ]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj" % number + body + b"endobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer<</Size %d/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def test_documents_are_found_by_their_text(client, site):
    DocumentFactory(
        title="Приказ о проведении олимпиады", file=ContentFile(_docx("Состав жюри и сроки проверки"), "prikaz.docx")
    )
    DocumentFactory(title="Отчёт", file=ContentFile(_pdf("Quarterly Moodle report"), "otchet.pdf"))
    soup = soup_of(client, q="жюри")
    assert "Приказ о проведении олимпиады" in titles(soup)
    assert "Документ Word" in soup.select_one("ol.search-results").get_text()
    assert "Отчёт" in titles(soup_of(client, q="quarterly report"))


def test_documents_of_a_restricted_collection_are_never_listed(client, site):
    root = Collection.get_first_root_node()
    private = root.add_child(name="Черновики")
    CollectionViewRestriction.objects.create(collection=private, restriction_type=CollectionViewRestriction.LOGIN)
    DocumentFactory(title="Заявка с персональными данными", collection=private)
    assert titles(soup_of(client, q="заявка персональными данными")) == []


def test_a_broken_document_is_still_found_by_its_title(client, site):
    DocumentFactory(title="Повреждённая таблица", file=ContentFile(b"PK\x03\x04 not a zip", "broken.docx"))
    assert titles(soup_of(client, q="поврежденная таблица")) == ["Повреждённая таблица"]


def test_synonyms_added_in_the_admin_apply_at_once(client, site_content):
    assert titles(soup_of(client, q="онлайн-семинар")) == []
    SearchSynonym.objects.create(terms="вебинар, онлайн-семинар")
    assert "Вебинары для воспитателей" in titles(soup_of(client, q="онлайн-семинары"))


@pytest.mark.parametrize("group", ["Методисты", "Редакторы", "Администраторы"])
def test_editors_see_the_reports_and_keep_synonyms(client, site_content, group):
    NoResultQuery.objects.create(query_string="расписание звонков", hits=7)
    client.force_login(UserFactory(groups=[group]))
    menu = client.get("/admin/reports/site-search/no-results/")
    assert menu.status_code == 200
    assert "расписание звонков" in menu.content.decode()
    assert client.get("/admin/reports/site-search/popular/").status_code == 200
    response = client.post(
        "/admin/snippets/search/searchsynonym/add/", {"terms": "ПК, повышение квалификации", "note": ""}
    )
    assert response.status_code == 302
    assert SearchSynonym.objects.filter(terms="ПК, повышение квалификации").exists()
    assert client.get("/admin/searchpicks/").status_code == 200


def test_visitors_accounts_do_not_see_the_reports(client, site):
    client.force_login(UserFactory(is_staff=False))
    assert client.get("/admin/reports/site-search/no-results/").status_code in (302, 403)


def test_rebuild_command_indexes_everything(site_content):
    from django.core.management import call_command

    SearchEntry.objects.all().delete()
    out = io.StringIO()
    call_command("rebuild_site_search", stdout=out)
    assert SearchEntry.objects.filter(page=site_content["webinars"]).exists()
    assert "pages" in out.getvalue()

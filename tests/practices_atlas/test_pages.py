"""Practice and collection pages, the home page's «Практика месяца», the models' rules and who may edit what."""

import json
import re
from urllib.parse import parse_qsl, urlsplit

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from wagtail.documents import get_document_model
from wagtail.models import Page
from wagtail.rich_text import RichText

from core.permissions import METHODISTS, grant_methodists
from practices_atlas.models import (
    AtlasCollectionItem,
    AtlasCollectionPage,
    AtlasIndexPage,
    AtlasSettings,
    PracticeAttachment,
    PracticePage,
    PracticePresentation,
    PracticeRelatedLink,
)

pytestmark = pytest.mark.django_db


def soup_of(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, response.content[:300]
    return BeautifulSoup(response.content, "html.parser")


def _document(title="Положение о смешанном обучении"):
    Document = get_document_model()
    document = Document(title=title)
    document.file = ContentFile(
        b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n" + b"0" * 2000, name="polozhenie.pdf"
    )
    document._set_document_file_metadata()  # size and hash, as the admin's upload form records them
    document.save()
    return document


@pytest.fixture
def practice(make_practice):
    page = make_practice(
        "«Онлайншкола174»: единое расписание",
        type="learning",
        levels=("primary", "preschool"),
        subjects=("math",),
        groups=("pupils",),
        project="digital",
        cluster="choice",
        year=2020,
        annotation="Единое недельное расписание онлайн-уроков и «окон» консультаций.",
        problem=RichText("<p>В марте школа перешла на дистанционное обучение.</p>"),
        how_to_adopt=RichText("<p>Начните с одной платформы для заданий.</p>"),
        video_url="https://rutube.ru/video/00000000000000000000000000000001/",
        video_title="Как устроен учебный день",
    )
    page.attachments = [PracticeAttachment(document=_document(), title="")]
    page.presentations = [PracticePresentation(title="Вебинар проекта «Цифровая школа»", note="онлайн")]
    page.tags.add("ДОТ", "расписание")
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def test_practice_page_shows_its_content(client, practice):
    soup = soup_of(client, practice.url)
    assert soup.h1.get_text() == "«Онлайншкола174»: единое расписание"
    main = soup.find("main").get_text(" ", strip=True)
    for text in (
        "Проблема и цели",
        "В марте школа перешла",
        "Как внедрить у себя",
        "ГБОУ школа № 174",
        "Творческая группа школы",
        "Вебинар проекта «Цифровая школа»",
        "Материалы",
    ):
        assert text in main, text
    # the sections without text are not shown as empty headings
    assert "Условия и ресурсы" not in main
    # a document with its type and size
    item = soup.select_one(".document-item")
    assert item.a.get_text() == "Положение о смешанном обучении"
    assert re.search(r"PDF, \d", item.get_text())
    # video: the hosting's player is not on the page until the visitor asks for it
    play = soup.select_one("[data-embed-play]")
    assert play["href"] == practice.video_url and "Смотреть видео" in play.get_text()
    assert not soup.find("iframe")


def test_practice_facets_link_back_into_the_filtered_catalogue(client, practice, make_practice):
    make_practice("Другая практика", type="family", levels=("preschool",))
    soup = soup_of(client, practice.url)
    links = {a.get_text(strip=True): a["href"] for a in soup.select(".practice-facets a")}
    assert parse_qsl(urlsplit(links["Организация учебного процесса"]).query) == [("type", "learning")]
    assert urlsplit(links["Дошкольное образование"]).path == "/atlas/"
    for text in (
        "Математика",
        "Обучающиеся",
        "Дистанционно",
        "2020",
        "Цифровая школа",
        "Школа выбора",
        "ГБОУ школа № 174",
    ):
        assert text in links, text
    # following a facet link opens the catalogue with that value ticked and this practice among the results
    catalogue = soup_of(client, links["Дошкольное образование"])
    assert catalogue.find("input", id="f-level-preschool").has_attr("checked")
    found = [a.get_text(strip=True) for a in catalogue.select(".atlas-cards .card__title a")]
    assert practice.title in found and "Другая практика" in found
    tag_link = soup.select_one(".practice-aside a[href*='tag=']")
    assert practice.title in soup_of(client, tag_link["href"]).get_text()


def test_breadcrumbs_json_ld_and_opengraph(client, practice):
    soup = soup_of(client, practice.url)
    crumbs = [a.get_text() for a in soup.select("nav.breadcrumbs a")]
    assert crumbs == ["Главная", "Атлас педагогических практик"]
    data = json.loads(soup.find("script", type="application/ld+json").string)
    assert data["@type"] == "LearningResource"
    assert data["name"] == practice.title
    assert data["description"] == practice.annotation
    assert data["url"] == "http://testserver/atlas/" + practice.slug + "/"
    assert data["inLanguage"] == "ru"
    assert data["learningResourceType"] == "Организация учебного процесса"
    assert set(data["educationalLevel"]) == {"Начальное общее образование", "Дошкольное образование"}
    assert data["about"] == [{"@type": "Thing", "name": "Математика"}]
    assert data["sourceOrganization"]["alternateName"] == "ГБОУ школа № 174"
    assert data["associatedMedia"][0]["encodingFormat"] == "pdf"
    assert data["author"][0]["name"] == "Творческая группа школы"
    assert data["keywords"] == "ДОТ, расписание" or set(data["keywords"].split(", ")) == {"ДОТ", "расписание"}
    meta = {m.get("property") or m.get("name"): m.get("content") for m in soup.find_all("meta")}
    assert meta["og:type"] == "article"
    assert meta["og:title"] == practice.title
    assert meta["description"] == meta["og:description"] == practice.annotation
    assert meta["og:url"] == data["url"]


def test_archived_practice_says_so_and_leaves_the_default_catalogue(client, make_practice):
    page = make_practice("Старая практика", status="archived")
    soup = soup_of(client, page.url)
    assert "Практика в архиве" in soup.find("main").get_text()
    assert "Старая практика" not in soup_of(client, "/atlas/").get_text()
    assert "Старая практика" in soup_of(client, "/atlas/?archive=1").get_text()


def test_related_practices_chosen_else_computed_from_shared_facets(client, practice, make_practice):
    close = make_practice("Близкая практика", type="learning", subjects=("math",), cluster="choice")
    make_practice(
        "Далёкая практика", type="family", levels=(), subjects=("museum",), groups=("parents",), format="offline"
    )
    related = [a.get_text(strip=True) for a in soup_of(client, practice.url).select(".practice-aside .card__title a")]
    assert related == ["Близкая практика"]
    far = PracticePage.objects.get(title="Далёкая практика")
    practice.related_links = [PracticeRelatedLink(related=far)]
    practice.save_revision().publish()
    related = [a.get_text(strip=True) for a in soup_of(client, practice.url).select(".practice-aside .card__title a")]
    assert related == ["Далёкая практика"]
    assert close.live


def test_annotation_video_and_presentation_rules(practice):
    practice.annotation = "а" * 501
    with pytest.raises(ValidationError) as error:
        practice.full_clean()
    assert "annotation" in error.value.message_dict
    practice.annotation = "Коротко."
    practice.video_url = "https://example.com/video.mp4"
    with pytest.raises(ValidationError) as error:
        practice.full_clean()
    assert "VK Видео или RUTUBE" in str(error.value.message_dict["video_url"])
    practice.video_url = "https://vkvideo.ru/video-000000_000000001"
    practice.video_title = ""
    with pytest.raises(ValidationError) as error:
        practice.full_clean()
    assert "video_title" in error.value.message_dict
    with pytest.raises(ValidationError):
        PracticePresentation(page=practice).clean()


def test_page_types_live_where_they_belong(atlas, home_page):
    assert AtlasIndexPage.can_create_at(home_page) is False  # one catalogue (max_count), already there
    assert PracticePage.can_exist_under(atlas) and AtlasCollectionPage.can_exist_under(atlas)
    assert not PracticePage.can_exist_under(home_page)
    assert set(AtlasIndexPage.allowed_subpage_models()) == {PracticePage, AtlasCollectionPage}


def test_collection_page_lists_its_practices_in_order_with_official_information(client, atlas, make_practice):
    first, second, hidden = make_practice("Первая"), make_practice("Вторая"), make_practice("Снятая")
    collection = AtlasCollectionPage(
        title="Дистанционное обучение",
        slug="distancionnoe-obuchenie",
        edition="2020",
        intro=RichText("<p>Информационно-методический ресурс поддержки педагогов.</p>"),
        information=[
            (
                "hotlines",
                {
                    "heading": "Горячие линии ИМЦ по предметам",
                    "intro": "",
                    "lines": [
                        {
                            "subject": first.subjects.first(),
                            "phone": "(812) 717-04-72",
                            "email": "imc@center-edu.spb.ru",
                            "hours": "Пн–Пт, 10:00–17:00",
                            "methodist": None,
                            "note": "",
                        }
                    ],
                },
            ),
            (
                "accordion",
                {
                    "heading": "Рекомендации по безопасности",
                    "items": [
                        {
                            "question": "Персональные данные",
                            "answer": RichText("<p>Собирайте только нужные данные.</p>"),
                        }
                    ],
                },
            ),
        ],
    )
    collection.collection_items = [AtlasCollectionItem(practice=p) for p in (second, first, hidden)]
    atlas.add_child(instance=collection)
    collection.save_revision().publish()
    hidden.unpublish()
    soup = soup_of(client, collection.url)
    assert [a.get_text(strip=True) for a in soup.select(".atlas-cards .card__title a")] == ["Вторая", "Первая"]
    text = soup.find("main").get_text(" ", strip=True)
    assert "выпуск 2020" in text
    row = soup.select_one(".atlas-hotlines__table tbody tr")
    assert row.th.get_text(strip=True) == "Математика"
    assert row.find("a", href="tel:+78127170472")
    assert "Рекомендации по безопасности" in text and "Персональные данные" in text
    # the catalogue page offers the collections
    assert soup_of(client, "/atlas/").find("a", string=re.compile("Дистанционное обучение"))


def test_home_page_shows_the_practice_of_the_month_chosen_by_a_methodist(client, site, practice):
    assert "Практика месяца" not in soup_of(client, "/").get_text()
    settings = AtlasSettings.for_site(site)
    settings.practice_of_month = practice
    settings.practice_of_month_note = "К началу учебного года."
    settings.save()
    soup = soup_of(client, "/")
    block = soup.select_one(".home-atlas")
    assert block.h2.get_text() == "Практика месяца"
    assert block.select_one(".card__title a")["href"] == practice.url
    assert "К началу учебного года." in block.get_text()
    assert block.find("a", href="/atlas/", string="Все практики атласа")
    practice.unpublish()
    assert "Практика месяца" not in soup_of(client, "/").get_text()


def _user(name, group):
    user = get_user_model().objects.create_user(name, f"{name}@imc.example.ru", "x")
    user.groups.add(Group.objects.get(name=group))
    return user


def test_methodists_edit_vocabularies_and_send_practices_to_moderation(client, atlas, practice):
    methodist = _user("metodist", METHODISTS)
    grant_methodists(Page.objects.get(pk=atlas.pk))
    for codename in ("add_organisation", "change_practicetype", "add_cluster", "change_atlassettings"):
        assert methodist.has_perm(f"practices_atlas.{codename}"), codename
    assert not methodist.has_perm("practices_atlas.delete_organisation")
    permissions = practice.permissions_for_user(methodist)
    assert permissions.can_edit() and not permissions.can_publish()
    assert atlas.permissions_for_user(methodist).can_add_subpage()
    client.force_login(methodist)
    listing = client.get("/admin/snippets/practices_atlas/organisation/")
    assert listing.status_code == 200
    assert "ГБОУ школа № 174" in listing.content.decode()
    editor = client.get(f"/admin/pages/{practice.pk}/edit/")
    assert editor.status_code == 200
    html = editor.content.decode()
    assert "Отправить на модерацию" in html or "Согласование" in html
    for label in ("Аннотация", "Тип практики", "Уровни образования", "Как внедрить у себя", "Где представлена"):
        assert label in html, label
    workflow = practice.get_workflow()
    assert workflow is not None
    workflow.start(practice, methodist)
    practice.refresh_from_db()
    assert practice.workflow_in_progress

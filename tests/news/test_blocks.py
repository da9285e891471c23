"""Every shared block (core.blocks.BaseStreamBlock) renders on a news page the way a reader expects."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.core.files.base import ContentFile
from wagtail.documents import get_document_model
from wagtail.embeds.blocks import EmbedValue
from wagtail.embeds.embeds import get_embed_hash
from wagtail.embeds.models import Embed
from wagtail.rich_text import RichText

from .factories import make_image, make_news, make_standard_page

pytestmark = pytest.mark.django_db

VIDEO_URL = "https://rutube.ru/video/0123456789abcdef0123456789abcdef/"


@pytest.fixture
def embed(db):
    return Embed.objects.create(
        url=VIDEO_URL,
        hash=get_embed_hash(VIDEO_URL),
        type="video",
        title="Запись вебинара",
        html='<iframe src="https://rutube.ru/play/embed/0123" title="Запись вебинара"></iframe>',
        width=720,
        height=405,
    )


@pytest.fixture
def document(db):
    Document = get_document_model()
    doc = Document(title="Положение о конкурсе")
    doc.file.save("polozhenie.txt", ContentFile(b"text"), save=False)
    doc.save()
    return doc


def render(client, news_index, body):
    news = make_news(news_index, body=body, image=False)
    response = client.get(news.url)
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser").select_one(".news-page .prose")


def test_heading_and_rich_text(client, news_index):
    html = render(
        client,
        news_index,
        [
            ("heading", {"text": "Как записаться", "level": "h3"}),
            ("paragraph", RichText("<p>Заявки <b>принимает</b> ОУ.</p>")),
        ],
    )
    assert html.find("h3", class_="block-heading").get_text() == "Как записаться"
    assert html.find("b").get_text() == "принимает"


def test_table(client, news_index):
    data = {
        "first_row_is_table_header": True,
        "first_col_is_header": True,
        "table_caption": "Лидеры олимпиады",
        "data": [["ОУ", "Победителей"], ["Гимназия № 171", "14"]],
    }
    table = render(client, news_index, [("table", data)]).find("table")
    assert table.caption.get_text() == "Лидеры олимпиады"
    assert [th.get_text() for th in table.thead.find_all("th")] == ["ОУ", "Победителей"]
    assert table.tbody.find("th", scope="row").get_text() == "Гимназия № 171"
    assert table.tbody.find("td").get_text() == "14"


def test_accordion(client, news_index):
    value = {
        "heading": "Вопросы",
        "items": [{"question": "Выдаётся ли удостоверение?", "answer": RichText("<p>Да.</p>")}],
    }
    details = render(client, news_index, [("accordion", value)]).find("details")
    assert details.summary.get_text() == "Выдаётся ли удостоверение?"
    assert details.find("p").get_text() == "Да."


def test_image_with_caption(client, news_index):
    image = make_image("Семинар", size=(800, 450))
    value = {"image": image, "alt": "Участники семинара в школе № 204", "caption": "Семинар в школе № 204"}
    figure = render(client, news_index, [("image", value)]).find("figure", class_="block-image")
    img = figure.find("img")
    assert img["alt"] == "Участники семинара в школе № 204"
    assert img["width"] and img["height"] and ".webp" in img["srcset"]
    assert figure.figcaption.get_text() == "Семинар в школе № 204"


def test_document_list_shows_format_and_date(client, news_index, document):
    value = {
        "heading": "Документы",
        "documents": [
            {"document": document, "title": "", "date": datetime.date(2026, 9, 1)},
            {"document": document, "title": "Приказ", "date": None},
        ],
    }
    items = render(client, news_index, [("documents", value)]).select(".document-item")
    assert items[0].a.get_text() == "Положение о конкурсе"
    assert "TXT" in items[0].get_text() and "от 1 сентября 2026" in items[0].get_text()
    assert items[1].a.get_text() == "Приказ"
    assert "обновлено" in items[1].get_text()


def test_a_renamed_document_shows_at_once(client, news_index, document):
    """Pages are kept between publishes with their blocks' documents (core.routing): editing a
    document in the library must not leave the old title on the site."""
    value = {"heading": "Документы", "documents": [{"document": document, "title": "", "date": None}]}
    news = make_news(news_index, body=[("documents", value)], image=False)

    def titles():
        soup = BeautifulSoup(client.get(news.url).content, "html.parser")
        return [a.get_text() for a in soup.select(".document-item a")]

    assert titles() == ["Положение о конкурсе"]
    document.title = "Положение о конкурсе (новая редакция)"
    document.save()
    assert titles() == ["Положение о конкурсе (новая редакция)"]


def test_video_uses_the_stored_embed_without_network(client, news_index, embed, monkeypatch):
    def no_network(*args, **kwargs):
        raise AssertionError("oEmbed fetched over the network")

    monkeypatch.setattr("wagtail.embeds.embeds.get_finder_for_embed", no_network)
    value = {"video": EmbedValue(VIDEO_URL), "title": "Запись вебинара"}
    figure = render(client, news_index, [("video", value)]).find("figure", class_="block-video")
    assert figure.find("iframe")["title"] == "Запись вебинара"
    assert figure.find("a")["href"] == VIDEO_URL


def test_quote(client, news_index):
    figure = render(client, news_index, [("quote", {"text": "Учиться — всегда пригодится.", "author": "Методист"})])
    assert figure.find("blockquote").get_text(strip=True) == "Учиться — всегда пригодится."
    assert "Методист" in figure.find("figcaption", string=lambda s: s and "Методист" in s).get_text()


def test_contact_card(client, news_index):
    value = {
        "title": "Горячая линия по ЕГЭ",
        "person": "Центр оценки качества образования",
        "phone": "(812) 717-16-04",
        "email": "imc@center-edu.spb.ru",
        "hours": "Пн–Пт, 10:00–17:00",
        "note": "",
    }
    card = render(client, news_index, [("contact", value)]).find("aside", class_="block-contact")
    assert card.h2.get_text() == "Горячая линия по ЕГЭ"
    assert card.find("a", href="tel:+78127171604").get_text() == "(812) 717-16-04"
    assert card.find("a", href="mailto:imc@center-edu.spb.ru")


def test_call_to_action_to_a_page_and_to_a_url(client, news_index, home_page):
    target = make_standard_page(home_page, "Повышение квалификации", slug="povyshenie")
    body = [
        ("cta", {"text": "Каталог курсов", "page": target, "url": "", "description": "Весенний семестр"}),
        ("cta", {"text": "Портал Moodle", "page": None, "url": "https://do.example.ru/", "description": ""}),
    ]
    buttons = render(client, news_index, body).select(".block-cta a")
    assert [(a.get_text(), a["href"]) for a in buttons] == [
        ("Каталог курсов", "/povyshenie/"),
        ("Портал Moodle", "https://do.example.ru/"),
    ]

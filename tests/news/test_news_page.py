"""A news item: Russian date, lead, responsive WebP image, tags linking to the filtered list, related news."""

import datetime
import json

import pytest
from bs4 import BeautifulSoup

from .factories import make_news

pytestmark = pytest.mark.django_db


def soup_of(client, page):
    response = client.get(page.url)
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


@pytest.mark.parametrize(
    ("date", "shown"),
    [
        (datetime.date(2026, 11, 23), "23 ноября 2026"),
        (datetime.date(2026, 1, 1), "1 января 2026"),
        (datetime.date(2026, 2, 12), "12 февраля 2026"),
        (datetime.date(2025, 3, 8), "8 марта 2025"),
        (datetime.date(2026, 5, 9), "9 мая 2026"),
        (datetime.date(2026, 8, 31), "31 августа 2026"),
    ],
)
def test_date_in_russian(client, news_index, date, shown):
    news = make_news(news_index, date=date, image=False)
    assert soup_of(client, news).select_one(".news-page__date time").get_text() == shown


def test_news_page_shows_title_lead_image_and_tags(client, news_index):
    news = make_news(
        news_index,
        "Подведены итоги конкурса «Дети в Интернете»",
        lead="Проголосовали 37 741 посетитель портала.",
        tags=["Конкурсы", "Безопасный интернет"],
        main_image_alt="Педагоги на церемонии награждения",
    )
    soup = soup_of(client, news)
    assert soup.h1.get_text() == "Подведены итоги конкурса «Дети в Интернете»"
    assert soup.select_one(".news-page__header .lead").get_text() == "Проголосовали 37 741 посетитель портала."
    img = soup.select_one(".news-page__image img")
    assert img["alt"] == "Педагоги на церемонии награждения"
    assert img["width"] and img["height"]
    assert img["src"].endswith(".webp")
    assert img["srcset"].count(".webp") == 3
    assert "loading" not in img.attrs  # the main image is the largest paint: never lazy
    tags = {a.get_text(): a["href"] for a in soup.select(".news-page__tags a")}
    assert tags == {
        "Конкурсы": "/news/?tag=%D0%BA%D0%BE%D0%BD%D0%BA%D1%83%D1%80%D1%81%D1%8B",
        "Безопасный интернет": "/news/?tag=%D0%B1%D0%B5%D0%B7%D0%BE%D0%BF%D0%B0%D1%81%D0%BD%D1%8B%D0%B9-%D0%B8%D0%BD%D1%82%D0%B5%D1%80%D0%BD%D0%B5%D1%82",
    }


def test_tag_link_leads_to_the_filtered_list(client, news_index):
    news = make_news(news_index, "Олимпиада", tags=["ВСОШ"])
    make_news(news_index, "Про курсы", tags=["Курсы"])
    href = soup_of(client, news).select_one(".news-page__tags a")["href"]
    listing = BeautifulSoup(client.get(href).content, "html.parser")
    assert [a.get_text() for a in listing.select(".news-list .card__title a")] == ["Олимпиада"]


def test_image_alt_falls_back_to_empty_description_safely(client, news_index):
    news = make_news(news_index, main_image_alt="")
    img = soup_of(client, news).select_one(".news-page__image img")
    assert "alt" in img.attrs


def test_related_news_share_tags_first_then_latest(news_index):
    subject = make_news(news_index, "Олимпиада и курсы", datetime.date(2026, 11, 10), tags=["ВСОШ", "Курсы"])
    both = make_news(news_index, "Тоже про олимпиаду и курсы", datetime.date(2026, 1, 1), tags=["ВСОШ", "Курсы"])
    one = make_news(news_index, "Про олимпиаду", datetime.date(2026, 2, 1), tags=["ВСОШ"])
    make_news(news_index, "Старая без тегов", datetime.date(2025, 1, 1))
    latest_untagged = make_news(news_index, "Свежая без тегов", datetime.date(2026, 11, 20))
    make_news(news_index, "Черновик про олимпиаду", datetime.date(2026, 11, 21), tags=["ВСОШ"], live=False)
    assert [p.title for p in subject.related_news()] == [both.title, one.title, latest_untagged.title]


def test_related_news_without_tags_are_the_latest(client, news_index):
    subject = make_news(news_index, "Без тегов", datetime.date(2026, 1, 1))
    for day in range(1, 6):
        make_news(news_index, f"Новость {day}", datetime.date(2026, 10, day), image=False)
    soup = soup_of(client, subject)
    assert [a.get_text() for a in soup.select(".related-news .card__title a")] == [
        "Новость 5",
        "Новость 4",
        "Новость 3",
    ]


def test_related_news_follow_publishing(client, news_index):
    """«Читайте также» is rendered once per publish ({% fragment %}); a newer item shows at once."""
    subject = make_news(news_index, "Без тегов", datetime.date(2026, 1, 1))
    for day in range(1, 4):
        make_news(news_index, f"Новость {day}", datetime.date(2026, 10, day), image=False)

    def related():
        return [a.get_text() for a in soup_of(client, subject).select(".related-news .card__title a")]

    assert related() == ["Новость 3", "Новость 2", "Новость 1"]
    newest = make_news(news_index, "Свежая новость", datetime.date(2026, 11, 28), image=False)
    assert related() == ["Свежая новость", "Новость 3", "Новость 2"]
    newest.unpublish()
    assert related() == ["Новость 3", "Новость 2", "Новость 1"]


def test_news_page_social_meta_and_json_ld(client, news_index):
    news = make_news(
        news_index, "Неделя безопасного интернета", datetime.date(2026, 2, 12), tags=["Безопасный интернет"]
    )
    soup = soup_of(client, news)
    assert soup.find("meta", property="og:type")["content"] == "article"
    og_image = soup.find("meta", property="og:image")["content"]
    assert og_image.startswith("http://testserver/") and og_image.endswith(".jpg")
    assert soup.find("meta", attrs={"name": "twitter:card"})["content"] == "summary_large_image"
    assert soup.find("meta", property="article:published_time")["content"].startswith("2026-02-12T")
    assert soup.find("meta", property="article:tag")["content"] == "Безопасный интернет"
    data = json.loads(soup.find("script", type="application/ld+json").string)
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == "Неделя безопасного интернета"
    assert data["datePublished"].startswith("2026-02-12T")
    assert data["inLanguage"] == "ru"
    assert data["mainEntityOfPage"] == news.full_url
    assert data["image"] == [og_image]
    assert data["keywords"] == "Безопасный интернет"


def test_json_ld_cannot_break_out_of_the_script(client, news_index):
    news = make_news(news_index, "Опасный </script><script>alert(1)</script> заголовок")
    content = client.get(news.url).content.decode()
    assert "</script><script>alert(1)" not in content
    soup = BeautifulSoup(content, "html.parser")
    assert json.loads(soup.find("script", type="application/ld+json").string)["headline"].startswith(
        "Опасный </script>"
    )

"""News in real Chromium: home → news list → news item → tag filter; axe-core on the pages this lane owns."""

import re

import pytest

from .conftest import axe_violations


def test_reader_goes_from_home_to_a_news_item_and_filters_by_its_tag(page):
    page.goto("/")
    news_section = page.locator("section", has=page.get_by_role("heading", name="Новости", exact=True))
    assert news_section.locator(".news-card").count() >= 3

    news_section.get_by_role("link", name="Все новости").click()
    page.wait_for_url(re.compile(r"/news/$"))
    assert page.get_by_role("heading", level=1).inner_text() == "Новости"
    cards = page.locator(".news-list .news-card")
    assert cards.count() == 10  # the first page of the demo's news
    assert page.locator(".pagination").get_by_text("Страница 1 из 2").is_visible()

    first = cards.first.locator(".card__title a")
    title = first.inner_text()
    first.click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == title
    assert re.fullmatch(r"\d{1,2} [а-я]+ \d{4}", page.locator(".news-page__date time").inner_text())
    image = page.locator(".news-page__image img")
    assert image.get_attribute("alt")
    assert image.evaluate("img => img.complete && img.naturalWidth > 0")
    assert ".webp" in image.evaluate("img => img.currentSrc")

    tag = page.locator(".news-page__tags a").first
    tag_name = tag.inner_text()
    tag.click()
    page.wait_for_url(re.compile(r"/news/\?tag="))
    heading = page.locator("#news-list-heading").inner_text()
    assert heading == f"Новости с тегом «{tag_name}»"
    assert page.locator(f".news-filters a[aria-current]:has-text('{tag_name}')").count() == 1
    assert title in page.locator(".news-list").inner_text()


def test_year_filter_is_a_shareable_link(page):
    page.goto("/news/")
    year = page.locator(".news-filters a.tag", has_text="2025").first
    year.click()
    page.wait_for_url(re.compile(r"\?year=2025"))
    shared = page.url
    page.goto(shared)
    dates = page.locator(".news-list time").all_inner_texts()
    assert dates and all(text.endswith("2025") for text in dates)


def test_news_list_on_a_phone_has_no_horizontal_scroll(phone_page):
    phone_page.goto("/news/")
    assert phone_page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert phone_page.locator(".news-card").first.is_visible()


@pytest.mark.parametrize(
    "path",
    # Pages outside the sitemap; the home page, /news/, news items and standard pages are checked
    # with the whole sitemap (test_site_browser.py).
    ["/news/?tag=%D0%B2%D1%81%D0%BE%D1%88", "/search/?q=курсы", "/search/?q=квазиголография"],
)
def test_no_axe_violations(page, path):
    page.goto(path)
    page.wait_for_load_state("load")
    assert axe_violations(page) == []

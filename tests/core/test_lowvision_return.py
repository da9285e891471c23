"""«Версия для слабовидящих» returns the reader to the page they were on, not to the home page."""

from urllib.parse import parse_qs, urlsplit

from bs4 import BeautifulSoup

PAGE = "/search/?q=%D0%BA%D1%83%D1%80%D1%81%D1%8B"  # «курсы», as a browser sends it


def test_every_way_to_the_low_vision_settings_comes_back_to_the_same_page(client, home_page):
    page = BeautifulSoup(client.get(PAGE).content.decode(), "html.parser")
    links = [a["href"] for a in page.select("a[href^='/lv/']")]
    assert links, "the footer links to the settings page"
    for href in links:
        assert parse_qs(urlsplit(href).query)["next"] == [PAGE]
    assert page.select_one(".lv-panel form input[name=next]")["value"] == PAGE

    settings_page = BeautifulSoup(client.get(links[0]).content.decode(), "html.parser")
    assert settings_page.select_one("main form input[name=next]")["value"] == PAGE
    # on the settings page itself the footer link keeps the way back
    footer_link = settings_page.select_one("footer a[href^='/lv/']")["href"]
    assert parse_qs(urlsplit(footer_link).query)["next"] == [PAGE]

    response = client.get("/lv/", {"apply": "1", "on": "1", "size": "150", "next": PAGE})
    assert response.status_code == 302
    assert response["Location"] == PAGE


def test_a_foreign_next_from_a_crafted_link_is_ignored(client, home_page):
    settings_page = BeautifulSoup(client.get("/lv/?next=https://evil.example/").content.decode(), "html.parser")
    assert settings_page.select_one("main form input[name=next]")["value"] == "/"
    response = client.get("/lv/", {"apply": "1", "on": "1", "next": "//evil.example/"})
    assert response["Location"] == "/"

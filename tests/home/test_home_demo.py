"""The demo home page as a newcomer sees it after `manage.py load_demo`."""

import pytest
from bs4 import BeautifulSoup
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def test_demo_home_has_quick_links_announcements_and_news(client, monkeypatch):
    monkeypatch.setattr("wagtail.embeds.embeds.get_finder_for_embed", lambda *a, **k: pytest.fail("oEmbed fetched"))
    call_command("load_demo", quiet=True)
    soup = BeautifulSoup(client.get("/").content, "html.parser")
    quick = [a.select_one(".quick-link__title").get_text() for a in soup.select("a.quick-link")]
    assert quick == ["ЕГЭ/ОГЭ", "Олимпиадное движение", "Повышение квалификации"]
    announcements = [h.get_text(strip=True) for h in soup.select(".announcement .card__title")]
    assert len(announcements) >= 2
    assert any("олимпиады" in title for title in announcements)
    assert soup.select_one(".announcement .card__date").get_text().startswith("Актуально до ")
    assert len(soup.select(".card-grid .news-card")) == 4
    assert soup.find("a", string="Все новости")["href"] == "/news/"

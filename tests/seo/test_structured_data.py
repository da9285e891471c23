"""schema.org JSON-LD as a search engine reads it (core/seo.py): events and news from one module."""

import datetime
import json

import pytest
from bs4 import BeautifulSoup

from events.models import Format, Status
from tests.events.conftest import index, make_event, msk, vocab  # noqa: F401
from tests.news.factories import make_news

pytestmark = pytest.mark.django_db


def structured_data(client, page):
    html = client.get(page.url).content.decode()
    scripts = BeautifulSoup(html, "html.parser").find_all("script", type="application/ld+json")
    assert len(scripts) == 1
    return html, json.loads(scripts[0].string)


def test_an_event_title_cannot_close_the_script(client, make_event):  # noqa: F811
    event = make_event("Семинар </script><script>alert(1)</script> & «ДОУ»")
    html, data = structured_data(client, event)
    assert "<script>alert(1)" not in html
    assert data["name"] == "Семинар </script><script>alert(1)</script> & «ДОУ»"


@pytest.mark.parametrize(
    ("postponed_to", "status", "previous"),
    [
        (msk(2026, 12, 8, 15), "https://schema.org/EventRescheduled", "2026-12-01T15:00:00+03:00"),
        (None, "https://schema.org/EventPostponed", None),
    ],
)
def test_a_postponed_event_says_whether_its_new_date_is_known(client, make_event, postponed_to, status, previous):  # noqa: F811
    event = make_event("Вебинар", start=msk(2026, 12, 1, 15), status=Status.POSTPONED, postponed_to=postponed_to)
    _, data = structured_data(client, event)
    assert data["eventStatus"] == status
    assert data.get("previousStartDate") == previous
    assert data["startDate"] == (postponed_to or msk(2026, 12, 1, 15)).isoformat()


def test_an_all_day_event_has_dates_and_an_online_one_no_private_link(client, make_event):  # noqa: F811
    event = make_event(
        "Олимпиада",
        start=msk(2026, 12, 1),
        end=msk(2026, 12, 2),
        all_day=True,
        format=Format.ONLINE,
        online_url="https://vcs.example.ru/private",
        audiences=("dou", "ou"),
    )
    html, data = structured_data(client, event)
    assert (data["startDate"], data["endDate"]) == ("2026-12-01", "2026-12-02")
    assert data["eventAttendanceMode"] == "https://schema.org/OnlineEventAttendanceMode"
    assert data["location"] == {"@type": "VirtualLocation", "url": event.full_url}
    assert data["audience"] == {"@type": "Audience", "audienceType": "Педагоги ДОУ, Учителя ОУ"}
    assert "vcs.example.ru/private" not in html


def test_news_names_the_organisation_from_the_site_settings(client, site, news_index):
    from core.models import SiteSettings

    settings = SiteSettings.for_site(site)
    settings.org_short_name = "ИМЦ Центрального района СПб"
    settings.save()
    news = make_news(news_index, "Итоги олимпиады", datetime.date(2026, 11, 5))
    _, data = structured_data(client, news)
    assert data["@type"] == "NewsArticle"
    assert data["author"]["name"] == data["publisher"]["name"] == "ИМЦ Центрального района СПб"

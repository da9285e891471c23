"""Campaigns: the landing page shows the campaign running now, else the next one, switching by date by
itself; the page cache keeps it no longer than the next switch. A campaign links its events and contest by
address and lists its materials."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.core.exceptions import ValidationError
from django.test import RequestFactory
from django.utils import timezone

from safe_internet.models import CampaignPage, current_campaign
from tests.safe_internet.factories import CampaignPageFactory, MaterialPageFactory, section

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def campaigns():
    return {
        "week": CampaignPageFactory(
            title="Неделя кибербезопасности", start_date=D(2026, 9, 21), end_date=D(2026, 9, 27)
        ),
        "lesson": CampaignPageFactory(
            title="Единый урок безопасности в сети «Интернет»", start_date=D(2026, 10, 1), end_date=D(2026, 12, 31)
        ),
        "sid": CampaignPageFactory(
            title="Неделя безопасного интернета", start_date=D(2027, 2, 8), end_date=D(2027, 2, 14)
        ),
    }


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (D(2026, 9, 1), "week"),  # before everything: the next one
        (D(2026, 9, 21), "week"),  # its first day
        (D(2026, 9, 27), "week"),  # its last day
        (D(2026, 9, 28), "lesson"),  # the week is over: the next one
        (D(2026, 11, 15), "lesson"),  # running
        (D(2027, 1, 5), "sid"),
        (D(2027, 2, 14), "sid"),
    ],
)
def test_the_campaign_switches_by_date(campaigns, today, expected):
    assert current_campaign(section(), today=today).pk == campaigns[expected].pk


def test_none_when_every_campaign_is_over(campaigns):
    assert current_campaign(section(), today=D(2027, 3, 1)) is None


def test_an_unpublished_campaign_is_not_shown(campaigns):
    campaigns["week"].unpublish()
    assert current_campaign(section(), today=D(2026, 9, 22)).pk == campaigns["lesson"].pk


def test_the_landing_page_shows_the_running_campaign_and_is_kept_until_it_ends(client):
    today = timezone.localdate()
    running = CampaignPageFactory(title="Идущая акция", start_date=today - datetime.timedelta(days=2), end_date=today)
    CampaignPageFactory(title="Будущая акция", start_date=today + datetime.timedelta(days=10))
    page = BeautifulSoup(client.get("/safe-internet/").content, "html.parser")
    banner = page.select_one(".si-campaign-banner")
    assert "Идёт акция" in banner.get_text()
    assert banner.a.get_text() == "Идущая акция" and banner.a["href"] == running.url

    request = RequestFactory().get("/safe-internet/")
    current_campaign(section(), request)
    midnight = timezone.make_aware(datetime.datetime.combine(today + datetime.timedelta(days=1), datetime.time.min))
    assert request._page_cache_until == midnight  # the page changes at midnight by itself


def test_the_landing_page_announces_the_next_campaign(client):
    today = timezone.localdate()
    CampaignPageFactory(title="Будущая акция", start_date=today + datetime.timedelta(days=3))
    banner = BeautifulSoup(client.get("/safe-internet/").content, "html.parser").select_one(".si-campaign-banner")
    assert "Скоро акция" in banner.get_text() and "Будущая акция" in banner.get_text()


def test_a_campaign_page_lists_its_materials_and_links_events_and_contest(client):
    memo = MaterialPageFactory(title="Памятка к уроку")
    MaterialPageFactory(title="Другая памятка")
    campaign = CampaignPageFactory(
        title="Единый урок", events_url="/events/?type=urok", contest_url="/k/deti-v-internete/"
    )
    campaign.materials.set([memo])
    campaign.save_revision().publish()
    page = BeautifulSoup(client.get(campaign.url).content, "html.parser")
    article = page.select_one(".si-campaign")
    links = {a.get_text(strip=True): a["href"] for a in article.select("a")}
    assert links["Мероприятия акции в календаре"] == "/events/?type=urok"
    assert links["Конкурс акции"] == "/k/deti-v-internete/"
    assert links["Памятка к уроку"] == memo.url
    assert "Другая памятка" not in links
    assert page.select_one(".si-helpline")


def test_dates_and_links_are_validated():
    campaign = CampaignPage(title="x", slug="x", start_date=D(2026, 5, 2), end_date=D(2026, 5, 1))
    with pytest.raises(ValidationError, match="Окончание"):
        campaign.clean()
    field = CampaignPage._meta.get_field("contest_url")
    field.run_validators("/k/deti/")
    field.run_validators("https://example.test/k/")
    with pytest.raises(ValidationError):
        field.run_validators("javascript:alert(1)")


def test_a_campaign_whose_dates_are_not_known_yet_says_so(client):
    """«Неделя безопасного интернета» recurs every February: its page may be up before this year's dates."""
    campaign = CampaignPageFactory(title="Неделя безопасного интернета", start_date=None, end_date=None)
    response = client.get(campaign.url)
    assert response.status_code == 200
    line = BeautifulSoup(response.content, "html.parser").select_one(".si-campaign .muted")
    assert line.get_text(" ", strip=True) == "Акция · даты уточняются · обучающимся"
    assert not line.select("time") and "—" not in line.get_text()


def test_the_landing_page_announces_only_campaigns_with_dates(client):
    today = timezone.localdate()
    CampaignPageFactory(title="Акция без дат", start_date=None, end_date=None)
    assert current_campaign(section(), today=today) is None
    response = client.get("/safe-internet/")
    assert response.status_code == 200 and b"si-campaign-banner" not in response.content

    CampaignPageFactory(title="Будущая акция", start_date=today + datetime.timedelta(days=3))
    banner = BeautifulSoup(client.get("/safe-internet/").content, "html.parser").select_one(".si-campaign-banner")
    assert "Будущая акция" in banner.get_text() and "Акция без дат" not in banner.get_text()


@pytest.mark.parametrize(
    ("start", "end", "field"),
    [(D(2027, 2, 8), None, "end_date"), (None, D(2027, 2, 14), "start_date")],
)
def test_both_dates_or_neither(start, end, field):
    with pytest.raises(ValidationError) as error:
        CampaignPage(title="x", slug="x", start_date=start, end_date=end).clean()
    assert "оставьте обе даты пустыми" in error.value.message_dict[field][0]
    CampaignPage(title="x", slug="x").clean()  # neither: fine


def test_an_editor_saves_a_campaign_without_dates_in_the_admin(client, admin_user):
    campaign = CampaignPageFactory(title="Неделя безопасного интернета")
    client.force_login(admin_user)
    edit = f"/admin/pages/{campaign.pk}/edit/"
    assert client.get(edit).status_code == 200
    form = {
        "title": campaign.title,
        "slug": campaign.slug,
        "start_date": "",
        "end_date": "",
        "lead": campaign.lead,
        "for_students": "on",
        "body-count": "0",
        "action-publish": "action-publish",
    }
    response = client.post(edit, form)
    assert response.status_code == 302, response.content.decode()[:3000]
    campaign.refresh_from_db()
    assert campaign.start_date is None and campaign.end_date is None and campaign.live
    assert "даты уточняются" in client.get(campaign.url).content.decode()

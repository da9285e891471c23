"""The organisation's facts are kept once, in the site settings: «Основные сведения» (/sveden/common/,
with Rosobrnadzor's itemprops), the footer of every page and the JSON-LD all show the same values, and
an edit reaches all of them at once."""

import datetime
import json

import pytest
from bs4 import BeautifulSoup
from django.utils import timezone

from core.models import SiteSettings
from sveden.models import SvedenCommonPage
from tests.news.factories import make_news, make_news_index

pytestmark = pytest.mark.django_db


def soup(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return BeautifulSoup(response.content, "html.parser")


def text(page, selector):
    return page.select_one(selector).get_text(" ", strip=True)


@pytest.fixture
def facts(site):
    s = SiteSettings.for_site(site)
    s.org_short_name = "ГБУ ИМЦ Центрального района"
    s.address = "191024, Санкт-Петербург, Невский пр., д. 154"
    s.phone = "(812) 717-04-72"
    s.phone_extra = "(812) 717-16-04"
    s.email = "imc@example.ru"
    s.work_time = "Пн–Чт 9:00–18:00\nПт 9:00–16:45"
    s.reg_date = "1995 год"
    s.founder_name = "Санкт-Петербург"
    s.founder_address = "191167, Санкт-Петербург, Невский пр., д. 176"
    s.address_places = "191024, Невский пр., д. 154\n191036, 6-я Советская ул., д. 5"
    s.license = "78Л02 № 0000927 от 25.05.2016"
    s.save()
    return s


def test_common_page_and_footer_show_the_same_facts(client, facts):
    page = soup(client, "/sveden/common/")
    assert text(page, '[itemprop="fullName"]') == facts.org_full_name
    assert text(page, '[itemprop="regDate"]') == "1995 год"
    assert text(page, '[itemprop="nameUchred"]') == "Санкт-Петербург"
    assert text(page, '[itemprop="addressUchred"]') == facts.founder_address
    assert text(page, '[itemprop="address"]') == facts.address
    assert text(page, '[itemprop="telephone"]') == "(812) 717-04-72; (812) 717-16-04"
    assert page.select_one('a[itemprop="email"]')["href"] == "mailto:imc@example.ru"
    assert page.select_one('[itemprop="workTime"]').find("br") is not None  # one line each
    assert [tag.get_text() for tag in page.select('[itemprop="addressPlace"]')] == facts.address_place_list
    assert text(page, '[itemprop="licenseDocLink"]') == facts.license

    footer = page.select_one("footer.site-footer address").get_text(" ", strip=True)
    for value in (facts.org_full_name, facts.address, facts.phone, facts.phone_extra, facts.email, "Пт 9:00–16:45"):
        assert value in footer


def test_one_edit_reaches_the_common_page_and_the_footer_of_a_cached_site(client, facts, page_cache_on):
    assert facts.address in text(soup(client, "/sveden/common/"), '[itemprop="address"]')
    assert facts.address in soup(client, "/").select_one("footer.site-footer").get_text()
    facts.address = "191036, Санкт-Петербург, 6-я Советская ул., д. 5"
    facts.save()
    assert text(soup(client, "/sveden/common/"), '[itemprop="address"]') == facts.address
    assert facts.address in soup(client, "/").select_one("footer.site-footer").get_text()


def test_common_page_dates_its_last_update_by_the_later_of_page_and_facts(client, facts):
    common = SvedenCommonPage.objects.get()
    old, new = (timezone.make_aware(datetime.datetime(2026, month, 2, 12)) for month in (3, 9))
    SvedenCommonPage.objects.filter(pk=common.pk).update(last_published_at=old)
    SiteSettings.objects.filter(pk=facts.pk).update(updated_at=new)
    assert soup(client, "/sveden/common/").select_one(".sveden-updated time")["datetime"] == "2026-09-02"
    SvedenCommonPage.objects.filter(pk=common.pk).update(last_published_at=new)
    SiteSettings.objects.filter(pk=facts.pk).update(updated_at=old)
    assert soup(client, "/sveden/common/").select_one(".sveden-updated time")["datetime"] == "2026-09-02"


def test_news_json_ld_names_the_organisation_from_the_settings(client, facts, home_page):
    news = make_news(make_news_index(home_page), "Итоги олимпиады", datetime.date(2026, 11, 5), image=False)
    data = json.loads(soup(client, news.url).find("script", type="application/ld+json").string)
    publisher = data["publisher"]
    assert publisher["name"] == "ГБУ ИМЦ Центрального района"
    assert publisher["legalName"] == facts.org_full_name
    assert (publisher["address"], publisher["telephone"], publisher["email"]) == (
        facts.address,
        facts.phone,
        facts.email,
    )

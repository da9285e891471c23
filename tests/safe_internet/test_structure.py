"""The section exists after `migrate` alone, with the six subsections under the Ministry's names, is in the
main menu, and every page of it shows the helpline block an editor keeps in the settings."""

import pytest
from bs4 import BeautifulSoup
from wagtail.models import Site

from safe_internet.models import SafeInternetPage, SafeInternetSettings, SafeInternetSubsectionPage
from tests.safe_internet.factories import section

pytestmark = pytest.mark.django_db

MINISTRY_NAMES = [
    "Локальные нормативные акты",
    "Нормативное регулирование",
    "Педагогическим работникам",
    "Обучающимся",
    "Родителям (законным представителям)",
    "Детские безопасные сайты",
]


def soup(response):
    return BeautifulSoup(response.content, "html.parser")


def test_after_migrate_the_section_and_its_six_subsections_are_there():
    page = SafeInternetPage.objects.get()
    home = Site.objects.get(is_default_site=True).root_page
    assert page.get_parent().pk == home.pk
    assert page.live and page.show_in_menus
    assert page.url == "/safe-internet/"
    children = SafeInternetSubsectionPage.objects.child_of(page).live().order_by("path")
    assert [child.title for child in children] == MINISTRY_NAMES
    audiences = {child.title: child.audience for child in children if child.kind == "audience"}
    assert audiences == {
        "Педагогическим работникам": "teachers",
        "Обучающимся": "students",
        "Родителям (законным представителям)": "parents",
    }


def test_the_landing_page_links_the_subsections_and_is_in_the_main_menu(client):
    response = client.get("/safe-internet/")
    assert response.status_code == 200
    page = soup(response)
    assert page.h1.get_text(strip=True) == "Безопасный интернет"
    menu_links = [a["href"] for a in page.select("header a, nav a")]
    assert "/safe-internet/" in menu_links
    links = {a.get_text(strip=True): a["href"] for a in page.select(".si-subsections a")}
    assert links["Родителям (законным представителям)"] == "/safe-internet/roditelyam/"
    assert len(links) == 6


@pytest.mark.parametrize(
    "url",
    ["/safe-internet/", "/safe-internet/roditelyam/", "/safe-internet/normativnoe-regulirovanie/"],
)
def test_every_page_of_the_section_shows_the_helpline(client, url):
    block = soup(client.get(url)).select_one(".si-helpline")
    assert block is not None
    assert "Дети России онлайн" in block.get_text()
    assert block.select_one('a[href="tel:88002500015"]').get_text() == "8-800-25-000-15"


def test_the_helpline_block_shows_what_the_editor_saved(client, site):
    SafeInternetSettings.objects.create(
        site=site,
        helpline_name="Дети России онлайн",
        helpline_phone="8-800-25-000-15",
        centre_title="Центр информатизации",
        centre_phone="+7 (812) 000-00-00",
        centre_email="info@imc.example",
    )
    block = soup(client.get("/safe-internet/obuchayushchimsya/")).select_one(".si-helpline")
    assert "+7 (812) 000-00-00" in block.get_text()
    assert block.select_one('a[href="mailto:info@imc.example"]')


def test_visiting_the_section_does_not_create_the_settings_row(client):
    client.get("/safe-internet/")
    assert not SafeInternetSettings.objects.exists()


def test_only_one_section_page_per_site():
    assert SafeInternetPage.max_count == 1
    assert not SafeInternetPage.can_create_at(section().get_parent())

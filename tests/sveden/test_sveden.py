"""«Сведения об образовательной организации»: present after `migrate` alone, navigable, machine-readable."""

import re
import zipfile

import pytest
from bs4 import BeautifulSoup
from wagtail.models import Page, Revision
from wagtail.test.utils import WagtailPageTestCase

from home.models import HomePage, StandardPage
from sveden.models import (
    SUBSECTIONS,
    SvedenCommonPage,
    SvedenEmployeesPage,
    SvedenIndexPage,
    SvedenManagersPage,
    SvedenSectionPage,
    SvedenStructPage,
)
from tests.conftest import counted, module_data
from tests.sveden.factories import SvedenSectionPageFactory

pytestmark = pytest.mark.django_db

OFFICIAL = [
    ("common", "Основные сведения"),
    ("struct", "Структура и органы управления образовательной организацией"),
    ("document", "Документы"),
    ("education", "Образование"),
    ("eduStandarts", "Образовательные стандарты и требования"),
    ("managers", "Руководство"),
    ("employees", "Педагогический состав"),
    ("objects", "Материально-техническое обеспечение и оснащенность образовательного процесса. Доступная среда"),
    ("paid_edu", "Платные образовательные услуги"),
    ("budget", "Финансово-хозяйственная деятельность"),
    ("vacant", "Вакантные места для приема (перевода) обучающихся"),
    ("grants", "Стипендии и меры поддержки обучающихся"),
    ("inter", "Международное сотрудничество"),
    ("catering", "Организация питания в образовательной организации"),
]

# itemprops a monitoring robot must find on each subsection right after `migrate`.
MICRODATA_AFTER_MIGRATE = {
    "common": [
        "fullName",
        "shortName",
        "regDate",
        "uchredLaw",
        "address",
        "workTime",
        "telephone",
        "email",
        "addressPlace",
        "filInfo",
        "repInfo",
        "licenseDocLink",
        "accreditationDocLink",
    ],
    "struct": ["structOrgUprav"],
    "document": ["ustavDocLink", "localActStud", "localActOrder", "localActCollec", "reportEduDocLink"],
    "education": ["languageEl", "eduChislenEl", "accreditationDocLink"],
    "eduStandarts": ["eduFedDoc", "eduStandartDoc", "eduFedTreb", "eduStandartTreb"],
    "managers": ["rucovodstvo"],
    "employees": ["teachingStaff"],
    "objects": ["purposeCab", "purposeLibr", "ovz", "comNet", "erList", "techOvz", "hostelInfo"],
    "paid_edu": ["paidEdu"],
    "budget": ["finPlanDocLink", "volume"],
    "vacant": ["vacant"],
    "grants": ["grant", "support"],
    "inter": ["internationalDog"],
    "catering": ["meals", "health"],
}

NOT_APPLICABLE = ["eduStandarts", "vacant", "grants", "catering"]


def soup(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return BeautifulSoup(response.content, "html.parser")


def test_section_is_created_by_migration_under_the_home_page(home_page):
    index = SvedenIndexPage.objects.get()
    assert index.get_parent().pk == home_page.pk
    assert index.slug == "sveden" and index.live and index.show_in_menus
    assert index.title == "Сведения об образовательной организации"
    assert index.url == "/sveden/"


def test_all_fourteen_subsections_in_official_order_with_official_titles():
    index = SvedenIndexPage.objects.get()
    children = [(p.slug, p.title) for p in index.get_children().live()]
    assert children == OFFICIAL
    assert [slug for slug, _, _ in SUBSECTIONS] == [slug for slug, _ in OFFICIAL]


@pytest.mark.parametrize(("slug", "title"), OFFICIAL)
def test_subsection_answers_at_its_slug(client, slug, title):
    page = soup(client, f"/sveden/{slug}/")
    assert page.h1.get_text(strip=True) == title


@pytest.mark.parametrize(("slug", "itemprops"), MICRODATA_AFTER_MIGRATE.items())
def test_microdata_present_after_migrate_alone(client, slug, itemprops):
    page = soup(client, f"/sveden/{slug}/")
    found = {tag["itemprop"] for tag in page.select("[itemprop]")}
    missing = [name for name in itemprops if name not in found]
    assert not missing, f"/sveden/{slug}/ lacks itemprop {missing}"
    # Every itemprop belongs to an item (valid microdata for the Nu Html Checker).
    for tag in page.select("[itemprop]"):
        assert tag.find_parent(attrs={"itemscope": True}) is not None, tag


@pytest.mark.parametrize("slug", NOT_APPLICABLE)
def test_subsection_that_does_not_apply_says_so(client, slug):
    page = soup(client, f"/sveden/{slug}/")
    note = page.select_one(".sveden-na")
    assert note is not None and "не примен" in note.get_text().lower()


@pytest.mark.parametrize("slug", ["", *[slug + "/" for slug, _ in OFFICIAL]])
def test_every_page_carries_the_section_navigation(client, slug):
    page = soup(client, f"/sveden/{slug}")
    nav = page.select_one("nav.sveden-nav")
    assert nav is not None
    links = [a["href"] for a in nav.select("a")]
    assert links == ["/sveden/"] + [f"/sveden/{s}/" for s, _ in OFFICIAL]
    current = nav.select('a[aria-current="page"]')
    assert [a["href"] for a in current] == [f"/sveden/{slug}"]


def test_subsection_added_by_an_editor_joins_the_navigation_and_a_draft_does_not(client):
    SvedenSectionPageFactory(title="Платные образовательные услуги", slug="paid-extra")
    SvedenSectionPageFactory(title="Черновик подраздела", slug="draft-extra", live=False)
    for url in ("/sveden/", "/sveden/common/", "/sveden/paid-extra/"):
        nav = soup(client, url).select_one("nav.sveden-nav")
        links = [a["href"] for a in nav.select("a")]
        assert links == ["/sveden/"] + [f"/sveden/{s}/" for s, _ in OFFICIAL] + ["/sveden/paid-extra/"], url
        assert "Черновик подраздела" not in nav.get_text()


def test_section_reachable_from_home_page_and_main_menu(client):
    page = soup(client, "/")
    menu = page.select_one("nav.main-nav")
    assert menu is not None
    assert menu.select_one('a[href="/sveden/"]') is not None
    assert "Сведения об образовательной организации" in menu.get_text()


def test_no_registration_needed(client):
    assert client.get("/sveden/common/").status_code == 200  # anonymous visitor


def test_page_shows_update_date_and_ten_day_rule(client):
    page = soup(client, "/sveden/common/")
    updated = page.select_one(".sveden-updated")
    assert re.search(r"\d{4}-\d{2}-\d{2}", updated.time["datetime"])
    assert "десяти рабочих дней" in updated.get_text()


class TestPageTypes(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.index = SvedenIndexPage.objects.get()
        cls.home = HomePage.objects.get()

    def test_index_only_under_home_and_only_once(self):
        self.assertAllowedParentPageTypes(SvedenIndexPage, {HomePage})
        self.assertFalse(SvedenIndexPage.can_create_at(self.home))  # max_count = 1, the migration made it

    def test_subsections_only_inside_the_section(self):
        for model in (SvedenSectionPage, SvedenCommonPage, SvedenStructPage, SvedenManagersPage, SvedenEmployeesPage):
            self.assertAllowedParentPageTypes(model, {SvedenIndexPage})
            self.assertAllowedSubpageTypes(model, set())
        self.assertCanCreateAt(SvedenIndexPage, SvedenSectionPage)
        self.assertCanNotCreateAt(HomePage, SvedenSectionPage)
        self.assertCanNotCreateAt(SvedenIndexPage, StandardPage)

    def test_every_page_renders_and_previews(self):
        from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

        inlines = {SvedenStructPage: "units", SvedenManagersPage: "managers", SvedenEmployeesPage: "staff"}
        for page in [self.index, *self.index.get_children().specific()]:
            self.assertPageIsRenderable(page)
            data = {"title": page.title, "slug": page.slug, "intro": rich_text("<p>Предпросмотр</p>")}
            if not isinstance(page, SvedenIndexPage):
                data.update(not_applicable=page.not_applicable, body=streamfield([]))
            if type(page) in inlines:
                data[inlines[type(page)]] = inline_formset([])
            self.assertPageIsPreviewable(page, post_data=nested_form_data(data))

    def test_admin_can_create_a_subsection_with_a_fact(self):
        from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

        self.login()
        self.assertCanCreate(
            self.index,
            SvedenSectionPage,
            nested_form_data(
                {
                    "title": "Дополнительный подраздел",
                    "slug": "extra",
                    "not_applicable": "",
                    "intro": rich_text(""),
                    "body": streamfield(
                        [("fact", {"label": "Телефон доверия", "itemprop": "", "value": rich_text("<p>1</p>")})]
                    ),
                }
            ),
        )

    def test_admin_edit_form_of_common_sends_the_editor_to_the_site_settings(self):
        self.login()
        common = SvedenCommonPage.objects.get()
        response = self.client.get(f"/admin/pages/{common.pk}/edit/")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, 'href="/admin/settings/core/sitesettings/"')
        self.assertNotContains(response, 'name="reg_date"')  # the facts are kept once, in the settings
        settings = self.client.get("/admin/settings/core/sitesettings/", follow=True)
        self.assertContains(settings, "Дата создания")
        self.assertContains(settings, 'name="reg_date"')


@pytest.fixture(scope="class")
def demo(django_db_setup, django_db_blocker):
    """The demo content the section needs, loaded once for TestDemo (class scope: the other tests here
    check the section as `migrate` alone leaves it)."""
    from home import demo as home_demo
    from methodists import demo as methodists_demo
    from sveden import demo as sveden_demo

    def log(message):
        pass

    with module_data(django_db_blocker):
        with counted():
            home_demo.load(log)
            methodists_demo.load(log)
            sveden_demo.load(log)
        yield sveden_demo


@pytest.mark.xdist_group("sveden_demo")  # one worker loads it once (--dist loadgroup)
class TestDemo:
    """The section after `load_demo`."""

    def test_demo_fills_the_facts_from_the_seed(self, client, demo):
        common = soup(client, "/sveden/common/")
        assert "78Л02 № 0000927 от 25.05.2016" in common.select_one('[itemprop="licenseDocLink"]').get_text()
        assert "1995" in common.select_one('[itemprop="regDate"]').get_text()
        assert "Невский пр., д. 154" in common.select_one('[itemprop="address"]').get_text()
        assert common.select_one('a[itemprop="email"]')["href"] == "mailto:imc@center-edu.spb.ru"
        assert len(common.select('[itemprop="addressPlace"]')) == 2

        managers = soup(client, "/sveden/managers/")
        head = managers.select_one('[itemprop="rucovodstvo"]')
        assert head.select_one('[itemprop="fio"]').get_text() == "Липатова Ирина Альбертовна"
        assert head.select_one('[itemprop="post"]').get_text() == "Директор"
        assert len(managers.select('[itemprop="rucovodstvoZam"]')) == 6

        struct = soup(client, "/sveden/struct/")
        names = [tag.get_text() for tag in struct.select('[itemprop="structOrgUprav"] > [itemprop="name"]')]
        assert "Центр информатизации" in names and "Центр оценки качества образования" in names

        employees = soup(client, "/sveden/employees/")
        assert len(employees.select('[itemprop="teachingStaff"]')) >= 5
        assert "Липатова" not in employees.get_text()  # real people only in «Руководство»

    def test_documents_show_date_and_update_and_are_searchable_text(self, client, demo):
        page = soup(client, "/sveden/document/")
        link = page.select_one('a[itemprop="ustavDocLink"]')
        assert link is not None and link.get_text() == "Устав ГБУ ИМЦ Центрального района"
        meta = link.find_parent("li").select_one(".document-item__meta").get_text()
        assert "DOCX" in meta and "от 14 декабря 2015" in meta and "обновлено" in meta
        response = client.get(link["href"])
        assert response.status_code == 200
        content = b"".join(response.streaming_content) if response.streaming else response.content
        import io

        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            assert "Устав ГБУ ИМЦ Центрального района" in archive.read("word/document.xml").decode()

    def test_education_lists_programmes_with_microdata(self, client, demo):
        page = soup(client, "/sveden/education/")
        programmes = page.select('[itemprop="eduOp"]')
        assert len(programmes) == 5
        first = programmes[0]
        for prop in ("eduName", "eduLevel", "eduForm", "learningTerm"):
            assert first.select_one(f'[itemprop="{prop}"]').get_text(strip=True)

    def test_demo_loader_twice_changes_nothing(self, demo):
        before = (Page.objects.count(), Revision.objects.count())
        demo.load(lambda message: None)
        assert (Page.objects.count(), Revision.objects.count()) == before

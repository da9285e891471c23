"""The editors' guide stays true: every menu item, tab, button and field it names exists for the role
it addresses, and what it says a role does not see is absent; the «Помощь» menu opens it.

Convention (docs/editors/README.md, «Как устроено это руководство» for maintainers):
* `<!-- roles: Методисты, Редакторы -->` — which roles the text addresses: before the first `## ` heading
  for the whole file, inside a `## ` section for that section only;
* UI names are written in «guillemets» after a marker word: меню «…» (nested: «Настройки → Настройки сайта»),
  вкладка «…», кнопка «…», пункт «…», поле «…», блок «…»; several may follow one marker («A», «B» и «C»);
* `<!-- absent for Методисты, Редакторы: меню «Календарь» -->` — what those roles must not see.
Roles are the groups created by the migrations (plus «Суперпользователь»).
"""

import contextlib
import itertools
import json
import re
from datetime import timedelta
from pathlib import Path

import pytest
from bs4 import BeautifulSoup, NavigableString
from bs4.element import TemplateString
from django.conf import settings
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone
from wagtail.admin.menu import SubmenuMenuItem, admin_menu
from wagtail.models import Page

from core.editors_guide import chapter_slugs
from core.permissions import ADMINISTRATORS, CONTEST_ORGANISERS, EDITORS, METHODISTS
from practices_atlas.models import AtlasIndexPage, Organisation, PracticePage, PracticeType
from practices_atlas.submissions import moderation_workflow as atlas_moderation_workflow
from sveden.models import SvedenCommonPage
from tests.conftest import module_data
from tests.contests.factories import ContestBuilder
from tests.core.factories import UserFactory, home
from tests.events.factories import EventPageFactory
from tests.news.factories import make_news

# One xdist worker builds the module-scoped site once (scripts/test.sh runs --dist loadgroup).
pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("editors_guide")]

JURY = "Жюри"
SUPERUSER = "Суперпользователь"
ROLES = [METHODISTS, EDITORS, CONTEST_ORGANISERS, JURY, ADMINISTRATORS, SUPERUSER]
GUIDE = Path(settings.BASE_DIR) / "docs" / "editors"
# libxml2's parser: the crawl reads ~60 admin screens per role, and Python's html.parser took a fifth of it.
# Both find the same tabs, buttons, fields and panels on every screen (compared role by role, apart from
# what changes per render: CSRF tokens, block ids, «2 минуты назад»).
PARSER = "lxml"

MARKERS = {
    "menu": r"меню",
    "tab": r"вкладк\w*",
    "button": r"кнопк\w*|пункт\w*",
    "field": r"пол[еяюи]\w*",
    "panel": r"блок\w*|панел\w*",
}
GUILLEMETS = r"«[^»]+»(?:\s*(?:,|и|или|→)\s*«[^»]+»)*"
CLAIM = re.compile(r"(?<![\w-])(" + "|".join(MARKERS.values()) + r")\s+(" + GUILLEMETS + ")", re.I)
ROLES_COMMENT = re.compile(r"<!--\s*roles:\s*(.*?)\s*-->", re.S)
FOR_COMMENT = re.compile(r"<!--\s*(absent )?for\s+([^:]*?):\s*(.*?)\s*-->", re.S)
ANY_COMMENT = re.compile(r"<!--.*?-->", re.S)
SECTION = re.compile(r"^## ", re.M)


def _kind(marker: str) -> str:
    for kind, pattern in MARKERS.items():
        if re.fullmatch(pattern, marker, re.I):
            return kind
    raise AssertionError(marker)


def _names(group: str) -> list[str]:
    """«A», «B» и «C» → three names; «A» → «B» → one nested name."""
    parts = re.split(r"\s*(,|\bи\b|\bили\b|→)\s*(?=«)", group)
    names, joiner = [], None
    for part in parts:
        if part in (",", "и", "или", "→"):
            joiner = part
            continue
        name = part.strip("«»")
        if joiner == "→" and names:
            names[-1] = f"{names[-1]} → {name}"
        else:
            names.append(name)
    return [re.sub(r"\s+", " ", n).strip() for n in names]


def claims_in(text: str) -> list[tuple[str, str]]:
    text = text.replace("**", "").replace("\n", " ")
    return [(_kind(m.group(1)), name) for m in CLAIM.finditer(text) for name in _names(m.group(2))]


def _roles(value: str) -> list[str]:
    roles = [r.strip() for r in value.split(",") if r.strip()]
    unknown = set(roles) - set(ROLES)
    assert not unknown, f"unknown roles {unknown} in the guide; known: {ROLES}"
    return roles


def guide_claims():
    """[(file, section title, role, present?, kind, name)] for every claim in docs/editors/*.md."""
    result = []
    for path in sorted(GUIDE.glob("*.md")):
        text = path.read_text(encoding="utf-8")
        starts = [m.start() for m in SECTION.finditer(text)]
        head = text[: starts[0]] if starts else text
        default = ROLES_COMMENT.search(head)
        assert default, f"{path.name}: no <!-- roles: ... --> before the first section"
        default_roles = _roles(default.group(1))
        pieces = [head, *(text[a:b] for a, b in itertools.pairwise([*starts, len(text)]))]
        for piece in pieces:
            title = piece.splitlines()[0] if piece else ""
            own = ROLES_COMMENT.search(piece) if piece is not head else None
            roles = _roles(own.group(1)) if own else default_roles
            for match in FOR_COMMENT.finditer(piece):
                for role in _roles(match.group(2)):
                    for kind, name in claims_in(match.group(3)):
                        result.append((path.name, title, role, not match.group(1), kind, name))
            paragraphs = ANY_COMMENT.sub("", piece).split("\n\n")
            lines = [row for p in paragraphs for row in (p.splitlines() if p.lstrip().startswith("|") else [p])]
            for line in lines:
                # A table row that names a role in a cell speaks of that role only.
                cells = [c.strip(" *«»") for c in line.split("|")] if line.lstrip().startswith("|") else []
                row_roles = [c for c in cells if c in ROLES]
                for kind, name in claims_in(line):
                    for role in row_roles or roles:
                        result.append((path.name, title, role, True, kind, name))
    return result


# --- what each role really sees -------------------------------------------------------------------


def _text(element) -> str:
    # Text inside <template> (the scheduling dialog is teleported from one) counts: editors see it.
    text = element.get_text(" ", strip=True, types=(NavigableString, TemplateString))
    return re.sub(r"\s+", " ", text).strip()


def _json_strings(value, out):
    if isinstance(value, str):
        out.add(value.strip())
    elif isinstance(value, dict):
        for item in value.values():
            _json_strings(item, out)
    elif isinstance(value, list):
        for item in value:
            _json_strings(item, out)


def menu_paths(user) -> set[str]:
    request = RequestFactory().get("/admin/")
    request.user = user
    request.session = {}
    paths = set()

    def walk(items, prefix):
        for item in items:
            label = f"{prefix}{item.label}"
            paths.add(label)
            if isinstance(item, SubmenuMenuItem):
                walk(item.menu.menu_items_for_request(request), f"{label} → ")

    walk(admin_menu.menu_items_for_request(request), "")
    return paths


def menu_urls(user) -> list[str]:
    request = RequestFactory().get("/admin/")
    request.user = user
    request.session = {}
    urls = []

    def walk(items):
        for item in items:
            if isinstance(item, SubmenuMenuItem):
                walk(item.menu.menu_items_for_request(request))
            elif item.url and item.url.startswith("/admin/"):
                urls.append(item.url)

    walk(admin_menu.menu_items_for_request(request))
    return urls


class Screens:
    """Tabs, buttons, fields and panel headings on the admin screens a role reaches."""

    def __init__(self):
        self.tabs, self.buttons, self.fields, self.panels = set(), set(), set(), set()
        self.editor_buttons = set()  # what the page editor offers: «not there» is checked here
        self.pages = []

    def add(self, url, html):
        self.pages.append(url)
        soup = BeautifulSoup(html, PARSER)
        if url.endswith("/edit/"):
            self.editor_buttons |= {_text(el) for el in soup.find_all(["button", "a"])}
        for tab in soup.find_all(attrs={"role": "tab"}):
            self.tabs.add(re.sub(r"\s*\(\s*\d*\s*\)$", "", _text(tab)))
        for el in soup.find_all(["button", "a", "summary"]) + soup.find_all(attrs={"role": "menuitem"}):
            self.buttons.add(_text(el))
            if el.get("aria-label"):
                self.buttons.add(el["aria-label"].strip())
        for el in soup.find_all("input", type="submit"):
            self.buttons.add((el.get("value") or "").strip())
        for el in soup.find_all(["label", "legend"]):
            self.fields.add(_text(el).rstrip("*").strip())
        for el in soup.find_all(["h1", "h2", "h3", "caption", "th"]):
            self.panels.add(_text(el).rstrip("*").strip())
        # StreamField blocks and their fields are described in JSON for the client-side editor.
        strings = set()
        for el in soup.find_all(attrs={"data-w-block-data-value": True}):
            _json_strings(json.loads(el["data-w-block-data-value"]), strings)
        for script in soup.find_all("script", type="application/json"):
            with contextlib.suppress(ValueError):
                _json_strings(json.loads(script.string or "null"), strings)
        self.panels |= strings
        self.fields |= strings


@pytest.fixture(scope="module")
def world_pages(django_db_setup, django_db_blocker):
    """The site of `world`, built once for the module (each role's crawl only reads it): page ids by key."""
    from contests.models import ContestIndexPage
    from events.models import EventIndexPage
    from news.models import NewsIndexPage

    with module_data(django_db_blocker):
        home_page = home()
        sections = (NewsIndexPage, EventIndexPage, ContestIndexPage)
        pages = build_world(home_page, *(model.objects.child_of(home_page).get() for model in sections))
        yield {key: page and page.pk for key, page in pages.items()}  # sveden: None without the demo


@pytest.fixture
def world(world_pages):
    """A site with each section and a page in it, one news page waiting for moderation (fresh instances)."""
    pages = Page.objects.in_bulk([pk for pk in world_pages.values() if pk])
    return {key: pk and pages[pk].specific for key, pk in world_pages.items()}


def build_world(home_page, news_index, events_index, contests_index):
    news = make_news(news_index, title="Семинар для учителей математики", image=False)
    start = (timezone.now() + timedelta(days=5)).replace(microsecond=0)
    event = EventPageFactory(
        parent=events_index,
        title="Семинар «Техносфера современной школы»",
        slug="tehnosfera",
        start=start,
        registration_open=True,
    )
    contest = ContestBuilder(contests_index)(entries_per_nomination=1)
    entry = contest.entry_list[0]
    # A methodist's draft sent to the editors.
    methodist = make_user(METHODISTS, "world-methodist")
    pending = make_news(news_index, title="Открыт приём заявок на курсы", image=False, live=False)
    pending.get_workflow().start(pending, methodist)
    # An application sent from the site, waiting for the contest's organisers.
    entry.save_revision()
    entry.get_workflow().start(entry, None)
    sveden = SvedenCommonPage.objects.first()
    # The atlas of practices: its section and one practice, for docs/editors/atlas.md.
    atlas_index = AtlasIndexPage(title="Атлас педагогических практик", slug="atlas")
    home_page.add_child(instance=atlas_index)
    atlas_index.save_revision().publish()
    practice = PracticePage(
        title="«Онлайншкола174»",
        slug="onlajnshkola-174",
        annotation="Единое расписание онлайн-уроков.",
        organisation=Organisation.objects.create(
            slug="shkola-174",
            short_name="ГБОУ школа № 174",
            full_name="ГБОУ школа № 174 Центрального района",
            kind="ОУ",
        ),
        practice_type=PracticeType.objects.create(slug="obuchenie", name="Организация учебного процесса"),
    )
    atlas_index.add_child(instance=practice)
    practice.save_revision().publish()
    # A practice sent through «Предложить практику», waiting for a methodist (practices_atlas/submissions.py).
    submitted = PracticePage(
        title="Музей в чемодане",
        slug="muzey-v-chemodane",
        annotation="Передвижная экспозиция.",
        organisation=practice.organisation,
        practice_type=practice.practice_type,
        live=False,
    )
    atlas_index.add_child(instance=submitted)
    submitted.save_revision()
    atlas_moderation_workflow().start(submitted, None)
    return {
        "home": home_page,
        "news_index": news_index,
        "news": news,
        "pending": pending,
        "events_index": events_index,
        "event": event,
        "contests_index": contests_index,
        "contest": contest,
        "entry": entry,
        "sveden": sveden,
        "atlas_index": atlas_index,
        "practice": practice,
        "submitted": submitted,
    }


def make_user(role, username=None):
    username = username or f"user-{ROLES.index(role)}"
    if role == SUPERUSER:
        return UserFactory(username=username, is_superuser=True, is_staff=True)
    return UserFactory(username=username, groups=[role])


def screens_for(user, world) -> Screens:
    client = Client()
    client.force_login(user)
    screens = Screens()
    urls = ["/admin/", *menu_urls(user)]
    for key in ("home", "news_index", "events_index", "contests_index", "contest", "atlas_index"):
        page = world[key]
        if page.permissions_for_user(user).can_add_subpage() or page.permissions_for_user(user).can_edit():
            urls.append(reverse("wagtailadmin_explore", args=[page.pk]))
    for key in ("home", "news", "pending", "event", "contest", "entry", "sveden", "practice", "submitted"):
        page = world[key]
        if page and page.permissions_for_user(user).can_edit():
            urls.append(reverse("wagtailadmin_pages:edit", args=[page.pk]))
    urls.append(reverse("wagtailadmin_pages:add_subpage", args=[world["news_index"].pk]))
    # The settings menu item redirects to the site's own settings form.
    urls.append(reverse("wagtailsettings:edit", args=["core", "sitesettings", world["home"].get_site().pk]))
    urls.append(reverse("events_registrations", args=[world["event"].pk]))
    urls.append(reverse("wagtailsnippets_search_searchsynonym:add"))
    contest = world["contest"]
    for name in ("contests_admin_jury_contest", "contests_admin_audit", "contests_admin_annul"):
        urls.append(reverse(name, args=[contest.pk]))
    urls.append(reverse("contests_admin_jury_entry", args=[world["entry"].pk]))
    for url in urls:
        response = client.get(url)
        if response.status_code == 200 and "html" in response.get("Content-Type", ""):
            screens.add(url, response.content.decode())
    return screens


def test_the_guide_names_what_it_checks():
    """The convention is in use: each chapter addresses roles and names menu items and buttons."""
    claims = guide_claims()
    files = {c[0] for c in claims}
    assert files == {p.name for p in GUIDE.glob("*.md")}
    kinds = {c[4] for c in claims}
    assert {"menu", "tab", "button", "field"} <= kinds
    assert any(not c[3] for c in claims), "no «absent for» claims"


@pytest.mark.parametrize("role", ROLES)
def test_every_ui_name_in_the_guide_exists_for_its_role(role, world):
    user = make_user(role)
    menus = menu_paths(user)
    screens = screens_for(user, world)
    where = {"tab": screens.tabs, "button": screens.buttons, "field": screens.fields, "panel": screens.panels}
    wrong = []
    for file, section, claim_role, present, kind, name in guide_claims():
        if claim_role != role:
            continue
        if kind == "menu":
            found = name in menus
        elif kind == "panel":
            found = name in screens.panels or name in screens.fields
        elif kind == "button" and not present:
            found = name in screens.editor_buttons
        else:
            found = name in where[kind]
        if found != present:
            wrong.append(f"{file} «{section.strip('# ')}»: {kind} «{name}» {'missing' if present else 'present'}")
    assert not wrong, (
        f"{role}: the guide disagrees with the admin:\n"
        + "\n".join(wrong)
        + (f"\n\nmenu: {sorted(menus)}\ntabs: {sorted(screens.tabs)}\nscreens: {screens.pages}")
    )


def test_help_menu_opens_the_guide_in_russian_with_every_chapter(world):
    user = make_user(METHODISTS)
    help_items = {p for p in menu_paths(user) if p.startswith("Помощь → ")}
    assert "Помощь → Руководство редактора" in help_items
    # Wagtail's own guide is in English and says so; nothing else is called «Руководство редактора».
    assert "Помощь → Руководство по Wagtail (на английском)" in help_items
    assert sum("Руководство редактора" in p for p in help_items) == 1

    client = Client()
    client.force_login(user)
    response = client.get(reverse("core_editors_guide"))
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    assert "Руководство редактора портала ИМЦ" in _text(soup.select_one("article h1"))
    assert "<!--" not in str(soup.select_one("article"))
    chapter_links = {a["href"] for a in soup.select("nav.imc-guide__chapters a")}
    assert len(chapter_links) == len(chapter_slugs()) - 1 >= 3
    for href in chapter_links:
        page = client.get(href)
        assert page.status_code == 200, href
        chapter = BeautifulSoup(page.content, "html.parser")
        heading = _text(chapter.select_one("article h1"))
        assert re.search(r"[а-яА-Я]", heading), heading
        assert chapter.select("article h2"), href
    # Links between chapters (news.md) lead to the chapter inside the admin.
    assert soup.select_one(f'article a[href="{reverse("core_editors_guide_chapter", args=["news"])}"]')
    assert client.get("/admin/guide/nosuch/").status_code == 404
    # The dashboard's account box links to this guide first; Wagtail's guide is marked as English.
    dashboard = BeautifulSoup(client.get("/admin/").content, "html.parser")
    links = {_text(a): a["href"] for a in dashboard.find_all("a")}
    assert links["Руководство редактора портала"] == reverse("core_editors_guide")
    assert any(label.startswith("Руководство по Wagtail") and "на английском" in label for label in links)


def test_the_guide_is_for_staff_only(client, world):
    response = client.get(reverse("core_editors_guide"))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]

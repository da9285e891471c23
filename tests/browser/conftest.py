"""Browser tests: real headless Chromium (Debian's package) driven by Playwright, axe-core inside.

These tests run in their own pytest invocation (`-m browser`, see scripts/test.sh) against a test
database that holds the full demo content (a copy of the demo template, tests/dbtemplate.py), served by
a live server thread for the whole session.
Data a test creates (a registration, a vote) is committed, so tests must not assume they are alone.
"""

import os
import shutil
from dataclasses import dataclass, field
from urllib.parse import urlsplit
from xml.etree import ElementTree

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command

# Playwright's sync API runs an event loop in this thread; the ORM calls we make are synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def pytest_collection_modifyitems(items):
    here = os.path.dirname(__file__)
    for item in items:
        if str(item.path).startswith(here):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def django_db_setup(django_test_environment, django_db_blocker, django_db_modify_db_settings):
    """The browser session's own test database, a copy of the demo template (the migrated template with
    `load_demo`, tests/dbtemplate.py), and the demo's files copied to MEDIA_ROOT; no test here is marked
    django_db, so we ask for it."""
    from django.conf import settings
    from django.db import connection
    from django.test.utils import setup_databases

    from tests.dbtemplate import clone_demo_database, drop_test_databases

    with django_db_blocker.unblock():
        media = clone_demo_database(connection)
        config = setup_databases(
            verbosity=0, interactive=False, aliases={"default"}, keepdb=True, serialized_aliases=set()
        )
    shutil.rmtree(settings.MEDIA_ROOT, ignore_errors=True)
    shutil.copytree(media, settings.MEDIA_ROOT)
    yield
    with django_db_blocker.unblock():
        drop_test_databases(config)


@pytest.fixture(scope="session")
def live_site(django_db_setup, django_db_blocker):
    """A live server over the demo content; the database stays unblocked for the session."""
    from django.test.testcases import LiveServerThread, _StaticFilesHandler

    django_db_blocker.unblock()
    thread = LiveServerThread("127.0.0.1", _StaticFilesHandler, port=0)
    thread.daemon = True
    thread.start()
    thread.is_ready.wait()
    if thread.error:
        raise thread.error
    origin = f"http://127.0.0.1:{thread.port}"
    # The live server is the public origin (SITE_URL), so links in e-mails lead back to it.
    from django.test.utils import override_settings

    with override_settings(WAGTAILADMIN_BASE_URL=origin):
        call_command("sync_site")
        yield origin
    thread.terminate()
    django_db_blocker.restore()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser, live_site):
    """A desktop-sized tab; `phone_page` for a phone."""
    context = browser.new_context(viewport=DESKTOP, locale="ru-RU", base_url=live_site)
    tab = context.new_page()
    yield tab
    context.close()


@pytest.fixture
def phone_page(browser, live_site):
    context = browser.new_context(viewport=PHONE, locale="ru-RU", base_url=live_site, is_mobile=True, has_touch=True)
    tab = context.new_page()
    yield tab
    context.close()


_axe = Axe()


def axe_violations(tab) -> list[str]:
    """axe-core's WCAG 2.1 A/AA violations on the current page, one readable line each. Only violations
    are collected: the full result (every pass and inapplicable rule with its nodes) was built in Chromium
    and parsed here for every page; without it the sitemap walk's CPU fell from 119 to 90 s."""
    results = _axe.run(
        tab,
        options={
            "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
            "resultTypes": ["violations"],
        },
    )
    lines = []
    for violation in results.response["violations"]:
        targets = ", ".join(str(node["target"]) for node in violation["nodes"][:3])
        lines.append(f"{violation['id']}: {violation['help']} — {targets}")
    return lines


class Recorder:
    """Requests to other hosts, by the page that was open when they were made."""

    def __init__(self, context, live_site):
        self.own = urlsplit(live_site).netloc
        self.current = ""
        self.foreign = []
        self.csp = []  # what the Content-Security-Policy refused (core/csp.py), "page → message"
        context.on("request", self._record)
        context.on("console", self._console)

    def _console(self, message):
        if message.type == "error" and "Content Security Policy" in message.text:
            self.csp.append(f"{self.current} → {message.text}")

    def _record(self, request):
        parts = urlsplit(request.url)
        if parts.scheme in ("http", "https", "ws", "wss") and parts.netloc != self.own:
            self.foreign.append(f"{self.current} → {request.url}")

    def visit(self, tab, path):
        self.current = path
        response = tab.goto(path, wait_until="load")
        assert response is not None and response.status < 500, (path, response and response.status)
        # Bring every lazy image and iframe into view, then let late requests happen.
        tab.evaluate(
            "async () => { for (let y = 0; y < document.body.scrollHeight; y += 600) {"
            " window.scrollTo(0, y); await new Promise(r => setTimeout(r, 30)); } }"
        )
        tab.wait_for_load_state("networkidle")
        return response


def sitemap_paths(live_site) -> list[str]:
    import urllib.request

    with urllib.request.urlopen(live_site + "/sitemap.xml", timeout=30) as response:  # noqa: S310 — our live server
        tree = ElementTree.fromstring(response.read())  # noqa: S314 — our own sitemap
    namespace = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    paths = []
    for loc in tree.findall(".//sm:loc", namespace):
        parts = urlsplit(loc.text.strip())
        paths.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return paths


# Public views outside the sitemap that a visitor reaches from it.
VISITOR_EXTRA = [
    "/events/week/",
    "/events/upcoming/",
    "/events/archive/",
    "/contests/",
    "/search/?q=курсы",
    "/lv/",
    "/vopros-metodistu/",
    "/net-takoy-stranicy/",
]


@dataclass
class PublicWalk:
    sitemap: list[str]
    statuses: dict[str, int] = field(default_factory=dict)
    axe: dict[str, list[str]] = field(default_factory=dict)  # sitemap path → violations
    foreign: list[str] = field(default_factory=list)  # requests to other hosts, "page → URL"
    csp: list[str] = field(default_factory=list)  # what the Content-Security-Policy refused


WALKERS = 2  # tabs walking at once, each in a Chromium of its own (more only add CPU: the suite saturates both cores)


def _walk(live_site, paths, sitemap) -> tuple[dict, dict, list, list]:
    """One walker: its own Playwright and Chromium, since Playwright's sync API belongs to one thread."""
    from playwright.sync_api import sync_playwright

    statuses, axe = {}, {}
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        context = instance.new_context(viewport=DESKTOP, locale="ru-RU", base_url=live_site)
        recorder = Recorder(context, live_site)
        tab = context.new_page()
        for path in paths:
            statuses[path] = recorder.visit(tab, path).status
            if path in sitemap and statuses[path] == 200:
                axe[path] = axe_violations(tab)
        instance.close()
    return statuses, axe, recorder.foreign, recorder.csp


@pytest.fixture(scope="session")
def public_walk(live_site) -> PublicWalk:
    """One walk over every sitemap page and VISITOR_EXTRA in desktop tabs, each page scrolled through
    and left to go network-idle: requests to other hosts are recorded (test_no_third_party.py) and
    axe-core checks each sitemap page (test_site_browser.py). Walking once for both halves the time;
    WALKERS tabs at once overlap their waits for the network to go idle (the live server is threaded)."""
    from concurrent.futures import ThreadPoolExecutor

    walk = PublicWalk(sitemap_paths(live_site))
    paths = [*walk.sitemap, *VISITOR_EXTRA]
    sitemap = set(walk.sitemap)
    with ThreadPoolExecutor(WALKERS) as pool:
        parts = pool.map(lambda n: _walk(live_site, paths[n::WALKERS], sitemap), range(WALKERS))
        for statuses, axe, foreign, csp in parts:
            walk.statuses.update(statuses)
            walk.axe.update(axe)
            walk.foreign += foreign
            walk.csp += csp
    return walk

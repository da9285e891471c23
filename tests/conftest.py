"""Suite-wide fixtures: the base page tree, the site, the section pages. App fixtures and factories live
in tests/<app>/ (conftest.py, factories.py)."""

from contextlib import contextmanager

import pytest
from django.core.cache import cache
from django.db import transaction
from wagtail.models import Site


@contextmanager
def module_data(django_db_blocker):
    """For a module- or class-scoped fixture: data built once, in a transaction rolled back at the end of
    the scope; each test runs inside it in its own savepoint (as Django's setUpTestData). Every test that
    runs meanwhile sees the data, so the scope must hold only tests that want it. Mark the scope with
    xdist_group so that one worker builds it (scripts/test.sh runs `--dist loadgroup`)."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield
        transaction.set_rollback(True)


def build_base_tree():
    """Root → home (migrations) with the site settings row and the four section pages, each published
    once. Sections are singletons (max_count = 1) that most tests need; building them per test was a
    tenth of the suite's database work."""
    from core.models import SiteSettings
    from tests.contests.factories import ContestIndexPageFactory
    from tests.events.factories import EventIndexPageFactory
    from tests.methodists.factories import MethodistIndexPageFactory
    from tests.news.factories import NewsIndexPageFactory

    site = Site.objects.get(is_default_site=True)
    SiteSettings.for_site(site)
    home = site.root_page.specific
    for factory in (NewsIndexPageFactory, EventIndexPageFactory, ContestIndexPageFactory, MethodistIndexPageFactory):
        factory(parent=home)  # get-or-create: a reused database (--reuse-db) already has them


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Longest work first, so that with `-n 2` no worker is left alone with it at the end: the SQLite
    smoke run (migrate and load_demo in a subprocess), then the groups sharing expensive data."""

    def rank(item):
        if item.get_closest_marker("smoke"):
            return 0
        return 1 if item.get_closest_marker("xdist_group") else 2

    items.sort(key=rank)  # stable: the order within each rank stays pytest-randomly's


# Coverage counts what tests run, not what their set-up runs: building pages for a test is not testing
# that code, and on Python 3.11 tracing makes every line dearer (the suite's CPU about 1.8 times, much of it
# in the factories). So measurement pauses for each test's set-up and teardown; every module is imported
# under measurement first (a `def` run only by a fixture's import would count as missed); and a fixture
# whose work is what its tests check (load_demo for the demo tests) says so with `counted()`. The gate
# (pyproject.toml) is set on this stricter figure.
_coverage = {"paused": None}


@contextmanager
def _coverage_paused():
    import coverage

    measurement = coverage.Coverage.current()
    if measurement is None:
        yield
        return
    measurement.stop()
    _coverage["paused"] = measurement
    try:
        yield
    finally:
        _coverage["paused"] = None
        measurement.start()


@contextmanager
def counted():
    """Measured although in a fixture: for set-up that is itself the subject of the tests. Around the work
    only, never around a fixture's `yield` (the tests' own phases switch measurement themselves)."""
    measurement = _coverage["paused"]
    if measurement is None:
        yield
        return
    _coverage["paused"] = None
    measurement.start()
    try:
        yield
    finally:
        measurement.stop()
        _coverage["paused"] = measurement


def uncounted():
    """Not measured although in a test body: for repetition whose lines the same test has already run
    under measurement (the search fuzz's later inputs). Check that the figure stays the same: the editors'
    guide's crawl for four of its six roles, tried so, took 0.11 points off it (role-dependent admin paths)."""
    return _coverage_paused()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_setup(item):
    with _coverage_paused():
        return (yield)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    with _coverage_paused():
        return (yield)


NOT_IMPORTED = (".migrations", "imc_site.settings", "imc_site.wsgi", "imc_site.asgi")


def pytest_collection_finish(session):
    """Every application module imported, and the URLconf resolved, while coverage measures (see above)."""
    import importlib
    import pkgutil
    import tomllib

    from django.urls import get_resolver

    with open(session.config.rootpath / "pyproject.toml", "rb") as file:
        packages = tomllib.load(file)["tool"]["coverage"]["run"]["source"]
    for name in packages:
        package = importlib.import_module(name)
        for module in pkgutil.walk_packages(package.__path__, f"{name}."):
            if not any(part in module.name for part in NOT_IMPORTED):
                importlib.import_module(module.name)
    get_resolver().url_patterns  # noqa: B018 — resolving imports every view module


@pytest.fixture(scope="session")
def django_db_setup(
    django_test_environment, django_db_blocker, django_db_modify_db_settings, django_db_keepdb, django_db_createdb
):
    """The test database (one per xdist worker), a copy of the migrated template (tests/dbtemplate.py),
    with the base page tree committed once; each test's transaction rolls its own changes back. Dropped
    at the end unless --reuse-db. tests/browser has its own (the demo)."""
    from django.db import connection
    from django.test.utils import setup_databases

    from tests.dbtemplate import clone_test_database, drop_test_databases

    with django_db_blocker.unblock():
        clone_test_database(connection, keep_existing=django_db_keepdb and not django_db_createdb)
        # keepdb: the copy is there; migrate finds nothing to apply. No test asks for serialized rollback.
        config = setup_databases(
            verbosity=0, interactive=False, aliases={"default"}, keepdb=True, serialized_aliases=set()
        )
        build_base_tree()
    yield
    if not django_db_keepdb:
        with django_db_blocker.unblock():
            drop_test_databases(config)


@pytest.fixture
def committing_db(django_db_setup, django_db_blocker):
    """The test database in autocommit, for data that other connections (threads, pg_dump) must see; the
    test removes what it commits. Not `django_db(transaction=True)`: its flush would empty the reused
    database (the base tree)."""
    with django_db_blocker.unblock():
        yield


@pytest.fixture(autouse=True)
def _clean_cache(monkeypatch):
    """Page cache and rate-limit counters must not leak between tests (the default cache is this process's
    local memory), and no rate-limit window may end in the middle of a test: the limiter's clock is pinned
    (a test that moves it patches it again)."""
    from tests.own_redis import pin_ratelimit_clock

    pin_ratelimit_clock(monkeypatch)
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def site(db):
    """The default site; its settings row exists (base tree): created on first use otherwise, and that
    save (rightly) starts a new cache generation in the middle of a test, hiding whether caches follow
    publishing."""
    return Site.objects.get(is_default_site=True)


@pytest.fixture
def page_cache_on(settings, site):
    """The anonymous page cache switched on (test settings keep it off), starting empty."""
    settings.PAGE_CACHE_SECONDS = 300
    cache.clear()


@pytest.fixture
def home_page(site):
    return site.root_page.specific


# The section pages of the base page tree.


@pytest.fixture
def news_index(home_page):
    from news.models import NewsIndexPage

    return NewsIndexPage.objects.child_of(home_page).get()


@pytest.fixture
def events_index(home_page):
    from events.models import EventIndexPage

    return EventIndexPage.objects.child_of(home_page).get()


@pytest.fixture
def contests_index(home_page):
    from contests.models import ContestIndexPage

    return ContestIndexPage.objects.child_of(home_page).get()


@pytest.fixture
def methodist_index(home_page):
    from methodists.models import MethodistIndexPage

    return MethodistIndexPage.objects.child_of(home_page).get()


@pytest.fixture
def real_redis(monkeypatch):
    """The default cache in real Redis, this test's alone, with the rate limiter's clock pinned
    (tests/own_redis.py)."""
    from tests.own_redis import own_redis, pin_ratelimit_clock

    pin_ratelimit_clock(monkeypatch)
    with own_redis() as redis_cache:
        yield redis_cache


def pytest_terminal_summary(terminalreporter):
    """The search relevance set's pass rates per category (tests/search/test_relevance.py), also
    under xdist: the rates travel in the test report's user_properties."""
    for report in terminalreporter.stats.get("passed", []) + terminalreporter.stats.get("failed", []):
        rates = dict(getattr(report, "user_properties", ())).get("search_relevance")
        if rates and report.when == "call":
            terminalreporter.section("search relevance: expected page in the top 3")
            for category, (rate, count) in sorted(rates.items()):
                terminalreporter.write_line(f"{category:>14}  {rate:6.1%}  of {count}")

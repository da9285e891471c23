"""The embedded default stays honest: a fresh SQLite file migrates, loads the demo twice and serves
the main pages — in a subprocess with the development settings, exactly as `make run` uses them.

The first two steps (`migrate` and `load_demo` on an empty file, ≈ 50 s of CPU) run once per demo
fingerprint (tests/dbtemplate.py: every migration, setting, installed package and application file) and
the result is kept under /tmp/imc-sqlite-demo/, as the PostgreSQL templates are kept on the server: an
unchanged checkout runs the rest on a copy — `migrate` finds nothing to do, the second `load_demo` adds
nothing, the pages answer.
"""

import fcntl
import json
import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
import uuid
from pathlib import Path

import pytest

from tests.dbtemplate import demo_fingerprint

pytestmark = pytest.mark.smoke

ROOT = Path(__file__).resolve().parents[2]

# Every URL must answer 200. PENDING lists pages whose app is still being built (they may 404 until
# then); an entry here that already answers 200 fails the test, so the list only ever shrinks.
URLS = [
    "/",
    "/news/",
    "/sveden/",
    "/sveden/common/",
    "/events/",
    "/contests/",
    "/search/?q=курсы",
    "/sitemap.xml",
    "/robots.txt",
    "/healthz",
    "/lv/",
    "/news/rss/",
    "/atlas/",
    "/atlas/?level=doshkolnoe&type=podderzhka-semi&q=семья",
    "/atlas/onlajnshkola-174/",
    "/atlas/onlajnshkola-174/vnedrili/",
    "/atlas/?sort=adopted",
    "/atlas/distancionnoe-obuchenie-2020/",
]
PENDING: set[str] = set()

CACHE = Path(tempfile.gettempdir()) / "imc-sqlite-demo"
KEEP = 3  # built files, newest first: one per code change would pile up over a day of work

BUILD = textwrap.dedent(
    """
    import django
    django.setup()
    from django.core.management import call_command
    call_command("migrate", interactive=False, verbosity=0)
    call_command("load_demo", quiet=True)
    """
)

CHECK = textwrap.dedent(
    """
    import json, sys
    import django
    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor
    from django.test import Client

    executor = MigrationExecutor(connection)
    assert not executor.migration_plan(executor.loader.graph.leaf_nodes()), "the built file is behind"
    call_command("migrate", interactive=False, verbosity=0)
    from wagtail.models import Page
    pages = Page.objects.count()
    assert pages > 50, pages
    call_command("load_demo", quiet=True)  # idempotent: a second run neither fails nor adds pages
    assert Page.objects.count() == pages, "load_demo is not idempotent"

    client = Client()
    result = {}
    for url in json.loads(sys.argv[1]):
        response = client.get(url)
        result[url] = response.status_code
    print("SMOKE-RESULT " + json.dumps(result))

    # The search on SQLite goes through Wagtail's backend (search/backend.py), facets included.
    from bs4 import BeautifulSoup
    soup = BeautifulSoup(client.get("/search/", {"q": "курсы"}).content, "html.parser")
    facets = [a.get_text(" ", strip=True) for a in soup.select(".search-facets a")]
    hits = [a.get_text(strip=True) for a in soup.select("ol.search-results .search-result__title a")]
    print("SMOKE-SEARCH " + json.dumps({"facets": facets, "hits": hits}, ensure_ascii=False))

    # The vote confirmation runs from Python on SQLite (one PostgreSQL function elsewhere).
    from django.test import RequestFactory
    from contests.models import ContestEntryPage, ContestPage
    from contests.voting import confirm_vote, request_vote
    from core.consent import current_document
    from core.models import ConsentRecord

    contest = next(c for c in ContestPage.objects.live() if c.voting_state() == "open")
    first, *others = ContestEntryPage.objects.child_of(contest).live().order_by("pk")
    neighbour = next(e for e in others if e.nomination_id == first.nomination_id)
    request = RequestFactory().post("/", REMOTE_ADDR="192.0.2.7")
    document = current_document("vote")

    def token(entry, address):
        consent = ConsentRecord.objects.create(
            document=document, revision_id=document.live_revision_id, purpose="vote", subnet_hash="s" * 64
        )
        return request_vote(request, entry, contest, address, consent)[1]

    tokens = [token(first, "Smoke.Voter@gmail.com"), token(first, "smokevoter+again@googlemail.com")]
    tokens.append(token(neighbour, "smoke.voter@gmail.com"))
    votes = [confirm_vote(tokens[0], request).status, confirm_vote(tokens[0], request).status]
    votes += [confirm_vote(t, request).status for t in tokens[1:]]
    print("SMOKE-VOTES " + json.dumps({"limit": contest.votes_per_nomination, "statuses": votes}))
    """
)


def _run(script, database: Path, media: Path, *args) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=f"sqlite:///{database}",
        DJANGO_SETTINGS_MODULE="imc_site.settings.dev",
        MEDIA_ROOT=str(media),
        PYTHONPATH=str(ROOT),
    )
    env.pop("REDIS_URL", None)
    env.pop("ELASTICSEARCH_URL", None)
    return subprocess.run(
        [sys.executable, "-c", script, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600
    )


def built_demo() -> tuple[Path, Path]:
    """The SQLite file (and its media) that `migrate` and `load_demo` made from empty, for this fingerprint;
    built now if there is none. A lock file keeps two sessions from building it at once."""
    CACHE.mkdir(exist_ok=True)
    name = demo_fingerprint()
    database, media = CACHE / f"{name}.sqlite3", CACHE / f"{name}-media"
    with open(CACHE / "lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not database.exists():
            building, building_media = CACHE / f"{name}.building", CACHE / f"{name}-media.building"
            building.unlink(missing_ok=True)
            shutil.rmtree(building_media, ignore_errors=True)
            completed = _run(BUILD, building, building_media)
            assert completed.returncode == 0, completed.stderr[-4000:]
            shutil.rmtree(media, ignore_errors=True)
            building_media.rename(media)
            building.rename(database)
            for old in sorted(CACHE.glob("*.sqlite3"), key=lambda p: p.stat().st_mtime, reverse=True)[KEEP:]:
                old.unlink()
                shutil.rmtree(CACHE / f"{old.stem}-media", ignore_errors=True)
        database.touch()  # newest use first
    return database, media


def test_sqlite_migrate_load_demo_and_serve_main_pages(tmp_path):
    built, built_media = built_demo()
    database = Path(f"/tmp/imc-smoke-{uuid.uuid4().hex}.sqlite3")  # noqa: S108
    media = tmp_path / "media"
    shutil.copyfile(built, database)
    shutil.copytree(built_media, media)
    try:
        completed = _run(CHECK, database, media, json.dumps(URLS))
    finally:
        database.unlink(missing_ok=True)
    assert completed.returncode == 0, completed.stderr[-4000:]
    line = next(line for line in completed.stdout.splitlines() if line.startswith("SMOKE-RESULT "))
    statuses = json.loads(line.removeprefix("SMOKE-RESULT "))

    broken = {url: status for url, status in statuses.items() if status != 200 and url not in PENDING}
    assert broken == {}, f"pages that do not answer 200 on SQLite: {broken}"
    ready = sorted(url for url in PENDING if statuses.get(url) == 200)
    assert ready == [], f"these pages work now; remove them from PENDING: {ready}"
    pending_failures = {url: statuses[url] for url in PENDING if statuses.get(url) != 200}
    assert all(status == 404 for status in pending_failures.values()), pending_failures

    line = next(line for line in completed.stdout.splitlines() if line.startswith("SMOKE-SEARCH "))
    search = json.loads(line.removeprefix("SMOKE-SEARCH "))
    assert search["hits"], "the demo's courses are found on SQLite"
    assert any(facet.startswith("Новости ") for facet in search["facets"]), search["facets"]

    line = next(line for line in completed.stdout.splitlines() if line.startswith("SMOKE-VOTES "))
    votes = json.loads(line.removeprefix("SMOKE-VOTES "))
    # confirmed; the same link again; the same mailbox written differently; another entry of the
    # nomination (over the limit when the contest allows one vote per nomination)
    third = "limit" if votes["limit"] == 1 else "confirmed"
    assert votes["statuses"] == ["confirmed", "already_confirmed", "duplicate", third]

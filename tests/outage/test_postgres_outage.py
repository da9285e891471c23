"""PostgreSQL stopped under a running site, for real: a cluster of the test's own (the machine's
PostgreSQL binaries, its own port), gunicorn with production's database settings and the page cache in
Redis, then `pg_ctl stop -m fast` and start again. What visitors see meanwhile:

- a page in the page cache: served, 200;
- anything else (an uncached page, an event page, the admin login, a form sent): the site's Russian 503
  page with Retry-After — never a 500;
- /healthz: 503, saying the database is unavailable;
- after PostgreSQL is back: 200s at once, and the registration confirmed before the outage is there.

The figures (what each request answered, 5xx other than 503, log lines, recovery time) are printed.
"""

import contextlib
import glob
import json
import os
import shutil
import subprocess
import tempfile
import time
import uuid
from pathlib import Path
from urllib.parse import urlencode

import pytest
import redis
from django.db import connection

from tests.deploy.servers import free_port
from tests.outage.harness import FORM, confirm_vote, csrf, gunicorn_site, site_pages, votes_by_outcome
from tests.own_redis import REDIS_URL, require_redis

pytestmark = [pytest.mark.outage, pytest.mark.django_db, pytest.mark.xdist_group("pg-outage")]

RUSSIAN_503 = "Сайт временно недоступен"


def pg_bin(name: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), key=lambda p: int(p.split("/")[4]))
    assert found, f"PostgreSQL's {name} is needed (apt-get install postgresql)"
    return found[-1]


def as_owner(command: list[str]) -> list[str]:
    """initdb refuses root: the cluster belongs to the postgres user then (as scripts/ensure_postgres.sh)."""
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


class Cluster:
    def __init__(self, directory: Path, port: int):
        self.directory, self.port = directory, port
        self.data = directory / "data"
        self.url = f"postgres://postgres@127.0.0.1:{port}/imc_outage"

    def pg_ctl(self, *args: str) -> None:
        subprocess.run(as_owner([pg_bin("pg_ctl"), "-D", str(self.data), *args]), check=True, capture_output=True)

    def init(self) -> None:
        self.directory.mkdir(parents=True)
        if os.geteuid() == 0:
            os.chown(self.directory, *_postgres_ids())
        subprocess.run(
            as_owner([pg_bin("initdb"), "-D", str(self.data), "-U", "postgres", "--auth=trust", "-N"]),
            check=True,
            capture_output=True,
        )

    def start(self) -> None:
        options = f"-p {self.port} -k {self.directory} -c listen_addresses=127.0.0.1 -c fsync=off"
        self.pg_ctl("-l", str(self.directory / "log"), "-w", "-o", options, "start")

    def stop(self, mode: str = "fast") -> None:
        self.pg_ctl("-m", mode, "-w", "stop")

    def sql(self, statement: str, database: str = "imc_outage") -> str:
        result = subprocess.run(
            [
                pg_bin("psql"),
                "-h",
                "127.0.0.1",
                "-p",
                str(self.port),
                "-U",
                "postgres",
                "-d",
                database,
                "-Atc",
                statement,
            ],
            check=True,
            capture_output=True,
            text=True,
        )
        return result.stdout.strip()


def _postgres_ids() -> tuple[int, int]:
    import pwd

    entry = pwd.getpwnam("postgres")
    return entry.pw_uid, entry.pw_gid


@pytest.fixture(scope="module")
def cluster(django_db_setup, django_db_blocker):
    """Its own cluster holding a copy of the migrated test database (base page tree included) and a few
    pages; removed afterwards."""
    # Not under pytest's temporary directory: the postgres user must reach it.
    base = Path(tempfile.mkdtemp(prefix="imc-pg-outage-"))
    base.chmod(0o755)
    cluster = Cluster(base / "cluster", free_port())
    cluster.init()
    cluster.start()
    try:
        cluster.sql("CREATE DATABASE imc_outage", database="postgres")
        with django_db_blocker.unblock():
            source = connection.settings_dict
        dump = subprocess.Popen(
            [
                pg_bin("pg_dump"),
                "-h",
                source["HOST"] or "127.0.0.1",
                "-p",
                str(source["PORT"] or 5432),
                "-U",
                source["USER"] or "postgres",
                "--no-owner",
                source["NAME"],
            ],
            stdout=subprocess.PIPE,
        )
        subprocess.run(
            [pg_bin("psql"), "-q", "-h", "127.0.0.1", "-p", str(cluster.port), "-U", "postgres", "-d", "imc_outage"],
            stdin=dump.stdout,
            check=True,
            capture_output=True,
        )
        assert dump.wait() == 0
        yield cluster
    finally:
        with contextlib.suppress(subprocess.CalledProcessError):  # already stopped by a failed test
            cluster.stop("immediate")
        shutil.rmtree(base, ignore_errors=True)


@pytest.fixture(scope="module")
def site(cluster, tmp_path_factory):
    """gunicorn (two sync workers) on the cluster; the page cache in Redis under a prefix of its own, whose
    keys are deleted afterwards."""
    require_redis()
    environment = _environment(cluster, prefix := f"imc-outage-{uuid.uuid4().hex[:12]}")
    pages = site_pages(environment)
    try:
        with gunicorn_site(environment, tmp_path_factory.mktemp("pg-outage-log") / "gunicorn.log") as server:
            server.pages = pages
            yield server
    finally:
        client = redis.Redis.from_url(REDIS_URL)
        for key in client.scan_iter(f"{prefix}:*"):
            client.delete(key)


def _environment(cluster, prefix):
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.outage.server_settings",
        "DATABASE_URL": cluster.url,
        "REDIS_URL": REDIS_URL,
        "IMC_OUTAGE_CACHE_PREFIX": prefix,
        "IMC_TEST_MEDIA": str(cluster.directory.parent / "media"),
        "LOG_LEVEL": "WARNING",
    }


def test_postgres_down_cached_pages_served_the_rest_a_russian_503_then_recovered(site, cluster):
    pages = site.pages
    event, cached, uncached = pages["event"], pages["cached"], pages["uncached"]

    # Before: a registration confirmed, one page in the page cache.
    token, cookie = csrf(site, event)
    registered, _ = site.post(
        "before",
        f"{event}register/",
        {**FORM, "email": "ivanova@school204.example.ru", "csrfmiddlewaretoken": token},
        cookie,
    )
    assert registered.status == 302, "the registration before the outage went through"
    first, page = site.get("before", cached)
    again, _ = site.get("before", cached)
    assert first.status == again.status == 200 and again.getheader("X-Cache") == "HIT"
    rows_before = cluster.sql("SELECT count(*) FROM events_registration")
    # A vote confirmed before the outage; a second voter opens the link then and presses the button during it.
    votes = pages["votes"]
    vote_before = confirm_vote(site, "before", votes[0])
    second_voter = csrf(site, votes[1])
    log_before = site.log_size()

    cluster.stop("fast")
    stopped = time.monotonic()
    answers = {}
    for _ in range(3):  # both workers, more than once: no 500 on a second try either
        answers["cached page"] = site.get("down", cached)
        answers["uncached page"] = site.get("down", uncached)
        answers["event page"] = site.get("down", event)
        answers["admin login"] = site.get("down", "/admin/login/")
        answers["home"] = site.get("down", "/")
        answers["search"] = site.get("down", "/search/?" + urlencode({"q": "семинар"}))
        answers["registration sent"] = site.post(
            "down",
            f"{event}register/",
            {**FORM, "email": "petrova@school204.example.ru", "csrfmiddlewaretoken": token},
            cookie,
        )
        answers["vote confirmed"] = site.post(
            "down", votes[1], {"csrfmiddlewaretoken": second_voter[0]}, second_voter[1]
        )
        answers["healthz"] = site.get("down", "/healthz")
    outage_seconds = time.monotonic() - stopped
    log_lines = site.log_since(log_before)

    cluster.start()
    started = time.monotonic()
    while site.get("recovery", "/healthz")[0].status != 200:
        assert time.monotonic() - started < 10, "the site did not recover within 10 s of PostgreSQL's start"
        time.sleep(0.05)
    recovery = time.monotonic() - started
    after = {path: site.get("after", path)[0].status for path in (uncached, event, "/admin/login/", "/", cached) * 2}
    rows_after = cluster.sql("SELECT count(*) FROM events_registration")
    # The second voter presses the button again once the site is back; the first opens the link again.
    vote_after = [confirm_vote(site, "after", votes[1]), site.get("after", votes[0])[0].status]
    outcomes = votes_by_outcome(cluster.url)

    # A restart between two requests (an upgrade at night): each worker still holds a connection to the
    # old server process; the next visitor must not be the one who finds out.
    cluster.stop("fast")
    cluster.start()
    restart = [site.get("restart", path)[0].status for path in (uncached, event, "/admin/login/") * 2]

    others = [entry[:3] for entry in site.seen if entry[2] >= 500 and entry[2] != 503]
    print("\nPostgreSQL outage (real cluster, gunicorn 2 workers, page cache in Redis):")
    for name, (response, _) in answers.items():
        print(f"  down  {name:18} {response.status}  Retry-After={response.getheader('Retry-After')}")
    print(f"  requests during the outage: {sum(1 for s in site.seen if s[0] == 'down')} in {outage_seconds:.1f} s")
    print(f"  5xx other than 503: {len(others)} {others}")
    print(f"  log lines written during the outage: {len(log_lines)}")
    print(f"  recovery: /healthz 200 {recovery:.2f} s after PostgreSQL started; after: {sorted(set(after.values()))}")
    print(f"  registrations before/after: {rows_before}/{rows_after}")
    print(f"  votes: confirmed before {vote_before}, again after {vote_after}; by outcome {outcomes}")
    print(f"  restart between requests, the next six: {restart}")

    assert others == []
    response, text = answers["cached page"]
    assert response.status == 200 and text == page, "the cached page is served as it was"
    for name in ("uncached page", "event page", "admin login", "home", "search", "registration sent", "vote confirmed"):
        response, text = answers[name]
        assert response.status == 503, name
        assert response.getheader("Retry-After", "").isdigit(), name
        assert RUSSIAN_503 in text, name
    response, text = answers["healthz"]
    assert response.status == 503 and json.loads(text)["database"] == "unavailable"
    assert set(after.values()) == {200}, after
    assert recovery < 5
    assert restart == [200] * 6, "stale connections are replaced before a visitor meets them"
    assert len(log_lines) <= 2, log_lines  # a line a minute per worker (two), no tracebacks
    assert rows_before == rows_after == "1", "the registration confirmed before the outage is kept"
    assert vote_before == 200 and vote_after == [200, 200]
    assert outcomes == {"confirmed": 2, "pending": 1}, "each vote counted once across the outage, none lost"

"""Test databases copied from a migrated template instead of migrated each.

Migrating an empty database is about 40 s of CPU (Wagtail's own migrations are most of it), and a run
of `make test` made three: one per xdist worker and one for the browser session. Now the first session
to need it migrates a template database once, under an advisory lock so that sessions starting together
wait for it rather than build it twice, and each test database is `CREATE DATABASE … TEMPLATE`, a copy
that takes about a second. The template's name carries a fingerprint of every migration file, the
settings and every installed distribution's version, so a change to any of them builds a new one; on
an unchanged checkout the template on the server is reused by the next run. Templates unused for a
week are dropped.
"""

import datetime
import hashlib
import importlib.metadata
import os
import shutil
import subprocess
import sys
import tempfile
import tomllib
import uuid
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PREFIX = "imc_tpl_"
LOCK_KEY = 7_302_914  # pg_advisory_lock key: one template build at a time on this server
DEMO_LOCK_KEY = 7_302_915  # the demo's build, apart: the other sessions need only the migrated template
KEEP_DAYS = 7
DEMO_MEDIA = Path(tempfile.gettempdir()) / "imc-demo-media"  # the demo templates' files, by template name


def fingerprint() -> str:
    digest = hashlib.sha256()
    for path in sorted([*ROOT.glob("*/migrations/*.py"), *ROOT.glob("imc_site/settings/*.py")]):
        digest.update(path.relative_to(ROOT).as_posix().encode())
        digest.update(path.read_bytes())
    for dist in sorted(f"{d.metadata['Name']}=={d.version}" for d in importlib.metadata.distributions()):
        digest.update(dist.encode())
    return digest.hexdigest()[:20]


def _app_packages() -> list[str]:
    with open(ROOT / "pyproject.toml", "rb") as file:
        return tomllib.load(file)["tool"]["coverage"]["run"]["source"]


def demo_fingerprint() -> str:
    """The migrated template's fingerprint and every application file `load_demo` may run or render."""
    digest = hashlib.sha256(fingerprint().encode())
    for package in _app_packages():
        for path in sorted((ROOT / package).rglob("*")):
            if path.suffix in (".py", ".html", ".txt") and "migrations" not in path.parts:
                digest.update(path.relative_to(ROOT).as_posix().encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:20]


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _exists(cursor, name: str) -> bool:
    cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
    return cursor.fetchone() is not None


def _migrate(url: str) -> None:
    """Migrates the database at `url` in a child process, with the test settings."""
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "imc_site.settings.test"}
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "--verbosity=0"], cwd=ROOT, env=env, check=True
    )


def _drop_stale(cursor, keep: str) -> None:
    cutoff = (datetime.date.today() - datetime.timedelta(days=KEEP_DAYS)).isoformat()
    cursor.execute(
        "SELECT datname FROM pg_database WHERE datname LIKE %s AND datname <> %s AND datname NOT LIKE %s"
        " AND coalesce(shobj_description(oid, 'pg_database'), '') < %s",
        [PREFIX + "%", keep, "%\\_building", cutoff],  # one being built is another session's
    )
    for (name,) in cursor.fetchall():
        cursor.execute(f"DROP DATABASE IF EXISTS {_quote(name)}")
        shutil.rmtree(DEMO_MEDIA / name, ignore_errors=True)  # a demo template's files


def _url(settings_dict: dict, name: str) -> str:
    user, host, port = settings_dict["USER"], settings_dict["HOST"] or "127.0.0.1", settings_dict["PORT"] or 5432
    password = f":{settings_dict['PASSWORD']}" if settings_dict.get("PASSWORD") else ""
    return f"postgres://{user}{password}@{host}:{port}/{name}"


@contextmanager
def _template(connection):
    """A cursor on the server's maintenance database, holding the advisory lock, and the name of the
    template for the current fingerprint (built now if the server has none)."""
    template = PREFIX + fingerprint()
    with connection._nodb_cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s)", [LOCK_KEY])
        try:
            if not _exists(cursor, template):
                building = template + "_building"
                cursor.execute(f"DROP DATABASE IF EXISTS {_quote(building)}")
                cursor.execute(f"CREATE DATABASE {_quote(building)}")
                _migrate(_url(connection.settings_dict, building))
                cursor.execute(f"ALTER DATABASE {_quote(building)} RENAME TO {_quote(template)}")
            # The last day of use, for _drop_stale on other checkouts' templates.
            cursor.execute(f"COMMENT ON DATABASE {_quote(template)} IS %s", [datetime.date.today().isoformat()])
            _drop_stale(cursor, keep=template)
            yield cursor, template
        finally:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [LOCK_KEY])


def clone_test_database(connection, keep_existing: bool) -> None:
    """Creates the test database of `connection` (its TEST NAME) as a copy of the migrated template.
    With `keep_existing` (pytest --reuse-db) an existing test database is left as it is."""
    test_name = connection.creation._get_test_db_name()
    with _template(connection) as (cursor, template):
        if keep_existing and _exists(cursor, test_name):
            return
        cursor.execute(f"DROP DATABASE IF EXISTS {_quote(test_name)} WITH (FORCE)")
        cursor.execute(f"CREATE DATABASE {_quote(test_name)} TEMPLATE {_quote(template)}")


def _load_demo(url: str, media: Path) -> None:
    """`manage.py load_demo` on the database at `url`, its files written under `media`, in a child process."""
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "imc_site.settings.test"}
    env["IMC_TEST_MEDIA"] = str(media)
    env.pop("PYTEST_XDIST_WORKER", None)  # MEDIA_ROOT is then media/main
    subprocess.run([sys.executable, "manage.py", "load_demo", "--quiet"], cwd=ROOT, env=env, check=True)


KEEP_DEMOS = 3  # a demo template per code change would pile up over a day of work


def _drop_old_demos(cursor) -> None:
    """All but the KEEP_DEMOS newest demo templates, with their files (under the demo lock: nobody is
    copying one meanwhile)."""
    cursor.execute(
        "SELECT datname FROM pg_database WHERE datname LIKE %s AND datname NOT LIKE %s ORDER BY oid DESC OFFSET %s",
        [PREFIX + "demo\\_%", "%\\_building", KEEP_DEMOS],
    )
    for (name,) in cursor.fetchall():
        cursor.execute(f"DROP DATABASE IF EXISTS {_quote(name)}")
        shutil.rmtree(DEMO_MEDIA / name, ignore_errors=True)


def clone_demo_database(connection) -> Path:
    """Creates the test database of `connection` as a copy of the demo template — the migrated template
    with `load_demo` run on it, built once per demo fingerprint (about a minute of CPU) — and returns the
    directory of the demo's files, for the caller to copy to its MEDIA_ROOT. For the browser session."""
    with _template(connection) as (_cursor, template):
        pass  # the migrated template exists now
    test_name = connection.creation._get_test_db_name()
    name = PREFIX + "demo_" + demo_fingerprint()
    media = DEMO_MEDIA / name
    with connection._nodb_cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s)", [DEMO_LOCK_KEY])
        try:
            if not _exists(cursor, name) or not (media / "main").is_dir():
                building = name + "_building"
                cursor.execute(f"DROP DATABASE IF EXISTS {_quote(building)}")
                cursor.execute(f"CREATE DATABASE {_quote(building)} TEMPLATE {_quote(template)}")
                shutil.rmtree(media, ignore_errors=True)
                _load_demo(_url(connection.settings_dict, building), media)
                cursor.execute(f"DROP DATABASE IF EXISTS {_quote(name)}")
                cursor.execute(f"ALTER DATABASE {_quote(building)} RENAME TO {_quote(name)}")
                _drop_old_demos(cursor)
            cursor.execute(f"COMMENT ON DATABASE {_quote(name)} IS %s", [datetime.date.today().isoformat()])
            cursor.execute(f"DROP DATABASE IF EXISTS {_quote(test_name)} WITH (FORCE)")
            cursor.execute(f"CREATE DATABASE {_quote(test_name)} TEMPLATE {_quote(name)}")
        finally:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [DEMO_LOCK_KEY])
    return media / "main"


@contextmanager
def migrated_copy(connection):
    """A migrated database of its own for a child process, dropped afterwards; yields its URL."""
    name = f"imc_copy_{uuid.uuid4().hex[:12]}"
    with _template(connection) as (cursor, template):
        cursor.execute(f"CREATE DATABASE {_quote(name)} TEMPLATE {_quote(template)}")
    try:
        yield _url(connection.settings_dict, name)
    finally:
        with connection._nodb_cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {_quote(name)} WITH (FORCE)")


def drop_test_databases(config) -> None:
    """Django's teardown_databases, dropping WITH (FORCE): a live server's request thread may still hold a
    connection when the session ends (a browser's keep-alive), and a plain DROP then fails the run."""
    from django.conf import settings

    for connection, old_name, destroy in config:
        test_name = connection.settings_dict["NAME"]
        connection.close()
        if destroy:
            with connection._nodb_cursor() as cursor:
                cursor.execute(f"DROP DATABASE IF EXISTS {_quote(test_name)} WITH (FORCE)")
        settings.DATABASES[connection.alias]["NAME"] = old_name
        connection.settings_dict["NAME"] = old_name

"""A release changes pages without a publish: new templates, CSS or code. Both page caches must drop what
the old code rendered — Redis (a new generation) and the proxy in front (everything) — and only then.

`fingerprint()` hashes what a page is made from (Python, templates, static sources); `new_release()`
compares it with the one recorded for this instance and drops the caches when it differs. systemd runs
it after each gunicorn instance starts (deploy/systemd/imc-gunicorn@.service): in a rolling deploy the
second instance's start also drops what the old one rendered meanwhile; a crash restart drops nothing.
"""

import hashlib
from pathlib import Path

from django.conf import settings
from django.core.cache import caches

SUFFIXES = {".py", ".html", ".txt", ".xml", ".css", ".js", ".svg", ".json", ".mo"}
SKIP_DIRS = {".git", ".venv", "node_modules", "media", "static_collected", "tests", "bench", "__pycache__", "docs"}
RECORD_KEY = "release:fingerprint:{instance}"


def _sources(root: Path):
    for path in root.iterdir():
        if path.is_dir():
            if path.name not in SKIP_DIRS and not path.name.startswith("."):
                yield from _sources(path)
        elif path.suffix in SUFFIXES:
            yield path


def fingerprint(root: Path | None = None) -> str:
    root = Path(root or settings.BASE_DIR)
    digest = hashlib.sha256()
    for path in sorted(_sources(root)):
        digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def drop_page_caches() -> None:
    """Every page is rendered again: a new Redis generation, and the proxy drops everything."""
    from .cache import new_generation
    from .frontendcache import PurgeURLs, proxy_configured, purge

    new_generation()
    if proxy_configured():
        everything = PurgeURLs()
        everything.everything = True
        purge(everything)


def new_release(instance: str = "", current: str | None = None) -> bool:
    """Drops the page caches if this instance's code differs from what it last ran (or always, without an
    instance name). Recorded in the durable cache (PostgreSQL): a Redis restart does not look like a release."""
    current = current or fingerprint()
    store = caches["durable"]
    key = RECORD_KEY.format(instance=instance or "-")
    if instance and store.get(key) == current:
        return False
    drop_page_caches()
    store.set(key, current, timeout=None)
    return True

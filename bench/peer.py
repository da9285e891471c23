"""Side by side with wagtail/bakerydemo (issue 14): uncached rendering of each page type against a well-known
Wagtail site on the same machine — the same PostgreSQL server, the same gunicorn (2 sync workers, the same
`gunicorn.conf.py`), the same wrk — measured in one interleaved run, so that machine noise hits both.

1. Prepares bakerydemo at a pinned commit in `/tmp/imc-peer/` (a clone of the local mirror, its own venv on
   Python 3.12, its database `imc_peer_bakery` with `load_initial_data`); a marker file lets later runs
   reuse all of it while the commit and packages are the same.
2. Prepares our bench database `imc_bench_peer` (migrate, collectstatic, the demo), unless `--skip-prepare`.
3. Starts both sites with production settings and no page cache (ours: `PAGE_CACHE_SECONDS=0`; bakerydemo
   has none), finds each pair's URLs from the running sites, checks that every one answers 200 (and that
   both searches find something), then measures each pair ours/peer, then peer/ours in the next round,
   each with a short warm-up: `wrk -t2 -c16 -d<duration>s --latency`.
4. Prints req/s, p50, p99, non-2xx and ours/peer per pair, and each ratio against the checked-in
   baseline (`bench/baselines/peer.json`) and the target (≥ 3.0); writes `bench/results/peer-<time>.json`.
   Exit status 1 when a gated pair is under the target or more than 20 % under its baseline.

    .venv/bin/python -m bench.peer [--duration 8] [--rounds 3] [--skip-prepare] [--update-baseline]
                                   [--only "news page,search"]
"""

import argparse
import contextlib
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

from bench.common import PG_URL, ROOT, bench_env, gunicorn, prepare_database, recreate_database, serve, wrk

# The peer: wagtail/bakerydemo at a fixed commit (Django 6.0, Wagtail 7.4: Python ≥ 3.12).
PEER_COMMIT = "8e2b625755d8942412d5b7627b146a795933b8b2"
PEER_MIRROR = os.environ.get("PEER_MIRROR", "/work/.mirror/wagtail+bakerydemo/repo")
PEER_UPSTREAM = "https://github.com/wagtail/bakerydemo.git"  # when the local mirror is missing
PEER_DIR = Path(os.environ.get("PEER_DIR") or Path(tempfile.gettempdir()) / "imc-peer")
PEER_PYTHON = os.environ.get("PEER_PYTHON", "/root/.pyenv/versions/3.12.1/bin/python")
# Its production requirements minus the cloud (S3, GCS, Elasticsearch, uwsgi), plus the server ours runs:
# gunicorn and whitenoise at our pinned versions (requirements.txt), so the servers are the same.
PEER_PACKAGES = (
    "-r",
    "requirements/base.txt",
    "gunicorn==27.0.1",
    "whitenoise==6.12.0",
    "psycopg[binary]>=3.3.3,<3.4",
    "dj-database-url",
)
PEER_DB = "imc_peer_bakery"
PEER_PORT = 8211

OUR_DB = "imc_bench_peer"
OUR_PORT = 8210
OUR_REDIS = "redis://127.0.0.1:6379/12"

TARGET = 3.0  # issue 14: ours ≥ 3 × the peer on every page type
TOLERANCE = 0.20  # a ratio more than 20 % under its baseline is a regression
BASELINE = ROOT / "bench" / "baselines" / "peer.json"
RESULTS = ROOT / "bench" / "results"

# (name, our page, the peer's counterpart, gated). The URLs are found on the running sites (discover()).
PAIRS = (
    ("home", "home", "home", True),
    ("news page", "the newest news page", "the newest blog page", True),
    ("news list", "/news/", "/blog/", True),
    ("search", "/search/?q=курсы", "/search/?q=bread", True),
    ("event calendar", "/events/ (this month)", "/locations/", True),
    ("atlas catalogue", "/atlas/", "/breads/", True),
    ("static file", "css/site.css (24 KB)", "css/main.css (37 KB)", False),  # the ceiling of each server
)
OUR_QUERY, PEER_QUERY = "курсы", "bread"


def log(message=""):
    print(message, flush=True)


# --- the peer -------------------------------------------------------------------------------------------


def peer_env() -> dict:
    """bakerydemo's production settings, kept off the network: no Elasticsearch, S3/GCS, Cloudflare, Redis
    (its cache is then a per-process local memory cache, which costs it less than Redis costs ours)."""
    dropped = ("DJANGO_", "REDIS", "ELASTICSEARCH", "AWS_", "GS_", "FRONTEND_CACHE", "CSP_", "BASIC_AUTH")
    env = {k: v for k, v in os.environ.items() if not k.startswith(dropped)}
    for name in ("DATABASE_URL", "PRIMARY_HOST", "VIRTUAL_ENV", "PYTHONPATH", "SECURE_SSL_REDIRECT"):
        env.pop(name, None)
    env.update(
        DJANGO_SETTINGS_MODULE="bakerydemo.settings.production",
        DATABASE_URL=f"{PG_URL}/{PEER_DB}",
        DJANGO_SECRET_KEY="peer-bench-secret-key-not-for-production-0123456789",
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        DJANGO_LOG_LEVEL="WARNING",
        SECURE_SSL_REDIRECT="false",  # plain HTTP on loopback, as ours (SECURE_SSL_REDIRECT=0)
        SECURE_HSTS_SECONDS="0",
        PATH=f"{PEER_DIR / 'venv' / 'bin'}:{os.environ.get('PATH', '')}",
    )
    return env


def _marker() -> dict:
    return {"commit": PEER_COMMIT, "packages": list(PEER_PACKAGES), "python": PEER_PYTHON, "database": PEER_DB}


def _database_exists(name) -> bool:
    import psycopg2

    connection = psycopg2.connect(f"{PG_URL}/postgres")
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            return cursor.fetchone() is not None
    finally:
        connection.close()


def _run(command, **kwargs):
    completed = subprocess.run(command, capture_output=True, text=True, **kwargs)
    if completed.returncode:
        sys.exit(f"failed: {' '.join(map(str, command))}\n{completed.stdout[-2000:]}\n{completed.stderr[-3000:]}")
    return completed.stdout


def prepare_peer(force=False):
    """Clone, venv, database, demo content and static files of bakerydemo in PEER_DIR. A marker file records
    what was prepared; when it matches (and the database is there) nothing is done."""
    repo, venv, marker = PEER_DIR / "bakerydemo", PEER_DIR / "venv", PEER_DIR / "prepared.json"
    if not force and marker.exists() and json.loads(marker.read_text()) == _marker() and _database_exists(PEER_DB):
        log(f"bakerydemo {PEER_COMMIT[:7]}: prepared in {PEER_DIR} (marker matches), reused")
        return
    started = time.monotonic()
    marker.unlink(missing_ok=True)
    PEER_DIR.mkdir(parents=True, exist_ok=True)
    if not (repo / ".git").exists():
        source = PEER_MIRROR if Path(PEER_MIRROR).exists() else PEER_UPSTREAM
        log(f"cloning bakerydemo from {source}…")
        _run(["git", "clone", "-q", source, str(repo)])
    _run(["git", "-C", str(repo), "checkout", "-q", "--detach", PEER_COMMIT])
    _run(["git", "-C", str(repo), "clean", "-qfdx"])  # earlier media, static files and .env
    if venv.exists():
        shutil.rmtree(venv)
    log(f"venv on {PEER_PYTHON}, pip install {' '.join(PEER_PACKAGES)}…")
    _run([PEER_PYTHON, "-m", "venv", str(venv)])
    _run([str(venv / "bin" / "pip"), "install", "-q", "--upgrade", "pip"])
    _run([str(venv / "bin" / "pip"), "install", "-q", *PEER_PACKAGES], cwd=repo)
    recreate_database(PEER_DB)
    env, python = peer_env(), str(venv / "bin" / "python")
    log("bakerydemo: migrate, load_initial_data, collectstatic…")
    for args in (("migrate", "--noinput"), ("load_initial_data",), ("collectstatic", "--noinput", "-v0")):
        _run([python, "manage.py", *args], cwd=repo, env=env)
    marker.write_text(json.dumps(_marker(), indent=2))
    log(f"  bakerydemo prepared in {time.monotonic() - started:.0f} s")


@contextlib.contextmanager
def peer_gunicorn(port=PEER_PORT, workers=2):
    """bakerydemo under the same gunicorn and configuration file as ours (preloaded, sync workers)."""
    command = [
        str(PEER_DIR / "venv" / "bin" / "gunicorn"),
        "bakerydemo.wsgi:application",
        "-c",
        str(ROOT / "gunicorn.conf.py"),
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
    ]
    with serve(command, PEER_DIR / "bakerydemo", peer_env(), port, ready_path="/") as base:
        yield base


# --- discovery ------------------------------------------------------------------------------------------


def fetch(url) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(errors="replace")


def _page(base, path) -> str:
    status, body = fetch(base + path)
    if status != 200:
        sys.exit(f"{base}{path} answered {status}")
    return body


def _stylesheet(html, name) -> str:
    """The site's own stylesheet as the page links it (hashed name): ours css/site…, the peer's css/main…."""
    return re.search(rf'href="(/static/css/{name}[^"/]*\.css)"', html).group(1)


def discover_ours(base) -> dict:
    home = _page(base, "/")
    news = [u for u in re.findall(r'href="(/news/[^"/?#]+/)"', _page(base, "/news/")) if u != "/news/rss/"]
    if not news:
        sys.exit("no news page on /news/ — is the demo loaded?")
    return {
        "home": "/",
        "news page": news[0],  # the list is newest first
        "news list": "/news/",
        "search": f"/search/?q={urllib.request.quote(OUR_QUERY)}",
        "event calendar": "/events/",
        "atlas catalogue": "/atlas/",
        "static file": _stylesheet(home, "site"),
    }


def discover_peer(base) -> dict:
    home = _page(base, "/")
    posts = [u for u in re.findall(r'href="(/blog/[^"/?#]+/)"', _page(base, "/blog/")) if "/tags/" not in u]
    if not posts:
        sys.exit("no blog page on the peer's /blog/")
    return {
        "home": "/",
        "news page": posts[0],  # its index lists posts newest first
        "news list": "/blog/",
        "search": f"/search/?q={PEER_QUERY}",
        "event calendar": "/locations/",
        "atlas catalogue": "/breads/",
        "static file": _stylesheet(home, "main"),
    }


def check_targets(base, targets, search_hit) -> dict:
    """Every URL answers 200; the search finds something (`search_hit`: a pattern its results carry).
    Returns the body size per pair."""
    sizes = {}
    for name, path in targets.items():
        status, body = fetch(base + path)
        if status != 200:
            sys.exit(f"{base}{path} ({name}) answered {status}")
        if name == "search" and not re.search(search_hit, body):
            sys.exit(f"{base}{path}: the search found nothing")
        sizes[name] = len(body.encode())
    return sizes


# --- measuring ------------------------------------------------------------------------------------------


def load_average() -> float:
    return os.getloadavg()[0]


def measure(url, duration, connections) -> dict:
    for _ in range(3):
        fetch(url)
    wrk(url, duration=2, connections=connections)  # warm-up, discarded
    return wrk(url, duration=duration, connections=connections)


def combine(runs) -> dict:
    """The rounds of one side of a pair: median req/s and latencies, errors summed."""
    return {
        "rps": statistics.median(r["rps"] for r in runs),
        "p50_ms": statistics.median(r["p50_ms"] for r in runs),
        "p99_ms": statistics.median(r["p99_ms"] for r in runs),
        "errors": sum(r["errors"] for r in runs),
        "runs": runs,
    }


def pair_ratio(runs) -> float:
    """ours/peer of a pair: the median over rounds of the ratio of the round's two measurements, which
    ran one right after the other — so a burst of other load shifts one round, not the figure."""
    return statistics.median(o["rps"] / p["rps"] for o, p in zip(runs["ours"], runs["peer"], strict=True))


def verdicts(ratios: dict, baseline: dict, gated: set) -> dict:
    """Per pair: (ok, why). Under the target, or more than TOLERANCE under the baseline, fails."""
    result = {}
    for name, ratio in ratios.items():
        if name not in gated:
            result[name] = (True, "not gated")
            continue
        reasons = []
        if ratio < TARGET:
            reasons.append(f"under the target {TARGET:.1f}")
        base = baseline.get(name)
        if base is not None and ratio < base * (1 - TOLERANCE):
            reasons.append(f"more than {TOLERANCE:.0%} under the baseline {base:.2f}")
        result[name] = (not reasons, "; ".join(reasons) or "ok")
    return result


def read_baseline() -> dict:
    if not BASELINE.exists():
        return {}
    return json.loads(BASELINE.read_text()).get("ratios", {})


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--duration", type=int, default=8, help="seconds of wrk per measurement")
    parser.add_argument("--rounds", type=int, default=3, help="measurements per side and pair (order alternates)")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--skip-prepare", action="store_true", help="reuse our bench database as it is")
    parser.add_argument("--rebuild-peer", action="store_true", help="prepare bakerydemo again despite its marker")
    parser.add_argument("--only", help="comma-separated pair names (default: all)")
    parser.add_argument("--update-baseline", action="store_true", help=f"write this run's ratios to {BASELINE}")
    args = parser.parse_args(argv)

    pairs = [p for p in PAIRS if not args.only or p[0] in {n.strip() for n in args.only.split(",")}]
    started = time.monotonic()
    prepare_peer(force=args.rebuild_peer)
    env = bench_env(OUR_DB, PAGE_CACHE_SECONDS=0, REDIS_URL=OUR_REDIS, SITE_URL=f"http://127.0.0.1:{OUR_PORT}")
    if not args.skip_prepare:
        log(f"our bench database {OUR_DB}: migrate, collectstatic, load_demo…")
        prepare_database(env, OUR_DB)
    log(f"prepared in {time.monotonic() - started:.0f} s")

    with gunicorn(env, port=OUR_PORT, workers=2) as ours, peer_gunicorn() as peer:
        our_targets, peer_targets = discover_ours(ours), discover_peer(peer)
        sizes = {
            "ours": check_targets(ours, our_targets, r'<li class="search-result">'),
            "peer": check_targets(peer, peer_targets, r'class="search__results"'),
        }
        load_before = load_average()
        log(f"\nload average (1 min) before measuring: {load_before:.2f}")
        if load_before > 1.0:
            log("WARNING: the machine is not quiet (load > 1.0): absolute figures are noisy; ratios of one run count")
        log(
            f"wrk -t2 -c{args.connections} -d{args.duration}s --latency, {args.rounds} round(s) per side and pair, "
            "order alternating (ours/peer, then peer/ours); each after a 2 s warm-up\n"
        )
        measured = {}
        for name, _ours, _peer, _gated in pairs:
            runs = {"ours": [], "peer": []}
            for round_ in range(args.rounds):
                order = ("ours", "peer") if round_ % 2 == 0 else ("peer", "ours")
                for side in order:
                    base, path = (ours, our_targets[name]) if side == "ours" else (peer, peer_targets[name])
                    result = measure(base + path, args.duration, args.connections)
                    result["load"] = load_average()
                    runs[side].append(result)
                    log(f"  {name:<16} {side:<5} {result['rps']:>9.1f} req/s  (load {result['load']:.2f})")
            measured[name] = {side: combine(r) for side, r in runs.items()}
            measured[name]["ratio"] = pair_ratio(runs)
        load_after = load_average()

    baseline = read_baseline()
    ratios = {name: m["ratio"] for name, m in measured.items()}
    gated = {name for name, *_rest, is_gated in pairs if is_gated}
    checked = verdicts(ratios, baseline, gated)

    log(f"\n{'pair':<17}{'ours':<34}{'peer':<20}{'req/s ours':>11}{'peer':>8}{'p50 ms':>14}{'p99 ms':>16}")
    for name, m in measured.items():
        o, p = m["ours"], m["peer"]
        log(
            f"{name:<17}{our_targets[name][:33]:<34}{peer_targets[name][:19]:<20}{o['rps']:>11.1f}{p['rps']:>8.1f}"
            f"{o['p50_ms']:>7.1f}/{p['p50_ms']:<6.1f}{o['p99_ms']:>8.1f}/{p['p99_ms']:<7.1f}"
        )
    log(f"\n{'pair':<17}{'ratio':>7}{'baseline':>10}{'target':>8}{'non-2xx':>10}{'bytes ours/peer':>18}  verdict")
    for name, ratio in ratios.items():
        ok, why = checked[name]
        base = baseline.get(name)
        errors = f"{measured[name]['ours']['errors']}/{measured[name]['peer']['errors']}"
        log(
            f"{name:<17}{ratio:>7.2f}{(f'{base:.2f}' if base else '—'):>10}"
            f"{(f'{TARGET:.1f}' if name in gated else '—'):>8}{errors:>10}"
            f"{sizes['ours'][name]:>9}/{sizes['peer'][name]:<8}  {'OK' if ok else 'FAIL: ' + why}"
        )
    log(f"\nload average (1 min): {load_before:.2f} before, {load_after:.2f} after")

    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    report = {
        "when": stamp,
        "commit": commit.stdout.strip(),
        "peer_commit": PEER_COMMIT,
        "duration": args.duration,
        "rounds": args.rounds,
        "connections": args.connections,
        "load": {"before": load_before, "after": load_after},
        "targets": {"ours": our_targets, "peer": peer_targets},
        "bytes": sizes,
        "pairs": measured,
        "ratios": ratios,
        "verdicts": {name: {"ok": ok, "why": why} for name, (ok, why) in checked.items()},
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"peer-{stamp}.json"
    path.write_text(json.dumps(report, indent=2, ensure_ascii=False))
    log(f"Figures written to {path.relative_to(ROOT)}")

    if args.update_baseline:
        BASELINE.parent.mkdir(parents=True, exist_ok=True)
        kept = read_baseline() if args.only else {}  # a partial run updates only its own pairs
        BASELINE.write_text(
            json.dumps(
                {
                    "what": "ours/peer req/s per pair from one quiet interleaved run of bench/peer.py",
                    "measured": stamp,
                    "commit": report["commit"],
                    "peer_commit": PEER_COMMIT,
                    "load": report["load"],
                    "duration": args.duration,
                    "rounds": args.rounds,
                    "ratios": {**kept, **{n: round(r, 2) for n, r in ratios.items() if n in gated}},
                },
                indent=2,
                ensure_ascii=False,
            )
            + "\n"
        )
        log(f"Baseline written to {BASELINE.relative_to(ROOT)}")
    failed = [name for name, (ok, _why) in checked.items() if not ok]
    if failed:
        log(f"\nFAILED: {', '.join(failed)}")
        return 1
    log(f"\nEvery gated pair ≥ {TARGET:.1f}× the peer and within {TOLERANCE:.0%} of its baseline.")
    return 0


if __name__ == "__main__":
    sys.exit(main())

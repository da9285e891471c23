"""Foundation benchmark: what a visitor waits for on the busiest pages, and how much the page cache buys.

gunicorn (2 workers, production settings), PostgreSQL with the demo content, wrk for 10 s per target:
home, news list, one news page and a static file (the upper bound of this machine + gunicorn).
Two runs: uncached (PAGE_CACHE_SECONDS=0, every request renders) and cached (the anonymous page cache in
Redis). Prints req/s, p50/p99 latency and the ratio to the static file.

    .venv/bin/python -m bench.foundation [--duration 10] [--connections 16] [--json bench/results/x.json]
"""

import argparse
import json
import re
import sys
import time
import urllib.request
from pathlib import Path

from bench.common import bench_env, gunicorn, prepare_database, print_table, wrk

TARGET_UNCACHED_HOME_RPS = 130


def fetch(url) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read().decode()


def discover(base) -> dict:
    """Home, news list, the newest news page and the hashed stylesheet, as the site links them."""
    home = fetch(base + "/")
    stylesheet = re.search(r'href="(/static/css/site[^"]*\.css)"', home).group(1)
    news_list = fetch(base + "/news/")
    news_pages = [u for u in re.findall(r'href="(/news/[^"/?#]+/)"', news_list) if u != "/news/rss/"]
    if not news_pages:
        sys.exit("no news page found on /news/ — is the demo loaded?")
    return {"home": "/", "news list": "/news/", "news page": news_pages[0], "static file": stylesheet}


def run(env, label, duration, connections) -> list:
    rows = []
    with gunicorn(env, port=8100, workers=2) as base:
        targets = discover(base)
        for name, path in targets.items():
            url = base + path
            for _ in range(3):  # warm the workers (and the cache in the cached run)
                with urllib.request.urlopen(url, timeout=10) as response:
                    response.read()
            wrk(url, duration=2, connections=connections)  # warm-up, discarded
            result = wrk(url, duration=duration, connections=connections)
            result["path"] = path
            rows.append((f"{label}: {name}", result))
    return rows


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--skip-prepare", action="store_true", help="reuse the bench database as it is")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args(argv)

    uncached_env = bench_env(PAGE_CACHE_SECONDS=0)
    cached_env = bench_env(PAGE_CACHE_SECONDS=300)
    if not args.skip_prepare:
        print("Preparing the bench database (migrate, collectstatic, load_demo)…", flush=True)
        started = time.monotonic()
        prepare_database(uncached_env)
        print(f"  done in {time.monotonic() - started:.0f} s", flush=True)

    results = {}
    for label, env in (("uncached", uncached_env), ("cached", cached_env)):
        print(
            f"\n== {label} (PAGE_CACHE_SECONDS={env['PAGE_CACHE_SECONDS']}), gunicorn 2 workers, "
            f"wrk {args.connections} connections × {args.duration} s",
            flush=True,
        )
        rows = run(env, label, args.duration, args.connections)
        print_table(rows, reference=f"{label}: static file")
        results[label] = {name.split(": ", 1)[1]: r for name, r in rows}

    home = results["uncached"]["home"]["rps"]
    verdict = "met" if home >= TARGET_UNCACHED_HOME_RPS else "NOT met"
    print(f"\nUncached home: {home:.0f} req/s — target ≥ {TARGET_UNCACHED_HOME_RPS} req/s {verdict}.")
    print(
        f"Cached home: {results['cached']['home']['rps']:.0f} req/s "
        f"({results['cached']['home']['rps'] / home:.1f}× uncached)."
    )
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(results, indent=2, ensure_ascii=False))
        print(f"Figures written to {args.json}")


if __name__ == "__main__":
    main()

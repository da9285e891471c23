"""Cache hits as cheap as they can be (issue 14), measured on `make stack` in one run, page type by page type:

1. gunicorn (one instance, production settings, its sync workers): a hit of the Redis page cache against
   the whitenoise static file (the stylesheet) on the same instance — goal ≥ 2/3;
2. nginx in front: a hit of its proxy cache against nginx serving a static file with the very bytes of
   that page (written under static_collected/, served from /static/) — goal ≥ 1/2.

Each page is measured right after its static reference (the machine is shared and noisy: a ratio of two
neighbouring measurements means more than two absolute figures). Pages that are never stored (a form with
a CSRF token) are listed as such. Brings the stack up if it is not running, and stops it again then.

    .venv/bin/python -m bench.stack [--duration 10] [--connections 16] [--threads 2] [--types HomePage,NewsPage]

Figures go to bench/results/stack-<timestamp>.json.
"""

import argparse
import json
import os
import re
import subprocess
import sys
import time
import urllib.request

from bench.common import ROOT, print_table, wrk
from scripts import stack

COPIES = ROOT / "static_collected" / "bench-copies"


def page_per_type(env: dict) -> list[tuple[str, str]]:
    """One live public page of every page type in the stack's database: (type, path)."""
    code = (
        "import json\n"
        "from wagtail.models import Page\n"
        "seen = {}\n"
        "for page in Page.objects.live().public().filter(depth__gt=1).specific().order_by('path'):\n"
        "    seen.setdefault(type(page).__name__, page.url)\n"
        "print(json.dumps(sorted(seen.items())))\n"
    )
    out = subprocess.run(
        [stack.PYTHON, "manage.py", "shell", "--no-imports", "-c", code],
        cwd=ROOT,
        env={**env, "LOG_LEVEL": "ERROR"},
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return [tuple(item) for item in json.loads(out.strip().splitlines()[-1])]


def fetch(url: str) -> tuple[dict, bytes]:
    with urllib.request.urlopen(url, timeout=30) as response:
        return {k.lower(): v for k, v in response.headers.items()}, response.read()


def stored(url: str, header: str) -> bytes | None:
    """The page's body if the second request is a hit of the cache that `header` reports, else None."""
    fetch(url)
    headers, body = fetch(url)
    return body if headers.get(header) == "HIT" else None


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--types", default="", help="only these page types, comma-separated (default: all)")
    args = parser.parse_args(argv)
    only = {name.strip() for name in args.types.split(",") if name.strip()}

    state = stack.read_state()
    started = state is None
    if started:
        state = stack.up()
    try:
        env = {**os.environ, **state["env"]}
        site, app = state["url"], state["app_urls"][0]
        _, home = fetch(site + "/")
        stylesheet = re.search(rb'<link[^>]+rel="stylesheet"[^>]+href="(/static/[^"]+\.css)"', home)
        stylesheet = stylesheet or re.search(rb'href="(/static/[^"]+\.css)"', home)
        css = stylesheet.group(1).decode()
        COPIES.mkdir(parents=True, exist_ok=True)

        def run(url):
            time.sleep(0.5)
            return wrk(url, duration=args.duration, connections=args.connections, threads=args.threads)

        rows, results, never = [], [], []
        for kind, path in page_per_type(env):
            if only and kind not in only:
                continue
            through_app = stored(app + path, "x-cache")
            through_proxy = stored(site + path, "x-proxy-cache")
            if through_app is None or through_proxy is None:
                never.append(f"{kind} {path}")
                continue
            copy = COPIES / f"{kind}.html"
            copy.write_bytes(through_proxy)
            result = {"type": kind, "path": path, "bytes": len(through_proxy)}
            result["gunicorn_static"] = run(app + css)
            result["gunicorn_hit"] = run(app + path)
            result["nginx_static"] = run(f"{site}/static/bench-copies/{kind}.html")
            result["nginx_hit"] = run(site + path)
            result["gunicorn_ratio"] = result["gunicorn_hit"]["rps"] / result["gunicorn_static"]["rps"]
            result["nginx_ratio"] = result["nginx_hit"]["rps"] / result["nginx_static"]["rps"]
            results.append(result)
            rows += [
                (f"{kind}: gunicorn static", result["gunicorn_static"]),
                (f"{kind}: gunicorn hit", result["gunicorn_hit"]),
                (f"{kind}: nginx static", result["nginx_static"]),
                (f"{kind}: nginx hit", result["nginx_hit"]),
            ]
            print(
                f"{kind:<28} {path:<55} gunicorn hit/static {result['gunicorn_ratio']:.2f}   "
                f"nginx hit/static {result['nginx_ratio']:.2f}",
                flush=True,
            )
    finally:
        if COPIES.exists():
            for copy in COPIES.iterdir():
                copy.unlink()
            COPIES.rmdir()
        if started:
            stack.down()

    print()
    print_table(rows)
    print()
    print(
        f"{'page type':<28}{'bytes':>8}{'gunicorn hit':>14}{'static':>9}{'ratio':>7}{'nginx hit':>11}{'static':>9}{'ratio':>7}"
    )
    for r in results:
        print(
            f"{r['type']:<28}{r['bytes']:>8}{r['gunicorn_hit']['rps']:>14.0f}{r['gunicorn_static']['rps']:>9.0f}"
            f"{r['gunicorn_ratio']:>7.2f}{r['nginx_hit']['rps']:>11.0f}{r['nginx_static']['rps']:>9.0f}"
            f"{r['nginx_ratio']:>7.2f}"
        )
    if results:
        low_g = min(r["gunicorn_ratio"] for r in results)
        low_n = min(r["nginx_ratio"] for r in results)
        print(f"\nlowest: gunicorn {low_g:.2f} (goal ≥ 0.67), nginx {low_n:.2f} (goal ≥ 0.50)")
    for item in never:
        print(f"not stored (never cached by design, e.g. a form): {item}")
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    target = out / f"stack-{time.strftime('%Y%m%d-%H%M%S')}.json"
    target.write_text(json.dumps({"args": vars(args), "results": results, "never_stored": never}, indent=2))
    print(f"\nwritten {target.relative_to(ROOT)}")


if __name__ == "__main__":
    main(sys.argv[1:])

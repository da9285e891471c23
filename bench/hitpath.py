"""The page-cache hit path in process (issue 14): what a hit costs Python against whitenoise serving a
static file, with no network and no load generator — cheap, and valid as a ratio on a busy machine.

Builds the WSGI application with production settings against a small PostgreSQL database (the demo) and
Redis, stores one page of every page type in the page cache, then calls the application with a WSGI
environ as wrk would send it (only `Host`, no Accept-Encoding) — N times for each cached page and N
times for the stylesheet, alternately, in rounds — and prints µs per request and the ratio
static/hit (the hit's share of the static file's throughput, as bench/stack.py measures it through
gunicorn and wrk) by this process's CPU time and by wall time, then a cProfile top-20 of the hit path. The socket write is not measured (a hit's
body is one bytes object; whitenoise hands gunicorn a file for sendfile).

    .venv/bin/python -m bench.hitpath [--prepare] [--requests 400] [--rounds 5] [--types 6] [--profile HomePage]
                                      [--no-watch]
"""

import argparse
import cProfile
import io
import os
import pstats
import re
import statistics
import sys
import time
from urllib.parse import unquote

from bench.common import bench_env, prepare_database

DB = "imc_hitpath"
REDIS = "redis://127.0.0.1:6379/11"
HOST = "127.0.0.1:8100"


class FileWrapper:
    """gunicorn's wsgi.file_wrapper stand-in: the file goes to the socket by sendfile, not through Python."""

    def __init__(self, filelike, blksize=8192):
        self.filelike = filelike

    def __iter__(self):
        return iter(())

    def close(self):
        self.filelike.close()


def environ(path: str) -> dict:
    path, _, query = path.partition("?")
    return {
        "REQUEST_METHOD": "GET",
        "SCRIPT_NAME": "",
        "PATH_INFO": unquote(path).encode().decode("latin-1"),
        "QUERY_STRING": query,
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8100",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_HOST": HOST,
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
        "wsgi.file_wrapper": FileWrapper,
    }


def call(app, path: str) -> tuple[str, dict, bytes]:
    seen = {}

    def start_response(status, headers, exc_info=None):
        seen["status"], seen["headers"] = status, headers

    result = app(environ(path), start_response)
    try:
        body = b"".join(result)
    finally:
        if hasattr(result, "close"):
            result.close()
    return seen["status"], dict(seen["headers"]), body


def timed(app, path: str, count: int) -> tuple[float, float]:
    """µs per request over `count` calls (the body iterated and closed, as gunicorn does): this process's
    CPU time (user + system, the socket calls to Redis included; what limits throughput on a saturated
    machine, and little disturbed by other load) and the wall time (which also counts waiting for Redis
    and for the CPU)."""

    def start_response(status, headers, exc_info=None):
        pass

    wall, cpu = time.perf_counter(), time.process_time()
    for _ in range(count):
        result = app(environ(path), start_response)
        for _chunk in result:
            pass
        result.close()
    return (time.process_time() - cpu) / count * 1e6, (time.perf_counter() - wall) / count * 1e6


def page_per_type() -> list[tuple[str, str]]:
    from wagtail.models import Page

    seen = {}
    for page in Page.objects.live().public().filter(depth__gt=1).specific().order_by("path"):
        seen.setdefault(type(page).__name__, page.url)
    return sorted(seen.items())


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--prepare", action="store_true", help="(re)create the database with the demo first")
    parser.add_argument("--requests", type=int, default=400, help="calls per target and round")
    parser.add_argument("--rounds", type=int, default=5, help="rounds; the median round counts")
    parser.add_argument("--types", type=int, default=0, help="only the first N page types (0: all)")
    parser.add_argument("--profile", default="HomePage", help="page type whose hit is profiled ('' for none)")
    parser.add_argument("--no-watch", action="store_true", help="read the generation from Redis on every hit")
    args = parser.parse_args(argv)

    env = bench_env(DB, REDIS_URL=REDIS)
    if args.prepare:
        prepare_database(env, DB)
    os.environ.update(env)
    from django.core.wsgi import get_wsgi_application

    app = get_wsgi_application()
    import core.cache
    from core.cache import new_generation

    if args.no_watch:
        core.cache.WATCH_GENERATION = False
    new_generation()
    _, _, home = call(app, "/")
    css = re.search(rb'href="(/static/[^"]+\.css)"', home).group(1).decode()
    status, _, _ = call(app, css)
    assert status.startswith("200"), (css, status)

    pages, never = [], []
    for kind, url in page_per_type():
        path = url.split("://", 1)[-1].split("/", 1)[-1]
        path = "/" + path
        miss = call(app, path)
        hit = call(app, path)
        if hit[1].get("X-Cache") != "HIT":
            never.append(f"{kind} {path}")
            continue
        differ = {
            name
            for name in set(miss[1]) | set(hit[1])
            if name not in ("X-Cache", "Age") and miss[1].get(name) != hit[1].get(name)
        }
        if differ:
            print(f"! {kind}: headers of the hit differ from the miss: {sorted(differ)}")
        pages.append((kind, path, len(hit[2])))
    if args.types:
        pages = pages[: args.types]

    print(f"static file {css}; {args.rounds} rounds × {args.requests} calls per target; median of the rounds")
    print(f"{'':<36}{'---- CPU µs per request ----':>28}{'---- wall µs per request ----':>30}")
    print(f"{'page type':<28}{'bytes':>8}{'hit':>9}{'static':>9}{'ratio':>8}{'':>4}{'hit':>9}{'static':>9}{'ratio':>8}")
    ratios = {"cpu": [], "wall": []}
    for kind, path, size in pages:
        hit_us, static_us = [], []
        for _ in range(args.rounds):
            static_us.append(timed(app, css, args.requests))
            hit_us.append(timed(app, path, args.requests))
        row = f"{kind:<28}{size:>8}"
        for index, name in enumerate(ratios):
            hit = statistics.median(us[index] for us in hit_us)
            static = statistics.median(us[index] for us in static_us)
            ratios[name].append(static / hit)
            row += f"{hit:>9.0f}{static:>9.0f}{static / hit:>8.2f}" + " " * 4 * (1 - index)
        print(row, flush=True)
    for name, values in ratios.items():
        if values:
            print(
                f"ratio static/hit by {name:<4}: median {statistics.median(values):.2f}, range "
                f"{min(values):.2f}–{max(values):.2f}, ≥ 0.67: {sum(r >= 2 / 3 for r in values)} of {len(values)}"
            )
    for item in never:
        print(f"not stored (by design, e.g. a form): {item}")

    if args.profile:
        target = next((path for kind, path, _ in pages if kind == args.profile), pages[0][1] if pages else None)
        for name, path in (("hit " + target, target), ("static " + css, css)):
            profile = cProfile.Profile()
            profile.enable()
            timed(app, path, 2000)
            profile.disable()
            out = io.StringIO()
            pstats.Stats(profile, stream=out).sort_stats("tottime").print_stats(20)
            print(f"\n--- cProfile, {name}: top 20 by own time (2,000 calls) ---")
            print("\n".join(line for line in out.getvalue().splitlines()[4:] if line.strip()))


if __name__ == "__main__":
    main(sys.argv[1:])

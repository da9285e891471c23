"""«Безопасный интернет» benchmark: the registry of normative documents with 1,000 documents and two filters.

1. A fresh PostgreSQL database `imc_bench_safe_internet` with the demo content.
2. Documents are added in bulk in two steps (100, then `--documents` in all); after each step the queries of
   one request to the registry (no filter, two filters) are counted in-process: they must not grow.
3. gunicorn (2 sync workers, production settings, PAGE_CACHE_SECONDS=0: every request renders), wrk for
   `--duration` seconds per target: the registry with two filters, the registry unfiltered, the section's
   landing page and a static file (the ceiling of this run); req/s, p50/p99, ratio to the static file.

    .venv/bin/python -m bench.safe_internet [--duration 10] [--connections 16] [--skip-prepare]

Target from issue 12: the filtered registry ≥ 0.04 of the static file, queries per request constant.
"""

import argparse
import json
import re
import sys
import time
import urllib.request

from bench.common import bench_env, gunicorn, manage, prepare_database, print_table, wrk
from bench.events import shell

DB_NAME = "imc_bench_safe_internet"
TARGET_RATIO = 0.04
REGISTRY = "/safe-internet/normativnoe-regulirovanie/"
FILTERED = REGISTRY + "?level=federal&status=in_force"

SEED = r"""
import datetime, random, sys
from safe_internet.models import NormativeDocument

total = int(sys.argv[-1])
existing = NormativeDocument.objects.filter(number__endswith="-бенч").count()
rng = random.Random(existing)
kinds = [k for k, _ in NormativeDocument.Kind.choices if k != "local"]
issuers = ["Правительство Российской Федерации", "Минпросвещения России", "Комитет по образованию", "Роскомнадзор"]
NormativeDocument.objects.bulk_create(
    NormativeDocument(
        kind=rng.choice(kinds), number=f"{n}-бенч", date=datetime.date(2000 + n % 25, 1 + n % 12, 1 + n % 28),
        issuer=rng.choice(issuers), level=rng.choice(["federal", "regional", "centre"]),
        title=f"О мерах по обеспечению информационной безопасности детей № {n}",
        status="lost_force" if n % 9 == 0 else "in_force",
        lost_force_on=datetime.date(2024, 1, 1) if n % 9 == 0 else None,
    )
    for n in range(existing, total - NormativeDocument.objects.count() + existing)
)
print(NormativeDocument.objects.count())
"""

COUNT = r"""
import json
from django.db import connection
from django.test import Client
from django.core.cache import cache
from django.test.utils import CaptureQueriesContext
from safe_internet.models import NormativeDocument

client = Client(HTTP_HOST="127.0.0.1")
result = {"documents": NormativeDocument.objects.count()}
for name, url in [("registry", "REGISTRY_URL"), ("registry+2 filters", "FILTERED_URL")]:
    counts = []
    cache.clear()
    for _ in range(2):
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        counts.append(len(ctx))
    result[name] = "/".join(map(str, counts))
print("RESULT" + json.dumps(result))
""".replace("REGISTRY_URL", REGISTRY).replace("FILTERED_URL", FILTERED)


def count_queries(env) -> dict:
    return json.loads(re.search(r"RESULT(.*)", shell(env, COUNT)).group(1))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--documents", type=int, default=1000)
    parser.add_argument("--skip-prepare", action="store_true")
    args = parser.parse_args(argv)

    env = bench_env(DB_NAME, PAGE_CACHE_SECONDS=0)
    queries = []
    if not args.skip_prepare:
        started = time.time()
        prepare_database(env, DB_NAME, demo=True)
        for total in (100, args.documents):
            shell(env, SEED, str(total))
            queries.append(count_queries(env))
        print(f"prepared in {time.time() - started:.0f} s")
    else:
        queries.append(count_queries(env))
    manage(env, "check", "--deploy")

    print("\nQueries per request, cold/warm (in-process, CaptureQueriesContext):")
    keys = ["registry", "registry+2 filters"]
    print(f"{'documents':>10}" + "".join(f"{k:>22}" for k in keys))
    for q in queries:
        print(f"{q['documents']:>10}" + "".join(f"{q[k]:>22}" for k in keys))
    constant = all(queries[0][k] == q[k] for q in queries for k in keys)
    print("constant:", "yes" if constant else "NO")

    rows = []
    with gunicorn(env, port=8112, workers=2) as base:
        home = urllib.request.urlopen(base + "/", timeout=10).read().decode()
        stylesheet = re.search(r'href="(/static/css/site[^"]*\.css)"', home).group(1)
        targets = {
            "registry, 2 filters": FILTERED,
            "registry, no filter (50 per page)": REGISTRY,
            "landing page": "/safe-internet/",
            "static file": stylesheet,
        }
        for name, path in targets.items():
            url = base + path
            for _ in range(3):
                urllib.request.urlopen(url, timeout=60).read()
            wrk(url, duration=2, connections=args.connections)
            result = wrk(url, duration=args.duration, connections=args.connections)
            result["path"] = path
            rows.append((f"uncached: {name}", result))
    print()
    print_table(rows, reference="uncached: static file")
    filtered, static = rows[0][1]["rps"], rows[-1][1]["rps"]
    ratio = filtered / static if static else 0.0
    verdict = "OK" if ratio >= TARGET_RATIO else "BELOW TARGET"
    print(
        f"\nregistry with 2 filters: {filtered:.1f} req/s uncached, {ratio:.3f} of the static file "
        f"(target ≥ {TARGET_RATIO}) — {verdict}"
    )
    return 0 if (ratio >= TARGET_RATIO and constant) else 1


if __name__ == "__main__":
    sys.exit(main())

"""Atlas catalogue benchmark: /atlas/ with 5,000 practices, unfiltered and with three facets plus a text query.

1. A fresh PostgreSQL database `imc_bench_atlas` with the demo content, then 5,000 practices in all written
   in bulk (a few INSERTs, no Wagtail save per page; `SEED`): the demo's vocabularies spread over them
   (every organisation, type, level, subject, group, project and cluster), years 2010–2026, one in ten
   archived, one in five with 1–4 confirmed adoptions, titles and annotations from a small word list, so
   that a text query finds a few hundred; the full-text index is built with the search backend's bulk add,
   and the tables are ANALYZEd (the shared development cluster runs with autovacuum off).
2. The queries of one request are counted in-process (CaptureQueriesContext), cold (after a publish) and
   warm, and the in-process time per request is measured (django.test.Client, the best of five).
3. gunicorn (2 sync workers, production settings), wrk for `--duration` seconds per target, in one run:
   the catalogue unfiltered and with three facets plus a text query with the page cache off
   (PAGE_CACHE_SECONDS=0: every request runs the view), the filtered URL with the page cache on (a second
   gunicorn), and the stylesheet (the ceiling of gunicorn + Python on this machine); req/s, p50/p99 and the
   ratio to the static file.

    .venv/bin/python -m bench.atlas [--duration 10] [--connections 16] [--practices 5000] [--skip-prepare]

Target from issue 11: filtered catalogue uncached ≥ 0.04 of the static file, cached ≥ 2/3 of it.
"""

import argparse
import json
import re
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import quote

from bench.common import bench_env, gunicorn, prepare_database, print_table, wrk
from bench.events import shell

DB_NAME = "imc_bench_atlas"
TARGET_UNCACHED = 0.04
TARGET_CACHED = 2 / 3

SEED = r"""
import random, sys
from datetime import timedelta
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from wagtail.models import Page
from wagtail.search.backends import get_search_backend
from core.models import Subject
from practices_atlas.models import (
    Adoption, AtlasIndexPage, Cluster, EducationLevel, Organisation, PracticePage, PracticeType, Project,
    TargetGroup,
)

total = int(sys.argv[-1])
index = AtlasIndexPage.objects.get()
existing = PracticePage.objects.count()
rng = random.Random(total)
types, orgs = list(PracticeType.objects.all()), list(Organisation.objects.all())
levels, subjects, groups = list(EducationLevel.objects.all()), list(Subject.objects.all()), list(TargetGroup.objects.all())
projects, clusters = list(Project.objects.all()), list(Cluster.objects.all())
consent_id = Adoption.objects.values_list("consent_id", flat=True).first()
WORDS = ("проектная", "исследовательская", "цифровая", "музейная", "семейная", "инклюзивная", "сетевая",
         "игровая", "наставническая", "читательская", "профориентационная", "краеведческая")
NOUNS = ("практика", "мастерская", "лаборатория", "школа", "маршрут", "площадка", "программа", "студия")
alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"

def base36(number, width=4):
    digits = ""
    while number:
        number, rest = divmod(number, 36)
        digits = alphabet[rest] + digits
    return digits.rjust(width, "0")

content_type = ContentType.objects.get_for_model(PracticePage)
now = timezone.now()
with transaction.atomic():
    index.refresh_from_db()
    start = index.numchild
    pages = []
    for i in range(start + 1, start + 1 + total - existing):
        title = f"{rng.choice(WORDS).capitalize()} {rng.choice(NOUNS)} № {i}"
        slug = f"bench-{i}"
        pages.append(Page(
            title=title, draft_title=title, slug=slug, path=index.path + base36(i), depth=index.depth + 1,
            numchild=0, url_path=f"{index.url_path}{slug}/", content_type=content_type, live=True,
            has_unpublished_changes=False, locale_id=index.locale_id,
            first_published_at=now - timedelta(days=rng.randint(0, 2000)),
        ))
    Page.objects.bulk_create(pages, batch_size=1000)
    created = list(Page.objects.filter(depth=index.depth + 1, path__startswith=index.path, slug__startswith="bench-")
                   .exclude(pk__in=PracticePage.objects.values("pk")).order_by("path"))
    rows = []
    for page in created:
        rows.append(PracticePage(
            page_ptr_id=page.pk,
            annotation=f"{rng.choice(WORDS).capitalize()} {rng.choice(NOUNS)} для педагогов: "
                       f"{rng.choice(WORDS)} {rng.choice(NOUNS)} и {rng.choice(WORDS)} {rng.choice(NOUNS)}.",
            organisation=rng.choice(orgs), practice_type=rng.choice(types),
            project=rng.choice(projects) if projects and rng.random() < 0.3 else None,
            cluster=rng.choice(clusters) if clusters and rng.random() < 0.3 else None,
            format=rng.choice(("online", "offline", "mixed")), year=rng.randint(2010, 2026),
            status="archived" if rng.random() < 0.1 else "published",
        ))
    fields = list(PracticePage._meta.local_concrete_fields)
    for batch in range(0, len(rows), 1000):
        PracticePage.objects._insert(rows[batch : batch + 1000], fields=fields)
    ids = [row.page_ptr_id for row in rows]
    for manager, values in ((PracticePage.levels, levels), (PracticePage.subjects, subjects),
                            (PracticePage.target_groups, groups)):
        through = manager.through
        column = next(f.name for f in through._meta.get_fields() if f.is_relation and f.name != "practicepage")
        through.objects.bulk_create([
            through(practicepage_id=pk, **{column: value})
            for pk in ids for value in rng.sample(values, min(len(values), rng.randint(1, 2)))
        ], batch_size=2000)
    adoptions = []
    if consent_id:
        for pk in ids:
            if rng.random() < 0.2:
                for org in rng.sample(orgs, min(len(orgs), rng.randint(1, 4))):
                    adoptions.append(Adoption(
                        practice_id=pk, organisation=org, comment="Внедрили", status="confirmed",
                        expires_at=now, confirmed_at=now, token_hash=f"bench-{pk}-{org.pk}", consent_id=consent_id,
                    ))
        Adoption.objects.bulk_create(adoptions, batch_size=2000)
    Page.objects.filter(pk=index.pk).update(numchild=start + len(pages))
backend = get_search_backend()
backend.add_bulk(PracticePage, list(PracticePage.objects.filter(pk__in=ids)))
# Planner statistics, as autovacuum would gather them in production (it may be off on a test cluster).
from django.db import connection
with connection.cursor() as cursor:
    cursor.execute("ANALYZE")
print(PracticePage.objects.count(), len(adoptions))
"""

# The filtered URL: three facets (one of them with two values) and a text query, as issue 11 asks.
FILTERED = "/atlas/?type={type}&level={level}&level={level2}&format=online&format=mixed&q=" + quote("практика")

URLS = r"""
import json
from practices_atlas.models import EducationLevel, PracticeType
t = PracticeType.objects.order_by("sort_order", "name").first()
l1, l2 = EducationLevel.objects.order_by("sort_order", "name")[:2]
print("RESULT" + json.dumps({"type": t.slug, "level": l1.slug, "level2": l2.slug}))
"""

COUNT = r"""
import json, sys, time
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from core.cache import invalidate_all
from practices_atlas.models import PracticePage

urls = json.loads(sys.argv[-1])
client = Client(HTTP_HOST="127.0.0.1")
result = {"practices": PracticePage.objects.count()}
for name, url in urls.items():
    invalidate_all()  # cold: as after a publish, then warm
    counts = []
    for _ in range(2):
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        counts.append(len(ctx))
    times = []
    for _ in range(5):
        started = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - started) * 1000)
    result[name] = {"queries": "/".join(map(str, counts)), "ms": round(min(times), 1)}
print("RESULT" + json.dumps(result, ensure_ascii=False))
"""


def _result(output: str):
    return json.loads(re.search(r"RESULT(.*)", output).group(1))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--practices", type=int, default=5000)
    parser.add_argument("--skip-prepare", action="store_true")
    parser.add_argument("--json", help="write the figures here")
    args = parser.parse_args(argv)

    env = bench_env(DB_NAME, PAGE_CACHE_SECONDS=0)
    if not args.skip_prepare:
        started = time.time()
        prepare_database(env, DB_NAME, demo=True)
        print("seeded:", shell(env, SEED, str(args.practices)).strip())
        print(f"prepared in {time.time() - started:.0f} s")
    filtered = FILTERED.format(**_result(shell(env, URLS)))
    targets = {"unfiltered": "/atlas/", "unfiltered, «чаще внедряют»": "/atlas/?sort=adopted", "filtered": filtered}
    queries = _result(shell(env, COUNT, json.dumps(targets)))

    print(f"\nIn-process, {queries['practices']} practices (queries cold/warm, best of 5 ms per request):")
    for name, path in targets.items():
        print(f"  {name:<30}{queries[name]['queries']:>8}{queries[name]['ms']:>10.1f} ms   {path}")

    rows = []
    with gunicorn(env, port=8102, workers=2) as base:
        home = urllib.request.urlopen(base + "/", timeout=10).read().decode()
        stylesheet = re.search(r'href="(/static/css/site[^"]*\.css)"', home).group(1)
        for name, path in [*targets.items(), ("static file", stylesheet)]:
            rows.append((f"uncached: {name}", _measure(base + path, args)))
    with gunicorn(bench_env(DB_NAME), port=8103, workers=2) as base:  # the page cache on
        rows.append(("cached: filtered", _measure(base + filtered, args)))
        rows.append(("cached: static file", _measure(base + stylesheet, args)))
    print()
    print_table(rows, reference="uncached: static file")
    rps = {name: row["rps"] for name, row in rows}
    static = max(rps["uncached: static file"], 1e-9)
    uncached = rps["uncached: filtered"] / static
    cached = rps["cached: filtered"] / max(rps["cached: static file"], 1e-9)
    ok = uncached >= TARGET_UNCACHED and cached >= TARGET_CACHED
    print(
        f"\nfiltered catalogue: uncached {uncached:.3f} of the static file (target ≥ {TARGET_UNCACHED}), "
        f"cached {cached:.2f} of it (target ≥ {TARGET_CACHED:.2f}) — {'OK' if ok else 'BELOW TARGET'}"
    )
    if args.json:
        Path(args.json).write_text(json.dumps({"queries": queries, "rows": rows}, ensure_ascii=False, indent=2))
    return 0 if ok else 1


def _measure(url, args) -> dict:
    for _ in range(3):
        urllib.request.urlopen(url, timeout=60).read()
    try:
        wrk(url, duration=2, connections=args.connections)
        result = wrk(url, duration=args.duration, connections=args.connections)
    except AttributeError:  # wrk completed no request within its 2 s timeout: no latency line
        result = {"rps": 0.0, "p50_ms": 0.0, "p99_ms": 0.0, "errors": -1}
    result["path"] = url.split("/", 3)[-1]
    return result


if __name__ == "__main__":
    sys.exit(main())

"""Event calendar benchmark: the month view and the iCalendar feed with 2,000 events in the database.

1. A fresh PostgreSQL database `imc_bench_events` with the demo content (≈ 43 events).
2. Bulk events are added in two steps (100, then 2,000 in all, over ±3 years around today — about 330
   a year, the scale of a district centre that runs hundreds of events a year —
   every 10th one recurring weekly); after each step the queries of one request to the month view,
   the week view, the upcoming list and the feed are counted in-process (CaptureQueriesContext):
   they must not grow with the number of events.
3. gunicorn (2 sync workers, production settings, PAGE_CACHE_SECONDS=0: every request renders),
   wrk for `--duration` seconds per target: month view, month view with filters, iCal feed (built once
   per publish, hour and filters, then served from Redis; the build itself is in the query table), the home
   page (a reference page of the same run) and a static file (the ceiling of gunicorn + Python on
   this machine); req/s, p50/p99, ratio to the static file.

    .venv/bin/python -m bench.events [--duration 10] [--connections 16] [--skip-prepare]

Target from issue 3: month view ≥ 100 req/s uncached.
"""

import argparse
import json
import re
import sys
import time
import urllib.request
from pathlib import Path

from bench.common import PYTHON, ROOT, bench_env, gunicorn, manage, prepare_database, print_table, wrk

DB_NAME = "imc_bench_events"
TARGET_MONTH_RPS = 100

SEED = r"""
import random, sys
from datetime import timedelta
from django.utils import timezone
from events.models import Audience, EventIndexPage, EventPage, EventType, Venue, Repeat

total = int(sys.argv[-1])
index = EventIndexPage.objects.get(slug="events")
existing = EventPage.objects.filter(slug__startswith="bench-").count()
types, audiences, venues = list(EventType.objects.all()), list(Audience.objects.all()), list(Venue.objects.all())
rng = random.Random(existing)
now = timezone.localtime().replace(minute=0, second=0, microsecond=0)
for n in range(existing, total):
    start = now + timedelta(days=rng.randint(-1095, 1095), hours=rng.randint(-6, 6))
    page = EventPage(
        title=f"Семинар для педагогов № {n}", slug=f"bench-{n}", event_type=rng.choice(types),
        venue=rng.choice(venues), start=start, end=start + timedelta(hours=2), lead="Нагрузочный тест",
        level=rng.choice(["district", "city", "federal"]), format=rng.choice(["offline", "online", "mixed"]),
        repeat=Repeat.WEEKLY if n % 10 == 0 else "", repeat_count=6 if n % 10 == 0 else None,
    )
    page.audiences = rng.sample(audiences, 2)
    index.add_child(instance=page)
print(EventPage.objects.count())
"""

COUNT = r"""
import json
from django.db import connection
from django.test import Client
from django.core.cache import cache
from django.test.utils import CaptureQueriesContext
from events.models import EventOccurrence, EventPage

client = Client(HTTP_HOST="127.0.0.1")
result = {"events": EventPage.objects.count(), "occurrences": EventOccurrence.objects.count()}
for name, url in [("month", "/events/"), ("month+filters", "/events/?audience=ou&format=online"),
                  ("week", "/events/week/"), ("upcoming", "/events/upcoming/"), ("ical", "/events/ical/")]:
    counts = []
    cache.clear()  # cold: as after a publish (route, fragments and counts rebuilt), then warm
    for _ in range(2):
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        counts.append(len(ctx))
    result[name] = "/".join(map(str, counts))
print("RESULT" + json.dumps(result))
"""


def shell(env, code, *args):
    import subprocess

    completed = subprocess.run(
        [
            PYTHON,
            "-c",
            "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'imc_site.settings.production');"
            "django.setup(); exec(open(os.environ['BENCH_SCRIPT']).read())",
            *args,
        ],
        cwd=ROOT,
        env={**env, "BENCH_SCRIPT": _write(code)},
        capture_output=True,
        text=True,
    )
    if completed.returncode:
        sys.exit(completed.stderr[-3000:])
    return completed.stdout


def _write(code) -> str:
    import hashlib
    import tempfile

    path = Path(tempfile.gettempdir()) / f"bench-events-{hashlib.sha256(code.encode()).hexdigest()[:8]}.py"
    path.write_text(code)
    return str(path)


def count_queries(env) -> dict:
    output = shell(env, COUNT)
    return json.loads(re.search(r"RESULT(.*)", output).group(1))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--events", type=int, default=2000)
    parser.add_argument("--skip-prepare", action="store_true")
    parser.add_argument("--json", help="write the figures here")
    args = parser.parse_args(argv)

    env = bench_env(DB_NAME, PAGE_CACHE_SECONDS=0)
    queries = []
    if not args.skip_prepare:
        started = time.time()
        prepare_database(env, DB_NAME, demo=True)
        for total in (100, args.events):
            shell(env, SEED, str(total))
            queries.append(count_queries(env))
        print(f"prepared in {time.time() - started:.0f} s")
    else:
        queries.append(count_queries(env))
    manage(env, "check", "--deploy")

    print("\nQueries per request, cold/warm (in-process, CaptureQueriesContext):")
    keys = ["month", "month+filters", "week", "upcoming", "ical"]
    print(f"{'events':>8}{'occurrences':>13}" + "".join(f"{k:>15}" for k in keys))
    for q in queries:
        print(f"{q['events']:>8}{q['occurrences']:>13}" + "".join(f"{q[k]:>15}" for k in keys))
    constant = all(queries[0][k] == q[k] for q in queries for k in keys)
    print("constant:", "yes" if constant else "NO")

    rows = []
    with gunicorn(env, port=8101, workers=2) as base:
        home = urllib.request.urlopen(base + "/", timeout=10).read().decode()
        stylesheet = re.search(r'href="(/static/css/site[^"]*\.css)"', home).group(1)
        # (path, connections): the feed is a large document; fewer connections keep wrk's 2 s
        # timeout from counting queueing as errors.
        targets = {
            "month view": ("/events/", args.connections),
            "month view, 2 filters": ("/events/?audience=ou&format=online", args.connections),
            "iCal feed (kept per filters)": ("/events/ical/", 4),
            "home page (reference)": ("/", args.connections),
            "static file": (stylesheet, args.connections),
        }
        for name, (path, connections) in targets.items():
            url = base + path
            for _ in range(3):
                urllib.request.urlopen(url, timeout=60).read()
            try:
                wrk(url, duration=2, connections=connections)
                result = wrk(url, duration=args.duration, connections=connections)
            except AttributeError:  # wrk completed no request within its 2 s timeout: no latency line
                result = {"rps": 0.0, "p50_ms": 0.0, "p99_ms": 0.0, "errors": -1}
            result["path"] = path
            rows.append((f"uncached: {name}", result))
    print()
    print_table(rows, reference="uncached: static file")
    month = rows[0][1]["rps"]
    static = rows[-1][1]["rps"]
    verdict = "OK" if month >= TARGET_MONTH_RPS else "BELOW TARGET"
    # The ratio is what compares across runs on a shared machine (bench/README.md); three decimals,
    # as the month view sits at a few hundredths of the static file.
    ratio = f", {month / static:.3f} of the static file" if static else ""
    print(f"\nmonth view: {month:.1f} req/s uncached{ratio} (target ≥ {TARGET_MONTH_RPS}) — {verdict}")
    if args.json:
        Path(args.json).write_text(json.dumps({"queries": queries, "rows": rows}, ensure_ascii=False, indent=2))
    return 0 if (month >= TARGET_MONTH_RPS and constant) else 1


if __name__ == "__main__":
    sys.exit(main())

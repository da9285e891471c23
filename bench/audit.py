"""`make audit`: Lighthouse and the Nu Html Checker against the demo served as production serves it.

gunicorn with production settings over the demo content (PostgreSQL bench database by default,
`--sqlite` for a throwaway SQLite file), on a local port. Then:
  * Lighthouse (npm `lighthouse`, Debian's chromium) on home, news list and a news page: the four
    category scores each, and every audit that did not pass;
  * the Nu Html Checker (npm `vnu-jar`, Java) on every sitemap URL, one page of every page type,
    the filtered, paginated and searched listings reached from them and the 404 page (the list is
    bench/validity.py's, shared with tests/browser/test_html_validity.py): the errors.
Exit status 1 when a score is below 100 or vnu reports an error (targets: 100 × 4, 0 errors).

    .venv/bin/python -m bench.audit [--sqlite] [--skip-prepare] [--port 8110]
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from bench.common import ROOT, bench_env, gunicorn, manage, prepare_database
from bench.validity import VNU_JAR, collect_pages, run_vnu

CHROME = os.environ.get("CHROME_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]

PAGE_TYPES = """
import json
from django.contrib.contenttypes.models import ContentType
from wagtail.models import Page
seen = {}
for page in Page.objects.live().public().filter(depth__gt=1).order_by("path").specific(defer=True):
    label = type(page)._meta.label
    if label not in seen:
        seen[label] = page.url
print("PAGE-TYPES " + json.dumps(seen))
"""


def page_types(env) -> dict:
    output = manage(env, "shell", "-c", PAGE_TYPES).stdout
    line = next(line for line in output.splitlines() if line.startswith("PAGE-TYPES "))
    return {label: url for label, url in json.loads(line.removeprefix("PAGE-TYPES ")).items() if url}


def first_news_page(base) -> str:
    with urllib.request.urlopen(base + "/news/", timeout=30) as response:
        html = response.read().decode()
    links = [u for u in re.findall(r'href="(/news/[^"/?#]+/)"', html) if u != "/news/rss/"]
    return links[0] if links else "/news/"


def lighthouse(url, runs=3) -> dict:
    """Median of `runs` Lighthouse runs by performance score (Lighthouse's own advice for its variance);
    a run that fails to record a trace (NO_NAVSTART happens on a busy machine) is retried once."""
    results = []
    for _ in range(runs):
        try:
            results.append(_lighthouse_once(url))
        except subprocess.CalledProcessError:
            results.append(_lighthouse_once(url))
    results.sort(key=lambda r: (r["scores"]["performance"], sum(r["scores"].values())))
    median = results[len(results) // 2]
    median["all_performance"] = [r["scores"]["performance"] for r in results]
    return median


def _lighthouse_once(url) -> dict:
    with tempfile.NamedTemporaryFile(suffix=".json") as report:
        command = [
            str(LIGHTHOUSE),
            url,
            "--quiet",
            "--output=json",
            f"--output-path={report.name}",
            f"--only-categories={','.join(CATEGORIES)}",
            "--chrome-flags=--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage",
        ]
        env = dict(os.environ, CHROME_PATH=CHROME)
        subprocess.run(command, check=True, env=env, capture_output=True, text=True, timeout=300)
        data = json.loads(Path(report.name).read_text())
    scores = {name: round((data["categories"][name]["score"] or 0) * 100) for name in CATEGORIES}
    failing = []
    for name in CATEGORIES:
        for ref in data["categories"][name]["auditRefs"]:
            audit = data["audits"][ref["id"]]
            if ref.get("weight", 0) > 0 and audit.get("score") is not None and audit["score"] < 1:
                failing.append(f"{name}: {ref['id']} ({audit.get('displayValue') or audit['title']})")
    return {"scores": scores, "failing": failing}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sqlite", action="store_true", help="serve a throwaway SQLite copy instead of PostgreSQL")
    parser.add_argument("--skip-prepare", action="store_true", help="reuse the audit database as it is")
    parser.add_argument("--port", type=int, default=8110)
    parser.add_argument("--no-lighthouse", action="store_true")
    parser.add_argument("--no-vnu", action="store_true")
    args = parser.parse_args(argv)
    for tool in (LIGHTHOUSE, VNU_JAR):
        if not tool.exists():
            sys.exit(f"{tool} is missing: run `npm ci` in {ROOT}")

    extra = {"PAGE_CACHE_SECONDS": 0}
    if args.sqlite:
        extra["DATABASE_URL"] = f"sqlite:///{tempfile.gettempdir()}/imc-audit.sqlite3"
    extra["SITE_URL"] = f"http://127.0.0.1:{args.port}"
    env = bench_env("imc_audit", **extra)
    env["DJANGO_SETTINGS_MODULE"] = "bench.audit_settings"  # + /media/ and gzip, as nginx does in production
    if not args.skip_prepare:
        print("Preparing the audit database (migrate, collectstatic, load_demo)…", flush=True)
        if args.sqlite:
            Path(extra["DATABASE_URL"].removeprefix("sqlite:///")).unlink(missing_ok=True)
            manage(env, "migrate", "--noinput")
            manage(env, "collectstatic", "--noinput", "-v0")
            manage(env, "load_demo", "--quiet")
        else:
            prepare_database(env, db_name="imc_audit")
    # Canonical and OpenGraph URLs point at the site's own host, as in production.
    manage(env, "sync_site")
    types = page_types(env)

    failed = False
    with gunicorn(env, port=args.port, workers=2) as base:
        news_page = first_news_page(base)
        if not args.no_lighthouse:
            print("\n== Lighthouse (mobile, simulated throttling; median of 3 runs)", flush=True)
            print(f"{'page':<45}" + "".join(f"{c:>16}" for c in CATEGORIES))
            for path in ("/", "/news/", news_page):
                result = lighthouse(base + path)
                print(
                    f"{path:<45}"
                    + "".join(f"{result['scores'][c]:>16}" for c in CATEGORIES)
                    + f"   (performance in {len(result['all_performance'])} runs: {result['all_performance']})",
                    flush=True,
                )
                for line in result["failing"]:
                    print(f"    - {line}")
                failed |= any(score < 100 for score in result["scores"].values())

        if not args.no_vnu:
            print("\n== Nu Html Checker: sitemap URLs, the links on them, their GET forms submitted", flush=True)
            pages = collect_pages(base, extra_roots=types.values())
            errors = run_vnu(pages)
            total = sum(len(found) for found in errors.values())
            for path, found in errors.items():
                if found:
                    print(f"{len(found):>4} errors  {urllib.parse.unquote(path)}")
                    for line in found[:20]:
                        print(f"          {line}")
            server_errors = [page for page in pages if page.status >= 500]
            for page in server_errors:
                print(f"  HTTP {page.status}  {page.path}")
            print(f"Pages checked: {len(pages)}; total vnu errors: {total}")
            failed |= total > 0 or bool(server_errors)
    return 1 if failed else 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except urllib.error.URLError as error:
        sys.exit(f"audit failed: {error}")

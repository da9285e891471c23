"""Shared harness for the benchmarks: a PostgreSQL bench database, gunicorn with production
settings, and wrk. Every script reports ratios measured in one run (the machine is noisy).

    from bench.common import prepare_database, gunicorn, wrk
"""

import contextlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")
PG_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/15")


def bench_env(db_name="imc_bench", **extra) -> dict:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="imc_site.settings.production",
        DATABASE_URL=f"{PG_URL}/{db_name}",
        REDIS_URL=REDIS_URL,
        TRUSTED_PROXY_COUNT="0",  # wrk talks to gunicorn directly
        SECRET_KEY="bench-secret-key-not-for-production-0123456789",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SITE_URL="http://127.0.0.1:8100",
        SECURE_SSL_REDIRECT="0",
        SESSION_COOKIE_SECURE="0",
        SECURE_HSTS_SECONDS="0",
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        TASKS_BACKEND="core.tasks.ImmediateBackend",
        LOG_LEVEL="ERROR",
    )
    env.update({k: str(v) for k, v in extra.items()})
    return env


def manage(env, *args, check=True):
    return subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=check, capture_output=True, text=True)


def recreate_database(db_name):
    """Drops the bench database `db_name` if it exists and creates it empty."""
    import psycopg2

    connection = psycopg2.connect(f"{PG_URL}/postgres")
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{db_name}"')
    connection.close()


def prepare_database(env, db_name="imc_bench", demo=True):
    """Drops and recreates the bench database, migrates, collects static files, loads the demo."""
    recreate_database(db_name)
    manage(env, "migrate", "--noinput")
    manage(env, "collectstatic", "--noinput", "-v0")
    if demo:
        manage(env, "load_demo", "--quiet")


@contextlib.contextmanager
def gunicorn(env, port=8100, workers=2, threads=1):
    """gunicorn as production runs it; yields the base URL and stops it afterwards."""
    command = [
        str(ROOT / ".venv" / "bin" / "gunicorn"),
        "imc_site.wsgi:application",
        "-c",
        "gunicorn.conf.py",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--threads",
        str(threads),
    ]
    with serve(command, ROOT, env, port) as base:
        yield base


@contextlib.contextmanager
def serve(command, cwd, env, port, ready_path="/healthz"):
    """Starts a server process, waits until `ready_path` answers on 127.0.0.1:`port`, yields the base URL
    and stops the process afterwards (bench/peer.py runs another site's gunicorn with it)."""
    process = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(150):
            if process.poll() is not None:
                raise RuntimeError(f"{command[0]} exited with status {process.returncode}")
            try:
                urllib.request.urlopen(base + ready_path, timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        else:
            raise RuntimeError(f"{command[0]} did not start")
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)  # graceful: workers finish their requests
        except subprocess.TimeoutExpired:  # a loaded machine: the figures are taken, don't lose them
            process.kill()
            process.wait()


def _seconds(value: str) -> float:
    match = re.match(r"([\d.]+)(us|ms|s|m)", value)
    if not match:  # wrk prints -nan when no request completed
        return float("nan")
    number, unit = match.groups()
    return float(number) * {"us": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0}[unit]


def latency_ms(output: str, percentile: int) -> float:
    """A percentile from wrk's «Latency Distribution» block, in ms.

    Anchored to the start of a line: the thread-stats line above it ends with a column such as
    «72.50%», which an unanchored «50%» would match first.
    """
    match = re.search(rf"^\s*{percentile}%\s+(\S+)\s*$", output, re.MULTILINE)
    return _seconds(match.group(1)) * 1000 if match else float("nan")


# wrk's --latency block prints the 50th, 75th, 90th and 99th percentiles only; any other comes from a
# `done` hook that prints it in the same format, so latency_ms reads both.
_PERCENTILES_LUA = """
function done(summary, latency, requests)
  for _, p in ipairs({PERCENTILES}) do
    io.write(string.format("  %d%%  %.2fms\\n", p, latency:percentile(p) / 1000))
  end
end
"""


def wrk(url, duration=10, connections=16, threads=2, script=None, percentiles=()) -> dict:
    """Runs wrk and returns req/s, p50 and p99 latency (ms), and non-2xx count; `percentiles` adds
    `p<n>_ms` for each (e.g. 95), printed by a Lua hook (not combinable with `script`)."""
    if not shutil.which("wrk"):
        sys.exit("wrk is required: apt-get install wrk")
    extra = sorted(set(percentiles) - {50, 99})
    if extra and script:
        raise ValueError("extra percentiles need wrk's done hook, which `script` may define")
    command = ["wrk", "-t", str(min(threads, connections)), "-c", str(connections), "-d", f"{duration}s", "--latency"]
    with tempfile.TemporaryDirectory() as work:
        if extra:
            script = Path(work) / "percentiles.lua"
            script.write_text(_PERCENTILES_LUA.replace("PERCENTILES", ", ".join(map(str, extra))))
        if script:
            command += ["-s", str(script)]
        output = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    result = {"rps": rps, "p50_ms": latency_ms(output, 50), "p99_ms": latency_ms(output, 99)}
    result.update({f"p{p}_ms": latency_ms(output, p) for p in extra})
    result["errors"] = int(non2xx.group(1)) if non2xx else 0
    return result


def print_table(rows, reference=None):
    """rows: list of (name, wrk result). reference: the name whose req/s the ratios divide by."""
    ref = next((r["rps"] for n, r in rows if n == reference), None)
    print(f"{'target':<28}{'req/s':>10}{'p50 ms':>10}{'p99 ms':>10}{'errors':>8}{'ratio':>8}")
    for name, r in rows:
        ratio = f"{r['rps'] / ref:.2f}" if ref else "-"
        print(f"{name:<28}{r['rps']:>10.1f}{r['p50_ms']:>10.1f}{r['p99_ms']:>10.1f}{r['errors']:>8}{ratio:>8}")

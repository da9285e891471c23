"""Contest voting benchmark: confirmations and submissions against gunicorn, then an integrity check.

1. A fresh PostgreSQL database `imc_bench_contests` with the demo content; the contest «Лучший сайт»
   has voting open (9 entries, 3 nominations, 1 vote per nomination).
2. Pending votes are written straight into the database (as the vote form would: consent record,
   vote row, address row) so that the load measures confirmations: one per voter, plus ~10 % second
   requests from the same mailbox for the same entry (written differently: +tag, dots, googlemail) and
   ~5 % double taps on the same link, placed close together so that they race.
3. gunicorn (2 sync workers, production settings, Redis db 15 for cache and rate limits, limits raised
   through CONTESTS_*_RATE), wrk POSTs the confirmation links for `--duration` seconds.
4. Integrity, from the database: every voter whose link was processed has exactly one confirmed vote
   (0 lost, 0 double-counted), no voter exceeds the nomination limit, responses «засчитан» ≤ rows.
5. Submissions: wrk POSTs the vote form (e-mail, consent, the text-question path of the captcha with
   pre-signed questions — a real ALTCHA solution costs ~0.5 s of CPU each, too slow to pre-compute
   thousands; the PoW is verified by HMAC on the server, cheaper than the text path's cache write).
6. The entry page during the spike: cached (the shared page cache) vs uncached (a unique query string
   per request), and cached while confirmations run.

    .venv/bin/python -m bench.contests [--duration 20] [--connections 32] [--voters 40000] [--skip-prepare]

Target from issue 4: ≥ 500 confirmed votes/s sustained, 0 lost, 0 double-counted.
"""

import argparse
import json
import re
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from bench.common import PYTHON, ROOT, bench_env, gunicorn, latency_ms, manage, prepare_database, print_table, wrk

DB_NAME = "imc_bench_contests"
TARGET = 500
CSRF = "benchcsrftokenbenchcsrftoken0123"  # 32 characters: Django accepts an unmasked secret
WORK = Path(tempfile.gettempdir()) / "bench-contests"
HIGH = "100000000/m"

SEED = r"""
import hashlib, json, random, secrets, sys, base64, time
from datetime import timedelta
from urllib.parse import urlencode
from django.utils import timezone
from contests.models import ContestEntryPage, ContestPage, Vote, VoteEmail
from core import captcha as f
from core.consent import current_document
from core.models import ConsentRecord

voters, work = int(sys.argv[-2]), sys.argv[-1]
contest = ContestPage.objects.get(slug="luchshii-sait")
entries = list(ContestEntryPage.objects.child_of(contest).live())
document = current_document("vote")
rng = random.Random(2020)
now = timezone.now()
run = secrets.token_hex(3)
plan = []  # (token, email, entry)
for n in range(voters):
    entry = entries[n % len(entries)]
    login = f"bench.{run}.{n}"
    plan.append((secrets.token_urlsafe(24), f"{login}@gmail.com", entry))
    if n % 10 == 3:  # the same mailbox asks again for the same entry, written differently
        plan.append((secrets.token_urlsafe(24), f"{login.replace('.', '')}+again@googlemail.com", entry))
ordered = []
for item in plan:
    ordered.append(item)
    if rng.random() < 0.05:
        ordered.append(item)  # a double tap on the same link, right after
for i in range(len(ordered) - 1):  # keep pairs near each other but not always adjacent
    if rng.random() < 0.3:
        j = min(len(ordered) - 1, i + rng.randint(1, 40))
        ordered[i], ordered[j] = ordered[j], ordered[i]
unique = {t: (e, en) for t, e, en in plan}
consents = ConsentRecord.objects.bulk_create(
    [ConsentRecord(document=document, revision_id=document.live_revision_id, purpose="vote", subnet_hash="b" * 64) for _ in unique],
    batch_size=2000,
)
votes = []
for (token, (email, entry)), consent in zip(unique.items(), consents):
    votes.append(Vote(contest=contest, entry=entry, nomination_id=entry.nomination_id,
        token_hash=hashlib.sha256(token.encode()).hexdigest(), created_at=now - timedelta(minutes=5),
        expires_at=now + timedelta(hours=24), subnet_hash="b" * 64, ua_hash="c" * 64, consent=consent))
votes = Vote.objects.bulk_create(votes, batch_size=2000)
VoteEmail.objects.bulk_create([VoteEmail(vote=v, address=e) for v, (e, _) in zip(votes, unique.values())], batch_size=2000)
from django.db import connection
with connection.cursor() as cursor:  # what autovacuum does after a bulk load: fresh planner statistics
    cursor.execute("ANALYZE contests_vote; ANALYZE contests_voteemail; ANALYZE contests_voter")
with open(f"{work}/tokens.txt", "w") as out:
    out.write("\n".join(t for t, _, _ in ordered) + "\n")
# vote-form submissions: unique addresses, pre-signed text questions (the server's own secret)
bodies = []
for n in range(int(voters / 2)):
    a, b = rng.randint(1, 9), rng.randint(1, 9)
    nonce = secrets.token_hex(8)
    payload = base64.urlsafe_b64encode(json.dumps({"n": nonce, "e": int(time.time()) + 3600, "h": f._sign(f"{nonce}:{a + b}")}).encode()).decode()
    bodies.append(urlencode({"email": f"submit.{run}.{n}@mail.ru", "consent": "on", "website": "",
        "check_token": f"{payload}.{f._sign(payload)}", "check_answer": str(a + b), "csrfmiddlewaretoken": sys.argv[-3]}))
with open(f"{work}/bodies.txt", "w") as out:
    out.write("\n".join(bodies) + "\n")
print("RESULT" + json.dumps({"contest": contest.pk, "entry": entries[0].pk, "entry_url": entries[0].url,
    "tokens": len(ordered), "votes": len(votes), "run": run}))
"""

CHECK = r"""
import json, sys, hashlib
from collections import Counter
from django.db.models import Count
from contests.models import ContestPage, Vote
from contests.voting import count_votes
work, connections = sys.argv[-2], int(sys.argv[-1])
stats = json.load(open(f"{work}/confirm-stats.json"))
tokens = open(f"{work}/tokens.txt").read().split()
threads = stats["threads"]
attempted = set()
for tid, sent in enumerate(stats["sent"]):
    attempted.update(tokens[tid::threads][:sent])
hashes = {hashlib.sha256(t.encode()).hexdigest() for t in attempted}
contest = ContestPage.objects.get(slug="luchshii-sait")
rows = list(Vote.objects.filter(contest=contest, token_hash__in=hashes).values("pk", "entry_id", "nomination_id", "outcome", "voter_key", "consent_id"))
still_pending = sum(1 for r in rows if r["outcome"] == "pending")
confirmed = [r for r in rows if r["outcome"] == "confirmed"]
# voters are identified by the address row's consent id order: map through the voter key of completed rows
by_voter = Counter(r["voter_key"] for r in confirmed)
completed_voters = {r["voter_key"] for r in rows if r["outcome"] != "pending"}
lost = sum(1 for v in completed_voters if by_voter[v] == 0)
double = sum(1 for v, n in by_voter.items() if n > 1)
dup_index = Vote.objects.filter(contest=contest, outcome="confirmed").values("entry_id", "voter_key").annotate(n=Count("id")).filter(n__gt=1).count()
over_limit = Vote.objects.filter(contest=contest, outcome="confirmed").values("nomination_id", "voter_key").annotate(n=Count("id")).filter(n__gt=contest.votes_per_nomination).count()
all_confirmed = Vote.objects.filter(contest=contest, outcome="confirmed").count()
tally = sum(count_votes(contest.pk).values())
print("RESULT" + json.dumps({
    "attempted_links": len(attempted), "processed": len(rows) - still_pending, "cut_off_in_flight": still_pending,
    "confirmed_rows": len(confirmed), "confirmed_responses": stats["confirmed"], "voters": len(completed_voters),
    "lost": lost, "double_counted": double, "duplicate_pairs_in_db": dup_index, "over_limit": over_limit,
    "outcomes": dict(Counter(r["outcome"] for r in rows)), "tally_matches_rows": tally == all_confirmed - Vote.objects.filter(contest=contest, outcome="confirmed", annulment__isnull=False).count(),
}))
"""

CONFIRM_LUA = r"""
local nthreads = 0
local threads = {}
function setup(thread)
  thread:set("tid", nthreads)
  nthreads = nthreads + 1
  table.insert(threads, thread)
end
function init(args)
  nth = tonumber(args[1])
  tokens = {}
  local i = 0
  for line in io.lines(args[2]) do
    if i % nth == tid then table.insert(tokens, line) end
    i = i + 1
  end
  idx, sent, confirmed, other, idle = 1, 0, 0, 0, 0
  hdr = {["Cookie"] = "csrftoken=" .. args[3], ["X-CSRFToken"] = args[3],
         ["Content-Type"] = "application/x-www-form-urlencoded"}
end
function request()
  local t = tokens[idx]
  if t == nil then
    idle = idle + 1
    return wrk.format("GET", "/healthz")
  end
  idx = idx + 1
  sent = sent + 1
  return wrk.format("POST", "/contests/vote/confirm/" .. t .. "/", hdr, "")
end
function response(status, headers, body)
  local s = body and string.match(body, 'data%-vote%-status="(%a+)"')
  if s == "confirmed" then confirmed = confirmed + 1 elseif s then other = other + 1 end
end
function done(summary, latency, requests)
  local out = {sent = {}, confirmed = 0, other = 0, idle = 0, threads = nthreads}
  for i, thread in ipairs(threads) do
    out.sent[i] = thread:get("sent")
    out.confirmed = out.confirmed + thread:get("confirmed")
    out.other = out.other + thread:get("other")
    out.idle = out.idle + thread:get("idle")
  end
  local parts = {}
  for i, v in ipairs(out.sent) do parts[i] = tostring(v) end
  local f = io.open(os.getenv("BENCH_STATS"), "w")
  f:write(string.format('{"sent": [%s], "confirmed": %d, "other": %d, "idle": %d, "threads": %d}',
    table.concat(parts, ","), out.confirmed, out.other, out.idle, out.threads))
  f:close()
end
"""

SUBMIT_LUA = r"""
local nthreads = 0
local threads = {}
function setup(thread)
  thread:set("tid", nthreads)
  nthreads = nthreads + 1
  table.insert(threads, thread)
end
function init(args)
  nth = tonumber(args[1])
  bodies = {}
  local i = 0
  for line in io.lines(args[2]) do
    if i % nth == tid then table.insert(bodies, line) end
    i = i + 1
  end
  idx, sent, ok, bad = 1, 0, 0, 0
  path = args[4]
  hdr = {["Cookie"] = "csrftoken=" .. args[3], ["Content-Type"] = "application/x-www-form-urlencoded"}
end
function request()
  local b = bodies[idx]
  if b == nil then return wrk.format("GET", "/healthz") end
  idx = idx + 1
  sent = sent + 1
  return wrk.format("POST", path, hdr, b)
end
function response(status, headers, body)
  if status == 200 and string.find(body or "", "notice--success", 1, true) then ok = ok + 1
  elseif status ~= 200 or string.find(body or "", "form-errors", 1, true) then bad = bad + 1 end
end
function done(summary, latency, requests)
  local s, o, b = 0, 0, 0
  for i, thread in ipairs(threads) do
    s = s + thread:get("sent"); o = o + thread:get("ok"); b = b + thread:get("bad")
  end
  local f = io.open(os.getenv("BENCH_STATS"), "w")
  f:write(string.format('{"sent": %d, "accepted": %d, "refused": %d}', s, o, b))
  f:close()
end
"""

UNCACHED_LUA = r"""
local n = 0
function request()
  n = n + 1
  return wrk.format("GET", wrk.path .. "?bench=" .. n .. "-" .. math.random(1000000))
end
"""


def shell(env, code, *args):
    path = WORK / "script.py"
    path.write_text(code)
    completed = subprocess.run(
        [
            PYTHON,
            "-c",
            "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'imc_site.settings.production');"
            "django.setup(); exec(open(os.environ['BENCH_SCRIPT']).read())",
            *args,
        ],
        cwd=ROOT,
        env={**env, "BENCH_SCRIPT": str(path)},
        capture_output=True,
        text=True,
    )
    if completed.returncode:
        sys.exit(completed.stderr[-3000:])
    return json.loads(re.search(r"RESULT(.*)", completed.stdout).group(1))


def run_wrk_script(url, script, args, duration, connections, stats_file, threads=2):
    (WORK / "wrk.lua").write_text(script)
    command = ["wrk", "-t", str(threads), "-c", str(connections), "-d", f"{duration}s", "--latency"]
    command += ["-s", str(WORK / "wrk.lua"), url, "--", *map(str, args)]
    env = {"BENCH_STATS": str(stats_file), "PATH": "/usr/bin:/bin"}
    output = subprocess.run(command, capture_output=True, text=True, check=True, env=env).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    p50 = f"{latency_ms(output, 50):.2f}ms"
    p99 = f"{latency_ms(output, 99):.2f}ms"
    return {"rps": rps, "p50": p50, "p99": p99, "stats": json.loads(stats_file.read_text())}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--duration", type=int, default=20)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--voters", type=int, default=40000)
    parser.add_argument(
        "--threads", type=int, default=1, help="gunicorn threads per worker (1: sync workers, as production)"
    )
    parser.add_argument("--skip-prepare", action="store_true")
    parser.add_argument("--json", help="write the figures here")
    args = parser.parse_args(argv)
    WORK.mkdir(exist_ok=True)

    env = bench_env(
        DB_NAME,
        PAGE_CACHE_SECONDS=300,
        HASH_SECRET="bench-hash-secret",
        CONTESTS_VOTE_RATE=HIGH,
        CONTESTS_VOTE_SUBNET_RATE=HIGH,
        CONTESTS_CONFIRM_RATE=HIGH,
        CONTESTS_CONFIRM_SUBNET_RATE=HIGH,
        CAPTCHA_FALLBACK_RATE=HIGH,
        CAPTCHA_FALLBACK_SUBNET_RATE=HIGH,
        CSRF_COOKIE_SECURE="0",
    )
    started = time.time()
    if not args.skip_prepare:
        prepare_database(env, DB_NAME, demo=True)
    else:
        manage(env, "migrate", "--noinput")
    seed = shell(env, SEED, CSRF, str(args.voters), str(WORK))
    print(f"prepared in {time.time() - started:.0f} s: {seed['votes']} pending votes, {seed['tokens']} links to post")

    rows = []
    figures = {"seed": seed}
    with gunicorn(env, port=8102, workers=2, threads=args.threads) as base:
        urllib.request.urlopen(base + seed["entry_url"], timeout=30).read()
        # 1. confirmations
        confirm = run_wrk_script(
            base + "/",
            CONFIRM_LUA,
            [2, WORK / "tokens.txt", CSRF],
            args.duration,
            args.connections,
            WORK / "confirm-stats.json",
        )
        confirmed_per_s = confirm["stats"]["confirmed"] / args.duration
        processed_per_s = sum(confirm["stats"]["sent"]) / args.duration
        figures["confirm"] = confirm
        print(f"confirmations: {confirmed_per_s:.0f} confirmed/s, {processed_per_s:.0f} links/s", flush=True)
        if confirm["stats"]["idle"]:
            print(f"note: the links ran out ({confirm['stats']['idle']} idle requests); use --voters to add more")
        # 2. the entry page: cached, uncached, cached during a confirmation spike
        entry_url = base + seed["entry_url"]
        for _ in range(3):
            urllib.request.urlopen(entry_url, timeout=30).read()
        cached = _wrk(entry_url, max(5, args.duration // 2), args.connections)
        uncached = _wrk(entry_url, max(5, args.duration // 2), args.connections, script=_lua(UNCACHED_LUA))
        rows += [("entry page, cached", cached), ("entry page, uncached", uncached)]
        # the ceiling of gunicorn + Python in this run, to compare figures between runs and machines
        entry_html = urllib.request.urlopen(entry_url, timeout=30).read().decode()
        stylesheet = re.search(r'href="(/static/css/site[^"]*\.css)"', entry_html)
        static = {"rps": 0.0}
        if stylesheet:
            static = _wrk(base + stylesheet.group(1), max(5, args.duration // 2), args.connections)
            rows.append(("static file", static))
        # 3. submissions of the vote form
        submit = run_wrk_script(
            base + "/",
            SUBMIT_LUA,
            [2, WORK / "bodies.txt", CSRF, f"/contests/vote/{seed['entry']}/"],
            max(5, args.duration // 2),
            args.connections,
            WORK / "submit-stats.json",
        )
        figures["submit"] = submit

    check = shell(env, CHECK, str(WORK), str(args.connections))
    figures["check"] = check
    figures["pages"] = rows

    print("\nConfirmations (POST /contests/vote/confirm/<token>/):")
    print(
        f"  {processed_per_s:.0f} links/s processed, {confirmed_per_s:.0f} confirmed votes/s sustained "
        f"over {args.duration} s (wrk: {confirm['rps']:.0f} req/s, p50 {confirm['p50']}, p99 {confirm['p99']})"
    )
    print(f"  responses: {confirm['stats']['confirmed']} «засчитан», {confirm['stats']['other']} other states")
    print("\nDatabase after the run:")
    for key, value in check.items():
        print(f"  {key}: {value}")
    print("\nVote form submissions (POST /contests/vote/<id>/, text-question captcha path):")
    stats = submit["stats"]
    print(
        f"  {stats['accepted'] / max(5, args.duration // 2):.0f} accepted/s ({stats['accepted']} accepted, "
        f"{stats['refused']} refused; p50 {submit['p50']}, p99 {submit['p99']})"
    )
    print("\nThe entry page during a voting spike:")
    print_table(rows, reference="entry page, uncached")

    ok_integrity = check["lost"] == 0 and check["double_counted"] == 0 and check["duplicate_pairs_in_db"] == 0
    ok_integrity = (
        ok_integrity and check["over_limit"] == 0 and check["confirmed_rows"] >= confirm["stats"]["confirmed"]
    )
    verdict = "OK" if confirmed_per_s >= TARGET else f"BELOW TARGET by {TARGET - confirmed_per_s:.0f}/s"
    print(f"\nconfirmed votes/s: {confirmed_per_s:.0f} (target ≥ {TARGET}) — {verdict}")
    if static["rps"]:
        print(f"confirmed votes per static-file request in the same run: {confirmed_per_s / static['rps']:.3f}")
    print("integrity: " + ("0 lost, 0 double-counted — OK" if ok_integrity else "FAILED"))
    if args.json:
        Path(args.json).write_text(json.dumps(figures, ensure_ascii=False, indent=2, default=str))
    return 0 if ok_integrity and confirmed_per_s >= TARGET else 1


def _wrk(url, duration, connections, script=None) -> dict:
    try:
        return wrk(url, duration=duration, connections=connections, script=script)
    except (AttributeError, subprocess.CalledProcessError) as exc:  # no latency line: everything timed out
        print(f"wrk could not measure {url}: {exc}")
        return {"rps": 0.0, "p50_ms": 0.0, "p99_ms": 0.0, "errors": -1}


def _lua(code) -> Path:
    path = WORK / "plain.lua"
    path.write_text(code)
    return path


if __name__ == "__main__":
    sys.exit(main())

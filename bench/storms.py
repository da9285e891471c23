"""Vote and registration storms through `make stack` (issue 14: sessions, CSRF, rate limits and votes
across instances). Both instances and the proxy take the load at once; the database says afterwards
whether every vote and every seat was counted exactly once.

1. Vote storm. Pending votes are prepared in the stack's database with the project's own
   request_vote() (a consent record each, as the vote form does): voters whose mailbox is written
   differently from one request to the next (case, Gmail dots, +tags, googlemail.com, Yandex's
   hyphen and ya.ru), and voters asking for more entries of a nomination than its limit. Then every
   link is opened as a visitor would: GET the confirmation page (CSRF cookie and form), POST its form.
   Some visitors double-tap (the same form twice at once, through nginx or one POST to each
   instance), some send the form again later, some reach an instance directly. Expected afterwards:
   per normalised mailbox and nomination, min(limit, entries asked for) confirmed votes — and no 5xx.
2. Registration storm. A new event with 20 seats and a waiting list; registrants load the page, solve
   the real ALTCHA proof-of-work (in Python, before the storm: browsers solve it on their own CPUs),
   and post the form at once; some double-click, some register again with the address in capitals.
   Then they open the confirmation link from their e-mail (the stack's mail directory is the mailbox)
   and confirm. Expected: exactly 20 registered and confirmed, everyone else on the waiting list, one
   registration per address, no 5xx.

Rate limits stay at production values. Every simulated visitor connects from an address of its own
(127.x.y.z: the whole of 127/8 is this machine's loopback), so nginx and the application see what
they would see in production — nginx appends the peer to X-Forwarded-For and the application, trusting
one proxy, counts that address; the ones that talk to an instance directly send the header nginx
would have written. Visitors are spread over /24 subnets so that the per-subnet limits hold a few of
them each. 429s are counted and reported, not hidden.

    .venv/bin/python -m bench.storms [--attempts 10000] [--registrants 300] [--seats 20] [--concurrency 48]
                                     [--only votes|registrations]

Uses a running stack (scripts/stack.py, the same STACK_* environment) or starts one and stops it
afterwards. Figures go to bench/results/storms-<timestamp>.json.
"""

import argparse
import email
import email.policy
import http.client
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from bench.common import PYTHON, ROOT
from scripts import stack

WORK = Path(tempfile.gettempdir()) / "bench-storms"
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
VOTE_STATUS = re.compile(r'data-vote-status="(\w+)"')

# --- addresses ------------------------------------------------------------------------------------


def address_variants(login: str, domain: str) -> list[str]:
    """Ways of writing one mailbox that contests.normalize treats as one (login: lower-case letters,
    digits and single dots; domain: gmail.com, yandex.ru or any other)."""
    if domain == "gmail.com":
        bare = login.replace(".", "")
        return [
            f"{login}@gmail.com",
            f"{login.title()}@Gmail.com",
            f"{bare}@gmail.com",
            f"{login}+vote@gmail.com",
            f"{bare[:3]}.{bare[3:]}+konkurs@googlemail.com",
            f" {login.upper()}@GMAIL.COM ",
        ]
    if domain == "yandex.ru":
        return [
            f"{login}@yandex.ru",
            f"{login.replace('.', '-')}@yandex.ru",
            f"{login}+golos@ya.ru",
            f"{login.upper()}@Yandex.com",
        ]
    return [f"{login}@{domain}", f"{login.upper()}@{domain.upper()}", f" {login}@{domain}"]


def visitor_order(ip: str) -> tuple:
    return tuple(int(part) for part in ip.split("."))


def visitor_address(n: int, per_subnet: int, first: int = 10) -> str:
    """The n-th simulated visitor's own loopback address, `per_subnet` visitors in each /24."""
    subnet, host = divmod(n, per_subnet)
    return f"127.{first + subnet // 250}.{subnet % 250}.{host + 2}"


# --- HTTP as a visitor ---------------------------------------------------------------------------


@dataclass
class Target:
    name: str  # "proxy" or "app:<port>"
    host: str
    port: int

    @property
    def direct(self) -> bool:
        return self.name != "proxy"


@dataclass
class Tally:
    """Responses by (phase, target, status) and by what the page said, shared by the threads."""

    statuses: Counter = field(default_factory=Counter)
    outcomes: Counter = field(default_factory=Counter)
    errors: list = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, phase, target, status, outcome=None):
        with self.lock:
            self.statuses[(phase, target.name, status)] += 1
            if outcome:
                self.outcomes[(phase, outcome)] += 1

    def error(self, phase, target, exc):
        with self.lock:
            self.statuses[(phase, target.name, "error")] += 1
            if len(self.errors) < 20:
                self.errors.append(f"{phase} {target.name}: {exc!r}")


def request(target: Target, ip: str, method: str, path: str, body: str = "", cookie: str = ""):
    """One request on a fresh connection from `ip`; returns (status, headers, text)."""
    connection = http.client.HTTPConnection(target.host, target.port, timeout=120, source_address=(ip, 0))
    headers = {"User-Agent": "Mozilla/5.0 (bench.storms)", "Host": f"127.0.0.1:{STACK_PORT}"}
    if target.direct:  # what nginx would have appended
        headers["X-Forwarded-For"] = ip
    if cookie:
        headers["Cookie"] = cookie
    if method == "POST":
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    try:
        connection.request(method, path, body=body.encode() if body else None, headers=headers)
        response = connection.getresponse()
        text = response.read().decode("utf-8", "replace")
        return response.status, response.headers, text
    finally:
        connection.close()


def csrf_cookie(headers) -> str:
    for value in headers.get_all("Set-Cookie") or []:
        if value.startswith("csrftoken="):
            return value.split(";", 1)[0]
    return ""


def at_once(calls):
    """Runs the callables in threads released together (a double tap); returns their results."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(i, call):
        barrier.wait()
        results[i] = call()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


STACK_PORT = stack.PORT

# --- Django-side steps (run in the stack's environment) --------------------------------------------


def django(env: dict, code: str, *args, extra_env=None) -> dict:
    """Runs `code` with Django set up in the stack's environment; returns the JSON it printed."""
    with tempfile.NamedTemporaryFile("w", suffix=".py", dir=WORK, delete=False) as handle:
        handle.write(code)  # a file of its own: the seeding processes start at the same moment
    script = Path(handle.name)
    completed = subprocess.run(
        [PYTHON, "-c", "import django; django.setup(); exec(open(__import__('sys').argv[1]).read())", str(script)]
        + [str(a) for a in args],
        cwd=ROOT,
        env={**env, "LOG_LEVEL": "ERROR", **(extra_env or {})},
        capture_output=True,
        text=True,
    )
    script.unlink()
    if completed.returncode:
        sys.exit(completed.stderr[-4000:])
    return json.loads(re.search(r"^RESULT(.*)$", completed.stdout, re.MULTILINE).group(1))


VOTE_SEED = r"""
import json, sys
from django.test import RequestFactory
from contests.models import ContestEntryPage, ContestPage
from contests.voting import count_votes, request_vote, voter_key
from core.consent import current_document
from core.models import ConsentRecord

import time
from django.db import connection, transaction

began = time.monotonic()
plan = json.load(open(sys.argv[2]))
part, parts = int(sys.argv[4]), int(sys.argv[5])
connection.cursor().execute("SET synchronous_commit TO OFF")  # this session only: a bench's seed
contest = next((c for c in ContestPage.objects.live().order_by("pk") if c.voting_state() == "open"), None)
if contest is None:
    sys.exit("no contest with voting open in the stack's database (the demo has one: make stack --fresh)")
entries = list(ContestEntryPage.objects.child_of(contest).live().exclude(nomination=None).order_by("pk"))
nominations = {}
for entry in entries:
    nominations.setdefault(entry.nomination_id, []).append(entry)
nominations = [group for group in nominations.values()]
document = current_document("vote")
tokens, voters = [], {}
mine = plan["voters"][part::parts]
for n, voter in enumerate(mine):
    if n % 200 == 0:
        batch = transaction.atomic()
        batch.__enter__()
    key = voter_key(contest.pk, voter["addresses"][0])
    voters[key] = {"expected": 0}
    asked = {}
    for nomination, entry_index, address in voter["requests"]:
        group = nominations[nomination % len(nominations)]
        entry = group[entry_index % len(group)]
        asked.setdefault(entry.nomination_id, set()).add(entry.pk)
        request = RequestFactory().post(
            "/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=voter["ip"], HTTP_USER_AGENT="Mozilla/5.0 (bench.storms)"
        )
        consent = ConsentRecord.objects.create(
            document=document, revision_id=document.live_revision_id, purpose="vote", subnet_hash="s" * 64
        )
        _, token = request_vote(request, entry, contest, address, consent)
        tokens.append({"token": token, "voter": key, "ip": voter["ip"]})
    voters[key]["expected"] = sum(min(contest.votes_per_nomination, len(ids)) for ids in asked.values())
    if n % 200 == 199 or n == len(mine) - 1:
        batch.__exit__(None, None, None)  # its letters go out on commit
json.dump({"tokens": tokens, "voters": voters}, open(sys.argv[3], "w"))
print("RESULT" + json.dumps({"contest": contest.pk, "title": contest.title, "limit": contest.votes_per_nomination,
    "nominations": len(nominations), "entries": len(entries), "tally_before": sum(count_votes(contest.pk).values()),
    "tokens": len(tokens), "voters": len(voters), "seconds": round(time.monotonic() - began, 1), "expected": sum(v["expected"] for v in voters.values())}))
"""

VOTE_CHECK = r"""
import json, sys
from collections import Counter
from django.db.models import Count
from contests.models import Vote
from contests.voting import count_votes
from core import tokens as core_tokens

contest_id = int(sys.argv[2])
seed = json.load(open(sys.argv[3]))
hashes = [core_tokens.digest(t["token"]) for t in seed["tokens"]]
rows = list(Vote.objects.filter(contest_id=contest_id, token_hash__in=hashes).values("outcome", "voter_key", "entry_id", "nomination_id"))
confirmed = [r for r in rows if r["outcome"] == "confirmed"]
per_voter = Counter(r["voter_key"] for r in confirmed)
wrong_voters = sum(1 for key, v in seed["voters"].items() if per_voter[key] != v["expected"])
same_entry_twice = Vote.objects.filter(contest_id=contest_id, outcome="confirmed").values("entry_id", "voter_key").annotate(n=Count("id")).filter(n__gt=1).count()
limit = Vote._meta.get_field("contest").related_model.objects.get(pk=contest_id).votes_per_nomination
over_limit = Vote.objects.filter(contest_id=contest_id, outcome="confirmed").values("nomination_id", "voter_key").annotate(n=Count("id")).filter(n__gt=limit).count()
print("RESULT" + json.dumps({
    "outcomes": dict(Counter(r["outcome"] for r in rows)), "confirmed": len(confirmed),
    "expected": sum(v["expected"] for v in seed["voters"].values()), "voters_with_wrong_count": wrong_voters,
    "same_entry_twice_in_contest": same_entry_twice, "over_limit_in_contest": over_limit,
    "tally_after": sum(count_votes(contest_id).values()),
}))
"""

EVENT_SEED = r"""
import json, sys
from datetime import timedelta
from django.utils import timezone
from events.models import EventIndexPage, EventPage, EventType, Venue

run, seats = sys.argv[2], int(sys.argv[3])
index = EventIndexPage.objects.live().first()
start = (timezone.now() + timedelta(days=10)).replace(microsecond=0, second=0, minute=0)
event = EventPage(
    title=f"Семинар для нагрузочной проверки {run}", slug=f"storm-{run}", start=start, end=start + timedelta(hours=2),
    event_type=EventType.objects.order_by("pk").first(), venue=Venue.objects.order_by("pk").first(), format="offline",
    registration_open=True, capacity=seats, waitlist_enabled=True,
)
index.add_child(instance=event)
event.save_revision().publish()
print("RESULT" + json.dumps({"event": event.pk, "url": event.url, "state": event.registration_state()}))
"""

EVENT_CHECK = r"""
import json, sys
from collections import Counter
from django.db.models import Count
from events.models import Registration

rows = Registration.objects.filter(event_id=int(sys.argv[2]))
active = rows.exclude(status="cancelled")
print("RESULT" + json.dumps({
    "by_status": dict(Counter(active.values_list("status", flat=True))),
    "registered_confirmed": active.filter(status="registered", confirmed_at__isnull=False).count(),
    "waitlist_confirmed": active.filter(status="waitlist", confirmed_at__isnull=False).count(),
    "unconfirmed": active.filter(confirmed_at__isnull=True).count(),
    "cancelled": rows.filter(status="cancelled").count(),
    "addresses_with_two": active.values("email").annotate(n=Count("id")).filter(n__gt=1).count(),
    "addresses": list(active.values_list("email", flat=True)),
}))
"""

# --- the vote storm -------------------------------------------------------------------------------


def vote_plan(attempts: int, rng: random.Random, run: str) -> list[dict]:
    """Voters and what each asks for, sized so that the POSTs come to about `attempts`
    (each link is posted once, ~12 % twice at once, ~8 % again later: 1.2 POSTs per link)."""
    links = max(10, round(attempts / 1.2))
    voters, count, n = [], 0, 0
    domains = ["gmail.com", "gmail.com", "yandex.ru", "mail.ru", "school.example.ru"]
    while count < links:
        domain = domains[n % len(domains)]
        login = f"storm.{run}.{n}" if domain != "mail.ru" else f"storm_{run}_{n}"
        variants = address_variants(login, domain)
        nomination = rng.randrange(3)
        requests = [(nomination, 0, variants[0])]
        if rng.random() < 0.25:  # the same entry again, the mailbox written differently
            requests.append((nomination, 0, rng.choice(variants[1:])))
        if rng.random() < 0.2:  # another entry of the same nomination: over a limit of one
            requests.append((nomination, 1, rng.choice(variants)))
        if rng.random() < 0.3:  # another nomination
            requests.append(((nomination + 1) % 3, rng.randrange(3), rng.choice(variants)))
        voters.append({"addresses": variants, "requests": requests, "ip": visitor_address(n, 20)})
        count += len(requests)
        n += 1
    return voters


def vote_storm(args, state, env, rng, run) -> dict:
    WORK.mkdir(exist_ok=True)
    plan_file, seed_file = WORK / "vote-plan.json", WORK / "vote-seed.json"
    plan_file.write_text(json.dumps({"voters": vote_plan(args.attempts, rng, run)}))
    started = time.monotonic()
    # The confirmation e-mails of the seed are sent (to memory) in its own process, not by the stack's
    # worker: the storm measures confirmations, not 8,000 letters written to disk meanwhile.
    parts = max(1, os.cpu_count() or 1)
    extra = {
        "TASKS_BACKEND": "core.tasks.ImmediateBackend",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    }
    with ThreadPoolExecutor(parts) as pool:  # one process per CPU, each a share of the voters
        pieces = list(
            pool.map(
                lambda part: django(env, VOTE_SEED, plan_file, f"{seed_file}.{part}", part, parts, extra_env=extra),
                range(parts),
            )
        )
    seed = {**pieces[0], "tokens": sum(p["tokens"] for p in pieces), "voters": sum(p["voters"] for p in pieces)}
    seed["expected"] = sum(p["expected"] for p in pieces)
    seed["seconds"] = max(p["seconds"] for p in pieces)
    merged = {"tokens": [], "voters": {}}
    for part in range(parts):
        piece = json.loads(Path(f"{seed_file}.{part}").read_text())
        merged["tokens"] += piece["tokens"]
        merged["voters"].update(piece["voters"])
    # The plan's order (a voter's links side by side), not one part after the other.
    merged["tokens"].sort(key=lambda link: visitor_order(link["ip"]))
    seed_file.write_text(json.dumps(merged))
    print(
        f"votes: {seed['tokens']} pending votes of {seed['voters']} voters in «{seed['title']}» "
        f"({seed['nominations']} nominations, {seed['limit']} vote each) prepared in {time.monotonic() - started:.0f} s "
        f"({seed['seconds']:.0f} s of work per process); "
        f"expected confirmed: {seed['expected']}",
        flush=True,
    )
    links = json.loads(seed_file.read_text())["tokens"]
    proxy, apps = targets(state)
    tally = Tally()
    forms: dict[str, tuple] = {}
    ready: dict[str, threading.Event] = {link["token"]: threading.Event() for link in links}

    def post(target, ip, path, form):
        cookie, token = form
        try:
            status, _, text = request(target, ip, "POST", path, urlencode({"csrfmiddlewaretoken": token}), cookie)
        except OSError as exc:
            tally.error("vote POST", target, exc)
            return
        found = VOTE_STATUS.search(text)
        tally.add("vote POST", target, status, found.group(1) if found else f"http {status}")

    def visit(job):
        link, mode = job
        path = f"/contests/vote/confirm/{link['token']}/"
        ip = link["ip"]
        if mode == "again":  # the form sent again later (back, then the button once more)
            ready[link["token"]].wait(300)
            if link["token"] in forms:
                post(proxy, ip, path, forms[link["token"]])
            return
        first = proxy if mode in ("proxy", "proxy-double") else rng_choice(apps)
        try:
            try:
                status, headers, text = request(first, ip, "GET", path)
            except OSError as exc:
                tally.error("vote GET", first, exc)
                return
            tally.add("vote GET", first, status)
            token = CSRF_INPUT.search(text)
            if status != 200 or not token:
                return
            form = forms[link["token"]] = (csrf_cookie(headers), token.group(1))
        finally:
            ready[link["token"]].set()
        if mode == "proxy-double":
            at_once([lambda: post(proxy, ip, path, form)] * 2)
        elif mode == "split-double":  # one POST to each instance at the same moment
            at_once([lambda target=target: post(target, ip, path, form) for target in apps])
        else:
            post(first, ip, path, form)

    lock = threading.Lock()

    def rng_choice(items):
        with lock:
            return rng.choice(items)

    jobs = []
    for i, link in enumerate(links):
        roll = rng.random()
        mode = (
            "proxy-double" if roll < 0.06 else "split-double" if roll < 0.12 else "direct" if roll < 0.25 else "proxy"
        )
        jobs.append((i, link, mode))
    # The same voter's links stay next to each other (they race); resubmissions come 300–600 jobs later,
    # always after their first visit (the pool takes jobs in order, so a resubmission never waits long).
    again = rng.sample(range(len(links)), k=round(len(links) * 0.08))
    planned = sum({"proxy-double": 2, "split-double": 2}.get(mode, 1) for _, _, mode in jobs) + len(again)
    again += rng.sample(range(len(links)), k=max(0, args.attempts - planned))  # exactly --attempts POSTs
    for i in again:
        jobs.append((i + 300 + rng.randrange(300) + 0.5, links[i], "again"))
    jobs = [(link, mode) for _, link, mode in sorted(jobs, key=lambda job: job[0])]
    posts = sum({"proxy-double": 2, "split-double": 2}.get(mode, 1) for _, mode in jobs)
    print(
        f"votes: firing {posts} confirmation POSTs ({len(links)} GETs first) with {args.concurrency} visitors at once",
        flush=True,
    )
    marks = log_sizes(state)
    started = time.monotonic()
    with ThreadPoolExecutor(args.concurrency) as pool:
        list(pool.map(visit, jobs))
    seconds = time.monotonic() - started
    logged = conflicts_logged(state, marks)
    check = django(env, VOTE_CHECK, seed["contest"], seed_file)
    result = {
        "seed": seed,
        "posts": posts,
        "posts_sent": sum(n for (phase, _, _), n in tally.statuses.items() if phase == "vote POST"),
        # 409s each instance logged (Django logs every 4xx), proxied ones included: nginx used both
        "instance_409s_logged": logged,
        "seconds": round(seconds, 1),
        "statuses": by_status(tally),
        "outcomes": {f"{phase}: {outcome}": n for (phase, outcome), n in sorted(tally.outcomes.items())},
        "errors": tally.errors,
        "check": check,
    }
    result["tally_delta"] = check["tally_after"] - seed["tally_before"]
    fives = sum(n for (_, _, status), n in tally.statuses.items() if isinstance(status, int) and status >= 500)
    result["ok"] = (
        check["confirmed"] == check["expected"] == result["tally_delta"]
        and check["voters_with_wrong_count"] == 0
        and check["same_entry_twice_in_contest"] == 0
        and check["over_limit_in_contest"] == 0
        and check["outcomes"].get("pending", 0) == 0
        and fives == 0
        and not tally.errors
    )
    result["5xx"] = fives
    return result


# --- the registration storm -----------------------------------------------------------------------


def solve(challenge: dict) -> str:
    from altcha import Challenge, Payload, solve_challenge

    parsed = Challenge.from_dict(challenge)
    solution = solve_challenge(parsed, timeout=120)
    return Payload(parsed, solution).to_base64()


def form_fields(html: str) -> dict:
    """The registration form's hidden inputs (CSRF token, the check's token, consent revision…)."""
    from bs4 import BeautifulSoup

    form = BeautifulSoup(html, "html.parser").select_one("form.event-registration__form")
    if form is None:
        return {}
    return {i["name"]: i.get("value", "") for i in form.select("input[type=hidden][name]")}


def registration_storm(args, state, env, rng, run) -> dict:
    seed = django(env, EVENT_SEED, run, args.seats)
    print(f"registrations: event {seed['url']} with {args.seats} seats, registration {seed['state']}", flush=True)
    proxy, apps = targets(state)
    people = []
    for n in range(args.registrants):
        address = f"uchitel.{run}.{n}@school{n % 40}.example.ru"
        # three in four through nginx, the rest straight to an instance; one in ten double-clicks
        where = proxy if rng.random() < 0.75 else apps[n % len(apps)]
        people.append(
            {"email": address, "ip": visitor_address(n, 10, first=100), "double": rng.random() < 0.1, "to": where}
        )
    again = [  # the same address again later, in capitals, with a check of its own
        {"email": p["email"].upper(), "ip": p["ip"], "double": False, "again": True, "to": proxy}
        for p in rng.sample(people, k=max(1, args.registrants // 20))
    ]
    everyone = people + again
    # ALTCHA: each visitor's own challenge from the site, solved before the storm (in the browser it
    # is the visitor's CPU, here it is ours; it must not slow the server during the storm).
    started = time.monotonic()
    for person in everyone:
        status, _, text = request(proxy, person["ip"], "GET", "/altcha/challenge/")
        if status != 200:
            sys.exit(f"/altcha/challenge/ answered {status}")
        person["challenge"] = json.loads(text)
    with ProcessPoolExecutor(os.cpu_count()) as pool:
        for person, payload in zip(everyone, pool.map(solve, [p["challenge"] for p in everyone]), strict=True):
            person["altcha"] = payload
    solving = time.monotonic() - started
    print(f"registrations: {len(everyone)} ALTCHA challenges solved in {solving:.0f} s", flush=True)
    if solving > 540:  # challenges live 600 s (altcha_django's default): the first ones may have expired
        print("registrations: WARNING: solving took longer than the challenges live; use fewer --registrants")

    tally = Tally()
    event_path = seed["url"]

    def register(person):
        target = person["to"]
        try:
            status, headers, text = request(target, person["ip"], "GET", event_path)
        except OSError as exc:
            tally.error("event GET", target, exc)
            return
        tally.add("event GET", target, status)
        fields = form_fields(text)
        if status != 200 or "csrfmiddlewaretoken" not in fields:
            tally.add("event GET", target, "no form")
            return
        fields.update(
            full_name="Иванова Мария Петровна",
            organisation="ГБОУ школа № 204",
            position="учитель",
            email=person["email"],
            consent="on",
            website="",
            altcha=person["altcha"],
        )
        fields.pop("check_answer", None)
        body, cookie = urlencode(fields), csrf_cookie(headers)

        def send(where):
            try:
                status, _, _ = request(where, person["ip"], "POST", f"{event_path}register/", body, cookie)
            except OSError as exc:
                tally.error("register POST", where, exc)
                return
            tally.add("register POST", where, status)

        if person["double"]:  # a double click: the same form twice at once, one to each instance
            at_once([lambda where=where: send(where) for where in apps])
        else:
            send(target)

    order = people[:]
    rng.shuffle(order)
    for person in again:  # late, but still inside the storm
        order.insert(min(len(order), rng.randrange(len(order) // 2, len(order) + 1)), person)
    started = time.monotonic()
    with ThreadPoolExecutor(args.concurrency) as pool:
        list(pool.map(register, order))
    register_seconds = time.monotonic() - started
    print(f"registrations: {len(order)} visitors posted in {register_seconds:.1f} s", flush=True)

    # Confirmation links, from the mailbox (the stack's EMAIL_FILE_PATH, written by its worker).
    registered = django(env, EVENT_CHECK, seed["event"])["addresses"]
    links = read_links(Path(state["dir"]) / "mail", set(registered), timeout=180)
    missing = sorted(set(registered) - set(links))

    ips = {p["email"]: p["ip"] for p in people}
    plans = {
        address: (rng.random() < 0.1, proxy if rng.random() < 0.75 else rng.choice(apps)) for address in sorted(links)
    }

    def confirm(item):
        address, path = item
        ip = ips[address]
        double, target = plans[address]
        try:
            status, headers, text = request(target, ip, "GET", path)
        except OSError as exc:
            tally.error("confirm GET", target, exc)
            return
        tally.add("confirm GET", target, status)
        token = CSRF_INPUT.search(text)
        if not token:
            return
        body, cookie = urlencode({"csrfmiddlewaretoken": token.group(1)}), csrf_cookie(headers)

        def send(where):
            try:
                status, _, _ = request(where, ip, "POST", path, body, cookie)
            except OSError as exc:
                tally.error("confirm POST", where, exc)
                return
            tally.add("confirm POST", where, status)

        if double:  # the button pressed twice: one POST to each instance at once
            at_once([lambda where=where: send(where) for where in apps])
        else:
            send(target)

    started = time.monotonic()
    with ThreadPoolExecutor(args.concurrency) as pool:
        list(pool.map(confirm, sorted(links.items())))
    confirm_seconds = time.monotonic() - started
    check = django(env, EVENT_CHECK, seed["event"])
    addresses = check.pop("addresses")
    fives = sum(n for (_, _, status), n in tally.statuses.items() if isinstance(status, int) and status >= 500)
    distinct = len({p["email"].lower() for p in people})
    result = {
        "seed": seed,
        "registrants": distinct,
        "late_repeats": len(again),
        "double_clicks": sum(p["double"] for p in people),
        "register_seconds": round(register_seconds, 1),
        "confirm_seconds": round(confirm_seconds, 1),
        "links_missing": missing,
        "statuses": by_status(tally),
        "errors": tally.errors,
        "check": check,
        "5xx": fives,
    }
    result["ok"] = (
        check["by_status"].get("registered", 0) == args.seats == check["registered_confirmed"]
        and check["by_status"].get("waitlist", 0) == distinct - args.seats == check["waitlist_confirmed"]
        and check["addresses_with_two"] == 0
        and len(addresses) == distinct
        and not missing
        and fives == 0
        and not tally.errors
    )
    return result


def read_links(mail_dir: Path, addresses: set[str], timeout: float) -> dict[str, str]:
    """Each address's confirmation link (its path), from the files of Django's file e-mail backend."""
    links: dict[str, str] = {}
    deadline = time.monotonic() + timeout
    while True:
        for path in sorted(mail_dir.glob("*.log")) if mail_dir.exists() else []:
            for chunk in path.read_bytes().split(b"-" * 79 + b"\n"):
                if not chunk.strip():
                    continue
                message = email.message_from_bytes(chunk, policy=email.policy.default)
                to = str(message.get("To", "")).strip()
                if to not in addresses or to in links:
                    continue
                body = message.get_body(("plain",))
                found = re.search(r"https?://\S+?/r/[\w-]+/confirm/", body.get_content() if body else "")
                if found:
                    links[to] = urlsplit(found.group(0)).path
        if len(links) >= len(addresses) or time.monotonic() > deadline:
            return links
        time.sleep(1)


# --- report -----------------------------------------------------------------------------------------


def log_sizes(state) -> dict[str, int]:
    logs = {url: Path(state["dir"]) / f"gunicorn-{urlsplit(url).port}.log" for url in state["app_urls"]}
    return {url: path.stat().st_size if path.exists() else 0 for url, path in logs.items()}


def conflicts_logged(state, marks: dict[str, int]) -> dict[str, int]:
    """How many 409s of vote confirmations each instance logged since `marks`."""
    counts = {}
    for url, offset in marks.items():
        path = Path(state["dir"]) / f"gunicorn-{urlsplit(url).port}.log"
        with open(path, "rb") as log:
            log.seek(offset)
            counts[f"app:{urlsplit(url).port}"] = log.read().count(b"Conflict: /contests/vote/confirm/")
    return counts


def targets(state) -> tuple[Target, list[Target]]:
    site = urlsplit(state["url"])
    apps = [
        Target(f"app:{urlsplit(url).port}", urlsplit(url).hostname, urlsplit(url).port) for url in state["app_urls"]
    ]
    return Target("proxy", site.hostname, site.port), apps


def by_status(tally: Tally) -> dict:
    out: dict = {}
    for (phase, target, status), n in sorted(tally.statuses.items(), key=str):
        out.setdefault(phase, {}).setdefault(target, {})[str(status)] = n
    return out


def print_statuses(statuses: dict) -> None:
    for phase, per_target in statuses.items():
        line = "; ".join(
            f"{target} " + ", ".join(f"{status}×{n}" for status, n in sorted(counts.items()))
            for target, counts in per_target.items()
        )
        print(f"  {phase:<14} {line}")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--attempts", type=int, default=10000, help="vote confirmation POSTs")
    parser.add_argument("--registrants", type=int, default=300)
    parser.add_argument("--seats", type=int, default=20)
    parser.add_argument("--concurrency", type=int, default=48, help="visitors at once")
    parser.add_argument("--only", choices=["votes", "registrations"])
    parser.add_argument("--seed", type=int, default=14)
    args = parser.parse_args(argv)
    WORK.mkdir(exist_ok=True)

    state = stack.read_state()
    started = state is None
    if started:
        state = stack.up()
    env = {**os.environ, **state["env"]}
    rng = random.Random(args.seed)
    run = "".join(random.choice("abcdefghjkmnpqrstuvwxyz") for _ in range(5))
    results = {"args": vars(args), "run": run, "stack": {k: state[k] for k in ("url", "app_urls")}}
    try:
        if args.only != "registrations":
            results["votes"] = vote_storm(args, state, env, rng, run)
        if args.only != "votes":
            results["registrations"] = registration_storm(args, state, env, rng, run)
    finally:
        if started:
            stack.down()

    if "votes" in results:
        v = results["votes"]
        check = v["check"]
        print(
            f"\nVote storm: {v['posts_sent']} confirmation POSTs in {v['seconds']} s ({v['posts_sent'] / v['seconds']:.0f}/s)"
        )
        print_statuses(v["statuses"])
        logged = v["instance_409s_logged"]
        direct = {t: sum(n for s_, n in c.items() if s_ == "409") for t, c in v["statuses"]["vote POST"].items()}
        print(
            "  409s logged by each instance (direct + through nginx): "
            + ", ".join(f"{t} {n} ({n - direct.get(t, 0)} through nginx)" for t, n in logged.items())
        )
        print("  pages said:  " + ", ".join(f"{k.split(': ')[1]}×{n}" for k, n in v["outcomes"].items()))
        print(f"  votes by outcome in the database: {check['outcomes']}")
        print(
            f"  confirmed {check['confirmed']} / expected {check['expected']}; tally +{v['tally_delta']}; "
            f"voters with a wrong count {check['voters_with_wrong_count']}; one entry twice {check['same_entry_twice_in_contest']}; "
            f"over the limit {check['over_limit_in_contest']}; 5xx {v['5xx']}"
        )
        print("  " + ("OK" if v["ok"] else "FAILED"), *v["errors"][:5], sep="\n  ")
    if "registrations" in results:
        r = results["registrations"]
        check = r["check"]
        print(
            f"\nRegistration storm: {r['registrants']} registrants (+{r['double_clicks']} double clicks, "
            f"+{r['late_repeats']} late repeats in capitals) for {args.seats} seats; posted in {r['register_seconds']} s, "
            f"confirmed in {r['confirm_seconds']} s"
        )
        print_statuses(r["statuses"])
        print(
            f"  database: {check['by_status']}; registered and confirmed {check['registered_confirmed']}, "
            f"waiting and confirmed {check['waitlist_confirmed']}, unconfirmed {check['unconfirmed']}, "
            f"addresses with two registrations {check['addresses_with_two']}; links missing {len(r['links_missing'])}; 5xx {r['5xx']}"
        )
        print("  " + ("OK" if r["ok"] else "FAILED"), *r["errors"][:5], sep="\n  ")
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    target = out / f"storms-{time.strftime('%Y%m%d-%H%M%S')}.json"
    target.write_text(json.dumps(results, ensure_ascii=False, indent=2, default=str))
    print(f"\nwritten {target.relative_to(ROOT)}")
    return 0 if all(results[k]["ok"] for k in ("votes", "registrations") if k in results) else 1


if __name__ == "__main__":
    sys.exit(main())

"""What the outage tests share: the site under gunicorn as production runs it (two sync workers), a
visitor's requests with what each answered, and the pages the tests visit (tests/outage/site_data.py)."""

import http.client
import json
import re
import signal
import subprocess
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlencode

from tests.deploy.servers import free_port

ROOT = Path(__file__).resolve().parents[2]

FORM = {
    "full_name": "Иванова Мария Петровна",
    "organisation": "ГБОУ школа № 204",
    "position": "учитель математики",
    "consent": "on",
    "altcha": "test-payload",
}


class Site:
    def __init__(self, port: int, log: Path):
        self.port, self.log = port, log
        self.seen: list[tuple[str, str, int, float]] = []  # (phase, method path, status, seconds)
        self.pages: dict = {}

    def request(self, phase, method, path, body=None, headers=None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        started = time.monotonic()
        try:
            connection.request(method, path, body=body, headers={"Host": "testserver", **(headers or {})})
            response = connection.getresponse()
            text = response.read().decode("utf-8", "replace")
        finally:
            connection.close()
        self.seen.append((phase, f"{method} {path}", response.status, time.monotonic() - started))
        return response, text

    def get(self, phase, path, **headers):
        return self.request(phase, "GET", path, headers=headers)

    def post(self, phase, path, data, cookie=""):
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": cookie,
            "Referer": "http://testserver/",
        }
        return self.request(phase, "POST", path, urlencode(data), headers)

    def log_size(self) -> int:
        return self.log.stat().st_size

    def log_since(self, size: int) -> list[str]:
        return self.log.read_bytes()[size:].decode("utf-8", "replace").splitlines()


def site_pages(environment: dict) -> dict:
    """Adds the pages the tests visit to the database `environment` points at; their URLs."""
    result = subprocess.run(
        [str(ROOT / ".venv/bin/python"), "-m", "tests.outage.site_data"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


@contextmanager
def gunicorn_site(environment: dict, log: Path):
    """gunicorn (gunicorn.conf.py, two sync workers) with `environment`, once /healthz answers 200."""
    port = free_port()
    with log.open("w") as output:
        process = subprocess.Popen(
            [str(ROOT / ".venv/bin/gunicorn"), "imc_site.wsgi:application", "-c", "gunicorn.conf.py"]
            + ["--bind", f"127.0.0.1:{port}", "--workers", "2"],
            cwd=ROOT,
            env=environment,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        site = Site(port, log)
        deadline = time.monotonic() + 60
        while True:
            try:
                if site.get("start", "/healthz")[0].status == 200:
                    break
            except OSError:
                pass
            assert process.poll() is None and time.monotonic() < deadline, log.read_text()[-3000:]
            time.sleep(0.2)
        site.seen.clear()
        yield site
    finally:
        process.send_signal(signal.SIGINT)  # gunicorn's quick shutdown: nothing is in flight
        process.wait(timeout=20)


def csrf(site, path, phase="before"):
    """The form's CSRF token and cookie, as a browser gets them from the page with the form."""
    response, text = site.get(phase, path)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', text).group(1)
    cookie = "; ".join(value.split(";", 1)[0] for name, value in response.getheaders() if name.lower() == "set-cookie")
    return token, cookie


def confirm_vote(site, phase, link, form=None):
    """A voter opens the link from the e-mail and presses «Подтвердить» (the form from `form`, a (token,
    cookie) pair got earlier, else from the page now); the response's status."""
    token, cookie = form or csrf(site, link, phase)
    return site.post(phase, link, {"csrfmiddlewaretoken": token}, cookie)[0].status


def query(url: str, statement: str) -> list[tuple]:
    """Rows of one statement on the site's database, from outside the site."""
    import psycopg2

    db = psycopg2.connect(url)
    try:
        with db.cursor() as cursor:
            cursor.execute(statement)
            return cursor.fetchall()
    finally:
        db.close()


def votes_by_outcome(url: str) -> dict[str, int]:
    return dict(query(url, "SELECT outcome, count(*) FROM contests_vote GROUP BY outcome"))

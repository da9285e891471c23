"""The link checker against a local HTTP server only (http.server in a thread), never the internet: a 200 is
alive; a 404, a timeout, a TLS error and a redirect to another domain are failures; a link that fails twice
is hidden from visitors and listed for the editor with the reason."""

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.management import call_command

from safe_internet.linkcheck import USER_AGENT, check_urls
from safe_internet.models import SafeResource
from tests.safe_internet.factories import SafeResourceFactory


class Handler(BaseHTTPRequestHandler):
    agents: list = []
    active = 0
    peak = 0
    lock = threading.Lock()

    def do_GET(self):
        cls = type(self)
        with cls.lock:
            cls.agents.append(self.headers.get("User-Agent"))
            cls.active += 1
            cls.peak = max(cls.peak, cls.active)
        try:
            path = self.path.split("?")[0]
            if path.startswith("/ok"):
                time.sleep(0.05)
                self._send(200)
            elif path == "/missing":
                self._send(404)
            elif path == "/slow":
                time.sleep(1.5)
                self._send(200)
            elif path == "/moved":  # to another host name of the same server: another domain
                self._send(302, location=f"http://localhost:{self.server.server_port}/ok")
            elif path == "/same-host-move":
                self._send(301, location="/ok/new-place")
            else:
                self._send(500)
        finally:
            with cls.lock:
                cls.active -= 1

    def _send(self, status, location=None):
        try:
            self.send_response(status)
            if location:
                self.send_header("Location", location)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")
        except (BrokenPipeError, ConnectionResetError):
            pass  # the checker gave up first (/slow outlasts its timeout): no traceback in the suite's log

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    Handler.agents = []
    Handler.active = Handler.peak = 0
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()
    httpd.server_close()


def test_alive_and_failures(server):
    https = server.replace("http://", "https://")  # TLS to a plain HTTP server: a handshake error
    results = check_urls(
        [
            (f"{server}/ok", ""),
            (f"{server}/missing", ""),
            (f"{server}/slow", ""),
            (f"{server}/moved", ""),
            (f"{server}/same-host-move", ""),
            (f"{https}/ok", ""),
        ],
        timeout=0.5,
        per_host_interval=0,
    )
    assert results[f"{server}/ok"].ok
    assert results[f"{server}/same-host-move"].ok
    assert results[f"{server}/missing"].reason == "страница не найдена (404)"
    assert results[f"{server}/slow"].reason == "сайт не ответил за 0.5 с"
    assert results[f"{server}/moved"].reason == "перенаправляет на другой домен: localhost"
    assert not results[f"{https}/ok"].ok
    assert "TLS" in results[f"{https}/ok"].reason
    assert set(Handler.agents) == {USER_AGENT}


def test_an_approved_new_domain_is_not_a_failure(server):
    results = check_urls([(f"{server}/moved", "localhost")], timeout=2, per_host_interval=0)
    assert results[f"{server}/moved"].ok


def test_one_request_at_a_time_per_host_with_a_pause_between(server):
    urls = [(f"{server}/ok/{i}", "") for i in range(4)]
    started = time.monotonic()
    results = check_urls(urls, concurrency=4, timeout=2, per_host_interval=0.2)
    elapsed = time.monotonic() - started
    assert all(result.ok for result in results.values())
    assert Handler.peak == 1  # four workers, one host: never two requests at once
    assert elapsed >= 0.6  # three pauses of 0.2 s between four requests


def test_concurrency_is_bounded_across_hosts(server):
    # Two host names of the same server count as two hosts; two workers at most.
    other = server.replace("127.0.0.1", "localhost")
    urls = [(f"{host}/ok/{i}", "") for host in (server, other) for i in range(3)]
    check_urls(urls, concurrency=2, timeout=2, per_host_interval=0)
    assert Handler.peak <= 2


@pytest.mark.django_db
def test_a_link_failing_twice_is_hidden_and_listed_for_the_editor(server, client, capsys):
    alive = SafeResourceFactory(name="Работающий сайт", url=f"{server}/ok")
    broken = SafeResourceFactory(name="Пропавший сайт", url=f"{server}/missing")
    url = "/safe-internet/detskie-bezopasnye-saity/"
    assert "Пропавший сайт" in client.get(url).content.decode()

    call_command("check_safe_links", "--interval=0", "--timeout=2")
    broken.refresh_from_db()
    assert broken.failures == 1 and not broken.hidden  # one failure may be a passing outage
    assert "Пропавший сайт" in client.get(url).content.decode()

    call_command("check_safe_links", "--interval=0", "--timeout=2")
    out = capsys.readouterr().out
    broken.refresh_from_db()
    alive.refresh_from_db()
    assert broken.hidden and broken.last_check_reason == "страница не найдена (404)"
    assert alive.last_check_ok and not alive.hidden and alive.last_checked_at
    assert "Скрыт: Пропавший сайт" in out and "404" in out
    page = client.get(url).content.decode()
    assert "Пропавший сайт" not in page
    assert "Работающий сайт" in page
    assert list(SafeResource.objects.filter(hidden=True)) == [broken]  # the editor's filter


@pytest.mark.django_db
def test_a_hidden_link_that_answers_again_comes_back(server):
    resource = SafeResourceFactory(url=f"{server}/ok", failures=2, hidden=True, last_check_ok=False)
    call_command("check_safe_links", "--interval=0", "--timeout=2")
    resource.refresh_from_db()
    assert not resource.hidden and resource.failures == 0


@pytest.mark.django_db
def test_the_catalogue_shows_age_mark_audience_and_check_date(client):
    SafeResourceFactory(name="Сетевичок", category="Просвещение", age_mark="12+", for_students=True, for_parents=True)
    text = " ".join(client.get("/safe-internet/detskie-bezopasnye-saity/").content.decode().split())
    assert "Сетевичок" in text
    assert "12+" in text
    assert "обучающимся, родителям" in text

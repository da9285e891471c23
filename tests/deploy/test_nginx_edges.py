"""The shipped nginx (deploy/nginx/imc.conf, paths and ports substituted) at its edges, in front of a stub
upstream whose answers the tests choose: how long a copy lives and when a stale one is served, the
Russian page when gunicorn is down, the request limits.
"""

import http.client
import http.server
import itertools
import threading
import time
from pathlib import Path

import pytest

from scripts.stack import check_nginx, nginx_command, render_nginx
from tests.deploy.servers import free_port, start, stop

ROOT = Path(__file__).resolve().parents[2]
COUNTER = itertools.count()
# path → Cache-Control of the stub's answer
ANSWERS = {
    "/page/": "public, max-age=0, s-maxage=1, stale-while-revalidate=60",  # an ordinary page
    "/timed/": "public, max-age=0, s-maxage=1, stale-while-revalidate=0",  # changes at a known moment
    "/counts/": "public, max-age=5",  # for browsers only
    "/long/": "public, max-age=0, s-maxage=300, stale-while-revalidate=60",
}


class _Stub(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        body = f"{self.path} #{next(COUNTER)}".encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Cache-Control", ANSWERS.get(self.path.split("?")[0], "private"))
        self.send_header("Vary", "Cookie")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


class Proxy:
    def __init__(self, port):
        self.port = port

    def get(self, path, headers=None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            connection.request("GET", path, headers=headers or {})
            response = connection.getresponse()
            return response, response.read().decode()
        finally:
            connection.close()


def _nginx(tmp, upstream_port, **options):
    site_port = free_port()
    conf = render_nginx(
        tmp,
        site_port=site_port,
        purge_port=free_port(),
        upstream_ports=[upstream_port],
        static_root=tmp,
        media_root=tmp,
        workers="1",
        **options,
    )
    check_nginx(conf)
    return start(nginx_command(conf), site_port), Proxy(site_port)


@pytest.fixture
def upstream():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Stub)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def proxy(upstream, tmp_path):
    process, proxy = _nginx(tmp_path, upstream.server_address[1])
    yield proxy
    stop(process)


def status(response) -> str | None:
    return response.getheader("X-Proxy-Cache")


def test_a_copy_lives_for_s_maxage_and_is_refreshed_in_the_background_within_stale_while_revalidate(proxy):
    first, body = proxy.get("/page/")
    assert status(first) == "MISS" and status(proxy.get("/page/")[0]) == "HIT"
    time.sleep(2.1)  # nginx counts whole seconds: a copy valid for 1 s is stale after at most 2
    stale, stale_body = proxy.get("/page/")  # the old copy at once, refreshed behind it
    assert status(stale) == "STALE" and stale_body == body
    time.sleep(0.3)
    fresh, fresh_body = proxy.get("/page/")
    assert status(fresh) == "HIT" and fresh_body != body


def test_a_page_that_changes_at_a_known_moment_is_never_served_after_it(proxy):
    _, body = proxy.get("/timed/")
    time.sleep(2.1)  # nginx counts whole seconds: a copy valid for 1 s is stale after at most 2
    response, after = proxy.get("/timed/")
    assert status(response) == "EXPIRED" and after != body


def test_only_s_maxage_is_for_the_proxy(proxy):
    assert status(proxy.get("/counts/")[0]) == status(proxy.get("/counts/")[0]) == "MISS"


def test_cookies_that_do_not_matter_share_one_copy_despite_vary_cookie(proxy):
    _, body = proxy.get("/long/", {"Cookie": "_ym_uid=1"})
    response, again = proxy.get("/long/", {"Cookie": "_ym_d=2; lv="})
    assert status(response) == "HIT" and again == body


def test_gunicorn_down_serves_the_last_copy_or_the_russian_page(upstream, proxy):
    _, body = proxy.get("/page/")
    time.sleep(2.1)  # nginx counts whole seconds: a copy valid for 1 s is stale after at most 2
    upstream.shutdown()
    upstream.server_close()
    response, stale = proxy.get("/page/")
    assert response.status == 200 and status(response) == "STALE" and stale == body  # stale-if-error

    response, page = proxy.get("/never-stored/")
    assert response.status == 503 and response.getheader("Retry-After") == "60"
    assert "Сайт временно недоступен" in page and page.startswith("<!DOCTYPE html>")


def test_the_proxys_503_page_is_the_sites():
    template = (ROOT / "templates" / "503.html").read_text().splitlines(keepends=True)
    assert template[0].startswith("{#")  # the template comment nginx must not show
    assert (ROOT / "deploy" / "nginx" / "503.html").read_text() == "".join(template[1:]), (
        "deploy/nginx/503.html is templates/503.html without its first line: sed 1d templates/503.html > deploy/nginx/503.html"
    )


def test_a_flood_from_one_address_is_limited_with_the_russian_page(upstream, tmp_path):
    process, proxy = _nginx(tmp_path, upstream.server_address[1], exempt_loopback=False)
    try:
        statuses = [proxy.get("/long/")[0].status for _ in range(160)]
        response, page = proxy.get("/long/")
    finally:
        stop(process)
    assert statuses[:100].count(200) == 100 and 429 in statuses  # a burst of 100 at 20 a second
    assert response.status == 429 and response.getheader("Retry-After") and "Сайт" in page

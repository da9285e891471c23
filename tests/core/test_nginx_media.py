"""The shipped nginx configuration (deploy/nginx/) serves uploads safely (issue 8.1).

nginx runs with the shipped files; only paths and ports are substituted (scripts/stack.py's render_nginx:
a temporary prefix, free ports, a self-signed certificate, a tiny upstream that echoes the headers it
receives). The page cache in front and its purge: tests/deploy/.
"""

import http.client
import http.server
import json
import shutil
import socket
import ssl
import subprocess
import threading
import time
from pathlib import Path

import pytest

from scripts.stack import check_nginx, nginx_command, render_nginx

from . import samples

NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _Echo(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        body = json.dumps(dict(self.headers.items())).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def nginx(tmp_path_factory):
    if NGINX is None:  # a missing tool fails the suite, it does not skip
        pytest.fail("nginx is not installed: run `make install-dev` (scripts/install_test_tools.sh)")
    tmp = tmp_path_factory.mktemp("nginx")
    media = tmp / "media"
    (media / "original_images").mkdir(parents=True)
    (media / "documents").mkdir()
    (tmp / "static_collected").mkdir()
    (media / "original_images" / "x.html").write_bytes(samples.HTML)
    (media / "original_images" / "logo.svg").write_bytes(samples.SVG_WITH_SCRIPT)
    (media / "original_images" / "cover.png").write_bytes(samples.image("PNG"))
    (media / "documents" / "zayavka.pdf").write_bytes(samples.PDF)
    (tmp / "static_collected" / "site.3f2a.css").write_text("body{}")
    (tmp / "ssl").mkdir()
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=imc.example.ru",
         "-keyout", str(tmp / "ssl" / "privkey.pem"), "-out", str(tmp / "ssl" / "fullchain.pem")],
        check=True, capture_output=True,
    )  # fmt: skip

    upstream = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Echo)
    threading.Thread(target=upstream.serve_forever, daemon=True).start()
    ports = {"http": _free_port(), "https": _free_port()}
    conf = render_nginx(
        tmp / "nginx",
        site_port=ports["https"],
        redirect_port=ports["http"],
        purge_port=_free_port(),
        upstream_ports=[upstream.server_address[1]],
        static_root=tmp / "static_collected",
        media_root=media,
        tls_dir=tmp / "ssl",
        workers="1",
    )
    check_nginx(conf)
    process = subprocess.Popen(nginx_command(conf), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 10
    while True:
        try:
            socket.create_connection(("127.0.0.1", ports["https"]), timeout=0.2).close()
            break
        except OSError:
            assert process.poll() is None, process.stderr.read().decode()
            assert time.monotonic() < deadline, "nginx did not start"
            time.sleep(0.05)
    yield ports
    process.terminate()
    process.wait(timeout=10)
    upstream.shutdown()


def get(ports, path, host="imc.example.ru", scheme="https", method="GET", headers=None):
    if scheme == "https":
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        conn = http.client.HTTPSConnection("127.0.0.1", ports["https"], context=context, timeout=5)
    else:
        conn = http.client.HTTPConnection("127.0.0.1", ports["http"], timeout=5)
    conn.request(method, path, headers={"Host": host, **(headers or {})})
    response = conn.getresponse()
    body = response.read()
    conn.close()
    return response, body


def assert_safe_media_headers(response):
    assert response.getheader("X-Content-Type-Options") == "nosniff"
    csp = response.getheader("Content-Security-Policy") or ""
    assert csp.startswith("sandbox") and "default-src 'none'" in csp


@pytest.mark.parametrize("host", ["imc.example.ru", "media.imc.example.ru"])
def test_an_html_file_under_media_is_a_download_not_a_page(nginx, host):
    response, body = get(nginx, "/media/original_images/x.html", host=host)
    assert response.status == 200 and body == samples.HTML
    assert response.getheader("Content-Type") == "application/octet-stream"
    assert_safe_media_headers(response)


def test_svg_is_not_served_as_svg(nginx):
    response, _ = get(nginx, "/media/original_images/logo.svg")
    assert response.getheader("Content-Type") == "application/octet-stream"
    assert_safe_media_headers(response)


@pytest.mark.parametrize("host", ["imc.example.ru", "media.imc.example.ru"])
def test_pictures_keep_their_type_with_the_safe_headers(nginx, host):
    response, body = get(nginx, "/media/original_images/cover.png", host=host)
    assert response.status == 200 and body == samples.image("PNG")
    assert response.getheader("Content-Type") == "image/png"
    assert_safe_media_headers(response)


@pytest.mark.parametrize("host", ["imc.example.ru", "media.imc.example.ru"])
def test_documents_are_never_served_from_disk(nginx, host):
    response, body = get(nginx, "/media/documents/zayavka.pdf", host=host)
    assert response.status == 404 and samples.PDF not in body


def test_static_files_are_cached_forever(nginx):
    response, body = get(nginx, "/static/site.3f2a.css")
    assert response.status == 200 and body == b"body{}"
    assert "max-age=31536000" in response.getheader("Cache-Control") and "immutable" in response.getheader(
        "Cache-Control"
    )


def test_the_application_gets_the_client_address_and_scheme(nginx):
    response, body = get(nginx, "/novosti/?page=2", headers={"X-Forwarded-For": "198.51.100.7"})
    assert response.status == 200
    seen = {key.lower(): value for key, value in json.loads(body).items()}
    # A forged header stays on the left; nginx appends the peer it saw — the one the app trusts.
    assert seen["x-forwarded-for"] == "198.51.100.7, 127.0.0.1"
    assert seen["x-forwarded-proto"] == "https"
    assert seen["host"] == "imc.example.ru"


def test_the_media_host_does_not_reach_the_application(nginx):
    response, _ = get(nginx, "/admin/", host="media.imc.example.ru")
    assert response.status == 404


def test_plain_http_redirects_to_https(nginx):
    response, _ = get(nginx, "/media/original_images/cover.png", scheme="http")
    assert response.status == 301
    assert response.getheader("Location") == "https://imc.example.ru/media/original_images/cover.png"


def test_bodies_over_the_upload_limit_are_refused(nginx):
    response, _ = get(nginx, "/contests/x/zayavka/", method="POST", headers={"Content-Length": str(40 * 1024 * 1024)})
    assert response.status == 413

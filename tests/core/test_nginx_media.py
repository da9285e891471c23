"""The shipped nginx configuration (deploy/nginx/) serves uploads safely (issue 8.1).

nginx runs with the shipped files; only paths and ports are substituted (a temporary prefix, free
ports, a self-signed certificate, a tiny upstream that echoes the headers it receives).
"""

import http.client
import http.server
import json
import os
import shutil
import socket
import ssl
import subprocess
import threading
import time
from pathlib import Path

import pytest

from . import samples

NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
DEPLOY = Path(__file__).resolve().parents[2] / "deploy" / "nginx"


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

    def adapt(text: str) -> str:  # paths and ports only
        return (
            text.replace("/srv/imc", str(tmp))
            .replace("/etc/ssl/imc", str(tmp / "ssl"))
            .replace("/etc/nginx/snippets/imc-media.conf", str(tmp / "imc-media.conf"))
            .replace("server 127.0.0.1:8000;", f"server 127.0.0.1:{upstream.server_address[1]};")
            .replace("listen [::]:80;", "")
            .replace("listen [::]:443 ssl http2;", "")
            .replace("listen 80;", f"listen 127.0.0.1:{ports['http']};")
            .replace("listen 443 ssl http2;", f"listen 127.0.0.1:{ports['https']} ssl http2;")
        )

    (tmp / "imc.conf").write_text(adapt((DEPLOY / "imc.conf").read_text()))
    (tmp / "imc-media.conf").write_text(adapt((DEPLOY / "imc-media.conf").read_text()))
    temp_paths = "\n".join(
        f"    {name}_temp_path {tmp}/{name};" for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    (tmp / "nginx.conf").write_text(
        ""
        # As root, workers would drop to `nobody`, who cannot read pytest's private temporary directory.
        + ("user root;\n" if os.geteuid() == 0 else "")
        + f"worker_processes 1;\npid {tmp}/nginx.pid;\nerror_log {tmp}/error.log;\ndaemon off;\n"
        "events { worker_connections 64; }\n"
        f"http {{\n    include /etc/nginx/mime.types;\n    default_type application/octet-stream;\n"
        f"    access_log off;\n{temp_paths}\n    include {tmp}/imc.conf;\n}}\n"
    )
    check = subprocess.run([NGINX, "-t", "-p", str(tmp), "-e", str(tmp / "error.log"), "-c", str(tmp / "nginx.conf")],
                           capture_output=True, text=True)  # fmt: skip
    assert check.returncode == 0, check.stderr
    process = subprocess.Popen(
        [NGINX, "-p", str(tmp), "-e", str(tmp / "error.log"), "-c", str(tmp / "nginx.conf")],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
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

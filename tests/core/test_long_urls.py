"""Over-long addresses (issue 9.9): a pasted 10,000-character search gets the site's Russian page.

The site answers a query string over core.middleware.MAX_QUERY_STRING with its own 414 page (tested in
test_hostile_input.py); here: gunicorn, run with the shipped gunicorn.conf.py, lets such a request through
to the site instead of answering with its English «URI Too Long», and nginx has a page to show for
the longer ones it stops itself.
"""

import http.client
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from core.middleware import MAX_QUERY_STRING

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def gunicorn_with_shipped_config():
    """gunicorn with gunicorn.conf.py, serving tests/core/wsgi_echo.py (the request line is what matters)."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "tests.core.wsgi_echo:app", "-c", "gunicorn.conf.py"]
        + ["--bind", f"127.0.0.1:{port}", "--workers", "1"],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        else:
            pytest.fail("gunicorn did not start")
        yield port
    finally:
        process.terminate()
        process.wait(timeout=10)


def get(port, path):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    connection.request("GET", path)
    response = connection.getresponse()
    return response.status, response.read().decode()


def test_gunicorn_lets_an_over_long_address_reach_the_site(gunicorn_with_shipped_config):
    """Its default limit (4,094) answered such a search with English «URI Too Long» before the site saw it."""
    query = "q=" + "%D0%B0" * 1200  # 7,202 characters: over the site's limit, under gunicorn's
    assert len(query) > MAX_QUERY_STRING
    status, body = get(gunicorn_with_shipped_config, "/search/?" + query)
    assert status == 200
    assert body == str(len(query))  # the application got the whole query string


@pytest.mark.django_db
def test_the_414_page_for_nginx_error_page(client, home_page):
    response = client.get("/errors/414/")
    assert response.status_code == 414
    html = response.content.decode()
    assert "Слишком длинный адрес" in html
    assert 'name="robots" content="noindex"' in html


def test_readme_tells_the_operator_how_to_set_nginx_up():
    readme = (ROOT / "README.md").read_text()
    assert "large_client_header_buffers" in readme
    assert "error_page 414 /errors/414/" in readme

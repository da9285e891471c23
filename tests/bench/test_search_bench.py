"""The search benchmark measures real searches: its generated pages hold what its queries look for, even in
the quick mode's 300 pages, and wrk's p95 (printed by a Lua hook, not by wrk's own table) is read."""

import math
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from bench.common import wrk
from bench.search import QUERIES, page_content

# What each query must find in the generated text (the zero-result query: nothing).
EXPECTED = {
    "one word": "олимпиад",
    "two words": "функциональная грамотность",
    "question": "расписание вебинаров для воспитателей",
    "typo": "вебинар",
    "prefix": "педагог",
    "label": "гиа-2027",
    "section filter": "семинар",
}


def _text(page) -> str:
    return " ".join([page["title"], page["lead"], *page["paragraphs"]]).lower()


def test_every_query_but_one_has_pages_to_find_among_the_first_300():
    pages = [page_content(number) for number in range(300)]
    for name, _, section in QUERIES:
        if name == "zero results":
            continue
        within = [page for page in pages if not section or page["section"] == section]
        assert any(EXPECTED[name] in _text(page) for page in within), name


def test_the_zero_result_query_has_nothing_to_find():
    query = {name: q for name, q, _ in QUERIES}["zero results"]
    pages = [_text(page_content(number)) for number in range(2000)]
    for word in query.split():
        assert not any(word[:6] in text for text in pages), word


class _Ok(BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args):
        pass


def test_wrk_reports_the_95th_percentile_between_the_50th_and_the_99th():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Ok)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        result = wrk(f"http://127.0.0.1:{server.server_port}/", duration=1, connections=2, percentiles=(95,))
    finally:
        server.shutdown()
    assert result["rps"] > 0
    assert not math.isnan(result["p95_ms"])
    assert result["p50_ms"] <= result["p95_ms"] <= result["p99_ms"]

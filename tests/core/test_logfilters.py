"""The request log keeps a 4xx to its one line and a 5xx with its traceback (core/logfilters.py)."""

import logging
import sys

import pytest
from django.test import Client

from core.logfilters import ClientErrorFilter


def record(status):
    try:
        raise ValueError("boom")
    except ValueError:
        exc_info = sys.exc_info()
    entry = logging.LogRecord("django.request", logging.WARNING, __file__, 1, "Bad Request: %s", ("/x/",), exc_info)
    if status is not None:
        entry.status_code = status
    return entry


@pytest.mark.parametrize(
    ("status", "traceback_kept"),
    [(400, False), (404, False), (413, False), (429, False), (500, True), (503, True), (None, True)],
)
def test_only_server_errors_keep_their_traceback(status, traceback_kept):
    entry = record(status)
    assert ClientErrorFilter().filter(entry) is True  # the line itself is always logged
    assert (entry.exc_info is not None) is traceback_kept
    assert entry.getMessage() == "Bad Request: /x/"


@pytest.mark.django_db
def test_a_hostile_query_is_one_log_line_without_a_traceback(caplog):
    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = Client().generic("GET", "/news/", QUERY_STRING="tag=a%00b")
    assert response.status_code == 400
    [entry] = [r for r in caplog.records if r.name == "django.request"]
    assert entry.status_code == 400 and "/news/" in entry.getMessage()
    assert entry.exc_info is None
    assert "Traceback" not in caplog.text

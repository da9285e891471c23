"""Filters for Django's request logger (settings LOGGING)."""

import logging


class ClientErrorFilter(logging.Filter):
    """A 4xx answer (input the site refuses, a missing page, a form sent too often) is logged as its one
    line, without the traceback Django attaches: the traceback says nothing about the site, and a scanner
    sends thousands of such requests (a wapiti run against `make stack` logged 5,689 tracebacks, 4 MB, in
    eight minutes). A 5xx keeps its traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if status is not None and status < 500:
            record.exc_info = record.exc_text = None
        return True

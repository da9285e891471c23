"""An unreachable database is logged as one line per process a minute, not a traceback per request.

Measured before: PostgreSQL stopped under gunicorn, every request that needed it logged ~100 lines
(Django's request log with the chained tracebacks), 2,153 lines for 24 requests. The pages themselves
are core.views.server_error's Russian 503; this only keeps the log readable and small.
"""

import logging
import threading
import time

from django.db import InterfaceError, OperationalError

REPORT_SECONDS = 60.0

_lock = threading.Lock()
_state = {"next": 0.0, "suppressed": 0}


def database_unavailable(error) -> bool:
    return isinstance(error, (OperationalError, InterfaceError))


def report_due() -> int | None:
    """The number of failures not reported since the last line when one is due now; None otherwise."""
    now = time.monotonic()
    with _lock:
        if now < _state["next"]:
            _state["suppressed"] += 1
            return None
        _state["next"] = now + REPORT_SECONDS
        suppressed, _state["suppressed"] = _state["suppressed"], 0
        return suppressed


def describe(error) -> str:
    return f"{type(error).__name__}: {str(error).strip().splitlines()[0] if str(error).strip() else ''}"


class DatabaseOutageFilter(logging.Filter):
    """On the django.request logger: a request failed by an unreachable database is one short line at
    most every REPORT_SECONDS, counting the ones left out; every other error is logged as it was."""

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        if not database_unavailable(error):
            return True
        suppressed = report_due()
        if suppressed is None:
            return False
        message = record.getMessage()
        record.msg = "database unavailable, answered 503: %s (%s); %d more since the last report"
        record.args = (message, describe(error), suppressed)
        record.exc_info = record.exc_text = None
        return True

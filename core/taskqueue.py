"""Is the task queue being worked? E-mail (confirmations, notifications) and Wagtail's admin search
index wait in it when TASKS uses the database backend (production). A worker that died shows here as
tasks ready to run for longer than STUCK_AFTER: /healthz reports it and the admin dashboard says so.
(The public site search does not depend on it: its index is written in the publishing request.)"""

import datetime

from django.conf import settings
from django.db import DatabaseError
from django.utils import timezone

STUCK_AFTER = datetime.timedelta(minutes=10)


def uses_database_queue() -> bool:
    return settings.TASKS["default"]["BACKEND"].startswith("django_tasks_db")


def overdue_tasks() -> int | None:
    """How many tasks have been ready to run for longer than STUCK_AFTER; None when there is no queue
    to watch (tasks run in the request) or it cannot be read."""
    if not uses_database_queue():
        return None
    from django.db.models import Q
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult, get_date_max

    since = timezone.now() - STUCK_AFTER
    # run_after is the far future for "as soon as possible"; then the enqueue time counts.
    overdue = Q(run_after=get_date_max(), enqueued_at__lte=since) | Q(run_after__lte=since)
    try:
        return DBTaskResult.objects.filter(overdue, status=TaskResultStatus.READY).count()
    except DatabaseError:
        return None

"""A task queue nobody works is visible: /healthz says "degraded" and the admin dashboard says why."""

import datetime

import pytest
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult, get_date_max

from tests.core.factories import UserFactory

pytestmark = pytest.mark.django_db

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def queued(minutes_ago: int, **fields):
    task = DBTaskResult.objects.create(
        args_kwargs={"args": [], "kwargs": {}},
        task_path="core.mail.send",
        backend_name="default",
        run_after=fields.pop("run_after", get_date_max()),
        status=fields.pop("status", TaskResultStatus.READY),
    )
    DBTaskResult.objects.filter(pk=task.pk).update(enqueued_at=timezone.now() - datetime.timedelta(minutes=minutes_ago))
    return task


@pytest.mark.parametrize(
    ("tasks", "expected"),
    [
        ([], {"status": "ok", "database": "ok", "tasks": "ok"}),
        ([{"minutes_ago": 2}], {"status": "ok", "database": "ok", "tasks": "ok"}),  # the worker is just busy
        (
            [{"minutes_ago": 30, "status": TaskResultStatus.SUCCESSFUL}],
            {"status": "ok", "database": "ok", "tasks": "ok"},
        ),
        (
            [{"minutes_ago": 30}, {"minutes_ago": 12}],
            {"status": "degraded", "database": "ok", "tasks": "stuck", "overdue_tasks": 2},
        ),
        (
            [{"minutes_ago": 60, "run_after": timezone.now() + datetime.timedelta(hours=1)}],  # scheduled for later
            {"status": "ok", "database": "ok", "tasks": "ok"},
        ),
    ],
)
def test_healthz_reports_a_stuck_queue(client, settings, tasks, expected):
    settings.TASKS = DATABASE_QUEUE
    for task in tasks:
        queued(**task)
    response = client.get("/healthz")
    assert response.status_code == 200  # the instance still serves pages
    assert response.json() == expected


def test_without_a_queue_healthz_says_nothing_about_it(client):
    assert "tasks" not in client.get("/healthz").json()  # tests run tasks in the request


def test_the_dashboard_warns_staff_when_the_queue_is_stuck(client, settings):
    settings.TASKS = DATABASE_QUEUE
    client.force_login(UserFactory(groups=["Методисты"]))
    assert "Очередь задач не обрабатывается" not in client.get("/admin/").content.decode()
    queued(minutes_ago=45)
    html = client.get("/admin/").content.decode()
    assert "Очередь задач не обрабатывается" in html
    assert "Задач, ожидающих дольше 10 минут: 1." in html

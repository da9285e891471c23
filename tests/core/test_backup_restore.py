"""Backups that restore: scripts/backup.sh on the test database (with a registration, a vote and an
uploaded document committed for real, since pg_dump reads from its own connection), then
scripts/restore_drill.sh into a fresh database: every table's rows and every file come back; a copy
that lost a file is reported, not passed.

Committed data is removed afterwards, not left to `django_db(transaction=True)`, whose flush would empty
the reused test database (tests/events/test_registration.py explains).
"""

import os
import subprocess
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.test import RequestFactory
from django.utils import timezone
from wagtail.documents import get_document_model
from wagtail.models import Page

from contests.models import Vote
from core.consent import record_consent
from events.models import Registration
from tests.contests.factories import ContestBuilder
from tests.events.factories import EventPageFactory

ROOT = Path(__file__).resolve().parents[2]
DRILL = "drill-"


def run(script, *args, **env):
    database = connection.settings_dict
    url = (
        f"postgres://{database['USER']}@{database['HOST'] or '127.0.0.1'}:{database['PORT'] or 5432}/{database['NAME']}"
    )
    environment = {
        **os.environ,
        "DATABASE_URL": url,
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "DJANGO_SETTINGS_MODULE": "imc_site.settings.dev",
        "PYTHON": str(ROOT / ".venv/bin/python"),
        **env,
    }
    return subprocess.run(
        ["bash", str(ROOT / "scripts" / script), *args], env=environment, capture_output=True, text=True, timeout=300
    )


def remove_drill_data():
    with transaction.atomic(), connection.cursor() as cursor:
        # votes are append-only (a trigger refuses DELETE); a test's own may go, as a superuser's replica
        cursor.execute("SET LOCAL session_replication_role = replica")
        for vote in Vote.objects.filter(token_hash__startswith=DRILL):
            consent = vote.consent
            vote.delete()
            consent.delete()
    for registration in Registration.objects.filter(full_name__startswith=DRILL):
        consent = registration.consent
        registration.delete()
        consent.delete()
    for document in get_document_model().objects.filter(title__startswith=DRILL):
        document.file.delete(save=False)
        document.delete()
    for page in Page.objects.filter(slug__startswith=DRILL):
        page.delete()


@pytest.fixture
def committed(committing_db):
    """A registration, a confirmed vote and a document, committed; removed after."""
    from contests.models import ContestIndexPage
    from events.models import EventIndexPage

    remove_drill_data()
    request = RequestFactory().get("/", REMOTE_ADDR="203.0.113.5")
    try:
        event = EventPageFactory(parent=EventIndexPage.objects.get(), title="Семинар (копия)", slug=f"{DRILL}event")
        Registration.objects.create(
            event=event,
            full_name=f"{DRILL}Иванова Мария",
            organisation="ГБОУ СОШ № 204",
            position="учитель",
            email="ivanova@school204.example.ru",
            consent=record_consent(request, "event_registration"),
        )
        contest = ContestBuilder(ContestIndexPage.objects.get())(entries_per_nomination=1)
        Page.objects.filter(pk=contest.pk).update(slug=f"{DRILL}contest")  # found by remove_drill_data
        entry = contest.entry_list[0]
        Vote.objects.create(
            contest=contest,
            entry=entry,
            nomination=entry.nomination,
            token_hash=f"{DRILL}{uuid.uuid4().hex}",
            expires_at=timezone.now() + timedelta(hours=1),
            outcome=Vote.Outcome.CONFIRMED,
            subnet_hash="x",
            ua_hash="y",
            consent=record_consent(request, "vote"),
        )
        document = get_document_model()(title=f"{DRILL}Положение о конкурсе")
        document.file.save("polozhenie.txt", ContentFile("Положение".encode()), save=False)
        document.save()
        yield document
    finally:
        remove_drill_data()


def test_a_backup_restores_every_row_and_file(committed, tmp_path):
    backup = run("backup.sh", BACKUP_DIR=str(tmp_path))
    assert backup.returncode == 0, backup.stderr
    copy = Path(backup.stdout.strip().splitlines()[-1])
    assert (copy / "database.dump").stat().st_size > 0
    assert (copy / "media" / committed.file.name).read_text() == "Положение"

    drill = run("restore_drill.sh", str(copy))
    assert drill.returncode == 0, drill.stdout + drill.stderr
    report = drill.stdout
    assert "Восстановлено без расхождений" in report
    rows = dict(line.split()[:2] for line in report.splitlines() if line.count(" ") and line.split()[-1].isdigit())
    assert int(rows["events.registration"]) == Registration.objects.count() >= 1
    assert int(rows["contests.vote"]) == Vote.objects.count() >= 1
    assert int(rows["wagtailcore.page"]) == Page.objects.count()
    with connection.cursor() as cursor:  # the drill's database is gone afterwards
        cursor.execute("SELECT count(*) FROM pg_database WHERE datname LIKE 'imc_restore_drill_%%'")
        assert cursor.fetchone()[0] == 0

    (copy / "media" / committed.file.name).unlink()
    broken = run("restore_drill.sh", str(copy))
    assert broken.returncode != 0
    assert f"нет файла wagtaildocs.document.file: {committed.file.name}" in broken.stdout + broken.stderr

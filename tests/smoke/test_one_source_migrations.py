"""The data migrations of «one of each» (issue 10) lose nothing: in a subprocess, a copy of the migrated
test database (PostgreSQL, as in production; tests/dbtemplate.py) is taken back to two subject lists and
facts on the /sveden/common/ page, filled the way an installation of that time was, and migrated forward
again.

* subjects: same names merge (case and spaces aside), a code taken by another subject gets «-2»,
  event pages, their drafts, methodists' pages, questions, the admin history and the groups' right to
  edit the list all point at core.Subject afterwards, and the two old content types are gone;
* facts: the page's values land in the site settings (the page wins a conflict), phones split in two,
  and the page's «Дата последнего обновления» stays what it was.
"""

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.dbtemplate import migrated_copy

pytestmark = pytest.mark.smoke

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = textwrap.dedent(
    """
    import datetime, json
    import django
    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    for app, target in (("methodists", "0001"), ("events", "0001"), ("sveden", "0002")):
        call_command("migrate", app, target, interactive=False, verbosity=0)
    executor = MigrationExecutor(connection)
    old = executor.loader.project_state(
        [("events", "0001_initial"), ("methodists", "0001_initial"), ("sveden", "0002_create_sveden"),
         ("core", "0007_organisation_facts")]
    ).apps
    ContentType = old.get_model("contenttypes", "ContentType")
    Page = old.get_model("wagtailcore", "Page")
    Revision = old.get_model("wagtailcore", "Revision")
    ModelLogEntry = old.get_model("wagtailcore", "ModelLogEntry")
    Group = old.get_model("auth", "Group")
    Permission = old.get_model("auth", "Permission")
    home = Page.objects.get(depth=2)
    now = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.timezone.utc)

    def add_page(model, slug, **fields):
        content_type, _ = ContentType.objects.get_or_create(
            app_label=model._meta.app_label, model=model._meta.model_name
        )
        last = Page.objects.filter(depth=3, path__startswith=home.path).order_by("-path").first()
        number = int(last.path[-4:], 36) + 1
        step = ""
        while number:
            number, rem = divmod(number, 36)
            step = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"[rem] + step
        page = model.objects.create(
            title=slug, draft_title=slug, slug=slug, content_type=content_type, path=home.path + step.rjust(4, "0"),
            depth=3, numchild=0, url_path=f"{home.url_path}{slug}/", locale_id=home.locale_id, live=True, **fields
        )
        home.numchild += 1
        home.save(update_fields=["numchild"])
        return page, content_type

    EventSubject = old.get_model("events", "Subject")
    MethodistSubject = old.get_model("methodists", "Subject")
    maths_e = EventSubject.objects.create(name="Математика", slug="math", sort_order=1)
    history_e = EventSubject.objects.create(name="История", slug="history", sort_order=2)
    maths_m = MethodistSubject.objects.create(name=" математика ", slug="matematika", sort_order=5)
    history_m = MethodistSubject.objects.create(name="История и обществознание", slug="history", sort_order=6)
    chem_m = MethodistSubject.objects.create(name="Химия", slug="himiya", sort_order=7)

    EventType = old.get_model("events", "EventType")
    seminar = EventType.objects.create(name="Семинар", slug="seminar")
    event, event_type = add_page(
        old.get_model("events", "EventPage"), "seminar", event_type=seminar, subject=maths_e, start=now, end=now,
        body="[]", materials="[]",
    )
    # A draft of the event that changes the subject: it must still load the right subject.
    draft = Revision.objects.create(
        content_type=event_type, base_content_type=event_type, object_id=str(event.pk), created_at=now,
        content={"pk": event.pk, "title": "seminar", "subject": history_e.pk, "event_type": seminar.pk},
    )
    Page.objects.filter(pk=event.pk).update(latest_revision=draft, has_unpublished_changes=True)
    MethodistPage = old.get_model("methodists", "MethodistPage")
    methodist, methodist_type = add_page(MethodistPage, "sokolova", body="[]", files="[]")
    through = MethodistPage._meta.get_field("subjects").remote_field.through
    through.objects.create(methodistpage_id=methodist.pk, subject_id=maths_m.pk)
    through.objects.create(methodistpage_id=methodist.pk, subject_id=chem_m.pk)
    draft = Revision.objects.create(
        content_type=methodist_type, base_content_type=methodist_type, object_id=str(methodist.pk), created_at=now,
        content={"pk": methodist.pk, "title": "sokolova", "subjects": [history_m.pk, chem_m.pk]},
    )
    Page.objects.filter(pk=methodist.pk).update(latest_revision=draft, has_unpublished_changes=True)
    ConsentRecord = old.get_model("core", "ConsentRecord")
    consent = ConsentRecord.objects.create(
        document=old.get_model("core", "ConsentDocument").objects.get(purpose="question")
        if old.get_model("core", "ConsentDocument").objects.filter(purpose="question").exists()
        else old.get_model("core", "ConsentDocument").objects.create(purpose="question", title="q", text="t"),
        revision=Revision.objects.first(), purpose="question", subnet_hash="s" * 64,
    )
    question = old.get_model("methodists", "Question").objects.create(
        subject=history_m, name="Анна", email="a@school.example", text="?", consent=consent
    )
    subject_type = ContentType.objects.get_or_create(app_label="methodists", model="subject")[0]
    ModelLogEntry.objects.create(
        content_type=subject_type, object_id=str(chem_m.pk), label="Химия", action="wagtail.create", timestamp=now
    )
    # As core/0003 left them: «Редакторы» edit the methodists' list (not yet core's).
    editors = Group.objects.get(name="Редакторы")
    editors.permissions.remove(*Permission.objects.filter(content_type__app_label="core", content_type__model="subject"))
    editors.permissions.add(*[
        Permission.objects.get_or_create(content_type=subject_type, codename=f"{action}_subject",
                                         defaults={"name": action})[0]
        for action in ("add", "change", "delete", "view")
    ])
    event_subject_type = ContentType.objects.get_or_create(app_label="events", model="subject")[0]
    organisers = Group.objects.get(name="Организаторы конкурсов")
    organisers.permissions.add(
        Permission.objects.get_or_create(
            content_type=event_subject_type, codename="change_subject", defaults={"name": "Can change"}
        )[0]
    )

    common = old.get_model("sveden", "SvedenCommonPage").objects.get()
    common.address = "191024, Санкт-Петербург, Невский пр., д. 154"
    common.telephone = "(812) 717-04-72; (812) 717-16-04"
    common.work_time = "Пн–Чт 9:00–18:00\\nПт 9:00–16:45"
    common.reg_date = "1995 год"
    common.founder_name = "Санкт-Петербург"
    common.license = "78Л02 № 0000927"
    common.last_published_at = now
    common.save()
    SiteSettings = old.get_model("core", "SiteSettings")
    site = old.get_model("wagtailcore", "Site").objects.get(is_default_site=True)
    SiteSettings.objects.update_or_create(
        site=site, defaults={"address": "старый адрес", "phone": "(812) 717-04-72", "email": "imc@example.ru"}
    )

    call_command("migrate", interactive=False, verbosity=0)

    from django.contrib.auth.models import Group as RealGroup
    from django.contrib.contenttypes.models import ContentType as RealContentType
    from core.models import SiteSettings as Settings, Subject
    from events.models import EventPage
    from methodists.models import MethodistPage, Question
    from wagtail.models import ModelLogEntry as LogEntry
    RealContentType.objects.clear_cache()

    event = EventPage.objects.get(slug="seminar")
    methodist = MethodistPage.objects.get(slug="sokolova")
    settings = Settings.objects.get(site__is_default_site=True)
    entry = LogEntry.objects.get(label="Химия")
    print("RESULT " + json.dumps({
        "subjects": sorted([s.slug, s.name] for s in Subject.objects.all()),
        "event": event.subject.slug,
        "event_draft": event.get_latest_revision_as_object().subject.slug,
        "methodist": sorted(s.slug for s in methodist.subjects.all()),
        "methodist_draft": sorted(s.slug for s in methodist.get_latest_revision_as_object().subjects.all()),
        "question": Question.objects.get().subject.slug,
        "history": [entry.content_type.app_label, entry.object_id == str(Subject.objects.get(slug="himiya").pk)],
        "editors": sorted(
            p.codename for p in RealGroup.objects.get(name="Редакторы").permissions.filter(content_type__model="subject")
            if p.content_type.app_label == "core"
        ),
        "organisers": sorted(
            f"{p.content_type.app_label}.{p.codename}"
            for p in RealGroup.objects.get(name="Организаторы конкурсов").permissions.filter(
                content_type__model="subject"
            )
        ),
        "subject_types": sorted(RealContentType.objects.filter(model="subject").values_list("app_label", flat=True)),
        "settings": [settings.address, settings.phone, settings.phone_extra, settings.email, settings.work_time,
                     settings.reg_date, settings.founder_name, settings.license],
        "updated_at": settings.updated_at.isoformat(),
    }, ensure_ascii=False))
    """
)


def test_subjects_merge_and_facts_move_without_loss(django_db_setup, django_db_blocker):
    from django.db import connection

    env = dict(os.environ)
    env.update(DJANGO_SETTINGS_MODULE="imc_site.settings.test", PYTHONPATH=str(ROOT))
    env.pop("REDIS_URL", None)
    env.pop("ELASTICSEARCH_URL", None)
    with django_db_blocker.unblock(), migrated_copy(connection) as env["DATABASE_URL"]:
        completed = subprocess.run(
            [sys.executable, "-c", SCRIPT], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600
        )
    assert completed.returncode == 0, completed.stderr[-4000:]
    # The migration's own notes (a replaced value) may precede the result on its line.
    line = next(line for line in completed.stdout.splitlines() if "RESULT " in line)
    result = json.loads(line.split("RESULT ", 1)[1])

    # The events' list went first: «Математика» keeps «math»; the methodists' «История и обществознание»
    # found «history» taken by the events' «История».
    assert result["subjects"] == [
        ["himiya", "Химия"],
        ["history", "История"],
        ["history-2", "История и обществознание"],
        ["math", "Математика"],
    ]
    assert result["event"] == "math"
    assert result["event_draft"] == "history"
    assert result["methodist"] == ["himiya", "math"]
    assert result["methodist_draft"] == ["himiya", "history-2"]
    assert result["question"] == "history-2"
    assert result["history"] == ["core", True]
    assert result["editors"] == ["add_subject", "change_subject", "delete_subject", "view_subject"]
    assert result["organisers"] == ["core.change_subject"]
    assert result["subject_types"] == ["core"]

    address, phone, phone_extra, email, work_time, reg_date, founder, licence = result["settings"]
    assert address == "191024, Санкт-Петербург, Невский пр., д. 154"  # the published page wins
    assert (phone, phone_extra) == ("(812) 717-04-72", "(812) 717-16-04")
    assert email == "imc@example.ru"  # the page had none: the settings' value stays
    assert work_time == "Пн–Чт 9:00–18:00\nПт 9:00–16:45"
    assert (reg_date, founder, licence) == ("1995 год", "Санкт-Петербург", "78Л02 № 0000927")
    assert result["updated_at"].startswith("2026-03-02T09:00")

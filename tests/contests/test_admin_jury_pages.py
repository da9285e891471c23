"""Jury permissions and visibility rules, page-type rules, listings, home slot, submission form."""

import io
import zipfile
from datetime import timedelta
from pathlib import PurePath

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from PIL import Image
from wagtail.models import Page, WorkflowState

from contests.models import ContestEntryPage, ContestIndexPage, ContestPage, JuryScore
from core.models import ConsentRecord

pytestmark = pytest.mark.django_db


# -- page types ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("child", "parents"),
    [
        (ContestIndexPage, {"home.homepage"}),
        (ContestPage, {"contests.contestindexpage"}),
        (ContestEntryPage, {"contests.contestpage"}),
    ],
)
def test_page_type_creation_rules(child, parents):
    allowed = {f"{m._meta.app_label}.{m._meta.model_name}" for m in child.allowed_parent_page_models()}
    assert allowed == parents


def test_entries_cannot_be_created_under_the_index(contests_index):
    assert not ContestEntryPage.can_create_at(contests_index)
    assert ContestPage.can_create_at(contests_index)
    assert not ContestIndexPage.can_create_at(contests_index)


def test_contest_validation_messages_are_russian(contests_index):
    now = timezone.now()
    contest = ContestPage(
        title="Плохие даты", slug="bad", voting_opens_at=now, voting_closes_at=now - timedelta(days=1)
    )
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as exc:
        contest.full_clean()
    assert "Окончание голосования должно быть позже начала." in str(exc.value)


# -- listing and home slot -------------------------------------------------------------------------


def test_index_groups_current_upcoming_finished(make_contest, contests_index):
    current = make_contest(state="voting")
    upcoming = make_contest(state="before")
    finished = make_contest(state="closed", results_published=True)
    response = Client().get(contests_index.url)
    assert response.status_code == 200
    context = response.context
    assert [c.pk for c in context["current"]] == [current.pk]
    assert [c.pk for c in context["upcoming"]] == [upcoming.pk]
    assert [c.pk for c in context["finished"]] == [finished.pk]
    html = response.content.decode()
    assert "Идут сейчас" in html and "Скоро" in html and "Завершённые" in html


def test_home_slot_lists_open_contests(make_contest, home_page):
    open_contest = make_contest(state="voting")
    make_contest(state="closed")
    html = Client().get(home_page.url).content.decode()
    assert "Конкурсы: идёт приём работ и голосование" in html
    assert open_contest.title in html


def test_contest_page_states_interval_and_limit(make_contest):
    contest = make_contest(limit=2)
    html = Client().get(contest.url).content.decode()
    assert "можно поддержать 2 работы" in html
    assert "обновляется каждые 5 секунд" in html
    assert "csrfmiddlewaretoken" not in html


# -- jury ------------------------------------------------------------------------------------------


def _score(client, entry, contest, value):
    data = {f"points_{c.pk}": value for c in contest.criteria.all()}
    return client.post(f"/admin/contests/jury/{entry.pk}/", data)


def test_juror_scores_entries_within_maximum(make_contest, juror):
    contest = make_contest()
    entry = contest.entry_list[0]
    client = Client()
    client.force_login(juror)
    assert client.get("/admin/contests/").status_code == 200
    bad = _score(client, entry, contest, "11")
    assert bad.status_code == 400 and "От 0 до 10 баллов." in bad.content.decode()
    assert _score(client, entry, contest, "abc").status_code == 400
    assert _score(client, entry, contest, "7,5").status_code == 302
    assert sorted(JuryScore.objects.filter(juror=juror).values_list("points", flat=True)) == [7.5, 7.5]
    _score(client, entry, contest, "8")  # editing replaces, never duplicates
    assert JuryScore.objects.filter(juror=juror).count() == 2


def test_people_outside_jury_cannot_score(make_contest, organiser):
    contest = make_contest()
    anonymous = Client().post(f"/admin/contests/jury/{contest.entry_list[0].pk}/", {})
    assert anonymous.status_code == 302 and "/admin/login/" in anonymous["Location"]
    editor = get_user_model().objects.create_user("editor", password="x")
    editor.groups.add(Group.objects.get(name="Редакторы"))
    for user in (organiser, editor):
        client = Client()
        client.force_login(user)
        response = _score(client, contest.entry_list[0], contest, "5")
        assert response.status_code == 302 and response["Location"] == "/admin/"
    assert not JuryScore.objects.exists()


@pytest.mark.parametrize(
    ("rule", "before_own", "after_own"),
    [("never", False, False), ("after_scoring", False, True), ("always", True, True)],
)
def test_visibility_of_other_jurors_scores(make_contest, juror, juror2, rule, before_own, after_own):
    contest = make_contest(jury_visibility=rule)
    entry = contest.entry_list[0]
    other = Client()
    other.force_login(juror2)
    _score(other, entry, contest, "9")
    me = Client()
    me.force_login(juror)
    assert ("Игорь Белов" in me.get(f"/admin/contests/jury/{entry.pk}/").content.decode()) is before_own
    _score(me, entry, contest, "4")
    assert ("Игорь Белов" in me.get(f"/admin/contests/jury/{entry.pk}/").content.decode()) is after_own


def test_blind_review_hides_authors(make_contest, juror):
    contest = make_contest(blind_review=True)
    entry = contest.entry_list[0]
    client = Client()
    client.force_login(juror)
    for url in (f"/admin/contests/{contest.pk}/jury/", f"/admin/contests/jury/{entry.pk}/"):
        html = client.get(url).content.decode()
        assert entry.title in html
        assert entry.authors not in html and "ГБОУ школа № 178" not in html
    contest.blind_review = False
    contest.save_revision().publish()
    assert entry.authors in client.get(f"/admin/contests/jury/{entry.pk}/").content.decode()


def test_scores_are_frozen_after_results_published(make_contest, juror):
    contest = make_contest(results_published=True)
    client = Client()
    client.force_login(juror)
    _score(client, contest.entry_list[0], contest, "5")
    assert not JuryScore.objects.exists()


def test_organisers_get_page_rights_on_the_contests_section(contests_index, organiser):
    from wagtail.models import GroupPagePermission

    codenames = set(
        GroupPagePermission.objects.filter(group__name="Организаторы конкурсов", page=contests_index).values_list(
            "permission__codename", flat=True
        )
    )
    assert {"add_page", "change_page", "publish_page"} <= codenames
    perms = contests_index.permissions_for_user(organiser)
    assert perms.can_add_subpage() and perms.can_publish()


# -- public submission -----------------------------------------------------------------------------


def _png():
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "#0b4f8a").save(buffer, "PNG")
    return SimpleUploadedFile("cover.png", buffer.getvalue(), content_type="image/png")


def _docx():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return SimpleUploadedFile("rabota.docx", buffer.getvalue())


@pytest.fixture
def open_for_entries(make_contest):
    now = timezone.now()
    return make_contest(
        state="none", submission_opens_at=now - timedelta(days=1), submission_closes_at=now + timedelta(days=5)
    )


def _submission(contest, **overrides):
    data = {
        "title": "Квест «Лабиринт паролей»",
        "authors": "Соколова Елена Андреевна",
        "organisation": "ГБОУ школа № 204",
        "nomination": contest.nominations.first().pk,
        "description": "Квест для 5–6 классов.\nАпробирован в 2020 году.",
        "email": "sokolova@school204.example",
        "consent": "on",
        "altcha": "test",
        "website": "",
        "image": _png(),
        "document": _docx(),
    }
    data.update(overrides)
    return Client().post(contest.url + "zayavka/", data, REMOTE_ADDR="203.0.113.99")


@pytest.mark.usefixtures("altcha_test_mode")
def test_submission_becomes_a_draft_in_moderation(open_for_entries):
    from django.core import mail

    contest = open_for_entries
    response = _submission(contest)
    assert response.status_code == 200, response.content.decode()[:3000]
    assert "Заявка принята" in response.content.decode()
    entry = ContestEntryPage.objects.get(title="Квест «Лабиринт паролей»")
    assert not entry.live
    assert entry.get_parent().pk == contest.pk
    assert entry.slug.startswith("kvest-labirint-paroley")
    assert entry.cover is not None and entry.documents.count() == 1
    # Stored under random names: an upload named after a child must not show in a /media/ address.
    stored = [entry.cover.file.name, entry.documents.get().document.file.name]
    assert not any("cover" in name or "rabota" in name for name in stored), stored
    assert [PurePath(name).suffix for name in stored] == [".png", ".docx"]
    assert entry.submitter_email == "sokolova@school204.example"
    assert ConsentRecord.objects.get(pk=entry.submission_consent_id).purpose == "contest_submission"
    assert "<p>Квест для 5–6 классов.</p>" in entry.description
    # In moderation: the contests' workflow started, waiting for the organisers' task.
    state = WorkflowState.objects.get(object_id=str(entry.pk))
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert state.workflow.name == "Модерация конкурсных заявок"
    assert entry.get_latest_revision() is not None
    assert any("Заявка принята" in m.subject for m in mail.outbox)
    assert Client().get(contest.url).content.decode().count("Лабиринт паролей") == 0  # not public


@pytest.mark.usefixtures("altcha_test_mode")
@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"image": SimpleUploadedFile("photo.png", b"MZ\x90\x00 not an image")}, "не является изображением"),
        ({"document": SimpleUploadedFile("rabota.pdf", b"PK\x03\x04 zip pretending")}, "не похоже на PDF"),
        ({"document": SimpleUploadedFile("virus.exe", b"MZ\x90\x00")}, "Допустимы файлы PDF"),
        ({"consent": ""}, "Без согласия"),
        ({"nomination": "999999"}, "Выберите корректный вариант"),
        ({"image": "", "document": "", "site_url": "", "video_url": ""}, "Приложите файл, изображение или ссылку"),
    ],
)
def test_bad_submissions_are_refused_in_russian(open_for_entries, overrides, message):
    response = _submission(open_for_entries, **overrides)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ContestEntryPage.objects.filter(title="Квест «Лабиринт паролей»").exists()


@pytest.mark.usefixtures("altcha_test_mode")
def test_submission_closed_contest_refuses(make_contest):
    contest = make_contest()
    assert "Приём заявок на сайте закрыт" in Client().get(contest.url + "zayavka/").content.decode()
    assert _submission(contest).status_code == 403
    assert Page.objects.filter(title="Квест «Лабиринт паролей»").count() == 0

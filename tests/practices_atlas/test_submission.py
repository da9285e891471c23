"""«Предложить практику»: a submission becomes a draft in moderation, a methodist publishes it or sends it back,
the author hears about each step; bad input saves nothing (issue 11)."""

import io
import re
from datetime import timedelta
from pathlib import PurePath

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client, override_settings
from wagtail.documents import get_document_model
from wagtail.models import Page, WorkflowState

from core.models import ConsentRecord
from core.permissions import EDITORS
from practices_atlas.forms import FILE_MAX
from practices_atlas.models import Licence, PracticePage, PracticeSubmission, Status
from practices_atlas.submissions import SUBMITTER_RETENTION_DAYS, WORKFLOW_NAME, forget_stale_submitters
from tests.core import samples
from tests.core.factories import UserFactory

pytestmark = pytest.mark.django_db
TITLE = "Музей в чемодане: передвижная экспозиция для детского сада"
AUTHOR_EMAIL = "petrova@ds59.example"


@pytest.fixture(autouse=True)
def _altcha_test_mode():
    """The captcha is not what most of these tests check: any non-empty payload passes (ALTCHA's test mode)."""
    with override_settings(ALTCHA_TEST_MODE=True):
        yield


@pytest.fixture(autouse=True)
def _send_mail_at_once(monkeypatch):
    """Test transactions never commit, so core.mail's on_commit hook would never fire: run it at once."""
    monkeypatch.setattr("core.mail.transaction.on_commit", lambda func, using=None, robust=False: func())


def form_data(vocab, **overrides):
    data = {
        "title": TITLE,
        "annotation": "Дошкольники собирают экспозицию о семейных реликвиях и показывают её в других группах.",
        "organisation": vocab["kindergarten"].pk,
        "practice_type": vocab["family"].pk,
        "levels": [vocab["preschool"].pk],
        "subjects": [vocab["museum"].pk],
        "authors": "Петрова Анна Сергеевна, воспитатель\nСидорова Мария Ивановна, старший воспитатель",
        "description": "Проблема: дети мало знают о семейной истории.\nРешение: передвижной музей.",
        "email": AUTHOR_EMAIL,
        "video_url": "https://rutube.ru/video/0123456789abcdef/",
        "licence": Licence.CC_BY,
        "consent": "on",
        "altcha": "test",
        "website": "",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def submit(atlas, data, ip="203.0.113.41", client=None):
    return (client or Client()).post(atlas.url + "predlozhit/", data, REMOTE_ADDR=ip)


def pdf(name="praktika.pdf"):
    return SimpleUploadedFile(name, samples.PDF, content_type="application/pdf")


def in_moderation(page) -> bool:
    return WorkflowState.objects.filter(object_id=str(page.pk), status=WorkflowState.STATUS_IN_PROGRESS).exists()


def counts():
    return (
        Page.objects.count(),
        get_document_model().objects.count(),
        ConsentRecord.objects.count(),
        PracticeSubmission.objects.count(),
    )


def test_the_catalogue_links_to_the_form_and_the_form_is_never_cached(client, atlas, vocab):
    catalogue = client.get(atlas.url).content.decode()
    assert 'href="/atlas/predlozhit/"' in catalogue and "Предложить практику" in catalogue
    response = client.get(atlas.url + "predlozhit/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    for label in ("Название практики", "Аннотация", "Организация", "Уровни образования", "Условия публикации"):
        assert label in html, label
    assert "ГБДОУ детский сад № 59" in html and "Музейная педагогика" in html
    assert "до 20 МБ" in html and "VK Видео или RUTUBE" in html
    assert "Согласие на обработку персональных данных" in html


def test_submission_goes_to_moderation_and_a_methodist_publishes_it_into_catalogue_and_feed(atlas, vocab, methodist):
    response = submit(atlas, form_data(vocab, files=[pdf(), pdf("plan.pdf")]))
    assert response.status_code == 200, response.content.decode()[:3000]
    assert "Практика отправлена на проверку" in response.content.decode()

    practice = PracticePage.objects.get(title=TITLE)
    assert not practice.live and practice.get_parent().pk == atlas.pk
    assert in_moderation(practice)
    assert WorkflowState.objects.get(object_id=str(practice.pk)).workflow.name == WORKFLOW_NAME
    assert [(a.name, a.position) for a in practice.authors.all()] == [
        ("Петрова Анна Сергеевна", "воспитатель"),
        ("Сидорова Мария Ивановна", "старший воспитатель"),
    ]
    assert practice.licence == Licence.CC_BY and practice.video_url.startswith("https://rutube.ru/")
    files = [a.document for a in practice.attachments.all()]
    assert len(files) == 2 and all(PurePath(d.file.name).suffix == ".pdf" for d in files)
    assert all("praktika" not in d.file.name for d in files)
    assert {d.collection.name for d in files} == {"Атлас практик: материалы с сайта"}
    # The e-mail is not on the page nor in its revision (a revision is kept for ever).
    assert AUTHOR_EMAIL not in str(practice.get_latest_revision().content)
    assert PracticeSubmission.objects.get(page=practice).email == AUTHOR_EMAIL
    assert PracticeSubmission.objects.get(page=practice).consent.purpose == "atlas_submission"

    # Not public yet: neither the page nor the catalogue.
    client = Client()
    assert client.get(practice.url or f"/atlas/{practice.slug}/").status_code == 404
    assert TITLE not in client.get(atlas.url).content.decode()

    # The subject's methodist gets a link to the draft, the author a receipt.
    to_methodist = [m for m in mail.outbox if "ivanova@imc-centr.example" in m.to]
    assert len(to_methodist) == 1
    assert f"/admin/pages/{practice.pk}/edit/" in to_methodist[0].body and AUTHOR_EMAIL in to_methodist[0].body
    receipt = [m for m in mail.outbox if AUTHOR_EMAIL in m.to]
    assert len(receipt) == 1 and "передана методисту" in receipt[0].body
    mail.outbox.clear()

    # The methodist (no publish right of their own) approves in the admin: that publishes it.
    admin = Client()
    admin.force_login(methodist)
    assert not practice.permissions_for_user(methodist).can_publish()
    editor = admin.get(f"/admin/pages/{practice.pk}/edit/")
    assert editor.status_code == 200 and "Проверка практики методистом" in editor.content.decode()
    task_state = WorkflowState.objects.get(object_id=str(practice.pk)).current_task_state
    response = admin.post(f"/admin/pages/workflow/action/{practice.pk}/approve/{task_state.pk}/", {"comment": ""})
    assert response.status_code == 302
    practice.refresh_from_db()
    assert practice.live and not in_moderation(practice)

    html = client.get(atlas.url).content.decode()
    assert TITLE in html
    assert TITLE in client.get(atlas.url + "?q=чемодане").content.decode()
    assert TITLE in client.get(atlas.url + "feed/").content.decode()
    page = client.get(practice.url)
    assert page.status_code == 200 and "Петрова Анна Сергеевна" in page.content.decode()
    assert "CC BY 4.0 — свободное использование с указанием авторов" in page.content.decode()
    assert AUTHOR_EMAIL not in page.content.decode()

    published = [m for m in mail.outbox if AUTHOR_EMAIL in m.to]
    assert len(published) == 1 and practice.full_url in published[0].body
    assert not PracticeSubmission.objects.filter(page=practice).exists()  # the e-mail is gone (152-ФЗ)


def test_a_returned_practice_sends_the_methodists_comment_to_the_author(atlas, vocab, methodist):
    assert submit(atlas, form_data(vocab)).status_code == 200
    practice = PracticePage.objects.get(title=TITLE)
    mail.outbox.clear()
    admin = Client()
    admin.force_login(methodist)
    task_state = WorkflowState.objects.get(object_id=str(practice.pk)).current_task_state
    comment = "Добавьте, пожалуйста, результаты за 2024/25 учебный год."
    response = admin.post(f"/admin/pages/workflow/action/{practice.pk}/reject/{task_state.pk}/", {"comment": comment})
    assert response.status_code == 302
    practice.refresh_from_db()
    assert not practice.live
    returned = [m for m in mail.outbox if AUTHOR_EMAIL in m.to]
    assert len(returned) == 1
    assert "на доработку" in returned[0].subject and comment in returned[0].body
    assert PracticeSubmission.objects.filter(page=practice).exists()  # still needed until it is published


def test_without_a_methodist_for_the_subject_the_editors_are_told(atlas, vocab):
    editor = UserFactory(username="redaktor", email="redaktor@imc-centr.example", groups=[EDITORS])
    assert submit(atlas, form_data(vocab, subjects=[vocab["math"].pk])).status_code == 200
    told = [m for m in mail.outbox if "Новая практика на проверку" in m.subject]
    assert [m.to for m in told] == [[editor.email]]


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("programma.pdf", samples.EXE), "это программа"),
        (SimpleUploadedFile("plan.docx", samples.EXE), "это программа"),
        (SimpleUploadedFile("shema.svg", samples.SVG_WITH_SCRIPT), "SVG-разметка"),
        (SimpleUploadedFile("shema.pdf", samples.SVG_WITH_SCRIPT), "SVG-разметка"),
        (SimpleUploadedFile("stranica.html", samples.HTML), "HTML- или SVG-разметка"),
        (SimpleUploadedFile("foto.png", samples.image("PNG")), "не принимаются"),
        (SimpleUploadedFile("arhiv.zip", samples.plain_zip()), "не принимаются"),
        (SimpleUploadedFile("otchet.docx", b"\x00\x01\x02 not a document"), "не похоже на DOCX"),
        (SimpleUploadedFile("bolshoy.pdf", samples.PDF + b"0" * (FILE_MAX + 1 - len(samples.PDF))), "больше 20 МБ"),
    ],
    ids=["exe-as-pdf", "exe-as-docx", "svg-script", "svg-as-pdf", "html", "png", "zip", "fake-docx", "oversized"],
)
def test_bad_files_are_refused_with_a_russian_message_and_nothing_is_saved(atlas, vocab, upload, message):
    before = counts()
    response = submit(atlas, form_data(vocab, files=[pdf(), upload]))
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html and f"Файл «{upload.name}»" in html
    assert "Практика не отправлена" in html
    assert counts() == before and not mail.outbox


@pytest.mark.parametrize(
    ("files", "ok"),
    [
        ([SimpleUploadedFile("plan.docx", samples.ooxml("word/"))], True),
        ([SimpleUploadedFile("slides.pptx", samples.ooxml("ppt/"))], True),
        ([SimpleUploadedFile("tablica.xlsx", samples.ooxml("xl/"))], True),
        ([SimpleUploadedFile("tekst.odt", samples.odf("text"))], True),
        ([pdf("a.pdf"), pdf("b.pdf"), pdf("c.pdf"), pdf("d.pdf")], False),
    ],
    ids=["docx", "pptx", "xlsx", "odt", "four-files"],
)
def test_allowed_formats_and_the_number_of_files(atlas, vocab, files, ok):
    response = submit(atlas, form_data(vocab, files=files))
    assert (response.status_code == 200) is ok, response.content.decode()[:2000]
    if not ok:
        assert "Не больше 3 файлов" in response.content.decode()
    assert PracticePage.objects.filter(title=TITLE).exists() is ok


@pytest.mark.parametrize(
    ("field", "message"),
    [
        ("title", "Укажите название практики."),
        ("annotation", "Напишите аннотацию практики."),
        ("organisation", "Выберите организацию из списка."),
        ("practice_type", "Выберите тип практики."),
        ("levels", "Отметьте хотя бы один уровень образования."),
        ("subjects", "Отметьте хотя бы один предмет или направление."),
        ("authors", "Укажите хотя бы одного автора."),
        ("email", "Укажите e-mail для связи."),
        ("licence", "Выберите условия публикации."),
        ("consent", "Без согласия на обработку персональных данных мы не можем принять форму."),
        ("altcha", "Отметьте «Я не робот» или ответьте на вопрос ниже."),
    ],
)
def test_empty_required_fields_consent_and_captcha(atlas, vocab, field, message):
    before = counts()
    response = submit(atlas, form_data(vocab, **{field: None}))
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html and 'role="alert"' in html
    assert counts() == before and not mail.outbox


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("annotation", "Очень длинная аннотация. " * 30, "Аннотация длиннее 500 символов"),
        ("video_url", "https://www.youtube.com/watch?v=abc", "Укажите ссылку на видео в VK Видео или RUTUBE."),
        ("email", "petrova@", "Проверьте адрес электронной почты"),
        ("website", "http://spam.example", "Форма заполнена автоматически"),
    ],
)
def test_wrong_values_are_refused(atlas, vocab, field, value, message):
    response = submit(atlas, form_data(vocab, **{field: value}))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not PracticePage.objects.filter(title=TITLE).exists()


def test_the_real_captcha_is_required(atlas, vocab):
    with override_settings(ALTCHA_TEST_MODE=False):
        response = submit(atlas, form_data(vocab, altcha="forged-payload"))
    assert response.status_code == 400
    assert "Проверка «Я не робот»" in response.content.decode()
    assert not PracticePage.objects.filter(title=TITLE).exists()


def test_rate_limit_gives_the_form_back_with_429(atlas, vocab, monkeypatch):
    monkeypatch.setattr("practices_atlas.submissions.SUBMIT_RATE", "2/h")
    statuses = [submit(atlas, form_data(vocab, title=f"Практика {i}")).status_code for i in range(2)]
    assert statuses == [200, 200]
    response = submit(atlas, form_data(vocab, title="Третья практика"))
    assert response.status_code == 429 and int(response["Retry-After"]) > 0
    html = response.content.decode()
    assert "Слишком много практик отправлено с вашего адреса" in html
    assert 'value="Третья практика"' in html and AUTHOR_EMAIL in html  # refilled
    assert not PracticePage.objects.filter(title="Третья практика").exists()
    # another address is not affected
    assert submit(atlas, form_data(vocab, title="Из другой школы"), ip="192.0.2.60").status_code == 200


def test_a_submission_is_never_published_by_itself(atlas, vocab, methodist):
    submit(atlas, form_data(vocab))
    practice = PracticePage.objects.get(title=TITLE)
    assert not practice.live and practice.has_unpublished_changes and practice.status == Status.PUBLISHED
    assert practice.first_published_at is None


def test_nothing_is_saved_when_moderation_cannot_start(atlas, vocab, monkeypatch):
    def broken(self, obj, user):
        raise RuntimeError("workflow unavailable")

    monkeypatch.setattr("wagtail.models.Workflow.start", broken)
    before = counts()
    response = submit(atlas, form_data(vocab, files=[pdf()]), client=Client(raise_request_exception=False))
    assert response.status_code == 500
    assert counts() == before and not mail.outbox


def test_the_author_email_stays_off_the_public_page_and_revisions(atlas, vocab):
    submit(atlas, form_data(vocab))
    practice = PracticePage.objects.get(title=TITLE)
    assert not re.search(re.escape(AUTHOR_EMAIL), str(practice.get_latest_revision().content))
    assert not hasattr(practice, "submitter_email")


def test_methodists_still_cannot_approve_their_own_edits_in_the_site_workflow(atlas, vocab, methodist, make_practice):
    """Approving publishes only in the workflow whose task names «Методисты» (core/workflows.py)."""
    draft = make_practice("Черновик методиста", publish=False)
    draft.save_revision(user=methodist)
    workflow = draft.get_workflow()
    assert workflow is not None and workflow.name != WORKFLOW_NAME
    state = workflow.start(draft, methodist)
    admin = Client()
    admin.force_login(methodist)
    admin.post(f"/admin/pages/workflow/action/{draft.pk}/approve/{state.current_task_state.pk}/", {"comment": ""})
    draft.refresh_from_db()
    assert not draft.live and in_moderation(draft)


def test_an_unpublished_submission_forgets_its_author_after_the_retention(atlas, vocab):
    submit(atlas, form_data(vocab))
    practice = PracticePage.objects.get(title=TITLE)
    submission = PracticeSubmission.objects.get(page=practice)
    out = io.StringIO()
    call_command("forget_atlas_submitters", stdout=out)
    assert "Удалено адресов авторов: 0" in out.getvalue()
    later = submission.submitted_at + timedelta(days=SUBMITTER_RETENTION_DAYS, minutes=1)
    assert forget_stale_submitters(now=later) == 1
    assert not PracticeSubmission.objects.exists()
    assert PracticePage.objects.filter(pk=practice.pk, live=False).exists()  # the draft stays

"""«Предложить практику»: a teacher's submission becomes a draft PracticePage under /atlas/ in moderation.

- The form (practices_atlas.forms) is the route `predlozhit/` of the atlas page; never stored by the page
  cache (no @cache_public, never_cache), rate-limited per address and subnet, refilled with a 429 when
  limited, like the contest application (contests.views.contest_submission).
- One transaction (create_submission): consent, draft, documents, the author's e-mail and the start of
  moderation are saved together or not at all. E-mails are queued (core.mail) and leave after the commit.
- Moderation: the workflow «Модерация практик с сайта», one task approved by «Методисты» (and
  «Редакторы»): approving publishes the practice. It is started on the submitted draft only; what
  methodists edit themselves in /atlas/ keeps the site's own workflow.
- The methodist of the practice's subject (methodists' pages name subjects and an e-mail) is told with a
  link to the draft in the admin; if no methodist covers the subjects, the «Редакторы» group is.
- The author is told when it is received, published (page_published) or returned with the methodist's
  comment (task_rejected: the comment of «Запрос изменений»). 152-ФЗ: the author's e-mail lives in
  PracticeSubmission only until the publication notice, or SUBMITTER_RETENTION_DAYS for a draft never
  published (manage.py forget_atlas_submitters, daily).
- Files: saved in SUBMISSIONS_COLLECTION, which only logged-in staff can open. When the practice is
  published they move to PUBLIC_COLLECTION (release_files), or visitors clicking them would be sent to
  the admin login; a draft never published keeps them private, and deleting it deletes them
  (forget_draft_files: they may hold the sender's personal data), unless something else uses them.
"""

import os
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.html import escape
from wagtail.documents import get_document_model
from wagtail.models import Collection, Workflow

from core.mail import queue_email
from core.moderation import discard_documents, group_workflow, release_documents, restricted_collection
from core.permissions import EDITORS, METHODISTS
from core.ratelimit import limited, refilled_form, retry_after, retry_message
from core.siteurl import absolute_url
from core.uploads import detect_document, random_name

from .forms import FILE_EXTENSIONS, PracticeSubmissionForm
from .models import PracticeAttachment, PracticeAuthor, PracticePage, PracticeSubmission

SUBMIT_RATE = os.environ.get("ATLAS_SUBMIT_RATE", "5/h")
SUBMIT_SUBNET_RATE = os.environ.get("ATLAS_SUBMIT_SUBNET_RATE", "30/h")
# A draft nobody published in this time is abandoned: its author's e-mail goes (manage.py forget_atlas_submitters).
SUBMITTER_RETENTION_DAYS = 180
SUBMISSIONS_COLLECTION = "Атлас практик: материалы с сайта"
PUBLIC_COLLECTION = "Атлас практик: материалы опубликованных практик"
WORKFLOW_NAME = "Модерация практик с сайта"
TASK_NAME = "Проверка практики методистом"
CONSENT_PURPOSE = "atlas_submission"
CONSENT_TEXT = (
    "Я даю согласие ГБУ ИМЦ Центрального района Санкт-Петербурга на обработку персональных данных, указанных "
    "в форме «Предложить практику» (ФИО и должности авторов, организация, адрес электронной почты), с целью "
    "экспертизы практики методистами ИМЦ, её публикации в Атласе педагогических практик с указанием авторов "
    "и сообщения автору о результатах проверки.\n"
    "Адрес электронной почты не публикуется и удаляется после публикации практики. ФИО и должности авторов "
    "публикуются вместе с практикой, пока она размещена на сайте. Согласие можно отозвать, написав на "
    "imc@center-edu.spb.ru."
)


# --- moderation ---------------------------------------------------------------------------------------------


def moderation_workflow() -> Workflow:
    """The atlas submissions' workflow, created the first time a practice is sent (or rebuilt if deleted)."""
    return group_workflow(WORKFLOW_NAME, TASK_NAME, [METHODISTS, EDITORS])


def submissions_collection() -> Collection:
    """Files of drafts: a collection only logged-in staff can open, files under random names."""
    return restricted_collection(SUBMISSIONS_COLLECTION)


def responsible_addresses(subjects) -> list[str]:
    """E-mails of the methodists whose live pages name one of these subjects; else of «Редакторы».

    Read through core.Subject's reverse relation (methodists' pages), so the atlas imports no other app.
    """
    addresses = []
    for subject in subjects:
        for page in subject.methodist_pages.filter(live=True).exclude(email="").order_by("path"):
            if page.email not in addresses:
                addresses.append(page.email)
    if addresses:
        return addresses
    users = get_user_model().objects.filter(groups__name=EDITORS, is_active=True).exclude(email="")
    return sorted(set(users.values_list("email", flat=True)))


def _paragraphs(text: str) -> str:
    return "".join(f"<p>{escape(p.strip())}</p>" for p in (text or "").splitlines() if p.strip())


def latin_slug(title: str) -> str:
    """A readable Latin slug with a random tail: two practices may share a title."""
    import secrets

    from django.utils.text import slugify

    translit = dict(
        zip(
            "абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
            ["a", "b", "v", "g", "d", "e", "e", "zh", "z", "i", "y", "k", "l", "m", "n", "o", "p", "r", "s", "t"]
            + ["u", "f", "kh", "ts", "ch", "sh", "shch", "", "y", "", "e", "yu", "ya"],
            strict=True,
        )
    )
    text = "".join(translit.get(ch, ch) for ch in title.lower())
    return (slugify(text)[:50].strip("-") or "praktika") + "-" + secrets.token_hex(3)


@transaction.atomic
def create_submission(request, index, form) -> PracticePage:
    """A draft practice in moderation, never published by itself; all of it or nothing."""
    data = form.cleaned_data
    consent = form.record_consent(request)
    practice = PracticePage(
        title=data["title"],
        slug=latin_slug(data["title"]),
        annotation=data["annotation"],
        organisation=data["organisation"],
        practice_type=data["practice_type"],
        description=_paragraphs(data.get("description", "")),
        video_url=data.get("video_url") or "",
        video_title=f"Видео: {data['title']}"[:200] if data.get("video_url") else "",
        licence=data["licence"],
        live=False,
    )
    practice.levels = list(data["levels"])
    practice.subjects = list(data["subjects"])
    practice.authors = [PracticeAuthor(name=name, position=position) for name, position in data["authors"]]
    collection = submissions_collection() if data.get("files") else None
    attachments = []
    for number, upload in enumerate(data.get("files") or []):
        document = get_document_model()(title=f"{data['title']} — файл {number + 1}", collection=collection)
        document.file = upload
        document.file.name = random_name(detect_document(upload, allowed=FILE_EXTENSIONS))
        document.save()
        attachments.append(PracticeAttachment(document=document, sort_order=number))
    practice.attachments = attachments
    index.add_child(instance=practice)
    PracticeSubmission.objects.create(page=practice, email=data["email"], consent=consent)
    revision = practice.save_revision(log_action=True)
    moderation_workflow().start(practice, user=None)
    edit_url = absolute_url(reverse("wagtailadmin_pages:edit", args=[practice.pk]))
    context = {"practice": practice, "index": index, "edit_url": edit_url, "revision": revision, "data": data}
    for address in responsible_addresses(data["subjects"]):
        queue_email(
            address,
            f"Новая практика на проверку: {practice.title}",
            "practices_atlas/emails/submission_to_methodist.txt",
            context,
            purpose="atlas_submission_moderator",
        )
    queue_email(
        data["email"],
        f"Практика получена: {practice.title}",
        "practices_atlas/emails/submission_received.txt",
        context,
        purpose="atlas_submission",
    )
    return practice


# --- the author hears back ----------------------------------------------------------------------------------


def tell_author_published(sender, instance, **kwargs):
    """page_published: the author learns the address; then their e-mail is no longer needed and goes."""
    submission = PracticeSubmission.objects.filter(page_id=instance.pk).first()
    if submission is None:
        return
    queue_email(
        submission.email,
        f"Практика опубликована: {instance.title}",
        "practices_atlas/emails/submission_published.txt",
        {"practice": instance, "url": instance.get_full_url()},
        purpose="atlas_submission",
    )
    submission.delete()


def tell_author_returned(sender, instance, user=None, **kwargs):
    """task_rejected («Запрос изменений»): the author gets the methodist's comment."""
    workflow_state = instance.workflow_state
    if not workflow_state.object_id.isdigit():
        return
    submission = PracticeSubmission.objects.filter(page_id=int(workflow_state.object_id)).select_related("page").first()
    if submission is None:
        return
    queue_email(
        submission.email,
        f"Практика возвращена на доработку: {submission.page.title}",
        "practices_atlas/emails/submission_returned.txt",
        {"practice": submission.page, "comment": instance.comment},
        purpose="atlas_submission",
    )


def forget_stale_submitters(now=None) -> int:
    """Deletes the authors' e-mails of practices still unpublished SUBMITTER_RETENTION_DAYS after they were sent.

    The published ones are deleted at publication (tell_author_published); this covers drafts returned and
    never finished, or forgotten. The draft itself stays for the methodists; only the address goes."""
    now = now or timezone.now()
    stale = PracticeSubmission.objects.filter(submitted_at__lt=now - timedelta(days=SUBMITTER_RETENTION_DAYS))
    count, _ = stale.delete()
    return count


# --- the files ---------------------------------------------------------------------------------------------


def release_files(sender, instance, **kwargs):
    """page_published: the practice's files sent from the site leave the login-only collection for the
    public one, so a visitor clicking one on the practice page gets the file, not the admin login."""
    attachments = PracticeAttachment.objects.filter(page_id=instance.pk).select_related("document")
    release_documents([a.document for a in attachments], PUBLIC_COLLECTION, SUBMISSIONS_COLLECTION)


def forget_draft_files(sender, instance, **kwargs):
    """pre_delete of a practice never published: once the deletion is committed, the files sent with it
    (still in the login-only collection) are deleted, rows and files, unless something else uses them.
    The draft's revisions are read too: a methodist may have removed a file from the draft before."""
    if instance.first_published_at is not None:
        return
    ids = set(PracticeAttachment.objects.filter(page_id=instance.pk).values_list("document_id", flat=True))
    for content in instance.revisions.values_list("content", flat=True):
        for item in (content or {}).get("attachments") or []:
            if isinstance(item, dict) and isinstance(item.get("document"), int):
                ids.add(item["document"])
    if ids:
        transaction.on_commit(lambda: discard_documents(ids, SUBMISSIONS_COLLECTION))


def connect_signals() -> None:
    from django.db.models.signals import pre_delete
    from wagtail.signals import page_published, task_rejected

    page_published.connect(release_files, sender=PracticePage, dispatch_uid="atlas-submission-files-released")
    page_published.connect(tell_author_published, sender=PracticePage, dispatch_uid="atlas-submission-published")
    pre_delete.connect(forget_draft_files, sender=PracticePage, dispatch_uid="atlas-submission-files-forgotten")
    task_rejected.connect(tell_author_returned, dispatch_uid="atlas-submission-returned")


# --- the form's view ----------------------------------------------------------------------------------------


def submission_view(index, request):
    """The route `predlozhit/`: never kept by the page cache, browsers or proxies (one-time check, CSRF)."""
    response = _submission_response(index, request)
    add_never_cache_headers(response)
    return response


def _submission_response(index, request):
    context = {"page": index, "self": index, "index": index}
    template = "practices_atlas/submit.html"
    if request.method not in ("GET", "POST"):
        response = render(request, template, {**context, "form": PracticeSubmissionForm(request=request)})
        response.status_code = 405
        response["Allow"] = "GET, POST"
        return response
    wait = request.method == "POST" and retry_after(request, "atlas-submit", SUBMIT_RATE, SUBMIT_SUBNET_RATE)
    if wait:  # the text comes back; files cannot, the visitor chooses them again
        message = retry_message(wait, "Слишком много практик отправлено с вашего адреса") + " Файлы выберите заново."
        context["form"] = refilled_form(PracticeSubmissionForm, request, message, request=request)
        return limited(render(request, template, context), wait)

    form = PracticeSubmissionForm(request.POST or None, request.FILES or None, request=request)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            context["practice"] = create_submission(request, index, form)
            context["email"] = form.cleaned_data["email"]
            return render(request, "practices_atlas/submit_sent.html", context)
        status = 400
    context["form"] = form
    return render(request, template, context, status=status)

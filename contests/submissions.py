"""A public submission becomes a draft entry under moderation; its files live in a collection that
only logged-in staff can open, under random names. The published entry page lists its documents for
visitors, so publishing moves them to a public collection (release_files). The form and the page are in
contests.views."""

import secrets

from django.core.exceptions import ValidationError
from django.core.files.images import ImageFile
from django.db import transaction
from django.utils.html import escape
from django.utils.text import slugify
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection

from core.mail import queue_email
from core.moderation import release_documents, restricted_collection
from core.uploads import detect_format, random_name

from . import moderation
from .models import ContestEntryPage, EntryDocument

SUBMISSIONS_COLLECTION = "Конкурсы: заявки с сайта"
PUBLIC_COLLECTION = "Конкурсы: материалы опубликованных работ"


def submissions_collection() -> Collection:
    return restricted_collection(SUBMISSIONS_COLLECTION)


def release_files(sender, instance, **kwargs):
    """page_published of an entry: its documents sent from the site leave the login-only collection, so a
    visitor clicking «Материалы» on the entry page gets the file, not the admin login. (The cover image
    is served from /media/ by its random name whatever its collection.)"""
    documents = EntryDocument.objects.filter(entry_id=instance.pk).select_related("document")
    release_documents([item.document for item in documents], PUBLIC_COLLECTION, SUBMISSIONS_COLLECTION)


def anonymous_name(upload) -> str:
    """A random file name with the extension of the format detected in the content (core/uploads.py).

    Uploads are often named after their authors («Иванов Петя.jpg»), and an image's file is served
    from /media/ by its name before moderation: neither the name nor the address may give the author
    away or be guessed. The uploaded name's extension is never used: a PNG named `x.html` is `….png`.
    """
    ext = detect_format(upload)
    if ext is None:  # the form's validators refuse such files first
        raise ValidationError("Формат файла не распознан.")
    return random_name(ext)


TRANSLIT = dict(
    zip(
        "абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
        ["a", "b", "v", "g", "d", "e", "e", "zh", "z", "i", "y", "k", "l", "m", "n", "o", "p", "r", "s", "t", "u"]
        + ["f", "kh", "ts", "ch", "sh", "shch", "", "y", "", "e", "yu", "ya"],
        strict=True,
    )
)


def latin_slug(title: str) -> str:
    text = "".join(TRANSLIT.get(ch, ch) for ch in title.lower())
    return (slugify(text)[:50].strip("-") or "rabota") + "-" + secrets.token_hex(3)


@transaction.atomic
def create_submission(request, contest, form):
    """A draft entry submitted for moderation: never published automatically.

    One transaction: the consent, the draft, its files and the start of moderation are saved
    together or not at all, so no draft ever exists outside moderation. E-mails (ours and the
    workflow's notifications to moderators) are only queued and leave after the commit."""
    data = form.cleaned_data
    consent = form.record_consent(request)
    paragraphs = "".join(f"<p>{escape(p.strip())}</p>" for p in data["description"].splitlines() if p.strip())
    entry = ContestEntryPage(
        title=data["title"],
        slug=latin_slug(data["title"]),
        authors=data["authors"],
        organisation=data["organisation"],
        nomination=data["nomination"],
        description=paragraphs,
        video_url=data.get("video_url") or "",
        site_url=data.get("site_url") or "",
        submitter_email=data["email"],
        submission_consent=consent,
        live=False,
    )
    collection = submissions_collection()
    if data.get("image"):
        image = get_image_model()(title=f"{data['title']} — заявка", collection=collection)
        image.file = ImageFile(data["image"], name=anonymous_name(data["image"]))
        image.save()
        entry.cover = image
    contest.add_child(instance=entry)
    if data.get("document"):
        document = get_document_model()(title=f"{data['title']} — заявка", collection=collection)
        document.file = data["document"]
        document.file.name = anonymous_name(data["document"])
        document.save()
        EntryDocument.objects.create(entry=entry, document=document, sort_order=0)
    entry.save_revision(log_action=True)
    moderation.start_moderation(entry)  # Wagtail's workflow for the page; its notifications are queued mail
    queue_email(
        data["email"],
        f"Заявка принята: {contest.title}",
        "contests/emails/submission_received.txt",
        {"entry": entry, "contest": contest},
        purpose="contest_submission",
    )
    return entry

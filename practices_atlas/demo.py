"""Demo content of the atlas (`manage.py load_demo`, after the calendar): the vocabularies, the catalogue at
/atlas/ with the practices of practices_atlas/demo_data.py, their generated files (nothing is downloaded),
the two collections and the «Практика месяца». Idempotent: what exists is left as it is.

«Внедрили у себя»: demo_data.ADOPTIONS as confirmed adoptions (a consent record each, no address kept).
"""

import hashlib
from datetime import datetime, time, timedelta

from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.html import escape
from wagtail.documents import get_document_model
from wagtail.embeds.embeds import get_embed_hash
from wagtail.embeds.models import Embed
from wagtail.models import Page, Site
from wagtail.rich_text import RichText

from core.demo import child_page, demo_subjects, get_collection, make_document, pdf_bytes
from core.models import ConsentRecord, Subject

from . import demo_data as data
from .models import (
    Adoption,
    AtlasCollectionItem,
    AtlasCollectionPage,
    AtlasIndexPage,
    AtlasSettings,
    Cluster,
    EducationLevel,
    Organisation,
    PracticeAttachment,
    PracticeAuthor,
    PracticePage,
    PracticePresentation,
    PracticeType,
    Project,
    TargetGroup,
)

COLLECTION = "Методический отдел"
PRACTICE_OF_MONTH = "onlajnshkola-174"
INTRO = (
    "Лучшие практики образовательных организаций района: организация обучения, воспитательная работа, "
    "поддержка семьи, инновации, авторские разработки и наставничество. Выберите условия слева — "
    "рядом с каждым показано, сколько практик найдётся."
)


def paragraphs(*texts) -> RichText:
    return RichText("".join(f"<p>{escape(text)}</p>" for text in texts))


# --- generated files ------------------------------------------------------------------------------------


def make_attachment(attachment: data.Attachment, practice: data.Practice):
    """The practice's file, generated: DOCX as a document, PDF (and slides, as PDF pages) otherwise."""
    text = [practice.annotation, *practice.description[:1]]
    if attachment.kind == "docx":
        document = make_document(attachment.title, text, fmt="docx", collection=COLLECTION)
    else:
        Document = get_document_model()
        document = Document.objects.filter(title=attachment.title).first()
        if document is None:
            slug = hashlib.sha256(attachment.title.encode()).hexdigest()[:12]
            document = Document(title=attachment.title, collection=get_collection(COLLECTION))
            document.file = ContentFile(pdf_bytes(attachment.title, text, attachment.pages), name=f"demo-{slug}.pdf")
            document.save()
    if not document.file_size:  # the page shows type and size; the admin's upload form records them, we do here
        document._set_document_file_metadata()
        document.save(update_fields=["file_size", "file_hash"])
    return document


def ensure_embed(video: data.Video) -> None:
    """A stored player for the placeholder clip, so rendering never asks the hosting (news/demo.py does the same)."""
    if "rutube.ru" in video.url:
        src, provider = video.url.replace("/video/", "/play/embed/"), "RUTUBE"
    else:
        ids = video.url.rsplit("/video", 1)[-1]
        owner, _, number = ids.partition("_")
        src, provider = f"https://vkvideo.ru/video_ext.php?oid={owner}&id={number}", "VK Видео"
    Embed.objects.get_or_create(
        hash=get_embed_hash(video.url),
        defaults={
            "url": video.url,
            "type": "video",
            "title": video.title,
            "provider_name": provider,
            "width": 720,
            "height": 405,
            "html": f'<iframe src="{escape(src)}" width="720" height="405" title="{escape(video.title)}" '
            'loading="lazy" allow="autoplay; encrypted-media; fullscreen" allowfullscreen></iframe>',
        },
    )


# --- vocabularies -----------------------------------------------------------------------------------------


def load_subjects() -> dict[str, Subject]:
    """The site's subjects plus the directions only the atlas uses, merged by name (demo_data.SUBJECTS)."""
    subjects = demo_subjects()
    by_name = {subject.name: subject for subject in Subject.objects.all()}
    result = {}
    for order, term in enumerate(data.SUBJECTS):
        subject = subjects.get(term.key) or next(
            (by_name[name] for name in (term.name, *term.aliases) if name in by_name), None
        )
        if subject is None:
            subject, _ = Subject.objects.get_or_create(
                slug=term.key, defaults={"name": term.name, "sort_order": 200 + order * 10}
            )
        result[term.key] = subject
    return result


def load_terms(model, terms, **extra) -> dict:
    result = {}
    for order, term in enumerate(terms):
        defaults = {"name": term.name, "sort_order": order * 10}
        for field_name in extra.get("fields", ()):
            defaults[field_name] = getattr(term, field_name)
        result[term.key], _ = model.objects.get_or_create(slug=term.key, defaults=defaults)
    return result


def load_organisations() -> dict:
    result = {}
    for org in data.ORGANISATIONS:
        result[org.key], _ = Organisation.objects.get_or_create(
            slug=org.key,
            defaults={
                "full_name": org.full_name,
                "short_name": org.short_name,
                "kind": org.kind,
                "number": org.number,
                "district": org.district,
            },
        )
    return result


# --- pages ----------------------------------------------------------------------------------------------


def event_page(slug: str | None):
    """The calendar demo's event with this slug (found through the page tree: apps import no other app)."""
    if not slug:
        return None
    return Page.objects.filter(slug=slug, content_type__app_label="events").first()


def create_practice(index, spec: data.Practice, vocab: dict) -> PracticePage:
    existing = index.get_children().filter(slug=spec.key).first()
    if existing:
        return existing.specific
    if spec.video:
        ensure_embed(spec.video)
    tz = timezone.get_current_timezone()
    page = PracticePage(
        slug=spec.key,
        title=spec.title,
        annotation=spec.annotation,
        organisation=vocab["organisations"][spec.organisation],
        cluster=vocab["clusters"].get(spec.cluster),
        practice_type=vocab["types"][spec.practice_type],
        project=vocab["projects"].get(spec.project),
        format=spec.format,
        year=spec.year,
        problem=paragraphs(*spec.problem),
        description=paragraphs(*spec.description),
        conditions=paragraphs(*spec.conditions),
        results=paragraphs(*spec.results),
        how_to_adopt=paragraphs(*spec.how_to_adopt),
        video_url=spec.video.url if spec.video else "",
        video_title=spec.video.title if spec.video else "",
        review_date=spec.review_date,
        status=spec.status,
        first_published_at=datetime.combine(spec.review_date, time(10, 0), tzinfo=tz),
    )
    page.levels = [vocab["levels"][key] for key in spec.levels]
    page.subjects = [vocab["subjects"][key] for key in spec.subjects]
    page.target_groups = [vocab["groups"][spec.target_group]]
    page.authors = [PracticeAuthor(name=a.name, position=a.position) for a in spec.authors]
    page.attachments = [PracticeAttachment(document=make_attachment(a, spec), title=a.title) for a in spec.attachments]
    page.presentations = [
        PracticePresentation(
            event=event_page(pr.event_slug),
            title="" if event_page(pr.event_slug) else pr.title,
            held_on=pr.held_on,
            note=pr.note,
        )
        for pr in spec.presented_at
    ]
    page.tags.add(*spec.tags)
    index.add_child(instance=page)
    page.save_revision().publish()
    return page


def hotline_block(block: data.InfoBlock, subjects) -> tuple:
    lines = []
    for line in block.hotlines:
        methodist = Page.objects.filter(slug=line.methodist_slug, content_type__app_label="methodists").first()
        lines.append(
            {
                "subject": subjects[line.subject],
                "phone": line.phone,
                "email": line.email,
                "hours": line.hours,
                "methodist": methodist,
                "note": line.note,
            }
        )
    return ("hotlines", {"heading": block.heading, "intro": block.intro, "lines": lines})


def info_blocks(collection: data.AtlasCollection, subjects) -> list:
    result = []
    for block in collection.blocks:
        if block.kind == "hotlines":
            result.append(hotline_block(block, subjects))
        elif block.kind == "recommendations":
            items = [{"question": r.heading, "answer": paragraphs(r.text)} for r in block.recommendations]
            if block.intro:
                result.append(("paragraph", paragraphs(block.intro)))
            result.append(("accordion", {"heading": block.heading, "items": items}))
        elif block.kind == "materials":
            items = [
                {"title": m.title, "event": event_page(m.event_slug), "date": m.held_on, "note": m.note}
                for m in block.materials
            ]
            result.append(("materials", {"heading": block.heading, "intro": block.intro, "items": items}))
    return result


def create_collection(index, spec: data.AtlasCollection, practices: dict, subjects) -> AtlasCollectionPage:
    existing = index.get_children().filter(slug=spec.key).first()
    if existing:
        return existing.specific
    page = AtlasCollectionPage(
        slug=spec.key,
        title=spec.title,
        edition=spec.edition,
        intro=paragraphs(*spec.intro),
        information=info_blocks(spec, subjects),
    )
    page.collection_items = [AtlasCollectionItem(practice=practices[key]) for key in spec.practices]
    index.add_child(instance=page)
    page.save_revision().publish()
    return page


def load_adoptions(practices: dict, organisations: dict) -> None:
    """Confirmed «Внедрили у себя» reports, as if confirmed from the e-mailed link a few weeks ago."""
    from core.consent import current_document

    from .adoption_forms import CONSENT_PURPOSE
    from .adoptions import ADOPTION_LINK

    document = current_document(CONSENT_PURPOSE)
    base = timezone.now() - timedelta(days=40)
    for n, spec in enumerate(data.ADOPTIONS):
        practice, organisation = practices[spec.practice], organisations[spec.organisation]
        if Adoption.objects.filter(practice=practice, organisation=organisation).exists():
            continue
        created = base + timedelta(days=3 * n, hours=n % 7)
        consent = ConsentRecord.objects.create(
            document=document, revision_id=document.live_revision_id, purpose=CONSENT_PURPOSE, given_at=created
        )
        Adoption.objects.create(
            practice=practice,
            organisation=organisation,
            comment=spec.comment,
            status=Adoption.State.CONFIRMED,
            created_at=created,
            expires_at=ADOPTION_LINK.expires_at(created),
            confirmed_at=created + timedelta(minutes=20 + n),
            token_hash=hashlib.sha256(f"demo-adoption:{spec.practice}:{spec.organisation}".encode()).hexdigest(),
            consent=consent,
        )


def load(log):
    site = Site.objects.get(is_default_site=True)
    home = site.root_page.specific
    subjects = load_subjects()
    vocab = {
        "subjects": subjects,
        "types": load_terms(PracticeType, data.PRACTICE_TYPES, fields=("description",)),
        "levels": load_terms(EducationLevel, data.LEVELS),
        "groups": load_terms(TargetGroup, data.TARGET_GROUPS),
        "projects": load_terms(Project, data.PROJECTS, fields=("description",)),
        "clusters": load_terms(Cluster, data.CLUSTERS, fields=("kind", "description")),
        "organisations": load_organisations(),
    }
    index = child_page(
        home, AtlasIndexPage, "atlas", title="Атлас педагогических практик", show_in_menus=True, intro=INTRO
    )
    practices = {spec.key: create_practice(index, spec, vocab) for spec in data.PRACTICES}
    for spec in data.COLLECTIONS:
        create_collection(index, spec, practices, subjects)
    load_adoptions(practices, vocab["organisations"])
    chosen = AtlasSettings.for_site(site)
    if not chosen.practice_of_month_id:
        chosen.practice_of_month = practices[PRACTICE_OF_MONTH]
        chosen.practice_of_month_note = (
            "Как перевести школу на дистанционное обучение за неделю и не потерять ни одного ученика."
        )
        chosen.save()
    log(
        f"Атлас практик: {PracticePage.objects.child_of(index).count()} практик, "
        f"{AtlasCollectionPage.objects.child_of(index).count()} подборки, "
        f"{Adoption.objects.filter(status=Adoption.State.CONFIRMED).count()} подтверждённых внедрений."
    )

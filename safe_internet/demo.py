"""Demo content of «Безопасный интернет» (`manage.py load_demo`, after the calendar and the contests it links
to): the subsections' texts, the helpline block, the registry, the child-safe sites, the memos with their
generated files (nothing is downloaded), the campaigns with this season's dates and one quiz per age band,
all from safe_internet/demo_data.py. Idempotent: what exists is left as it is.

A campaign whose dates come from its contest's regulations (window None) is not created: a campaign page needs
dates, and the demo invents none.
"""

import datetime
import html

from django.utils import timezone
from wagtail.models import Page, Site
from wagtail.rich_text import RichText

from core.demo import make_document

from . import demo_data as data
from .models import (
    CampaignPage,
    MaterialPage,
    NormativeDocument,
    QuizPage,
    QuizQuestion,
    SafeInternetPage,
    SafeInternetSettings,
    SafeInternetSubsectionPage,
    SafeResource,
    Topic,
)

COLLECTION = "Центр информатизации"
KINDS = {
    "федеральный закон": NormativeDocument.Kind.LAW,
    "указ": NormativeDocument.Kind.DECREE,
    "постановление": NormativeDocument.Kind.RESOLUTION,
    "приказ": NormativeDocument.Kind.ORDER,
    "распоряжение": NormativeDocument.Kind.DIRECTIVE,
    "письмо": NormativeDocument.Kind.LETTER,
    "методические рекомендации": NormativeDocument.Kind.GUIDELINES,
    "локальный акт": NormativeDocument.Kind.LOCAL,
}
MATERIAL_KINDS = {
    "памятка": MaterialPage.Kind.MEMO,
    "методические рекомендации": MaterialPage.Kind.GUIDELINES,
    "презентация": MaterialPage.Kind.PRESENTATION,
}


def _p(*texts) -> str:
    return "".join(f"<p>{html.escape(text)}</p>" for text in texts)


def _audiences(keys) -> dict:
    return {f"for_{key}": key in keys for key in ("teachers", "students", "parents")}


def _document(title: str, paragraphs: list[str], fmt: str):
    # Slides are published as PDF: the demo writes no presentation format.
    document = make_document(title, paragraphs, fmt="docx" if fmt == "docx" else "pdf", collection=COLLECTION)
    if not document.file_size:  # the page shows type and size; the admin's upload form records them, we do here
        document._set_document_file_metadata()
        document.save(update_fields=["file_size", "file_hash"])
    return document


def load_section(log) -> SafeInternetPage | None:
    section = SafeInternetPage.objects.first()
    if section is None:
        log("«Безопасный интернет»: раздела нет (миграция safe_internet 0002 не создала его — нет главной).")
        return None
    for sub in data.SUBSECTIONS:
        page = SafeInternetSubsectionPage.objects.child_of(section).filter(slug=sub.key).first()
        if page is not None and not page.body:
            page.body = _p(*sub.intro)
            page.save_revision().publish()
    site = Site.objects.get(is_default_site=True)
    contacts = data.CENTRE_CONTACTS
    SafeInternetSettings.objects.get_or_create(
        site=site,
        defaults={
            "helpline_name": "Дети России онлайн",
            "helpline_phone": data.HELPLINE_PHONE,
            "helpline_url": data.HELPLINES[0].url,
            "helpline_description": data.HELPLINES[0].description,
            "centre_title": contacts.unit,
            "centre_address": contacts.address,
            "centre_phone": contacts.phone,
            "centre_email": contacts.email,
            "centre_note": contacts.note,
        },
    )
    return section


def load_documents(materials: dict) -> None:
    created = {}
    for doc in data.NORMATIVE_DOCUMENTS:
        existing = NormativeDocument.objects.filter(title=doc.title, number=doc.number).first()
        if existing:
            created[doc.key] = existing
            continue
        file = None
        if doc.file_format:
            file = _document(doc.title, [doc.summary, *doc.articles], doc.file_format)
        created[doc.key] = NormativeDocument.objects.create(
            kind=KINDS[doc.kind],
            number=doc.number,
            date=doc.date,
            issuer=doc.issuer,
            level=doc.level,
            title=doc.title,
            summary=doc.summary,
            url=doc.url,
            file=file,
            status=doc.status,
            lost_force_on=doc.lost_force_on,
        )
    for doc in data.NORMATIVE_DOCUMENTS:
        if doc.replaced_by and created[doc.key].replaced_by_id is None:
            created[doc.key].replaced_by = created[doc.replaced_by]
            created[doc.key].save(update_fields=["replaced_by"])


def load_resources() -> None:
    for order, resource in enumerate(data.SAFE_RESOURCES, start=1):
        SafeResource.objects.get_or_create(
            url=resource.url,
            defaults={
                "name": resource.name,
                "description": resource.description,
                "resource_type": resource.resource_type,
                "category": resource.category,
                "age_mark": resource.age_mark,
                "sort_order": order,
                **_audiences(resource.audiences),
            },
        )


def _material_body(material: data.Material) -> list:
    blocks = []
    for section in material.sections:
        blocks.append(("heading", {"text": section.heading, "level": "h2"}))
        text = _p(*section.paragraphs)
        if section.items:
            text += "<ul>" + "".join(f"<li>{html.escape(item)}</li>" for item in section.items) + "</ul>"
        blocks.append(("paragraph", RichText(text)))
    return blocks


def load_materials(section) -> dict:
    topics = {topic.slug: topic for topic in Topic.objects.all()}
    pages = {}
    for material in data.MATERIALS:
        existing = MaterialPage.objects.child_of(section).filter(slug=material.key).first()
        if existing:
            pages[material.key] = existing
            continue
        text = [material.lead] + [
            line for s in material.sections for line in (s.heading, *s.paragraphs, *(f"— {i}" for i in s.items))
        ]
        document = _document(material.title, text, material.file_format)
        page = MaterialPage(
            title=material.title,
            slug=material.key,
            kind=MATERIAL_KINDS[material.kind],
            age_band=material.age_band,
            lead=material.lead,
            body=_material_body(material),
            files=[("document", {"document": document, "title": "", "date": None})],
            **_audiences(material.audiences),
        )
        section.add_child(instance=page)
        page.topics.set([topics[key] for key in material.topics if key in topics])
        page.save_revision().publish()
        pages[material.key] = page
    return pages


def _next_window(window: data.Window, today: datetime.date) -> tuple[datetime.date, datetime.date]:
    start, end = window.bounds(today.year)
    if end < today:
        start, end = window.bounds(today.year + 1)
    return start, end


def _page_url(slug: str) -> str:
    page = Page.objects.live().filter(slug=slug).first()
    return page.url if page else ""


def load_campaigns(section, materials: dict, log) -> None:
    today = timezone.localdate()
    for campaign in data.CAMPAIGNS:
        if campaign.window is None:
            log(f"«Безопасный интернет»: акция «{campaign.title}» без дат — не создана.")
            continue
        if CampaignPage.objects.child_of(section).filter(slug=campaign.key).exists():
            continue
        start, end = _next_window(campaign.window, today)
        body = [("paragraph", RichText(_p(*campaign.description)))]
        if campaign.url:
            body.append(
                (
                    "paragraph",
                    RichText(f'<p>Сайт: <a href="{html.escape(campaign.url)}">{html.escape(campaign.url)}</a></p>'),
                )
            )
        events_url = next((url for url in map(_page_url, campaign.event_slugs) if url), "")
        page = CampaignPage(
            title=campaign.title,
            slug=campaign.key,
            start_date=start,
            end_date=end,
            lead=f"{campaign.kind.capitalize()}, {campaign.window_text}.",
            body=body,
            events_url=events_url,
            contest_url=_page_url(campaign.contest_slug) if campaign.contest_slug else "",
            **_audiences(campaign.audiences),
        )
        section.add_child(instance=page)
        page.materials.set([materials[key] for key in campaign.materials if key in materials])
        page.save_revision().publish()


def load_quizzes(section, materials: dict) -> None:
    for quiz in data.QUIZZES:
        if QuizPage.objects.child_of(section).filter(slug=quiz.key).exists():
            continue
        page = QuizPage(title=quiz.title, slug=quiz.key, age_band=quiz.age_band, intro=quiz.intro)
        section.add_child(instance=page)
        for order, question in enumerate(quiz.questions):
            options = dict(zip("abcd", question.options, strict=False))
            QuizQuestion.objects.create(
                page=page,
                sort_order=order,
                text=question.text,
                explanation=question.explanation,
                correct=next(key for key, option in options.items() if option.correct),
                material=materials.get(question.material),
                **{f"option_{key}": option.text for key, option in options.items()},
            )
        page.save_revision().publish()


def load(log=print) -> None:
    section = load_section(log)
    if section is None:
        return
    materials = load_materials(section)
    load_documents(materials)
    load_resources()
    load_campaigns(section, materials, log)
    load_quizzes(section, materials)
    log(
        f"«Безопасный интернет»: документов {NormativeDocument.objects.count()}, сайтов {SafeResource.objects.count()}, "
        f"материалов {MaterialPage.objects.count()}, акций {CampaignPage.objects.count()}, тестов {QuizPage.objects.count()}."
    )

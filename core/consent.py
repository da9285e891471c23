"""The one consent component every personal-data form uses.

    class QuestionForm(ConsentFormMixin, PublicForm):   # core.forms
        consent_purpose = "question"

    {{ form }}   # the consent block is the field's own template, forms/consent_field.html

    ... form.is_valid() -> record = form.record_consent(request)

Apps declare their purposes and default texts with `register_purpose` (in AppConfig.ready);
editors change the wording in the admin (Согласия на обработку ПДн → Тексты согласий): every
published revision is a new version. The template sends the version the visitor read
(`consent_version`); if the text was republished meanwhile the form asks to read it again, so a
record always points at the exact wording the visitor accepted (152-ФЗ, art. 9).
A document that editors unpublish is republished from its latest revision the next time a form
needs it: a form that collects personal data never runs without a consent text.
"""

from dataclasses import dataclass

from django import forms
from django.db import transaction

from .hashing import hashed_subnet
from .models import ConsentDocument, ConsentRecord


@dataclass(frozen=True)
class Purpose:
    slug: str
    title: str
    default_text: str


PURPOSES: dict[str, Purpose] = {}


def register_purpose(slug: str, title: str, default_text: str) -> None:
    PURPOSES[slug] = Purpose(slug, title, default_text)


def purpose_title(slug: str) -> str:
    """The purpose as people read it («Голосование в конкурсе»), not its code."""
    spec = PURPOSES.get(slug)
    return spec.title if spec else slug


def current_document(purpose: str) -> ConsentDocument:
    """The live text for a purpose; the registered default is published the first time it is needed."""
    document = ConsentDocument.objects.filter(purpose=purpose, live=True).select_related("live_revision").first()
    if document is not None and document.live_revision_id:
        return document
    spec = PURPOSES[purpose]
    with transaction.atomic():
        document, _ = ConsentDocument.objects.select_for_update().get_or_create(
            purpose=purpose, defaults={"title": spec.title, "text": spec.default_text, "live": False}
        )
        if not document.live or not document.live_revision_id:
            revision = document.latest_revision or document.save_revision()
            revision.publish()
            document.refresh_from_db()
    return document


def record_consent(request, purpose: str) -> ConsentRecord:
    document = current_document(purpose)
    return ConsentRecord.objects.create(
        document=document,
        revision_id=document.live_revision_id,
        purpose=purpose,
        subnet_hash=hashed_subnet(request),
    )


CHANGED_MESSAGE = (
    "Текст согласия обновился, пока форма была открыта. Прочитайте новую редакцию ниже и подтвердите согласие ещё раз."
)


class ConsentField(forms.BooleanField):
    """A required, unticked checkbox for one purpose; its widget shows the live text in full."""

    def __init__(self, purpose: str, **kwargs):
        self.purpose = purpose
        kwargs.setdefault("required", True)
        kwargs.setdefault("label", "Я даю согласие на обработку моих персональных данных")
        kwargs.setdefault(
            "error_messages",
            {"required": "Без согласия на обработку персональных данных мы не можем принять форму."},
        )
        kwargs.setdefault("template_name", "forms/consent_field.html")
        super().__init__(**kwargs)

    @property
    def document(self) -> ConsentDocument:
        return current_document(self.purpose)


class ConsentFormMixin:
    """Adds the `consent` field for `consent_purpose` and a method to record it after validation."""

    consent_purpose: str = ""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["consent"] = ConsentField(self.consent_purpose)

    def clean_consent(self):
        value = self.cleaned_data.get("consent")
        seen = self.data.get(self.add_prefix("consent") + "_version", "")
        if value and seen and seen != str(current_document(self.consent_purpose).live_revision_id):
            raise forms.ValidationError(CHANGED_MESSAGE, code="consent_changed")
        return value

    def record_consent(self, request) -> ConsentRecord:
        return record_consent(request, self.consent_purpose)

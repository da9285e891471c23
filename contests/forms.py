"""Public forms: the vote and the entry submission. Both: consent, honeypot, ALTCHA proof-of-work with
its text-question fallback (core.captcha, shared with event registration), rendered by core.forms."""

from django import forms
from django.core.exceptions import ValidationError

from core.captcha import HumanCheckMixin
from core.consent import ConsentFormMixin
from core.forms import PublicForm, email_field
from core.uploads import detect_document, detect_image

from .models import DisposableDomain, Nomination
from .normalize import InvalidEmail, email_domain, normalize_email


class VoteEmailMixin:
    def clean_email(self):
        raw = self.cleaned_data["email"]
        try:
            normalize_email(raw)
        except InvalidEmail:
            raise ValidationError("Проверьте адрес электронной почты: например, ivanova@mail.ru.") from None
        domain = email_domain(raw)
        parts = domain.split(".")
        candidates = {".".join(parts[i:]) for i in range(len(parts) - 1)}
        if DisposableDomain.objects.filter(domain__in=candidates).exists():
            raise ValidationError("Адреса одноразовой почты не принимаются. Укажите свой постоянный адрес.")
        return raw.strip()


class VoteForm(VoteEmailMixin, ConsentFormMixin, HumanCheckMixin, PublicForm):
    consent_purpose = "vote"
    error_title = "Голос не отправлен — исправьте, пожалуйста:"

    email = email_field(
        "Ваш e-mail",
        "На него придёт ссылка для подтверждения голоса. Адрес хранится только до подтверждения.",
        "Укажите адрес электронной почты — на него придёт ссылка для подтверждения.",
    )

    def clean(self):
        cleaned = super().clean()
        self._post_clean_checks()
        return cleaned


IMAGE_MAX = 10 * 1024 * 1024
DOCUMENT_MAX = 20 * 1024 * 1024
IMAGE_EXTENSIONS = ["jpg", "png", "webp"]
DOCUMENT_EXTENSIONS = ["pdf", "docx", "pptx", "xlsx", "odt", "odp"]


def validate_image(upload):
    """By content (core/uploads.py): a JPEG, PNG or WebP picture of sane dimensions, whatever its name."""
    if upload.size > IMAGE_MAX:
        raise ValidationError("Изображение больше 10 МБ. Уменьшите его и загрузите снова.")
    detect_image(upload, allowed=IMAGE_EXTENSIONS, max_side=8000)
    return upload


def validate_document(upload):
    """By content (core/uploads.py): PDF, DOCX, PPTX, XLSX, ODT, ODP; stored under the detected format."""
    if upload.size > DOCUMENT_MAX:
        raise ValidationError("Файл больше 20 МБ.")
    detect_document(upload, allowed=DOCUMENT_EXTENSIONS)
    return upload


class SubmissionForm(VoteEmailMixin, ConsentFormMixin, HumanCheckMixin, PublicForm):
    consent_purpose = "contest_submission"
    error_title = "Заявка не отправлена — исправьте, пожалуйста:"

    title = forms.CharField(label="Название работы", max_length=200)
    authors = forms.CharField(label="Авторы (ФИО полностью)", max_length=300)
    organisation = forms.CharField(
        label="Образовательное учреждение", max_length=300, help_text="Например: ГБОУ школа № 178"
    )
    nomination = forms.ModelChoiceField(
        label="Номинация", queryset=Nomination.objects.none(), empty_label="— выберите номинацию —"
    )
    description = forms.CharField(label="Описание работы", widget=forms.Textarea(attrs={"rows": 6}), max_length=5000)
    email = email_field(
        "E-mail для связи",
        "Не публикуется. Организаторы напишут о результатах экспертизы.",
        "Укажите e-mail для связи.",
    )
    site_url = forms.URLField(label="Ссылка на сайт (если работа — сайт)", required=False, assume_scheme="https")
    video_url = forms.URLField(label="Ссылка на видео (VK Видео, RuTube)", required=False, assume_scheme="https")
    image = forms.FileField(
        label="Изображение (JPEG, PNG или WebP, до 10 МБ)",
        required=False,
        validators=[validate_image],
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    document = forms.FileField(
        label="Файл работы (PDF, DOCX, PPTX, XLSX, ODT, ODP — до 20 МБ)",
        required=False,
        validators=[validate_document],
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.docx,.pptx,.xlsx,.odt,.odp"}),
    )

    def __init__(self, *args, contest=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["nomination"].queryset = Nomination.objects.filter(contest=contest)

    def clean(self):
        cleaned = super().clean()
        self._post_clean_checks()
        if not any(cleaned.get(f) for f in ("site_url", "video_url", "image", "document")) and not self.errors:
            raise ValidationError("Приложите файл, изображение или ссылку на работу.")
        return cleaned

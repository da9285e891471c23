"""Public forms: the vote and the entry submission. Both: consent, honeypot, ALTCHA proof-of-work with
its text-question fallback (core.captcha, shared with event registration)."""

import io
import zipfile

from django import forms
from django.core.exceptions import ValidationError

from core.captcha import HumanCheckMixin
from core.consent import ConsentFormMixin

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


class VoteForm(VoteEmailMixin, ConsentFormMixin, HumanCheckMixin, forms.Form):
    consent_purpose = "vote"

    email = forms.EmailField(
        label="Ваш e-mail",
        max_length=254,
        help_text="На него придёт ссылка для подтверждения голоса. Адрес хранится только до подтверждения.",
        error_messages={
            "required": "Укажите адрес электронной почты — на него придёт ссылка для подтверждения.",
            "invalid": "Проверьте адрес электронной почты: например, ivanova@mail.ru.",
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email", "inputmode": "email"}),
    )

    def clean(self):
        cleaned = super().clean()
        self._post_clean_checks()
        return cleaned


IMAGE_MAX = 10 * 1024 * 1024
DOCUMENT_MAX = 20 * 1024 * 1024
IMAGE_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
OOXML = {"docx": "word/", "pptx": "ppt/", "xlsx": "xl/"}
ODF = {
    "odt": "application/vnd.oasis.opendocument.text",
    "odp": "application/vnd.oasis.opendocument.presentation",
}
DOCUMENT_EXTENSIONS = ["pdf", "docx", "pptx", "xlsx", "odt", "odp"]


def validate_image(upload):
    """By content: Pillow must recognise a JPEG, PNG or WebP picture of sane dimensions."""
    from PIL import Image, UnidentifiedImageError

    if upload.size > IMAGE_MAX:
        raise ValidationError("Изображение больше 10 МБ. Уменьшите его и загрузите снова.")
    try:
        upload.seek(0)
        with Image.open(upload) as img:
            fmt = img.format
            width, height = img.size
            img.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise ValidationError("Файл не является изображением JPEG, PNG или WebP.") from None
    finally:
        upload.seek(0)
    if fmt not in IMAGE_FORMATS:
        raise ValidationError("Допустимы изображения JPEG, PNG или WebP.")
    if width > 8000 or height > 8000:
        raise ValidationError("Изображение слишком большое: не более 8000 точек по стороне.")
    return upload


def validate_document(upload):
    """By content, and the content must match the extension: PDF, DOCX, PPTX, XLSX, ODT, ODP."""
    if upload.size > DOCUMENT_MAX:
        raise ValidationError("Файл больше 20 МБ.")
    ext = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
    if ext not in DOCUMENT_EXTENSIONS:
        raise ValidationError("Допустимы файлы PDF, DOCX, PPTX, XLSX, ODT и ODP.")
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    ok = False
    if ext == "pdf":
        ok = head.startswith(b"%PDF-")
    elif head.startswith(b"PK\x03\x04"):
        try:
            data = io.BytesIO(upload.read())
            with zipfile.ZipFile(data) as archive:
                names = archive.namelist()
                if ext in OOXML:
                    ok = "[Content_Types].xml" in names and any(n.startswith(OOXML[ext]) for n in names)
                else:
                    ok = "mimetype" in names and archive.read("mimetype").decode(errors="ignore").strip() == ODF[ext]
        except (zipfile.BadZipFile, KeyError, OSError, RuntimeError):
            ok = False
        finally:
            upload.seek(0)
    if not ok:
        raise ValidationError(f"Содержимое файла не похоже на {ext.upper()}. Проверьте файл.")
    return upload


class SubmissionForm(VoteEmailMixin, ConsentFormMixin, HumanCheckMixin, forms.Form):
    consent_purpose = "contest_submission"

    title = forms.CharField(label="Название работы", max_length=200)
    authors = forms.CharField(label="Авторы (ФИО полностью)", max_length=300)
    organisation = forms.CharField(
        label="Образовательное учреждение", max_length=300, help_text="Например: ГБОУ школа № 178"
    )
    nomination = forms.ModelChoiceField(
        label="Номинация", queryset=Nomination.objects.none(), empty_label="— выберите номинацию —"
    )
    description = forms.CharField(label="Описание работы", widget=forms.Textarea(attrs={"rows": 6}), max_length=5000)
    email = forms.EmailField(
        label="E-mail для связи",
        max_length=254,
        help_text="Не публикуется. Организаторы напишут о результатах экспертизы.",
        error_messages={"required": "Укажите e-mail для связи.", "invalid": "Проверьте адрес электронной почты."},
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

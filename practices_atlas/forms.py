"""«Предложить практику»: the public form of the atlas. Consent, honeypot, ALTCHA proof-of-work with its
text-question fallback (core.captcha), rendered by core.forms; files checked by content (core.uploads)."""

from django import forms
from django.core.exceptions import ValidationError

from core.captcha import HumanCheckMixin
from core.consent import ConsentFormMixin
from core.forms import PublicForm, email_field
from core.models import Subject
from core.uploads import detect_document

from .models import ANNOTATION_MAX, EducationLevel, Licence, Organisation, PracticeType, validate_video_url

FILE_MAX_MB = 20
FILE_MAX = FILE_MAX_MB * 1024 * 1024
FILES_MAX = 3
FILE_EXTENSIONS = ["pdf", "docx", "pptx", "xlsx", "odt", "odp"]
FILES_LABEL = f"Файлы практики (PDF, DOCX, PPTX, XLSX, ODT, ODP; до {FILES_MAX} файлов, каждый до {FILE_MAX_MB} МБ)"
AUTHORS_MAX = 10
FIELDSET_TEMPLATE = "practices_atlas/forms/choice_fieldset.html"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; each one is validated like a single FileField."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            files = [super(MultipleFileField, self).clean(item, initial) for item in data if item]
        else:
            files = [super().clean(data, initial)] if data else []
        if self.required and not files:
            raise ValidationError(self.error_messages["required"], code="required")
        return files


def validate_practice_file(upload):
    """By content (core/uploads.py): a document of the allowed formats, whatever its name says."""
    if upload.size > FILE_MAX:
        raise ValidationError(
            f"Файл «{upload.name}» больше {FILE_MAX_MB} МБ. Уменьшите его или дайте ссылку на него в описании.",
            code="file_too_large",
        )
    try:
        detect_document(upload, allowed=FILE_EXTENSIONS)
    except ValidationError as error:
        raise ValidationError(f"Файл «{upload.name}»: {' '.join(error.messages)}", code=error.code) from None
    return upload


def parse_authors(text: str) -> list[tuple[str, str]]:
    """«Иванова Анна Петровна, учитель математики» per line → [(name, position)]."""
    authors = []
    for line in (text or "").splitlines():
        name, _, position = line.strip().partition(",")
        if name.strip():
            authors.append((name.strip()[:200], position.strip()[:300]))
    return authors


class PracticeSubmissionForm(ConsentFormMixin, HumanCheckMixin, PublicForm):
    consent_purpose = "atlas_submission"
    error_title = "Практика не отправлена — исправьте, пожалуйста:"

    title = forms.CharField(
        label="Название практики",
        max_length=200,
        error_messages={"required": "Укажите название практики."},
    )
    annotation = forms.CharField(
        label="Аннотация",
        max_length=ANNOTATION_MAX,
        help_text=f"До {ANNOTATION_MAX} символов: в чём суть практики и чем она полезна коллегам. "
        "Показывается в карточке каталога.",
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": ANNOTATION_MAX}),
        error_messages={
            "required": "Напишите аннотацию практики.",
            "max_length": f"Аннотация длиннее {ANNOTATION_MAX} символов (сейчас %(show_value)d). Сократите её.",
        },
    )
    organisation = forms.ModelChoiceField(
        label="Организация",
        queryset=Organisation.objects.all(),
        empty_label="— выберите организацию —",
        help_text="Если вашей организации нет в списке, выберите ближайшую и напишите об этом в описании.",
        error_messages={"required": "Выберите организацию из списка."},
    )
    practice_type = forms.ModelChoiceField(
        label="Тип практики",
        queryset=PracticeType.objects.all(),
        empty_label="— выберите тип —",
        error_messages={"required": "Выберите тип практики."},
    )
    levels = forms.ModelMultipleChoiceField(
        label="Уровни образования",
        queryset=EducationLevel.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        template_name=FIELDSET_TEMPLATE,
        error_messages={"required": "Отметьте хотя бы один уровень образования."},
    )
    subjects = forms.ModelMultipleChoiceField(
        label="Предметы и направления",
        queryset=Subject.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        template_name=FIELDSET_TEMPLATE,
        help_text="Практику проверит методист, отвечающий за отмеченный предмет.",
        error_messages={"required": "Отметьте хотя бы один предмет или направление."},
    )
    authors = forms.CharField(
        label="Авторы",
        max_length=3000,
        help_text="Каждый автор с новой строки: ФИО, должность. Например: Иванова Анна Петровна, учитель математики.",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Укажите хотя бы одного автора."},
    )
    description = forms.CharField(
        label="Описание практики",
        required=False,
        max_length=10000,
        help_text="Проблема и цели, как проходит работа, результаты. Методист поможет оформить разделы.",
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    email = email_field(
        "E-mail для связи",
        "Не публикуется. На него придёт подтверждение и сообщение о результате проверки; "
        "после публикации адрес удаляется.",
        "Укажите e-mail для связи.",
    )
    files = MultipleFileField(
        label=FILES_LABEL,
        required=False,
        help_text="Формат проверяется по содержимому файла, а не по расширению.",
        widget=MultipleFileInput(attrs={"accept": ".pdf,.docx,.pptx,.xlsx,.odt,.odp"}),
    )
    video_url = forms.URLField(
        label="Ссылка на видео (VK Видео или RUTUBE)",
        required=False,
        assume_scheme="https",
        validators=[validate_video_url],
        error_messages={"invalid": "Проверьте ссылку на видео: например, https://rutube.ru/video/…"},
    )
    licence = forms.ChoiceField(
        label="Условия публикации",
        choices=Licence.choices,
        widget=forms.RadioSelect,
        template_name=FIELDSET_TEMPLATE,
        help_text="Что авторы разрешают коллегам делать с материалами практики после публикации.",
        error_messages={"required": "Выберите условия публикации."},
    )

    def clean_title(self):
        title = self.cleaned_data["title"].strip()
        if not title:
            raise ValidationError("Укажите название практики.")
        return title

    def clean_authors(self):
        authors = parse_authors(self.cleaned_data["authors"])
        if not authors:
            raise ValidationError("Укажите хотя бы одного автора.")
        if len(authors) > AUTHORS_MAX:
            raise ValidationError(f"Не больше {AUTHORS_MAX} авторов; большую группу назовите одной строкой.")
        return authors

    def clean_files(self):
        files = self.cleaned_data.get("files") or []
        if len(files) > FILES_MAX:
            raise ValidationError(f"Не больше {FILES_MAX} файлов.")
        errors = []
        for upload in files:
            try:
                validate_practice_file(upload)
            except ValidationError as error:
                errors.extend(error.messages)
        if errors:
            raise ValidationError(errors)
        return files

    def clean(self):
        cleaned = super().clean()
        self._post_clean_checks()
        return cleaned

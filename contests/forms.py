"""Public forms: the vote and the entry submission. Both: consent, honeypot, ALTCHA proof-of-work.

The captcha. The ALTCHA widget solves a proof-of-work in the browser: no pictures, no puzzles, a
native checkbox with a Russian label that screen readers announce. Its audio/image «code challenge»
only exists with ALTCHA's hosted Sentinel service, which we do not use (no foreign services), so the
non-visual fallback is ours: a short arithmetic question written in words, in plain HTML (works with
a screen reader, without JavaScript and on old phones). Its answer is HMAC-signed with an expiry,
single-use (cache), and its path has a stricter rate limit than the proof-of-work path.
"""

import base64
import hashlib
import hmac
import json
import secrets
import time

from altcha_django.forms import AltchaField, AltchaMixin
from django import forms
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError

from core.consent import ConsentFormMixin
from core.uploads import detect_document, detect_image

from .models import DisposableDomain, Nomination
from .normalize import InvalidEmail, email_domain, normalize_email

NUMBERS = ["ноль", "один", "два", "три", "четыре", "пять", "шесть", "семь", "восемь", "девять", "десять"]
TEXT_CHECK_TTL = 1800

ALTCHA_ERRORS = {
    "required": "Отметьте «Я не робот» или ответьте на вопрос ниже.",
    "malformed": "Проверка «Я не робот» не удалась. Обновите страницу и попробуйте снова.",
    "invalid_signature": "Проверка «Я не робот» не удалась. Обновите страницу и попробуйте снова.",
    "invalid_solution": "Проверка «Я не робот» не пройдена. Попробуйте ещё раз.",
    "expired": "Время проверки «Я не робот» истекло. Отметьте её ещё раз.",
    "replayed": "Эта проверка уже использована. Отметьте «Я не робот» ещё раз.",
    "unverified": "Проверка «Я не робот» не пройдена. Попробуйте ещё раз.",
    "classification_rejected": "Проверка «Я не робот» не пройдена.",
    "score_rejected": "Проверка «Я не робот» не пройдена.",
    "fields_hash_mismatch": "Форма изменилась после проверки. Отметьте «Я не робот» ещё раз.",
    "backend_error": "Проверка временно недоступна. Ответьте на вопрос ниже.",
    "misconfigured": "Проверка временно недоступна. Ответьте на вопрос ниже.",
}


def _sign(payload: str) -> str:
    secret = (settings.HASH_SECRET or settings.SECRET_KEY).encode()
    return hmac.new(secret, b"textcheck:" + payload.encode(), hashlib.sha256).hexdigest()


def new_text_check() -> tuple[str, str]:
    """(question, token): «Сколько будет семь плюс два?» and a signed, expiring token.

    The token carries a nonce, the expiry and an HMAC of (nonce, answer) — not the answer itself.
    """
    a, b = secrets.randbelow(9) + 1, secrets.randbelow(9) + 1
    nonce = secrets.token_hex(8)
    payload = base64.urlsafe_b64encode(
        json.dumps({"n": nonce, "e": int(time.time()) + TEXT_CHECK_TTL, "h": _sign(f"{nonce}:{a + b}")}).encode()
    ).decode()
    question = f"Сколько будет {NUMBERS[a]} плюс {NUMBERS[b]}? Ответ напишите цифрами."
    return question, f"{payload}.{_sign(payload)}"


def check_text_answer(token: str, answer: str) -> bool:
    try:
        payload, signature = (token or "").rsplit(".", 1)
        if not hmac.compare_digest(signature, _sign(payload)):
            return False
        data = json.loads(base64.urlsafe_b64decode(payload.encode()))
        if int(data["e"]) < time.time():
            return False
        given = str(answer or "").strip()
        if not given.isdigit() or not hmac.compare_digest(str(data["h"]), _sign(f"{data['n']}:{int(given)}")):
            return False
        return bool(cache.add(f"contests:textcheck:{data['n']}", 1, TEXT_CHECK_TTL + 60))
    except (ValueError, KeyError, TypeError):
        return False


class HumanCheckMixin(AltchaMixin):
    """Honeypot + (ALTCHA proof-of-work or the text question). Sets `used_text_check`."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["website"] = forms.CharField(
            label="Не заполняйте это поле",
            required=False,
            widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
        )
        self.fields["altcha"] = AltchaField(
            required=False, label="Проверка «Я не робот»", error_messages=ALTCHA_ERRORS, language="ru"
        )
        self.fields["altcha"].bind_context(request=self.altcha_request, form=self)
        question, token = new_text_check()
        self.text_question = question
        self.fields["check_token"] = forms.CharField(required=False, widget=forms.HiddenInput, initial=token)
        self.fields["check_answer"] = forms.CharField(
            label=question,
            required=False,
            max_length=5,
            widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        )
        self._submitted_check_token = self.data.get("check_token", "") if self.is_bound else ""
        self._submitted_answer = self.data.get("check_answer", "") if self.is_bound else ""
        if self.is_bound:  # the re-rendered form carries the new question's token, never the used one
            self.data = self.data.copy()
            self.data["check_token"] = token
            self.data["check_answer"] = ""
        self.used_text_check = False
        self.honeypot_filled = False

    def _post_clean_checks(self):
        data = self.cleaned_data
        if (self.data.get("website") or "").strip():
            self.honeypot_filled = True
            raise ValidationError("Форма заполнена автоматически и не принята.")
        if data.get("altcha"):
            return
        answer = self._submitted_answer
        if answer:
            if check_text_answer(self._submitted_check_token, answer):
                self.errors.pop("altcha", None)
                self.used_text_check = True
                return
            self.add_error("check_answer", "Ответ на вопрос неверный или устарел. Ответьте на новый вопрос.")
            return
        if "altcha" not in self.errors:
            self.add_error("altcha", ALTCHA_ERRORS["required"])


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

"""The human check of public forms (votes, contest applications, event registrations): a honeypot,
the ALTCHA proof-of-work and, for people it does not work for, a question in Russian words.

The proof-of-work. The ALTCHA widget solves a small computation in the browser: no pictures, no
puzzles, a native checkbox with a Russian label that screen readers announce. Its audio/image «code
challenge» only exists with ALTCHA's hosted Sentinel service, which we do not use (no foreign
services), so the non-visual, no-JavaScript fallback is ours.

The fallback is a short arithmetic question written in words, in plain HTML: it works with a screen
reader, without JavaScript and on old phones (WCAG 2.2, 1.1.1: a CAPTCHA needs a non-visual
alternative), so a script can read it too. What keeps it from being a cheap way around the
proof-of-work:
- its wording varies (six forms, numbers in words, never digits), so no single pattern reads it;
- its token is HMAC-signed, expires, carries no answer and is burnt by the first attempt, right or
  wrong (no trying every answer on one question);
- every attempt counts against a strict limit per address and per subnet (FALLBACK_RATE,
  FALLBACK_SUBNET_RATE): a script that reads the question passes at most that many times an hour.
The trade-off: a person without JavaScript who mistypes more than that waits an hour; a script
that understands the six forms gets 5 answers an hour per address instead of none.

A visitor who passed the check and whose form came back for another reason (a mistyped e-mail) is
not asked again: the form carries a signed, single-use pass instead (human_pass).
"""

import base64
import hashlib
import hmac
import json
import os
import secrets
import time
from functools import cached_property

from altcha_django.forms import AltchaField
from django import forms
from django.conf import settings
from django.core import signing
from django.core.cache import caches

from .forms import HoneypotMixin
from .ratelimit import is_limited

TEXT_CHECK_TTL = 1800
PASS_TTL = 1800
FALLBACK_RATE = os.environ.get("CAPTCHA_FALLBACK_RATE", "5/h")
FALLBACK_SUBNET_RATE = os.environ.get("CAPTCHA_FALLBACK_SUBNET_RATE", "20/h")

NUMBERS = [
    "ноль",
    "один",
    "два",
    "три",
    "четыре",
    "пять",
    "шесть",
    "семь",
    "восемь",
    "девять",
    "десять",
    "одиннадцать",
    "двенадцать",
    "тринадцать",
    "четырнадцать",
    "пятнадцать",
    "шестнадцать",
    "семнадцать",
    "восемнадцать",
    "девятнадцать",
    "двадцать",
]
GENITIVE = ["", "одного", "двух", "трёх", "четырёх", "пяти", "шести", "семи", "восьми", "девяти", "десяти"]
WORD_VALUES = {word: value for value, word in enumerate(NUMBERS)} | {"нуль": 0, "одна": 1, "одно": 1, "две": 2}

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
WRONG_ANSWER = "Ответ на вопрос неверный или устарел. Ответьте на новый вопрос."
FALLBACK_LIMITED = (
    "С вашего адреса слишком много ответов на вопрос. Отметьте «Я не робот» (для этого нужен "
    "включённый JavaScript) или ответьте на вопрос через час."
)


def _sign(payload: str) -> str:
    secret = (settings.HASH_SECRET or settings.SECRET_KEY).encode()
    return hmac.new(secret, b"textcheck:" + payload.encode(), hashlib.sha256).hexdigest()


def _number(n: int) -> str:
    return NUMBERS[n]


def new_question() -> tuple[str, int]:
    """A question in one of six forms, its numbers in words, and its answer (0–20)."""
    a, b = secrets.randbelow(9) + 1, secrets.randbelow(9) + 1
    hi, lo = max(a, b), min(a, b)
    if hi == lo:
        hi = min(hi + 1 + secrets.randbelow(2), 10)
    first, second = (lo, hi) if secrets.randbelow(2) else (hi, lo)
    forms_ = [
        (f"Сколько будет {_number(a)} плюс {_number(b)}?", a + b),
        (f"Сложите {_number(a)} и {_number(b)}. Сколько получилось?", a + b),
        (f"Сколько будет {_number(hi)} минус {_number(lo)}?", hi - lo),
        (f"Вычтите {_number(lo)} из {GENITIVE[hi]}. Сколько осталось?", hi - lo),
        (f"Какое число на {_number(b)} больше, чем {_number(a)}?", a + b),
        (f"Какое из чисел больше: {_number(first)} или {_number(second)}?", hi),
    ]
    return forms_[secrets.randbelow(len(forms_))]


def parse_answer(text: str) -> int | None:
    """«11», « Одиннадцать. », «одиннадцать» → 11; anything else → None."""
    given = str(text or "").strip().lower().replace("ё", "е").strip(" .!,")
    if given.isascii() and given.isdigit() and len(given) <= 3:
        return int(given)
    return {k.replace("ё", "е"): v for k, v in WORD_VALUES.items()}.get(given)


def new_text_check() -> tuple[str, str]:
    """(question, token): a question in words and a signed, expiring token.

    The token carries a nonce, the expiry and an HMAC of (nonce, answer) — not the answer itself.
    """
    question, answer = new_question()
    nonce = secrets.token_hex(8)
    payload = base64.urlsafe_b64encode(
        json.dumps({"n": nonce, "e": int(time.time()) + TEXT_CHECK_TTL, "h": _sign(f"{nonce}:{answer}")}).encode()
    ).decode()
    return f"{question} Ответ можно написать цифрами или словом.", f"{payload}.{_sign(payload)}"


def check_text_answer(token: str, answer: str) -> bool:
    """True once per token, for its right answer. Any attempt burns the token (no guessing on one)."""
    try:
        payload, signature = (token or "").rsplit(".", 1)
        if not hmac.compare_digest(signature, _sign(payload)):
            return False
        data = json.loads(base64.urlsafe_b64decode(payload.encode()))
        if int(data["e"]) < time.time():
            return False
        if not caches["durable"].add(f"captcha:textcheck:{data['n']}", 1, TEXT_CHECK_TTL + 60):
            return False
        given = parse_answer(answer)
        return given is not None and hmac.compare_digest(str(data["h"]), _sign(f"{data['n']}:{given}"))
    except (ValueError, KeyError, TypeError):
        return False


def issue_pass(scope: str) -> str:
    return signing.dumps({"n": secrets.token_hex(8), "s": scope}, salt="core.captcha.pass", compress=False)


def redeem_pass(token: str, scope: str) -> bool:
    """True once for a pass issued for this form within PASS_TTL."""
    if not token or len(token) > 300:
        return False
    try:
        data = signing.loads(token, salt="core.captcha.pass", max_age=PASS_TTL)
        if data.get("s") != scope:
            return False
        return bool(caches["durable"].add(f"captcha:pass:{data['n']}", 1, PASS_TTL + 60))
    except (signing.BadSignature, KeyError, TypeError, AttributeError):
        return False


class HumanCheckMixin(HoneypotMixin):
    """Honeypot + (a pass, the ALTCHA proof-of-work or the text question), for a core.forms.PublicForm
    given the request.

    Forms call `_post_clean_checks()` from clean() (a filled honeypot has refused the form before).
    Afterwards `human_verified` says whether the visitor passed (then the re-rendered form shows a
    pass, not the check), `used_text_check` whether by the question. Drawn by forms/human_check.html
    after the form's fields.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["altcha"] = AltchaField(
            required=False, label="Проверка «Я не робот»", error_messages=ALTCHA_ERRORS, language="ru"
        )
        self.fields["altcha"].bind_context(request=self.request, form=self)
        question, token = new_text_check()
        self.text_question = question
        self.fields["check_token"] = forms.CharField(required=False, widget=forms.HiddenInput, initial=token)
        self.fields["check_answer"] = forms.CharField(
            label=question,
            required=False,
            max_length=20,
            widget=forms.TextInput(attrs={"autocomplete": "off"}),
        )
        self._submitted_check_token = self.data.get("check_token", "") if self.is_bound else ""
        self._submitted_answer = self.data.get("check_answer", "") if self.is_bound else ""
        self._submitted_pass = self.data.get("human_pass", "") if self.is_bound else ""
        if self.is_bound:  # the re-rendered form carries the new question's token, never the used one
            self.data = self.data.copy()
            self.data["check_token"] = token
            self.data["check_answer"] = ""
        self.used_text_check = False
        self.human_verified = False
        self.add_block("forms/human_check.html", "altcha", "check_token", "check_answer")

    @property
    def human_check_scope(self) -> str:
        return type(self).__name__

    @cached_property
    def human_pass(self) -> str:
        """A fresh single-use pass for the re-rendered form of a visitor who passed the check."""
        return issue_pass(self.human_check_scope) if self.human_verified else ""

    def _post_clean_checks(self):
        data = self.cleaned_data
        if self._submitted_pass and redeem_pass(self._submitted_pass, self.human_check_scope):
            self.errors.pop("altcha", None)
            self.human_verified = True
            return
        if data.get("altcha"):
            self.human_verified = True
            return
        answer = self._submitted_answer
        if answer:
            request = self.request
            if request is not None and is_limited(request, "captcha-fallback", FALLBACK_RATE, FALLBACK_SUBNET_RATE):
                self.add_error("check_answer", FALLBACK_LIMITED)
                return
            if check_text_answer(self._submitted_check_token, answer):
                self.errors.pop("altcha", None)
                self.used_text_check = True
                self.human_verified = True
                return
            self.add_error("check_answer", WRONG_ANSWER)
            return
        if "altcha" not in self.errors:
            self.add_error("altcha", ALTCHA_ERRORS["required"])

"""«Вопрос методисту»: a consultation form (not an appeal under 59-ФЗ), with its own consent."""

from django import forms

from core.consent import ConsentFormMixin
from core.forms import HoneypotMixin, PublicForm, email_field
from core.models import Subject

NAME_MAX = 150
QUESTION_MAX = 3000


class QuestionForm(ConsentFormMixin, HoneypotMixin, PublicForm):
    consent_purpose = "question"
    error_title = "Вопрос не отправлен — исправьте, пожалуйста:"

    subject = forms.ModelChoiceField(
        label="Предмет или направление",
        queryset=Subject.objects.all(),
        empty_label="— выберите предмет —",
        help_text="Вопрос получит методист, который ведёт этот предмет.",
        error_messages={
            "required": "Выберите предмет или направление — так мы поймём, какому методисту передать вопрос.",
            "invalid_choice": "Такого предмета нет в списке. Выберите предмет из списка.",
        },
    )
    name = forms.CharField(
        label="Как к вам обращаться",
        max_length=NAME_MAX,
        help_text="Имя или имя и отчество.",
        error_messages={
            "required": "Напишите, как к вам обращаться.",
            "max_length": f"Имя слишком длинное: не больше {NAME_MAX} символов.",
        },
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = email_field(
        "Электронная почта для ответа",
        "На этот адрес методист пришлёт ответ.",
        "Укажите электронную почту — на неё придёт ответ.",
    )
    question = forms.CharField(
        label="Ваш вопрос",
        max_length=QUESTION_MAX,
        help_text=f"До {QUESTION_MAX} символов.",
        error_messages={
            "required": "Напишите вопрос.",
            "max_length": f"Вопрос слишком длинный: не больше {QUESTION_MAX} символов. Сократите его или разделите на два.",
        },
        widget=forms.Textarea(attrs={"rows": 8}),
    )

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError("Напишите, как к вам обращаться.")
        return name

    def clean_question(self):
        text = self.cleaned_data["question"].strip()
        if len(text) < 10:
            raise forms.ValidationError("Вопрос слишком короткий: опишите его хотя бы одним предложением.")
        return text

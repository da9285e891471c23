"""The registration form: what the organiser needs, the shared consent component and the shared
human check (core.captcha: without it a script filled a 40-seat event in under two seconds)."""

from django import forms

from core.captcha import HumanCheckMixin
from core.consent import ConsentFormMixin
from core.forms import PublicForm, email_field


class RegistrationForm(ConsentFormMixin, HumanCheckMixin, PublicForm):
    consent_purpose = "event_registration"
    error_title = "Заявка не отправлена — исправьте, пожалуйста:"
    error_heading_level = 3  # inside the event page's «Регистрация» section

    full_name = forms.CharField(
        label="Фамилия, имя, отчество",
        max_length=200,
        error_messages={"required": "Укажите фамилию, имя и отчество.", "max_length": "Не более 200 символов."},
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    organisation = forms.CharField(
        label="Образовательное учреждение",
        max_length=250,
        help_text="Например: ГБОУ школа № 204",
        error_messages={"required": "Укажите образовательное учреждение.", "max_length": "Не более 250 символов."},
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    position = forms.CharField(
        label="Должность",
        max_length=150,
        error_messages={"required": "Укажите должность.", "max_length": "Не более 150 символов."},
        widget=forms.TextInput(attrs={"autocomplete": "organization-title"}),
    )
    email = email_field("E-mail", "На него придёт письмо для подтверждения и ссылка для отмены.", "Укажите e-mail.")

    def clean_full_name(self):
        value = " ".join(self.cleaned_data["full_name"].split())
        if len(value) < 3 or not any(ch.isalpha() for ch in value):
            raise forms.ValidationError("Укажите фамилию, имя и отчество буквами.")
        return value

    def clean_organisation(self):
        return " ".join(self.cleaned_data["organisation"].split())

    def clean_position(self):
        return " ".join(self.cleaned_data["position"].split())

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()

    def clean(self):
        cleaned = super().clean()
        self._post_clean_checks()
        return cleaned

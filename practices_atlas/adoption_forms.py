"""The public form «Внедрили у себя» (practices_atlas/adoptions.py): organisation, comment, e-mail, the
152-ФЗ consent, honeypot and the ALTCHA check with its text fallback (core.captcha), drawn by core.forms."""

from django import forms

from core.captcha import HumanCheckMixin
from core.consent import ConsentFormMixin
from core.forms import PublicForm, email_field

from .models import ADOPTION_COMMENT_MAX, Adoption, Organisation

CONSENT_PURPOSE = "atlas_adoption"
ADOPTION_CONSENT = (
    "Я даю согласие ГБУ ИМЦ Центрального района Санкт-Петербурга (191024, Санкт-Петербург, Невский пр., 154) "
    "на обработку адреса моей электронной почты с целью подтверждения сообщения о внедрении педагогической "
    "практики в моей организации.\n"
    "Адрес используется только для отправки одного письма со ссылкой подтверждения и хранится до "
    "подтверждения, но не дольше 48 часов; после этого он удаляется. На сайте публикуется только название "
    "организации.\n"
    "Согласие можно отозвать, написав на imc@center-edu.spb.ru; неподтверждённое сообщение при этом не учитывается."
)
OWN_PRACTICE = "Эту практику разработали в выбранной организации. «Внедрили у себя» отмечают другие организации."


def already_adopted(organisation) -> str:
    return f"«{organisation.short_name}» уже отмечена как внедрившая эту практику — сообщать ещё раз не нужно."


class AdoptionForm(ConsentFormMixin, HumanCheckMixin, PublicForm):
    consent_purpose = CONSENT_PURPOSE
    error_title = "Сообщение не отправлено — исправьте, пожалуйста:"

    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.order_by("kind", "number", "short_name"),
        label="Ваша организация",
        empty_label="— выберите из списка —",
        help_text="Нет вашей организации в списке? Напишите в ИМЦ: imc@center-edu.spb.ru.",
        error_messages={
            "required": "Выберите вашу организацию из списка.",
            "invalid_choice": "Выберите вашу организацию из списка.",
        },
    )
    comment = forms.CharField(
        label="Что и как внедрили",
        max_length=ADOPTION_COMMENT_MAX,
        help_text=f"Коротко, до {ADOPTION_COMMENT_MAX} символов: что взяли из практики и что получилось. "
        "Читают методисты ИМЦ; на сайте публикуется только название организации.",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": "Напишите в двух-трёх предложениях, что и как вы внедрили.",
            "max_length": f"Сократите комментарий до {ADOPTION_COMMENT_MAX} символов.",
        },
    )
    email = email_field(
        "Ваш e-mail",
        "На него придёт ссылка для подтверждения. Адрес не публикуется и хранится только до "
        "подтверждения, не дольше 48 часов.",
        "Укажите адрес электронной почты — на него придёт ссылка для подтверждения.",
    )

    def __init__(self, *args, practice=None, **kwargs):
        self.practice = practice
        super().__init__(*args, **kwargs)

    def clean_organisation(self):
        organisation = self.cleaned_data["organisation"]
        practice = self.practice
        if practice is not None:
            if organisation.pk == practice.organisation_id:
                raise forms.ValidationError(OWN_PRACTICE)
            # A friendly early answer; the database's unique index is what guarantees it.
            if Adoption.objects.filter(
                practice=practice, organisation=organisation, status=Adoption.State.CONFIRMED
            ).exists():
                raise forms.ValidationError(already_adopted(organisation))
        return organisation

    def clean(self):
        cleaned = super().clean()
        self._post_clean_checks()
        return cleaned

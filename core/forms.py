"""Public forms (event registration, the vote, the contest application, «Вопрос методисту»): one way
to render fields and errors, one honeypot.

    class QuestionForm(ConsentFormMixin, HoneypotMixin, PublicForm):
        error_title = "Вопрос не отправлен — исправьте, пожалуйста:"

    form = QuestionForm(request.POST or None, request=request)
    <form method="post" novalidate>{% csrf_token %}{{ form }}<button …>Отправить</button></form>

`{{ form }}` goes through Django's form renderer (SiteFormRenderer) and draws templates/forms/:
- form.html: the error summary first, then every field, then the blocks the mixins add;
- error_summary.html: role=alert, a heading, one link per error to its field (the browser moves focus
  there), non-field errors (a rate limit, a honeypot) without a link;
- field.html: label, help text and errors with the ids Django's widgets name in aria-describedby
  (<id>_helptext, <id>_error) and aria-invalid on the input — so a screen reader hears all three;
- consent_field.html (core.consent), honeypot.html, human_check.html (core.captcha).
The form is rendered with the request (when given), so its templates see what pages see: the site
settings (the privacy-policy link of the consent block), the low-vision choices.
"""

from django import forms
from django.forms.boundfield import BoundField
from django.forms.renderers import TemplatesSetting
from django.utils.safestring import mark_safe

HONEYPOT_ERROR = (
    "Форма заполнена автоматически и не принята. Если вы заполняли её сами, обновите страницу и отправьте её ещё раз."
)


class SiteFormRenderer(TemplatesSetting):
    """The project's templates (templates/forms/) through the project's template engine."""

    form_template_name = "forms/form.html"
    field_template_name = "forms/field.html"


def _render_with_request(renderable, request, template_name=None, context=None, renderer=None):
    renderer = renderer or renderable.renderer
    template = template_name or renderable.template_name
    context = context or renderable.get_context()
    return mark_safe(renderer.render(template, context, request=request))


class PublicBoundField(BoundField):
    def render(self, template_name=None, context=None, renderer=None):
        return _render_with_request(self, self.form.request, template_name, context, renderer)

    __str__ = BoundField.__str__  # the bare widget, as Django's
    __html__ = BoundField.__html__


class PublicForm(forms.Form):
    """The base of every public form: the renderer, the request, the error summary's wording."""

    default_renderer = SiteFormRenderer
    bound_field_class = PublicBoundField
    error_title = "Форма не отправлена — исправьте, пожалуйста:"
    error_heading_level = 2  # 3 where the form sits in a section with its own h2 (an event page)

    def __init__(self, *args, request=None, **kwargs):
        self.request = request
        self.blocks: list[tuple[str, tuple[str, ...]]] = []  # (template, the fields it draws)
        self.limited = False  # refilled by core.ratelimit.refilled_form: «Слишком много запросов»
        super().__init__(*args, **kwargs)

    def add_block(self, template: str, *field_names: str) -> None:
        """A template drawn after the fields, in the order blocks are added; it renders `field_names`."""
        self.blocks.append((template, field_names))

    def render(self, template_name=None, context=None, renderer=None):
        return _render_with_request(self, self.request, template_name, context, renderer)

    __str__ = render
    __html__ = render

    def _in_blocks(self) -> set[str]:
        return {name for _, names in self.blocks for name in names}

    def get_context(self):
        context = super().get_context()
        in_blocks = self._in_blocks()
        context["fields"] = [(bf, errors) for bf, errors in context["fields"] if bf.name not in in_blocks]
        context["hidden_fields"] = [bf for bf in context["hidden_fields"] if bf.name not in in_blocks]
        context["blocks"] = [template for template, _ in self.blocks]
        return context

    def error_links(self) -> list[tuple[str, str]]:
        """(field id or "", message) in the order the visitor sees the form: the form's own errors,
        then each field's, blocks last."""
        in_blocks = self._in_blocks()
        order = [name for name in self.fields if name not in in_blocks]
        order += [name for _, names in self.blocks for name in names]
        links = [("", str(error)) for error in self.non_field_errors()]
        for name in order:
            bound = self[name]
            for error in bound.errors:
                # id_for_label is empty for a custom element (the ALTCHA widget): its own id then
                links.append(("" if bound.is_hidden else (bound.id_for_label or bound.auto_id), str(error)))
        return links


class HoneypotMixin:
    """A field people never see (moved off-screen, hidden from screen readers, out of the tab order)
    and scripts fill in: a filled one refuses the form before anything else is checked (no captcha
    verification, no query). Never echoed back, never refilled (core.ratelimit)."""

    honeypot_name = "website"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        name = self.honeypot_name
        self.fields[name] = forms.CharField(
            label="Не заполняйте это поле",
            required=False,
            widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
        )
        self.honeypot_filled = bool(self.is_bound and (self.data.get(self.add_prefix(name)) or "").strip())
        if self.is_bound:
            self.data = self.data.copy()
            self.data[self.add_prefix(name)] = ""
        self.add_block("forms/honeypot.html", name)

    def clean(self):
        cleaned = super().clean()
        if self.honeypot_filled:
            raise forms.ValidationError(HONEYPOT_ERROR, code="honeypot")
        return cleaned


EMAIL_INVALID = "Проверьте адрес электронной почты: например, ivanova@mail.ru."


def email_field(label: str, help_text: str, required: str) -> forms.EmailField:
    """The e-mail field of every public form: one wording for a wrong address, the mobile keyboard and
    autofill hints; the label, the help (what the address is for, how long it is kept) and the message
    for an empty field are the form's own."""
    return forms.EmailField(
        label=label,
        max_length=254,
        help_text=help_text,
        error_messages={
            "required": required,
            "invalid": EMAIL_INVALID,
            "max_length": "Адрес электронной почты слишком длинный: не более 254 символов.",
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email", "inputmode": "email"}),
    )

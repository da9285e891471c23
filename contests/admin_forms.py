"""Forms of the organisers' and jury's admin views, rendered with Wagtail's own field component
(`{% formattedfield %}`): hand-written inputs outside Wagtail's `w-field` wrapper get no admin styling
(no border, 18 px high), no help text and no error markup."""

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from wagtail.admin.widgets import AdminDateTimeInput

from .models import ContestEntryPage, JuryScore

CONDITIONS = ("entry", "subnet", "ua", "fast", "since", "until")


class AnnulmentForm(forms.Form):
    """One vote by its number, or every confirmed vote matching the conditions; the reason goes to the protocol."""

    vote_id = forms.IntegerField(
        label="Один голос — номер",
        required=False,
        min_value=1,
        help_text="Номер из журнала ниже. Если указан, условия отбора не применяются.",
        error_messages={"invalid": "Номер голоса — целое число.", "min_value": "Номер голоса — целое число больше 0."},
    )
    entry = forms.ModelChoiceField(
        label="Работа", required=False, queryset=ContestEntryPage.objects.none(), empty_label="любая"
    )
    subnet = forms.CharField(label="Хеш подсети (начало)", required=False, max_length=64)
    ua = forms.CharField(label="Хеш User-Agent (начало)", required=False, max_length=64)
    fast = forms.BooleanField(label="Только «быстрые» подтверждения", required=False)
    since = forms.DateTimeField(
        label="Запрошены с", required=False, widget=AdminDateTimeInput, help_text="Московское время."
    )
    until = forms.DateTimeField(label="Запрошены до", required=False, widget=AdminDateTimeInput)
    reason = forms.CharField(
        label="Причина",
        min_length=5,
        max_length=500,
        help_text="Обязательно. Попадёт в протокол аннулирования на странице итогов.",
        error_messages={
            "required": "Укажите причину аннулирования — она попадёт в протокол.",
            "min_length": "Причина — не короче %(limit_value)d символов.",
        },
    )

    def __init__(self, *args, contest, fast_seconds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["entry"].queryset = ContestEntryPage.objects.child_of(contest).order_by("title")
        self.fields["fast"].help_text = f"Подтверждённые быстрее {fast_seconds} секунд после запроса."

    def clean(self):
        data = super().clean()
        if "vote_id" not in self.errors and data.get("vote_id") is None and not any(data.get(n) for n in CONDITIONS):
            raise ValidationError(
                "Задайте номер голоса или хотя бы одно условие отбора: аннулировать все голоса сразу нельзя."
            )
        return data

    def conditions(self) -> dict:
        """The filter conditions in the shape `voting.annullable_votes` takes."""
        data = self.cleaned_data
        return {
            "entry": data["entry"].pk if data.get("entry") else "",
            "subnet": data.get("subnet", ""),
            "ua": data.get("ua", ""),
            "fast": "1" if data.get("fast") else "",
            "since": data.get("since"),
            "until": data.get("until"),
        }


class JuryScoreForm(forms.Form):
    """A juror's points and comment for every criterion of the contest (points_<id>, comment_<id>),
    filled with what this juror gave the entry before; save() keeps one score per criterion."""

    def __init__(self, *args, entry, juror, **kwargs):
        self.entry, self.juror = entry, juror
        self.criteria = list(entry.contest.criteria.all())
        self.given = {s.criterion_id: s for s in JuryScore.objects.filter(entry=entry, juror=juror)}
        initial = kwargs.pop("initial", None) or {}
        for criterion_id, score in self.given.items():
            initial.setdefault(f"points_{criterion_id}", score.points)
            initial.setdefault(f"comment_{criterion_id}", score.comment)
        super().__init__(*args, initial=initial, **kwargs)
        for criterion in self.criteria:
            limit = f"От 0 до {criterion.max_points} баллов."
            self.fields[f"points_{criterion.pk}"] = forms.DecimalField(
                label="Баллы",
                min_value=0,
                max_value=criterion.max_points,
                max_digits=6,
                decimal_places=2,
                localize=True,  # «7,5» as a Russian juror types it
                help_text=f"От 0 до {criterion.max_points}, можно с десятичной запятой.",
                widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
                error_messages={
                    "required": "Укажите число баллов.",
                    "invalid": "Укажите число баллов.",
                    "min_value": limit,
                    "max_value": limit,
                    "max_digits": limit,
                    "max_decimal_places": "Не больше двух знаков после запятой.",
                },
            )
            self.fields[f"comment_{criterion.pk}"] = forms.CharField(
                label="Комментарий", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
            )

    @property
    def scored_all(self) -> bool:
        """The juror had scored every criterion before this request (jury_visibility «after scoring»)."""
        return bool(self.criteria) and all(c.pk in self.given for c in self.criteria)

    def rows(self):
        """(criterion, points field, comment field) per criterion, for the template."""
        return [(c, self[f"points_{c.pk}"], self[f"comment_{c.pk}"]) for c in self.criteria]

    def scores(self):
        """{criterion: (points, comment)} from valid data."""
        return {
            c: (self.cleaned_data[f"points_{c.pk}"], self.cleaned_data[f"comment_{c.pk}"].strip())
            for c in self.criteria
        }

    @transaction.atomic
    def save(self) -> None:
        for criterion, (points, comment) in self.scores().items():
            JuryScore.objects.update_or_create(
                entry=self.entry, criterion=criterion, juror=self.juror, defaults={"points": points, "comment": comment}
            )

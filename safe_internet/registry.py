"""The registry of normative documents on «Нормативное регулирование» and «Локальные нормативные акты»: a GET
form (works without JavaScript; every filtered state has its own URL, the same for every visitor, so the
page cache keeps it) and the list sorted by date, newest first. Queries per request do not grow with the
number of documents: the choices are two aggregate queries, the list one query with its relations joined.
"""

from django import forms
from django.core.paginator import Paginator
from django.db.models import F
from django.db.models.functions import ExtractYear

from .models import NormativeDocument, SafeInternetSubsectionPage

PER_PAGE = 50
ANY = [("", "Все")]


class RegistryFilterForm(forms.Form):
    kind = forms.ChoiceField(label="Вид документа", required=False)
    level = forms.ChoiceField(label="Уровень", required=False)
    issuer = forms.ChoiceField(label="Кем принят", required=False)
    year = forms.ChoiceField(label="Год", required=False)
    status = forms.ChoiceField(label="Статус", required=False)

    def __init__(self, data, *, base, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["kind"].choices = ANY + list(NormativeDocument.Kind.choices)
        levels = set(
            base.order_by().values_list("level", flat=True).distinct()
        )  # no ordering: DISTINCT over level only
        self.fields["level"].choices = ANY + [c for c in NormativeDocument.Level.choices if c[0] in levels]
        issuers = base.order_by("issuer").values_list("issuer", flat=True).distinct()
        self.fields["issuer"].choices = ANY + [(name, name) for name in issuers]
        years = (
            base.filter(date__isnull=False)
            .annotate(y=ExtractYear("date"))
            .order_by("-y")
            .values_list("y", flat=True)
            .distinct()
        )
        self.fields["year"].choices = ANY + [(str(year), str(year)) for year in years]
        self.fields["status"].choices = ANY + list(NormativeDocument.Status.choices)

    def selects(self) -> list[dict]:
        """The filters as plain data for the template: Django's widget templates render every <option>
        through the template engine, a third of the page's time with a few dozen issuers and years."""
        chosen = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return [
            {
                "name": name,
                "id": f"id_{name}",
                "label": field.label,
                "options": [
                    (str(value), label, str(value) == str(chosen.get(name) or "")) for value, label in field.choices
                ],
            }
            for name, field in self.fields.items()
        ]

    def filter(self, queryset):
        if not self.is_valid():
            return queryset  # an unknown value (an old link) shows everything rather than an error page
        data = self.cleaned_data
        for field in ("kind", "level", "issuer", "status"):
            if data.get(field):
                queryset = queryset.filter(**{field: data[field]})
        if data.get("year"):
            queryset = queryset.filter(date__year=int(data["year"]))
        return queryset


def base_queryset(page):
    documents = NormativeDocument.objects.all()
    if page.kind == SafeInternetSubsectionPage.Kind.LOCAL_ACTS:
        return documents.filter(level=NormativeDocument.Level.LOCAL)
    return documents.exclude(level=NormativeDocument.Level.LOCAL)


def _one_document(request) -> int | None:
    """`?document=<id>`: the registry shows that document alone (a site search result links here)."""
    raw = request.GET.get("document", "")
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 10 else None


def registry_context(page, request) -> dict:
    base = base_queryset(page)
    form = RegistryFilterForm(request.GET or None, base=base)
    documents = form.filter(base)
    one = _one_document(request)
    if one is not None:
        documents = documents.filter(pk=one)
    documents = documents.select_related("file", "replaced_by").order_by(F("date").desc(nulls_last=True), "title", "pk")
    paginator = Paginator(documents, PER_PAGE)
    page_obj = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return {
        "registry_form": form,
        "registry_selects": form.selects(),
        "documents": page_obj,
        "filtered": one is not None or any(request.GET.get(name) for name in form.fields),
        "page_query": query.urlencode(),
    }

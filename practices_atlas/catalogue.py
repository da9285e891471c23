"""The catalogue's facets: read from the query string, applied to the practices and counted per option.

OR inside a facet, AND across facets. Each option's count is the number of practices the catalogue would
show if the visitor ticked it too: computed with every *other* facet applied (and the text query). A GROUP
BY query per chosen facet, one for all the single-valued facets nobody chose and one per many-to-many
facet, whatever the number of practices or options, so a request costs a fixed number of queries
(tests/practices_atlas/test_catalogue.py measures it at two sizes).
"""

import hashlib
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import Count, F, Q, QuerySet, Value
from django.db.models.functions import Lower, Replace
from wagtail.search.backends import get_search_backend

from core.cache import cached_for_generation
from core.models import Subject

from .adoptions import adoption_count
from .models import (
    YEAR_MAX,
    YEAR_MIN,
    Cluster,
    EducationLevel,
    Format,
    Organisation,
    PracticePage,
    PracticeType,
    Project,
    Status,
    TargetGroup,
)

PER_PAGE = 12
MAX_QUERY_LENGTH = 200
MAX_VALUES = 40  # per facet; more is not a person ticking boxes
SORTS = {"new": "сначала новые", "title": "по названию", "adopted": "чаще внедряют"}
OFFERED_SORTS = ("new", "title", "adopted")
DEFAULT_SORT = "new"


@dataclass(frozen=True)
class FacetSpec:
    key: str  # the query-string parameter
    label: str  # the facet's legend
    kind: str  # "fk", "m2m", "choice" or "year"
    field: str  # the PracticePage field
    model: type | None = None


FACETS = (
    FacetSpec("type", "Тип практики", "fk", "practice_type", PracticeType),
    FacetSpec("level", "Уровень образования", "m2m", "levels", EducationLevel),
    FacetSpec("subject", "Предмет / направление", "m2m", "subjects", Subject),
    FacetSpec("group", "Целевая группа", "m2m", "target_groups", TargetGroup),
    FacetSpec("format", "Формат", "choice", "format"),
    FacetSpec("year", "Год", "year", "year"),
    FacetSpec("project", "Проект", "fk", "project", Project),
    FacetSpec("cluster", "Кластер или сеть", "fk", "cluster", Cluster),
    FacetSpec("org", "Организация", "fk", "organisation", Organisation),
)
FACET_KEYS = tuple(spec.key for spec in FACETS)
SPECS = {spec.key: spec for spec in FACETS}


@dataclass(frozen=True)
class Term:
    """A vocabulary value as the catalogue needs it (plain, so it can be kept in the shared cache)."""

    pk: int
    slug: str
    label: str


def _load_vocabularies() -> dict[str, list[Term]]:
    result = {}
    for spec in FACETS:
        if spec.model is Organisation:
            rows = Organisation.objects.order_by("kind", "number", "short_name").values_list("pk", "slug", "short_name")
        elif spec.model is not None:
            rows = spec.model.objects.order_by("sort_order", "name").values_list("pk", "slug", "name")
        else:
            continue
        result[spec.key] = [Term(*row) for row in rows]
    return result


def vocabularies(request=None) -> dict[str, list[Term]]:
    """Every vocabulary's values, read once per publish or vocabulary save (core.cache generation)."""
    return cached_for_generation(request, "atlas-vocabularies", _load_vocabularies)


def clean_query(raw: str) -> str:
    query = " ".join(raw.replace("\x00", " ").split())
    if len(query) > MAX_QUERY_LENGTH:
        query = query[:MAX_QUERY_LENGTH].rsplit(" ", 1)[0]
    return query


@dataclass
class Filters:
    """What the visitor chose: per facet the chosen values (slugs, years, formats), the text, the order."""

    selected: dict[str, list[str]] = field(default_factory=dict)
    q: str = ""
    sort: str = DEFAULT_SORT
    archive: bool = False
    tag: str = ""
    ignored: list[str] = field(default_factory=list)  # what the address asked for and we could not use

    @classmethod
    def from_query(cls, params, vocab: dict[str, list[Term]]) -> "Filters":
        """Unknown or malformed values are dropped (and listed in `ignored`), never an error."""
        filters = cls()
        for spec in FACETS:
            raw = []
            for value in params.getlist(spec.key)[: MAX_VALUES * 2]:
                value = value.strip()
                if value and value not in raw:
                    raw.append(value)
            if not raw:
                continue
            allowed = _allowed_values(spec, vocab)
            chosen = [value for value in raw if value in allowed][:MAX_VALUES]
            if len(chosen) < len(raw):
                filters.ignored.append(spec.label)
            if chosen:
                filters.selected[spec.key] = chosen
        filters.q = clean_query(params.get("q", ""))
        sort = params.get("sort", "").strip()
        if sort in SORTS:
            filters.sort = sort
        elif sort:
            filters.ignored.append("Порядок")
        filters.archive = params.get("archive", "") == "1"
        tag = " ".join(params.get("tag", "").split())[:100]
        filters.tag = tag
        return filters

    @property
    def active(self) -> bool:
        return bool(self.selected or self.q or self.tag or self.archive)

    def items(self, without: tuple[str, str] | None = None, **extra) -> list[tuple[str, str]]:
        """The state as query-string pairs (facets in a fixed order), optionally without one value."""
        pairs = [(key, value) for key in FACET_KEYS for value in self.selected.get(key, []) if (key, value) != without]
        if self.q and without != ("q", self.q):
            pairs.append(("q", self.q))
        if self.tag and without != ("tag", self.tag):
            pairs.append(("tag", self.tag))
        if self.archive and without != ("archive", "1"):
            pairs.append(("archive", "1"))
        if self.sort != DEFAULT_SORT:
            pairs.append(("sort", self.sort))
        pairs += [(key, str(value)) for key, value in extra.items() if value not in (None, "")]
        return pairs

    def querystring(self, without=None, **extra) -> str:
        return urlencode(self.items(without, **extra))

    def cache_key(self) -> str:
        # The sort is part of it: the options' removal links keep it.
        state = repr(
            (sorted((k, sorted(v)) for k, v in self.selected.items()), self.q, self.tag, self.archive, self.sort)
        )
        return hashlib.sha1(state.encode(), usedforsecurity=False).hexdigest()


def _allowed_values(spec: FacetSpec, vocab) -> set[str]:
    if spec.kind == "choice":
        return set(Format.values)
    if spec.kind == "year":
        return {str(year) for year in range(YEAR_MIN, YEAR_MAX + 1)}
    return {term.slug for term in vocab[spec.key]}


# --- querying ------------------------------------------------------------------------------------------


def practices_of(index) -> QuerySet:
    """Live, public practices of this catalogue."""
    return PracticePage.objects.live().public().descendant_of(index)


def search_condition(query: str) -> Q:
    """Practices matching the text (Wagtail search: PostgreSQL full text with the Russian configuration,
    or Elasticsearch), as a condition the facets can be combined with."""
    backend = get_search_backend()
    try:
        results = backend.search(query, PracticePage.objects.all(), operator="and", order_by_relevance=False)
        if hasattr(results, "get_queryset"):  # the database backends: a subquery, nothing loaded here
            return Q(pk__in=results.get_queryset().order_by().values("pk"))
        return Q(pk__in=[page.pk for page in results[:10_000]])
    except Exception:
        fallback = getattr(settings, "DATABASE_SEARCH_BACKEND", None)
        if not fallback or "database" in type(backend).__module__:
            raise
        params = {key: value for key, value in fallback.items() if key != "BACKEND"}
        database = get_search_backend(fallback["BACKEND"], **params)
        results = database.search(query, PracticePage.objects.all(), operator="and", order_by_relevance=False)
        return Q(pk__in=results.get_queryset().order_by().values("pk"))


def _through(spec: FacetSpec):
    through = getattr(PracticePage, spec.field).through
    target = next(f.name for f in through._meta.get_fields() if f.is_relation and f.related_model is spec.model)
    return through, f"{target}_id"


def _ids(spec: FacetSpec, values: list[str], vocab) -> list[int]:
    wanted = set(values)
    return [term.pk for term in vocab[spec.key] if term.slug in wanted]


def facet_condition(spec: FacetSpec, values: list[str], vocab) -> Q:
    if spec.kind == "fk":
        return Q(**{f"{spec.field}_id__in": _ids(spec, values, vocab)})
    if spec.kind == "m2m":
        through, column = _through(spec)
        ids = through.objects.filter(**{f"{column}__in": _ids(spec, values, vocab)}).values("practicepage_id")
        return Q(pk__in=ids)
    if spec.kind == "year":
        return Q(year__in=[int(value) for value in values])
    return Q(format__in=values)


def base_queryset(index, filters: Filters) -> QuerySet:
    """Practices before the facets: this catalogue, its status, the text query and the tag."""
    practices = practices_of(index)
    if not filters.archive:
        practices = practices.filter(status=Status.PUBLISHED)
    if filters.q:
        practices = practices.filter(search_condition(filters.q))
    if filters.tag:
        practices = practices.filter(tagged_items__tag__name__iexact=filters.tag)
    return practices


def apply_facets(practices: QuerySet, filters: Filters, vocab, exclude: str | None = None) -> QuerySet:
    for key, values in filters.selected.items():
        if key != exclude:
            practices = practices.filter(facet_condition(SPECS[key], values, vocab))
    return practices


@dataclass
class Option:
    value: str
    label: str
    count: int
    selected: bool
    remove_query: str = ""  # the catalogue's query string without this value (for «×» on chosen ones)


@dataclass
class Facet:
    key: str
    label: str
    options: list[Option]

    @property
    def selected_options(self) -> list[Option]:
        return [option for option in self.options if option.selected]

    @property
    def shown(self) -> list[Option]:
        """Options worth showing: those that find something, and those already chosen."""
        return [option for option in self.options if option.count or option.selected]

    # Long lists show the first few and fold the rest (no JavaScript needed: <details>).
    FOLD_AFTER = 8

    @property
    def head(self) -> list[Option]:
        shown = self.shown
        if len(shown) <= self.FOLD_AFTER + 2:
            return shown
        chosen_late = [o for o in shown[self.FOLD_AFTER :] if o.selected]
        return shown[: self.FOLD_AFTER] + chosen_late

    @property
    def tail(self) -> list[Option]:
        head = {id(option) for option in self.head}  # by identity: comparing dataclasses field by field is slow
        return [option for option in self.shown if id(option) not in head]


def _column(spec: FacetSpec) -> str:
    return f"{spec.field}_id" if spec.kind == "fk" else spec.field


def _counts(spec: FacetSpec, practices: QuerySet) -> dict:
    if spec.kind == "m2m":
        through, column = _through(spec)
        rows = (
            through.objects.filter(practicepage_id__in=practices.values("pk"))
            .values_list(column)
            .annotate(n=Count("practicepage_id"))
            .order_by()
        )
    else:
        rows = practices.order_by().values_list(_column(spec)).annotate(n=Count("pk"))
    return {key: n for key, n in rows if key is not None}


def _scalar_counts(specs: list[FacetSpec], practices: QuerySet) -> tuple[dict[str, dict], int]:
    """Counts of several single-valued facets (and the total) from one pass over the practices instead of
    one query per facet: their columns only (a few small integers a row), counted column by column."""
    columns = [_column(spec) for spec in specs]
    if not columns:  # every single-valued facet chosen: values_list() would mean every field
        return {}, practices.count()
    rows = list(practices.order_by().values_list(*columns))
    counts = {}
    for spec, values in zip(specs, zip(*rows, strict=True) if rows else [()] * len(specs), strict=True):
        tally = Counter(values)
        tally.pop(None, None)
        counts[spec.key] = dict(tally)
    return counts, len(rows)


def facet_counts(index, filters: Filters, vocab) -> tuple[list[Facet], int]:
    """Every facet with its options and counts, and the number of practices matching everything.

    A chosen facet is counted with the others applied (its own options stay comparable), one query each.
    The facets nobody chose share one condition — every choice applied — so the single-valued ones and
    the total come from one GROUP BY, and only the many-to-many ones need a query each. Each of these
    queries scans the catalogue's practices, so fewer of them is what keeps 5,000 practices cheap."""
    base = base_queryset(index, filters)
    narrowed = apply_facets(base, filters, vocab)
    free_scalars = [spec for spec in FACETS if spec.key not in filters.selected and spec.kind != "m2m"]
    all_counts, total = _scalar_counts(free_scalars, narrowed)
    for spec in FACETS:
        if spec.key in filters.selected:
            all_counts[spec.key] = _counts(spec, apply_facets(base, filters, vocab, exclude=spec.key))
        elif spec.kind == "m2m":
            all_counts[spec.key] = _counts(spec, narrowed)
    facets = []
    for spec in FACETS:
        counts = all_counts[spec.key]
        chosen = filters.selected.get(spec.key, [])
        if spec.kind == "choice":
            values = [(value, label, counts.get(value, 0)) for value, label in Format.choices]
        elif spec.kind == "year":
            years = sorted(set(counts) | {int(value) for value in chosen}, reverse=True)
            values = [(str(year), str(year), counts.get(year, 0)) for year in years]
        else:
            values = [(term.slug, term.label, counts.get(term.pk, 0)) for term in vocab[spec.key]]
        options = [
            Option(value, label, count, value in chosen, filters.querystring(without=(spec.key, value)))
            for value, label, count in values
        ]
        facets.append(Facet(spec.key, spec.label, options))
    return facets, total


def cached_facet_counts(request, index, filters: Filters, vocab):
    """facet_counts() kept until the next publish or vocabulary save (and 5 minutes at most)."""
    key = f"atlas-facets:{index.pk}:{filters.cache_key()}"
    return cached_for_generation(request, key, lambda: facet_counts(index, filters, vocab))


def with_adoption_counts(practices: QuerySet) -> QuerySet:
    """`adopted_count`: confirmed «Внедрили у себя» reports (practices_atlas/adoptions.py), counted in the
    same query as the practices (a correlated subquery), so the order costs no query per practice."""
    return practices.annotate(adopted_count=adoption_count())


def ordered(practices: QuerySet, sort: str) -> QuerySet:
    if sort == "title":
        # «Онлайншкола174» sorts under О, not before every letter: quotes are not part of the order.
        bare = Lower(
            Replace(Replace(Replace(F("title"), Value("«"), Value("")), Value("»"), Value("")), Value('"'), Value(""))
        )
        return practices.annotate(sort_title=bare).order_by("sort_title", "pk")
    if sort == "adopted":
        return with_adoption_counts(practices).order_by("-adopted_count", "-year", "-first_published_at", "-pk")
    return practices.order_by("-year", "-first_published_at", "-pk")


CARD_DEFER = ("problem", "description", "conditions", "results", "how_to_adopt", "extra", "search_description")


def matching(index, filters: Filters, vocab) -> QuerySet:
    """The practices matching every filter, in the chosen order (the catalogue's cards: practices_atlas.cards)."""
    return ordered(apply_facets(base_queryset(index, filters), filters, vocab), filters.sort)


def cached_page_ids(request, index, filters: Filters, vocab, number: int) -> tuple[int, ...]:
    """The ids of the practices on page `number` of the results, in order: the search, the facets and the order
    are the catalogue's dearest query (its planning alone ~5 ms at 5,000 practices), so like the facet counts
    it runs once per filter state and page until the next publish. The cards are then read by id."""

    def build():
        start = (number - 1) * PER_PAGE
        return tuple(matching(index, filters, vocab).values_list("pk", flat=True)[start : start + PER_PAGE])

    return cached_for_generation(request, f"atlas-page:{index.pk}:{filters.cache_key()}:{number}", build)


def results(index, filters: Filters, vocab) -> QuerySet:
    """matching() as pages with their type and organisation, for the export."""
    return matching(index, filters, vocab).select_related("organisation", "practice_type").defer(*CARD_DEFER)

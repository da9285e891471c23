"""Calendar filters read from the query string, applied to events and counted per option."""

from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db.models import Exists, OuterRef, Q, Value

from core.models import Subject

from .models import Audience, EventOccurrence, EventPage, EventType, Format, Level

MULTI_KEYS = ("type", "audience", "subject", "level", "format")
MAX_QUERY_LENGTH = 200


class BadFilter(ValueError):
    """A query-string value that cannot be understood; the message is shown to the visitor."""


@dataclass
class Filters:
    type: list[str] = field(default_factory=list)
    audience: list[str] = field(default_factory=list)
    subject: list[str] = field(default_factory=list)
    level: list[str] = field(default_factory=list)
    format: list[str] = field(default_factory=list)
    organiser: int | None = None
    q: str = ""
    materials: bool = False

    @classmethod
    def from_request(cls, request) -> "Filters":
        params = request.GET
        values = {}
        for key in MULTI_KEYS:
            items = [v.strip() for v in params.getlist(key) if v.strip()]
            if len(items) > 30 or any(len(v) > 60 for v in items):
                raise BadFilter("Слишком много значений фильтра.")
            values[key] = sorted(set(items))
        organiser = params.get("organiser", "").strip()
        if organiser:
            if not (organiser.isascii() and organiser.isdigit()) or len(organiser) > 12:  # «²» is a digit too
                raise BadFilter("Организатор указан неверно.")
            values["organiser"] = int(organiser)
        q = params.get("q", "").strip()
        if len(q) > MAX_QUERY_LENGTH:
            raise BadFilter(f"Слишком длинный поисковый запрос (не более {MAX_QUERY_LENGTH} символов).")
        values["q"] = q
        values["materials"] = params.get("materials") == "1"
        return cls(**values)

    def _apply_q(self, events):
        if not self.q:
            return events
        return events.filter(Q(title__icontains=self.q) | Q(lead__icontains=self.q) | Q(venue__name__icontains=self.q))

    @property
    def active(self) -> bool:
        return any(getattr(self, key) for key in (*MULTI_KEYS, "organiser", "q", "materials"))

    def query_items(self) -> list[tuple[str, str]]:
        items = [(key, value) for key in MULTI_KEYS for value in getattr(self, key)]
        if self.organiser:
            items.append(("organiser", str(self.organiser)))
        if self.q:
            items.append(("q", self.q))
        if self.materials:
            items.append(("materials", "1"))
        return items

    def querystring(self, **extra) -> str:
        """The filters plus extra parameters, urlencoded (for navigation links that keep filters)."""
        items = self.query_items() + [(k, str(v)) for k, v in extra.items() if v not in (None, "")]
        return urlencode(items)

    def apply(self, events, exclude: str | None = None):
        if exclude == "__all_but_q__":
            return self._apply_q(events)
        if self.type and exclude != "type":
            events = events.filter(event_type__slug__in=self.type)
        if self.audience and exclude != "audience":
            events = events.filter(
                pk__in=EventPage.audiences.through.objects.filter(audience__slug__in=self.audience).values(
                    "eventpage_id"
                )
            )
        if self.subject and exclude != "subject":
            events = events.filter(subject__slug__in=self.subject)
        if self.level and exclude != "level":
            events = events.filter(level__in=self.level)
        if self.format and exclude != "format":
            events = events.filter(format__in=self.format)
        if self.organiser and exclude != "organiser":
            events = events.filter(organiser_id=self.organiser)
        events = self._apply_q(events)
        if self.materials:
            events = events.filter(with_materials=True)
        return events


def live_events():
    return EventPage.objects.live().public()


@dataclass
class Option:
    value: str
    label: str
    count: int
    selected: bool


@dataclass
class Facet:
    key: str
    label: str
    options: list[Option]


@dataclass
class FacetResult:
    facets: list[Facet]
    organisers: list[Option]
    matching_ids: list[int]


def _in_range(start, end):
    occurrences = EventOccurrence.objects.all()
    if end is not None:
        occurrences = occurrences.filter(start__lt=end)
    if start is not None:
        occurrences = occurrences.filter(end__gte=start)
    return occurrences


def facet_counts(start, end, filters: Filters, count_start=None, count_end=None) -> FacetResult:
    """Options with the number of events each would show (the other filters applied) and the ids of
    the events matching every filter — computed in Python over one small query of the events in the
    range, so the number of queries does not depend on the number of events or options.

    With count_start/count_end (the month inside its wider grid), counts cover only that period while
    the matching ids cover [start, end).
    """
    events = live_events().filter(pk__in=_in_range(start, end).values("event_id"))
    if count_start is not None or count_end is not None:
        events = events.annotate(counted=Exists(_in_range(count_start, count_end).filter(event_id=OuterRef("pk"))))
    else:
        events = events.annotate(counted=Value(True))
    if filters.q:
        events = filters.apply(events, exclude="__all_but_q__")
    rows = list(
        events.values_list(
            "pk", "event_type_id", "subject_id", "level", "format", "organiser_id", "with_materials", "counted"
        )
    )
    ids = [row[0] for row in rows]
    audiences_of = {}
    if ids:
        for event_id, audience_id in EventPage.audiences.through.objects.filter(eventpage_id__in=ids).values_list(
            "eventpage_id", "audience_id"
        ):
            audiences_of.setdefault(event_id, set()).add(audience_id)
    vocab = {
        "type": list(EventType.objects.all()),
        "audience": list(Audience.objects.all()),
        "subject": list(Subject.objects.all()),
    }
    wanted = {key: {item.pk for item in vocab[key] if item.slug in getattr(filters, key)} for key in vocab}
    wanted["level"] = set(filters.level)
    wanted["format"] = set(filters.format)

    def values(row):
        pk, type_id, subject_id, level, fmt = row[:5]
        return {
            "type": {type_id},
            "audience": audiences_of.get(pk, set()),
            "subject": {subject_id},
            "level": {level},
            "format": {fmt},
        }

    table = [(row, values(row)) for row in rows]
    counted = [(row, vals) for row, vals in table if row[7]]

    def matches(row, vals, exclude=None):
        for key in ("type", "audience", "subject", "level", "format"):
            if key != exclude and getattr(filters, key) and not (vals[key] & wanted[key]):
                return False
        if exclude != "organiser" and filters.organiser and row[5] != filters.organiser:
            return False
        return not (filters.materials and not row[6])

    facets = []
    for key, label in (("type", "Вид"), ("audience", "Для кого"), ("subject", "Направление")):
        counts = Counter(v for row, vals in counted if matches(row, vals, key) for v in vals[key])
        selected = getattr(filters, key)
        options = [
            Option(item.slug, item.name, counts.get(item.pk, 0), item.slug in selected)
            for item in vocab[key]
            if counts.get(item.pk) or item.slug in selected
        ]
        facets.append(Facet(key, label, options))
    for key, label, choices in (("level", "Уровень", Level), ("format", "Формат", Format)):
        counts = Counter(v for row, vals in counted if matches(row, vals, key) for v in vals[key])
        selected = getattr(filters, key)
        options = [
            Option(value, text, counts.get(value, 0), value in selected)
            for value, text in choices.choices
            if counts.get(value) or value in selected
        ]
        facets.append(Facet(key, label, options))

    organiser_counts = Counter(row[5] for row, vals in counted if row[5] and matches(row, vals, "organiser"))
    if filters.organiser:
        organiser_counts.setdefault(filters.organiser, 0)
    organisers = []
    if organiser_counts:
        from wagtail.models import Page

        for page in Page.objects.filter(pk__in=organiser_counts).order_by("title").only("pk", "title"):
            organisers.append(Option(str(page.pk), page.title, organiser_counts[page.pk], filters.organiser == page.pk))
    matching = [row[0] for row, vals in table if matches(row, vals)]
    return FacetResult(facets, organisers, matching)

"""Atom feed of new practices (/atlas/feed/) and the catalogue as a CSV/XLSX table (/atlas/export/csv/),
both with the catalogue's filters from the query string."""

from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Atom1Feed

from core.exports import table_response

from . import catalogue as cat
from .adoptions import adoption_count

FEED_ITEMS = 30


class RussianAtomFeed(Atom1Feed):
    content_type = "application/atom+xml; charset=utf-8"


class PracticeFeed(Feed):
    """The newest practices (by first publication) matching the filters."""

    feed_type = RussianAtomFeed
    language = "ru"

    def __init__(self, index_page):
        super().__init__()
        self.index_page = index_page

    def __call__(self, request, *args, **kwargs):
        self.request = request
        vocab = cat.vocabularies(request)
        self.filters = cat.Filters.from_query(request.GET, vocab)
        self.vocab = vocab
        return super().__call__(request, *args, **kwargs)

    def _query(self) -> str:
        query = self.filters.querystring()
        return f"?{query}" if query else ""

    def title(self):
        return f"{self.index_page.title}: новые практики" + (" (с фильтрами)" if self.filters.active else "")

    def link(self):
        return self.index_page.get_full_url(self.request) + self._query()

    def feed_url(self):
        return self.index_page.get_full_url(self.request) + "feed/" + self._query()

    def subtitle(self):
        return self.index_page.intro or "Новые практики атласа"

    def items(self):
        practices = cat.apply_facets(cat.base_queryset(self.index_page, self.filters), self.filters, self.vocab)
        return list(
            practices.select_related("organisation", "practice_type")
            .defer(*cat.CARD_DEFER)
            .order_by("-first_published_at", "-pk")[:FEED_ITEMS]
        )

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.annotation

    def item_link(self, item):
        return item.get_full_url(self.request)

    def item_guid(self, item):
        return item.get_full_url(self.request)

    def item_pubdate(self, item):
        return item.first_published_at

    def item_updateddate(self, item):
        return item.last_published_at

    def item_author_name(self, item):
        return item.organisation.short_name if item.organisation_id else None

    def item_categories(self, item):
        return [item.practice_type.name] if item.practice_type_id else []


EXPORT_HEADERS = [
    "Название",
    "Адрес страницы",
    "Организация",
    "Тип организации",
    "Район",
    "Тип практики",
    "Уровни образования",
    "Предметы и направления",
    "Целевые группы",
    "Формат",
    "Проект",
    "Кластер или сеть",
    "Год",
    "Статус",
    "Дата экспертизы",
    "Опубликована",
    "Внедрили (организаций)",
    "Аннотация",
]


def export_response(index, request, fmt: str):
    """Every practice matching the filters (no pagination), in the catalogue's order, for the centre's reports."""
    vocab = cat.vocabularies(request)
    filters = cat.Filters.from_query(request.GET, vocab)
    practices = (
        cat.results(index, filters, vocab)
        .annotate(confirmed_adoptions=adoption_count())
        .select_related("project", "cluster")
        .prefetch_related("levels", "subjects", "target_groups")
    )

    def names(items):
        return ", ".join(item.name for item in items.all())

    rows = (
        [
            practice.title,
            practice.get_full_url(request),
            practice.organisation.short_name if practice.organisation_id else "",
            practice.organisation.kind if practice.organisation_id else "",
            practice.organisation.district if practice.organisation_id else "",
            practice.practice_type.name if practice.practice_type_id else "",
            names(practice.levels),
            names(practice.subjects),
            names(practice.target_groups),
            practice.get_format_display(),
            practice.project.name if practice.project_id else "",
            practice.cluster.name if practice.cluster_id else "",
            practice.year,
            practice.get_status_display(),
            practice.review_date.strftime("%d.%m.%Y") if practice.review_date else "",
            practice.first_published_at,
            practice.confirmed_adoptions,
            practice.annotation,
        ]
        for practice in practices.iterator(chunk_size=500)
    )
    return table_response("atlas-praktik", EXPORT_HEADERS, rows, fmt=fmt)

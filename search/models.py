"""The public site search's own index, the editors' synonym table and the record of searches that found nothing.

Why an index of our own next to Wagtail's (which the admin and Elasticsearch keep using): the public
search needs what the backend's table cannot give — one weighted vector per page, text normalised the
same way on both sides (ё → е, «ГИА-2027» → «гиа 2027»), the section and date for facets, a snippet
source, documents with their extracted text, and a lexicon for typo suggestions. Rows are written in
the request that publishes (search/indexing.py), never by a queue that may not run.
"""

from django.contrib.postgres.search import SearchVectorField
from django.db import models
from wagtail.admin.panels import FieldPanel, HelpPanel
from wagtail.search import index


class SearchEntry(models.Model):
    """One public page, document or registered object (core.searchsources) as the site search sees it."""

    page = models.OneToOneField("wagtailcore.Page", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    document = models.OneToOneField(
        "wagtaildocs.Document", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    # Any other model an app registered: a registry entry listed on a page (core.searchsources).
    content_type = models.ForeignKey(
        "contenttypes.ContentType", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    object_id = models.PositiveIntegerField(null=True, blank=True)
    section = models.CharField(max_length=100, db_index=True)  # a top-level page's slug, or "documents"
    section_title = models.CharField(max_length=255)
    kind = models.CharField(max_length=100)  # what the result is: «Новость», «Мероприятие», «Документ»
    title = models.TextField()
    text = models.TextField(blank=True)  # plain text for the snippet, title excluded
    url = models.CharField(max_length=500)
    path = models.CharField(max_length=255, blank=True)  # treebeard path: view restrictions apply at query time
    date = models.DateField(null=True, blank=True)
    # PostgreSQL only (GIN indexes made by migration 0002); SQLite keeps the columns empty.
    vector = SearchVectorField(null=True)
    title_vector = SearchVectorField(null=True)

    class Meta:
        verbose_name = "Запись поискового индекса"
        verbose_name_plural = "Поисковый индекс"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(page__isnull=False, document__isnull=True, object_id__isnull=True)
                | models.Q(page__isnull=True, document__isnull=False, object_id__isnull=True)
                | models.Q(
                    page__isnull=True, document__isnull=True, object_id__isnull=False, content_type__isnull=False
                ),
                name="search_entry_one_source",
            ),
            models.UniqueConstraint(fields=["content_type", "object_id"], name="search_entry_object_unique"),
        ]

    def __str__(self):
        return self.title


class SearchWord(models.Model):
    """A word seen in the index, with its Russian stem: tells known query words from unknown ones and
    offers the nearest known word for a typo (trigram index, migration 0002). Never pruned: a stale
    word costs one query that finds nothing, and the suggestion is offered only if it finds something."""

    word = models.CharField(max_length=60, unique=True)
    lexeme = models.CharField(max_length=60, db_index=True)

    class Meta:
        verbose_name = "Слово индекса"
        verbose_name_plural = "Слова индекса"

    def __str__(self):
        return self.word


class SearchSynonym(index.Indexed, models.Model):
    """Spellings and names that mean the same for a visitor: Moodle ↔ мудл, ПК ↔ повышение квалификации."""

    terms = models.TextField(
        "Слова и выражения",
        help_text="Через запятую: например «Moodle, мудл, модл» или «ПК, повышение квалификации». "
        "Посетитель, который ищет любое из них, найдёт страницы со всеми остальными.",
    )
    note = models.CharField("Комментарий для редакторов", max_length=255, blank=True)

    panels = [
        HelpPanel(
            "Синонимы применяются к запросам посетителей сразу после сохранения. "
            "Регистр и буква «ё» не важны; слова в любой форме."
        ),
        FieldPanel("terms"),
        FieldPanel("note"),
    ]
    search_fields = [index.SearchField("terms"), index.AutocompleteField("terms")]

    class Meta:
        # Lower case: Wagtail writes «Добавить {verbose_name}» on the button.
        verbose_name = "синонимы для поиска"
        verbose_name_plural = "Синонимы для поиска"
        ordering = ["terms"]

    def __str__(self):
        return self.terms

    def term_list(self) -> list[str]:
        return [term.strip() for term in self.terms.split(",") if term.strip()]


class NoResultQuery(models.Model):
    """A query that found nothing, counted per normalised string: what methodists should add content,
    a synonym or a promotion for (admin report «Поиск без результатов»)."""

    query_string = models.CharField("Запрос", max_length=255, unique=True)
    hits = models.PositiveIntegerField("Сколько раз искали", default=0)
    last_searched = models.DateTimeField("Последний раз", auto_now=True)

    class Meta:
        verbose_name = "Запрос без результатов"
        verbose_name_plural = "Запросы без результатов"

    def __str__(self):
        return self.query_string

"""«Атлас педагогических практик»: vocabularies (snippets methodists edit), the catalogue page at /atlas/,
practice pages beneath it, themed collections and the home page's «Практика месяца» setting.

Subjects are core's one list (core.Subject); formats are fixed choices. The catalogue itself (facets,
counts, search) lives in practices_atlas/catalogue.py, its views in practices_atlas/views.py.
"""

from urllib.parse import urlsplit

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from taggit.models import TaggedItemBase
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    PageChooserPanel,
)
from wagtail.contrib.routable_page.models import path, re_path
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable
from wagtail.search import index

from core.blocks import RICH_TEXT_FEATURES
from core.cache import cache_public
from core.models import BasePage, RoutableBasePage, SectionIndexPage

from .blocks import CollectionStreamBlock, PracticeExtraBlock

# What catalogue.Filters.from_query reads (its FACETS' keys and the rest): the catalogue and its feed
# are stored per value of these.
CATALOGUE_PARAMS = ("type", "level", "subject", "group", "format", "year", "project", "cluster", "org")
CATALOGUE_PARAMS += ("q", "sort", "archive", "tag")

ANNOTATION_MAX = 500
YEAR_MIN, YEAR_MAX = 1990, 2100
VIDEO_HOSTS = ("vk.com", "vkvideo.ru", "rutube.ru")


def current_year() -> int:
    return timezone.localdate().year


# --- vocabularies ------------------------------------------------------------------------------------


class Term(models.Model):
    """One value of an editable vocabulary: the name visitors see, the slug the catalogue's links use."""

    name = models.CharField("Название", max_length=200, unique=True)
    slug = models.SlugField(
        "Код для адреса",
        max_length=80,
        unique=True,
        help_text="Латиницей, например vospitatelnaya-rabota: используется в ссылках каталога с фильтрами. "
        "У действующей записи не меняйте — перестанут работать сохранённые ссылки.",
    )
    sort_order = models.PositiveSmallIntegerField("Порядок", default=100, help_text="Меньше — выше в списках.")

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("sort_order")]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        abstract = True
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.name

    @property
    def label(self) -> str:
        return self.name


class PracticeType(Term):
    description = models.TextField("Пояснение", blank=True, help_text="Что относится к этому типу практик.")

    panels = Term.panels + [FieldPanel("description")]

    class Meta(Term.Meta):
        verbose_name = "Тип практики"
        verbose_name_plural = "Типы практик"


class EducationLevel(Term):
    class Meta(Term.Meta):
        verbose_name = "Уровень образования"
        verbose_name_plural = "Уровни образования"


class TargetGroup(Term):
    class Meta(Term.Meta):
        verbose_name = "Целевая группа"
        verbose_name_plural = "Целевые группы"


class Project(Term):
    description = models.TextField("Описание", blank=True)

    panels = Term.panels + [FieldPanel("description")]

    class Meta(Term.Meta):
        verbose_name = "Проект"
        verbose_name_plural = "Проекты"


class Cluster(Term):
    kind = models.CharField(
        "Вид объединения",
        max_length=150,
        blank=True,
        help_text="Показывается рядом с названием, например «кластер программы развития района», «сетевое сообщество».",
    )
    description = models.TextField("Описание", blank=True)

    panels = Term.panels + [FieldPanel("kind"), FieldPanel("description")]

    class Meta(Term.Meta):
        verbose_name = "Кластер или сеть"
        verbose_name_plural = "Кластеры и сети"


class Organisation(models.Model):
    class Kind(models.TextChoices):
        DOU = "ДОУ", "ДОУ — дошкольное образовательное учреждение"
        OU = "ОУ", "ОУ — общеобразовательное учреждение"
        ODOD = "ОДОД", "ОДОД — учреждение дополнительного образования детей"
        DPO = "ДПО", "ДПО — учреждение дополнительного профессионального образования"

    full_name = models.CharField("Полное наименование", max_length=400)
    short_name = models.CharField(
        "Краткое наименование",
        max_length=200,
        unique=True,
        help_text="Так организация называется в карточках и фильтрах.",
    )
    slug = models.SlugField(
        "Код для адреса",
        max_length=80,
        unique=True,
        help_text="Латиницей, например shkola-174: используется в ссылках каталога с фильтрами.",
    )
    kind = models.CharField("Тип", max_length=4, choices=Kind.choices)
    number = models.PositiveIntegerField("Номер", null=True, blank=True, help_text="Например, 174 для школы № 174.")
    district = models.CharField("Район", max_length=100, default="Центральный район")

    panels = [
        FieldPanel("full_name"),
        FieldPanel("short_name"),
        FieldPanel("slug"),
        FieldRowPanel([FieldPanel("kind"), FieldPanel("number")]),
        FieldPanel("district"),
    ]
    search_fields = [
        index.SearchField("short_name"),
        index.SearchField("full_name"),
        index.AutocompleteField("short_name"),
    ]

    class Meta:
        verbose_name = "Организация"
        verbose_name_plural = "Организации"
        ordering = ["kind", "number", "short_name"]

    def __str__(self):
        return self.short_name

    @property
    def name(self) -> str:
        return self.short_name


class Format(models.TextChoices):
    OFFLINE = "offline", "Очно"
    ONLINE = "online", "Дистанционно"
    MIXED = "mixed", "Смешанно"


class Status(models.TextChoices):
    PUBLISHED = "published", "опубликована"
    ARCHIVED = "archived", "в архиве"


class Licence(models.TextChoices):
    """What the authors allow when a practice is published (chosen in «Предложить практику»)."""

    CC_BY = "cc-by-4.0", "CC BY 4.0 — свободное использование с указанием авторов"
    CC_BY_NC = "cc-by-nc-4.0", "CC BY-NC 4.0 — с указанием авторов, без коммерческого использования"
    CC_BY_NC_ND = (
        "cc-by-nc-nd-4.0",
        "CC BY-NC-ND 4.0 — с указанием авторов, без изменений и коммерческого использования",
    )
    SITE_ONLY = "site-only", "Только публикация на сайте ИМЦ, остальные права сохраняются за авторами"


# --- pages -------------------------------------------------------------------------------------------


class AtlasIndexPage(RoutableBasePage, SectionIndexPage):
    """/atlas/: the faceted catalogue of practices (practices_atlas/views.py). Every state of it (the query
    string) is the same for every anonymous visitor, so the page cache keeps it (docs/dev/caching.md)."""

    intro = models.TextField("Вступление", blank=True, help_text="Одно-два предложения над каталогом.")

    search_fields = SectionIndexPage.search_fields + [index.SearchField("intro")]
    subpage_types = ["practices_atlas.PracticePage", "practices_atlas.AtlasCollectionPage"]
    parent_page_types = ["home.HomePage"]

    class Meta:
        verbose_name = "Атлас педагогических практик"

    @path("")
    @cache_public(params=(*CATALOGUE_PARAMS, "page"))
    def index_route(self, request, *args, **kwargs):
        from . import views

        return views.catalogue(self, request)

    def serve_preview(self, request, mode_name):
        from . import views

        return views.catalogue(self, request)

    @path("feed/")
    @cache_public(params=CATALOGUE_PARAMS)
    def feed(self, request):
        from .feeds import PracticeFeed

        return PracticeFeed(self)(request)

    @path("predlozhit/", name="submit")
    def submit(self, request):
        # Never under @cache_public: a form with a CSRF token and a one-time human check.
        from .submissions import submission_view

        return submission_view(self, request)

    @path("export/<str:fmt>/")
    def export(self, request, fmt):
        from .feeds import export_response

        return export_response(self, request, fmt)


def validate_video_url(value: str) -> None:
    host = (urlsplit(value).hostname or "").lower()
    if not any(host == allowed or host.endswith("." + allowed) for allowed in VIDEO_HOSTS):
        raise ValidationError("Укажите ссылку на видео в VK Видео или RUTUBE.")


class PracticePageTag(TaggedItemBase):
    content_object = ParentalKey("practices_atlas.PracticePage", related_name="tagged_items", on_delete=models.CASCADE)


class PracticePage(RoutableBasePage):
    annotation = models.TextField(
        "Аннотация",
        max_length=ANNOTATION_MAX,
        validators=[MaxLengthValidator(ANNOTATION_MAX)],
        help_text=f"До {ANNOTATION_MAX} символов: показывается в карточке каталога, в поиске и в описании для "
        "соцсетей и поисковых систем.",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name="Организация",
        null=True,
        on_delete=models.PROTECT,
        related_name="practices",
    )
    cluster = models.ForeignKey(
        Cluster,
        verbose_name="Кластер или сеть",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="practices",
    )
    practice_type = models.ForeignKey(
        PracticeType, verbose_name="Тип практики", null=True, on_delete=models.PROTECT, related_name="practices"
    )
    levels = ParentalManyToManyField(EducationLevel, verbose_name="Уровни образования", related_name="practices")
    subjects = ParentalManyToManyField(
        "core.Subject", verbose_name="Предметы и направления", related_name="practices", blank=True
    )
    target_groups = ParentalManyToManyField(
        TargetGroup, verbose_name="Целевые группы", related_name="practices", blank=True
    )
    format = models.CharField("Формат", max_length=10, choices=Format.choices, default=Format.OFFLINE)
    project = models.ForeignKey(
        Project, verbose_name="Проект", null=True, blank=True, on_delete=models.SET_NULL, related_name="practices"
    )
    year = models.PositiveSmallIntegerField(
        "Год",
        default=current_year,
        validators=[MinValueValidator(YEAR_MIN), MaxValueValidator(YEAR_MAX)],
        help_text="Год, когда практика была реализована или представлена.",
        db_index=True,
    )
    tags = ClusterTaggableManager("Теги", through=PracticePageTag, blank=True)

    problem = RichTextField("Проблема и цели", features=RICH_TEXT_FEATURES, blank=True)
    description = RichTextField("Описание практики", features=RICH_TEXT_FEATURES, blank=True)
    conditions = RichTextField("Условия и ресурсы", features=RICH_TEXT_FEATURES, blank=True)
    results = RichTextField("Результаты и подтверждения", features=RICH_TEXT_FEATURES, blank=True)
    how_to_adopt = RichTextField("Как внедрить у себя", features=RICH_TEXT_FEATURES, blank=True)
    extra = StreamField(
        PracticeExtraBlock(),
        verbose_name="Дополнительные материалы",
        blank=True,
        help_text="Изображения, таблицы, цитаты — по желанию, после основных разделов.",
    )

    video_url = models.URLField(
        "Ссылка на видео",
        blank=True,
        validators=[validate_video_url],
        help_text="VK Видео или RUTUBE. Плеер загрузится, только когда посетитель нажмёт «Смотреть видео».",
    )
    video_title = models.CharField("Название видео", max_length=200, blank=True)

    review_date = models.DateField(
        "Дата экспертизы", null=True, blank=True, help_text="Когда методисты ИМЦ последний раз проверили практику."
    )
    status = models.CharField(
        "Статус практики",
        max_length=10,
        choices=Status.choices,
        default=Status.PUBLISHED,
        db_index=True,
        help_text="«В архиве» — практика остаётся на сайте с пометкой, но по умолчанию не показывается в каталоге.",
    )
    licence = models.CharField(
        "Лицензия",
        max_length=20,
        choices=Licence.choices,
        blank=True,
        help_text="Что авторы разрешили при отправке практики через форму «Предложить практику».",
    )

    content_panels = BasePage.content_panels + [
        FieldPanel("annotation"),
        InlinePanel("authors", label="Авторы", min_num=1),
        MultiFieldPanel(
            [
                FieldPanel("organisation"),
                FieldPanel("cluster"),
                FieldPanel("project"),
            ],
            heading="Кто и где",
        ),
        MultiFieldPanel(
            [
                FieldPanel("practice_type"),
                FieldPanel("levels", widget=forms.CheckboxSelectMultiple),
                FieldPanel("subjects", widget=forms.CheckboxSelectMultiple),
                FieldPanel("target_groups", widget=forms.CheckboxSelectMultiple),
                FieldRowPanel([FieldPanel("format"), FieldPanel("year")]),
                FieldPanel("tags"),
            ],
            heading="Классификация",
        ),
        MultiFieldPanel(
            [
                FieldPanel("problem"),
                FieldPanel("description"),
                FieldPanel("conditions"),
                FieldPanel("results"),
                FieldPanel("how_to_adopt"),
            ],
            heading="Разделы практики",
        ),
        InlinePanel("attachments", label="Файлы"),
        MultiFieldPanel([FieldPanel("video_url"), FieldPanel("video_title")], heading="Видео"),
        FieldPanel("extra"),
        InlinePanel("presentations", label="Где представлена"),
        InlinePanel("related_links", label="Похожие практики (если не выбраны — подбираются по общим признакам)"),
        MultiFieldPanel(
            [FieldPanel("review_date"), FieldPanel("status"), FieldPanel("licence")], heading="Экспертиза и статус"
        ),
    ]
    search_fields = BasePage.search_fields + [
        index.SearchField("annotation", boost=2),
        index.SearchField("problem"),
        index.SearchField("description"),
        index.SearchField("conditions"),
        index.SearchField("results"),
        index.SearchField("how_to_adopt"),
        index.RelatedFields("organisation", [index.SearchField("short_name"), index.SearchField("full_name")]),
        index.RelatedFields("practice_type", [index.SearchField("name")]),
        index.RelatedFields("tags", [index.SearchField("name")]),
        index.RelatedFields("authors", [index.SearchField("name")]),
        index.FilterField("year"),
        index.FilterField("status"),
    ]
    parent_page_types = ["practices_atlas.AtlasIndexPage"]
    subpage_types = []
    purge_parent_routes = ("feed/",)  # the proxy in front drops the feed too (core.models.BasePage)
    purge_siblings = True  # «Похожие практики» of the other practices may show it

    class Meta:
        verbose_name = "Практика"
        verbose_name_plural = "Практики"

    def clean(self):
        super().clean()
        errors = {}
        if self.video_title and not self.video_url:
            errors["video_url"] = "Укажите ссылку на видео или уберите его название."
        if self.video_url and not self.video_title:
            errors["video_title"] = "Назовите видео: название читают программы экранного доступа."
        if errors:
            raise ValidationError(errors)

    def get_meta_description(self) -> str:
        return self.search_description or self.annotation

    @property
    def is_archived(self) -> bool:
        return self.status == Status.ARCHIVED

    def get_context(self, request, *args, **kwargs):
        from .views import practice_context

        context = super().get_context(request, *args, **kwargs)
        context.update(practice_context(self, request))
        return context

    # «Внедрили у себя» (practices_atlas/adoptions.py): a form and an e-mailed link, never stored by the
    # page cache (no @cache_public); the page's own URL is stored like any page (RoutableBasePage).

    @path("vnedrili/")
    def adopt(self, request):
        from .adoption_views import adopt

        return adopt(self, request)

    @re_path(r"^vnedrili/(?P<token>[A-Za-z0-9_-]{20,100})/$")
    def adopt_confirm(self, request, token):
        from .adoption_views import adopt_confirm

        return adopt_confirm(self, request, token)


class PracticeAuthor(Orderable):
    page = ParentalKey(PracticePage, related_name="authors", on_delete=models.CASCADE)
    name = models.CharField("Имя или название группы", max_length=200)
    position = models.CharField("Должность", max_length=300, blank=True)

    panels = [FieldRowPanel([FieldPanel("name"), FieldPanel("position")])]

    class Meta(Orderable.Meta):
        verbose_name = "Автор"
        verbose_name_plural = "Авторы"

    def __str__(self):
        return self.name


class PracticeAttachment(Orderable):
    page = ParentalKey(PracticePage, related_name="attachments", on_delete=models.CASCADE)
    document = models.ForeignKey(
        "wagtaildocs.Document", verbose_name="Документ", on_delete=models.CASCADE, related_name="+"
    )
    title = models.CharField("Название (если отличается)", max_length=250, blank=True)

    panels = [FieldPanel("document"), FieldPanel("title")]

    class Meta(Orderable.Meta):
        verbose_name = "Файл"
        verbose_name_plural = "Файлы"


class PracticePresentation(Orderable):
    """Where the practice was presented: an event of the calendar, or a title and date typed in."""

    page = ParentalKey(PracticePage, related_name="presentations", on_delete=models.CASCADE)
    event = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name="Мероприятие календаря",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    title = models.CharField("или название мероприятия", max_length=300, blank=True)
    held_on = models.DateField("Дата", null=True, blank=True)
    note = models.CharField("Примечание", max_length=300, blank=True)

    panels = [
        PageChooserPanel("event", ["events.EventPage"]),
        FieldRowPanel([FieldPanel("title"), FieldPanel("held_on")]),
        FieldPanel("note"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = "Где представлена"
        verbose_name_plural = "Где представлена"

    def clean(self):
        super().clean()
        if not self.event_id and not self.title:
            raise ValidationError({"title": "Выберите мероприятие календаря или впишите его название."})

    @property
    def label(self) -> str:
        return self.title or (self.event.title if self.event_id else "")


class PracticeRelatedLink(Orderable):
    page = ParentalKey(PracticePage, related_name="related_links", on_delete=models.CASCADE)
    related = models.ForeignKey(PracticePage, verbose_name="Практика", on_delete=models.CASCADE, related_name="+")

    panels = [PageChooserPanel("related", ["practices_atlas.PracticePage"])]

    class Meta(Orderable.Meta):
        verbose_name = "Похожая практика"
        verbose_name_plural = "Похожие практики"


class AtlasCollectionPage(BasePage):
    """A themed edition curated by methodists: an intro, a chosen ordered set of practices and official
    information (hotlines by subject, recommendations, materials of events)."""

    edition = models.CharField("Выпуск", max_length=50, blank=True, help_text="Например, 2020.")
    intro = RichTextField("Вступление", features=RICH_TEXT_FEATURES, blank=True)
    information = StreamField(
        CollectionStreamBlock(),
        verbose_name="Официальная информация",
        blank=True,
        help_text="Горячие линии по предметам, рекомендации, материалы мероприятий.",
    )

    content_panels = BasePage.content_panels + [
        FieldPanel("edition"),
        FieldPanel("intro"),
        InlinePanel("collection_items", label="Практики выпуска (в порядке показа)"),
        FieldPanel("information"),
    ]
    search_fields = BasePage.search_fields + [index.SearchField("intro"), index.SearchField("information")]
    parent_page_types = ["practices_atlas.AtlasIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = "Подборка практик"
        verbose_name_plural = "Подборки практик"

    def get_meta_description(self) -> str:
        from django.utils.html import strip_tags
        from django.utils.text import Truncator

        return self.search_description or Truncator(strip_tags(self.intro)).chars(300)

    def get_context(self, request, *args, **kwargs):
        from .views import collection_context

        context = super().get_context(request, *args, **kwargs)
        context.update(collection_context(self, request))
        return context


class AtlasCollectionItem(Orderable):
    page = ParentalKey(AtlasCollectionPage, related_name="collection_items", on_delete=models.CASCADE)
    practice = models.ForeignKey(PracticePage, verbose_name="Практика", on_delete=models.CASCADE, related_name="+")

    panels = [PageChooserPanel("practice", ["practices_atlas.PracticePage"])]

    class Meta(Orderable.Meta):
        verbose_name = "Практика выпуска"
        verbose_name_plural = "Практики выпуска"


class PracticeSubmission(models.Model):
    """Who sent a practice through «Предложить практику» and how to reach them about its moderation.

    152-ФЗ: the author's e-mail is kept here, never in the page or its revisions (a revision would keep it
    for ever), only as long as the moderation needs it: the row is deleted once the author has been told
    that the practice is published, with the draft if a methodist deletes it, and after
    SUBMITTER_RETENTION_DAYS for a draft never published (manage.py forget_atlas_submitters). The consent record
    (core.ConsentRecord, no identity in it) stays as the proof of consent.
    """

    page = models.OneToOneField(
        PracticePage, verbose_name="Практика", on_delete=models.CASCADE, related_name="submission"
    )
    email = models.EmailField("E-mail автора (не публикуется)")
    consent = models.ForeignKey(
        "core.ConsentRecord",
        verbose_name="Согласие автора",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    submitted_at = models.DateTimeField("Отправлена", default=timezone.now)

    class Meta:
        verbose_name = "Практика, предложенная через сайт"
        verbose_name_plural = "Практики, предложенные через сайт"

    def __str__(self):
        return f"{self.page_id}: {self.email}"


# --- the home page's «Практика месяца» ----------------------------------------------------------------


@register_setting(icon="pick")
class AtlasSettings(BaseSiteSetting):
    practice_of_month = models.ForeignKey(
        PracticePage,
        verbose_name="Практика месяца",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Показывается на главной странице. Пусто — блока на главной нет.",
    )
    practice_of_month_note = models.CharField(
        "Почему выбрана",
        max_length=300,
        blank=True,
        help_text="Одна фраза от методиста под карточкой, например: «К началу учебного года».",
    )

    panels = [
        PageChooserPanel("practice_of_month", ["practices_atlas.PracticePage"]),
        FieldPanel("practice_of_month_note"),
    ]

    class Meta:
        verbose_name = "Практика месяца"


# --- «Внедрили у себя» ---------------------------------------------------------------------------------------

ADOPTION_COMMENT_MAX = 500


class Adoption(models.Model):
    """An organisation reports that it adopted a practice; it counts once confirmed from an e-mailed link
    (practices_atlas/adoptions.py).

    Personal data: only `email`, kept until the link is used or expires (48 hours), then erased (also from
    the outgoing-mail log); unconfirmed rows themselves are deleted after UNCONFIRMED_KEPT_DAYS
    (`manage.py expire_adoptions`). Only the organisation's name is ever published, never the comment.
    One confirmed adoption per practice and organisation: the partial unique index below, whatever the path.
    """

    class State(models.TextChoices):
        PENDING = "pending", "ждёт подтверждения по почте"
        CONFIRMED = "confirmed", "подтверждено"
        DUPLICATE = "duplicate", "повтор: организация уже отмечена"
        EXPIRED = "expired", "не подтверждено вовремя"

    practice = models.ForeignKey(
        PracticePage, verbose_name="Практика", on_delete=models.CASCADE, related_name="adoptions"
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name="Организация", on_delete=models.PROTECT, related_name="adoptions"
    )
    comment = models.TextField("Что и как внедрили", max_length=ADOPTION_COMMENT_MAX)
    status = models.CharField("Состояние", max_length=10, choices=State.choices, default=State.PENDING)
    created_at = models.DateTimeField("Отправлено", default=timezone.now, db_index=True)
    expires_at = models.DateTimeField("Ссылка действует до")
    confirmed_at = models.DateTimeField("Подтверждено", null=True, blank=True)
    token_hash = models.CharField("Хеш ссылки подтверждения", max_length=64, unique=True, editable=False)
    email = models.EmailField("E-mail для подтверждения", blank=True, editable=False)
    outgoing = models.ForeignKey(
        "core.OutgoingEmail",
        verbose_name="Письмо со ссылкой",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    consent = models.ForeignKey(
        "core.ConsentRecord", verbose_name="Согласие", on_delete=models.PROTECT, related_name="+", editable=False
    )
    methodist_note = models.TextField(
        "Заметка методиста",
        blank=True,
        help_text="Видна только в админке: например, как проверили внедрение.",
    )

    class Meta:
        verbose_name = "Внедрение практики"
        verbose_name_plural = "Внедрения практик"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["practice", "organisation"],
                condition=models.Q(status="confirmed"),
                name="practices_atlas_adoption_one_confirmed",
                violation_error_message="Эта организация уже отмечена как внедрившая практику.",
            )
        ]

    def __str__(self):
        return f"{self.organisation} — {self.practice}"

"""«Безопасный интернет» (/safe-internet/): the section page, its six subsections named as the Ministry's
letter of 14.05.2018 No. 08-1184 names them (created by migration 0002), the helpline block every page of
the section shows, and the registry of normative documents (a snippet editors keep).
"""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, models, transaction
from django.db.models import F
from django.utils import timezone
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel, PageChooserPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Site
from wagtail.search import index

from core.blocks import RICH_TEXT_FEATURES, BaseStreamBlock, DocumentItemBlock
from core.cache import valid_until
from core.models import BasePage, SectionIndexPage

AUDIENCES = [
    ("teachers", "Педагогическим работникам"),
    ("students", "Обучающимся"),
    ("parents", "Родителям (законным представителям)"),
]

AGE_BANDS = [("junior", "1–4 классы"), ("teen", "5–11 классы"), ("adults", "Взрослым")]


class AudienceMixin(models.Model):
    """The three audiences as flags: a material or a site may be for several, and a flag filters in one query."""

    for_teachers = models.BooleanField("Педагогическим работникам", default=False)
    for_students = models.BooleanField("Обучающимся", default=False)
    for_parents = models.BooleanField("Родителям (законным представителям)", default=False)

    class Meta:
        abstract = True

    @property
    def audience_labels(self) -> list[str]:
        labels = {"teachers": "педагогам", "students": "обучающимся", "parents": "родителям"}
        return [label for key, label in labels.items() if getattr(self, f"for_{key}")]


class Topic(models.Model):
    """One of the five questions the centre's lessons and memos cover (seeded by migration 0004)."""

    name = models.CharField("Название", max_length=300, unique=True)
    short_name = models.CharField("Краткое название", max_length=100)
    slug = models.SlugField("Код для адреса", max_length=60, unique=True)
    sort_order = models.PositiveSmallIntegerField("Порядок", default=100)

    panels = [FieldPanel("name"), FieldPanel("short_name"), FieldPanel("slug"), FieldPanel("sort_order")]

    class Meta:
        verbose_name = "Тема"
        verbose_name_plural = "Темы"
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.short_name


# --- helpline ----------------------------------------------------------------------------------------------


@register_setting(icon="help")
class SafeInternetSettings(BaseSiteSetting):
    """«Куда обратиться»: the federal helpline and the centre's contacts, shown on every page of the section."""

    helpline_name = models.CharField("Название линии помощи", max_length=200, default="Дети России онлайн")
    helpline_phone = models.CharField("Телефон линии помощи", max_length=50, default="8-800-25-000-15")
    helpline_url = models.URLField("Сайт линии помощи", blank=True)
    helpline_description = models.TextField(
        "О линии помощи",
        blank=True,
        default="Бесплатная всероссийская линия помощи детям и взрослым, столкнувшимся с опасностью "
        "или угрозой в сети «Интернет».",
    )
    centre_title = models.CharField(
        "Заголовок контактов ИМЦ", max_length=200, default="Центр информатизации ИМЦ Центрального района"
    )
    centre_address = models.CharField("Адрес", max_length=300, blank=True)
    centre_phone = models.CharField("Телефон", max_length=100, blank=True)
    centre_email = models.EmailField("E-mail", blank=True)
    centre_note = models.TextField("Пояснение", blank=True, help_text="Например, когда и по каким вопросам обращаться.")

    panels = [
        MultiFieldPanel(
            [
                FieldPanel("helpline_name"),
                FieldPanel("helpline_phone"),
                FieldPanel("helpline_url"),
                FieldPanel("helpline_description"),
            ],
            heading="Федеральная линия помощи",
        ),
        MultiFieldPanel(
            [
                FieldPanel("centre_title"),
                FieldPanel("centre_address"),
                FieldPanel("centre_phone"),
                FieldPanel("centre_email"),
                FieldPanel("centre_note"),
            ],
            heading="Контакты ИМЦ",
        ),
    ]

    class Meta:
        verbose_name = "Безопасный интернет: куда обратиться"

    @classmethod
    def for_page(cls, page, request=None):
        """The site's row if an editor saved one, else the defaults — never created on a visitor's request:
        a settings save starts a new cache generation (docs/dev/caching.md)."""
        site = Site.find_for_request(request) if request is not None else None  # cached on the request
        if site is None and page is not None:
            site = page.get_site()
        row = cls.objects.filter(site_id=site.pk).first() if site is not None else None
        return row or cls()

    @property
    def phone_href(self) -> str:
        return "tel:" + "".join(ch for ch in self.helpline_phone if ch.isdigit() or ch == "+")


class SectionPageMixin:
    """Every page of the section carries the helpline block (templates/safe_internet/components/helpline.html)."""

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["helpline"] = SafeInternetSettings.for_page(self, request)
        return context


# --- pages -------------------------------------------------------------------------------------------------


class SafeInternetPage(SectionPageMixin, SectionIndexPage):
    """/safe-internet/: the three audiences at a glance, the subsections and the helpline."""

    parent_page_types = ["home.HomePage"]
    subpage_types = [
        "safe_internet.SafeInternetSubsectionPage",
        "safe_internet.MaterialPage",
        "safe_internet.CampaignPage",
        "safe_internet.QuizPage",
    ]
    search_fields = SectionIndexPage.search_fields + [index.SearchField("intro")]

    class Meta:
        verbose_name = "Раздел «Безопасный интернет»"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        subsections = list(
            SafeInternetSubsectionPage.objects.child_of(self)
            .live()
            .public()
            .order_by("path")
            .only("title", "url_path", "path", "depth", "kind", "audience", "lead")
        )
        context["subsections"] = subsections
        context["campaign"] = current_campaign(self, request)
        context["quizzes"] = quizzes_of(self)
        context["audience_pages"] = [
            page for page in subsections if page.kind == SafeInternetSubsectionPage.Kind.AUDIENCE
        ]
        return context


class SafeInternetSubsectionPage(SectionPageMixin, BasePage):
    """One of the six subsections. `kind` says what it lists beneath its text: the registry of normative
    documents (all but local acts, or the local acts), an audience's materials, or the child-safe sites."""

    # The registry's filters (registry.RegistryFilterForm) and its page; other kinds read none.
    # `document`: one document, the link a site search result gives (searchitems.py).
    cache_query_params = ("kind", "level", "issuer", "year", "status", "page", "document")

    class Kind(models.TextChoices):
        LOCAL_ACTS = "local_acts", "Локальные нормативные акты"
        NORMATIVE = "normative", "Нормативное регулирование"
        AUDIENCE = "audience", "Страница для аудитории"
        RESOURCES = "resources", "Детские безопасные сайты"
        TEXT = "text", "Только текст"

    kind = models.CharField("Что показывает страница", max_length=20, choices=Kind.choices, default=Kind.TEXT)
    audience = models.CharField(
        "Аудитория",
        max_length=20,
        choices=AUDIENCES,
        blank=True,
        help_text="Для страницы аудитории: чьи материалы на ней перечислены.",
    )
    lead = models.TextField("Кратко", blank=True, help_text="Одно-два предложения: показываются на главной раздела.")
    body = RichTextField("Текст", features=RICH_TEXT_FEATURES, blank=True)

    content_panels = BasePage.content_panels + [
        FieldRowPanel([FieldPanel("kind"), FieldPanel("audience")]),
        FieldPanel("lead"),
        FieldPanel("body"),
    ]
    search_fields = BasePage.search_fields + [index.SearchField("lead"), index.SearchField("body")]
    parent_page_types = ["safe_internet.SafeInternetPage"]
    subpage_types = []

    class Meta:
        verbose_name = "Подраздел «Безопасного интернета»"
        verbose_name_plural = "Подразделы «Безопасного интернета»"

    def clean(self):
        super().clean()
        if self.kind == self.Kind.AUDIENCE and not self.audience:
            raise ValidationError({"audience": "Укажите аудиторию: страница перечисляет её материалы."})
        if self.kind != self.Kind.AUDIENCE and self.audience:
            raise ValidationError({"audience": "Аудитория указывается только у страницы для аудитории."})

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        if self.kind in (self.Kind.NORMATIVE, self.Kind.LOCAL_ACTS):
            from .registry import registry_context

            context.update(registry_context(self, request))
        elif self.kind == self.Kind.AUDIENCE and self.audience:
            context["materials"] = materials_for(self.get_parent(), self.audience)
            if self.audience != "teachers":
                context["quizzes"] = quizzes_of(self.get_parent())
        elif self.kind == self.Kind.RESOURCES:
            context["resource_groups"] = resource_groups()
        return context


def resource_groups() -> list[dict]:
    """Visible child-safe sites grouped by category, in one query."""
    groups: dict[str, list] = {}
    for resource in SafeResource.objects.filter(hidden=False).order_by("category", "sort_order", "name"):
        groups.setdefault(resource.category, []).append(resource)
    return [{"category": category, "resources": items} for category, items in groups.items()]


# --- materials ---------------------------------------------------------------------------------------------


def materials_for(section, audience: str):
    """The live materials of the section for one audience, in the tree's order, topics in one more query."""
    return (
        MaterialPage.objects.child_of(section)
        .live()
        .public()
        .filter(**{f"for_{audience}": True})
        .prefetch_related("topics")
        .order_by("path")
    )


def quizzes_of(section):
    return QuizPage.objects.child_of(section).live().public().order_by("path").only("title", "url_path", "age_band")


class MaterialPage(SectionPageMixin, AudienceMixin, BasePage):
    """A memo (памятка), guideline or presentation: text from the shared blocks plus files to download.
    Printing gives a clean A4 memo (safe_internet/static/safe_internet/print.css)."""

    class Kind(models.TextChoices):
        MEMO = "memo", "Памятка"
        GUIDELINES = "guidelines", "Методические рекомендации"
        PRESENTATION = "presentation", "Презентация"

    kind = models.CharField("Вид материала", max_length=20, choices=Kind.choices, default=Kind.MEMO)
    topics = ParentalManyToManyField(Topic, verbose_name="Темы", blank=True, related_name="materials")
    age_band = models.CharField("Для кого по возрасту", max_length=10, choices=AGE_BANDS, default="adults")
    lead = models.TextField("Кратко", blank=True, help_text="Одно-два предложения: показываются в списках.")
    body = StreamField(BaseStreamBlock(), verbose_name="Текст", blank=True)
    files = StreamField(
        [("document", DocumentItemBlock())],
        verbose_name="Файлы",
        blank=True,
        help_text="Памятка в PDF, презентация: у файла на странице показываются формат и размер.",
    )

    content_panels = BasePage.content_panels + [
        FieldPanel("lead"),
        MultiFieldPanel(
            [
                FieldPanel("kind"),
                FieldRowPanel([FieldPanel("for_teachers"), FieldPanel("for_students"), FieldPanel("for_parents")]),
                FieldPanel("topics", widget=forms.CheckboxSelectMultiple),
                FieldPanel("age_band"),
            ],
            heading="Кому и о чём",
        ),
        FieldPanel("body"),
        FieldPanel("files"),
    ]
    search_fields = BasePage.search_fields + [index.SearchField("lead"), index.SearchField("body")]
    parent_page_types = ["safe_internet.SafeInternetPage"]
    subpage_types = []
    purge_siblings = True  # the subsections list materials by audience (core.models.BasePage)

    class Meta:
        verbose_name = "Материал (памятка, рекомендации)"
        verbose_name_plural = "Материалы"

    def __str__(self):
        return self.title

    def clean(self):
        super().clean()
        if not (self.for_teachers or self.for_students or self.for_parents):
            raise ValidationError(
                {"for_parents": "Отметьте хотя бы одну аудиторию: иначе материал не попадёт ни на одну страницу."}
            )


# --- campaigns ---------------------------------------------------------------------------------------------


def validate_link(value: str) -> None:
    """A path on this site (/events/…) or a full http(s) address."""
    if value.startswith("/") and not value.startswith("//"):
        return
    URLValidator(schemes=["http", "https"])(value)


def _midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def current_campaign(section, request=None, today: datetime.date | None = None):
    """The campaign running today (the one that started first), else the next to start; None if neither.
    A campaign whose dates are not known yet is neither. The page cache keeps the landing page no longer than
    the next start or end (core.cache.valid_until)."""
    today = today or timezone.localdate()
    campaigns = list(
        CampaignPage.objects.child_of(section)
        .live()
        .public()
        .filter(start_date__isnull=False, end_date__gte=today)
        .order_by("start_date", "end_date", "path")
    )
    if request is not None:
        moments = [_midnight(c.start_date) for c in campaigns] + [
            _midnight(c.end_date + datetime.timedelta(days=1)) for c in campaigns
        ]
        valid_until(request, *moments)
    running = [c for c in campaigns if c.start_date <= today]
    if running:
        return running[0]
    return campaigns[0] if campaigns else None


class CampaignPage(SectionPageMixin, AudienceMixin, BasePage):
    """A campaign of the section (Единый урок, Неделя безопасного интернета…): its dates, audiences and
    materials; its events and contest are linked by address, so this app imports neither."""

    # A recurring campaign (Неделя безопасного интернета every February) may be on the site before this
    # year's dates are announced: both dates empty («даты уточняются»), never one of the two.
    start_date = models.DateField(
        "Начало",
        null=True,
        blank=True,
        help_text="Оставьте обе даты пустыми, пока даты не объявлены: на странице акции будет «даты уточняются», "
        "а на главной раздела её объявят, когда даты появятся.",
    )
    end_date = models.DateField("Окончание", null=True, blank=True)
    lead = models.TextField(
        "Кратко", blank=True, help_text="Показывается на главной раздела, пока акция идёт или ждёт."
    )
    body = StreamField(BaseStreamBlock(), verbose_name="Описание", blank=True)
    materials = ParentalManyToManyField(
        "safe_internet.MaterialPage", verbose_name="Материалы акции", blank=True, related_name="campaigns"
    )
    events_url = models.CharField(
        "Мероприятия в календаре",
        max_length=500,
        blank=True,
        validators=[validate_link],
        help_text="Адрес календаря с отбором мероприятий акции или страницы мероприятия, например /events/….",
    )
    contest_url = models.CharField(
        "Конкурс акции",
        max_length=500,
        blank=True,
        validators=[validate_link],
        help_text="Адрес страницы конкурса на сайте (например, /k/deti-v-internete/) или полная ссылка.",
    )

    content_panels = BasePage.content_panels + [
        FieldRowPanel([FieldPanel("start_date"), FieldPanel("end_date")]),
        FieldPanel("lead"),
        FieldRowPanel(
            [FieldPanel("for_teachers"), FieldPanel("for_students"), FieldPanel("for_parents")], heading="Аудитория"
        ),
        FieldPanel("body"),
        FieldPanel("materials", widget=forms.CheckboxSelectMultiple),
        MultiFieldPanel([FieldPanel("events_url"), FieldPanel("contest_url")], heading="Связанные страницы"),
    ]
    search_fields = BasePage.search_fields + [index.SearchField("lead"), index.SearchField("body")]
    parent_page_types = ["safe_internet.SafeInternetPage"]
    subpage_types = []
    purge_siblings = True  # the subsections list campaigns by audience (core.models.BasePage)

    class Meta:
        verbose_name = "Акция"
        verbose_name_plural = "Акции"

    def __str__(self):
        return self.title

    def clean(self):
        super().clean()
        if self.start_date and not self.end_date:
            raise ValidationError(
                {"end_date": "Укажите и окончание акции или оставьте обе даты пустыми, пока они не известны."}
            )
        if self.end_date and not self.start_date:
            raise ValidationError(
                {"start_date": "Укажите и начало акции или оставьте обе даты пустыми, пока они не известны."}
            )
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": "Окончание не может быть раньше начала."})

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["campaign_materials"] = self.materials.live().public().order_by("path")
        return context

    @property
    def has_dates(self) -> bool:
        return bool(self.start_date and self.end_date)

    @property
    def is_running(self) -> bool:
        return self.has_dates and self.start_date <= timezone.localdate() <= self.end_date


# --- «Проверь себя» -----------------------------------------------------------------------------------------

OPTION_KEYS = ("a", "b", "c", "d")


class QuizPage(SectionPageMixin, BasePage):
    """A short quiz for one age band. One form with every question; the answer page shows, per question,
    whether it was right, the explanation and the memo to read. Nothing about the visitor is kept: only how
    many times each option was chosen (QuizAnswerCount), so methodists see which questions children get wrong.
    The form carries a CSRF token, so the page is never stored in the page cache (docs/dev/caching.md)."""

    age_band = models.CharField("Для кого по возрасту", max_length=10, choices=AGE_BANDS, default="teen")
    intro = models.TextField("Вступление", blank=True)

    content_panels = BasePage.content_panels + [
        FieldPanel("age_band"),
        FieldPanel("intro"),
        InlinePanel("questions", label="Вопросы", min_num=1),
    ]
    parent_page_types = ["safe_internet.SafeInternetPage"]
    subpage_types = []

    class Meta:
        verbose_name = "Тест «Проверь себя»"
        verbose_name_plural = "Тесты «Проверь себя»"

    def __str__(self):
        return self.title

    def serve(self, request, *args, **kwargs):
        from .quiz import serve_quiz

        return serve_quiz(self, request, super().serve)


class QuizQuestion(Orderable):
    page = ParentalKey(QuizPage, related_name="questions", on_delete=models.CASCADE)
    text = models.CharField("Вопрос", max_length=500)
    option_a = models.CharField("Вариант А", max_length=300)
    option_b = models.CharField("Вариант Б", max_length=300)
    option_c = models.CharField("Вариант В", max_length=300, blank=True)
    option_d = models.CharField("Вариант Г", max_length=300, blank=True)
    correct = models.CharField(
        "Правильный вариант", max_length=1, choices=[("a", "А"), ("b", "Б"), ("c", "В"), ("d", "Г")], default="a"
    )
    explanation = models.TextField("Пояснение", help_text="Показывается после ответа — и верного, и неверного.")
    material = models.ForeignKey(
        "safe_internet.MaterialPage",
        verbose_name="Памятка по теме",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    panels = [
        FieldPanel("text"),
        FieldRowPanel([FieldPanel("option_a"), FieldPanel("option_b")]),
        FieldRowPanel([FieldPanel("option_c"), FieldPanel("option_d")]),
        FieldPanel("correct"),
        FieldPanel("explanation"),
        PageChooserPanel("material", "safe_internet.MaterialPage"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = "Вопрос"
        verbose_name_plural = "Вопросы"

    def __str__(self):
        return self.text

    @property
    def options(self) -> list[tuple[str, str]]:
        return [(key, getattr(self, f"option_{key}")) for key in OPTION_KEYS if getattr(self, f"option_{key}")]

    def clean(self):
        super().clean()
        if not getattr(self, f"option_{self.correct}", ""):
            raise ValidationError({"correct": "Правильный вариант должен быть заполнен."})


class QuizAnswerCount(models.Model):
    """How many times an option was chosen: the only thing a quiz keeps. Kept apart from the question, whose
    row a publish rewrites from the revision, and incremented with F() so parallel answers are all counted."""

    question = models.ForeignKey(QuizQuestion, on_delete=models.CASCADE, related_name="answer_counts")
    option = models.CharField("Вариант", max_length=1)
    count = models.PositiveIntegerField("Сколько раз выбран", default=0)

    class Meta:
        verbose_name = "Ответы на вопрос"
        verbose_name_plural = "Статистика ответов"
        constraints = [models.UniqueConstraint(fields=["question", "option"], name="si_quiz_count_unique")]

    def __str__(self):
        return f"{self.question}: {self.option.upper()} — {self.count}"

    @classmethod
    def record(cls, question_id: int, option: str) -> None:
        updated = cls.objects.filter(question_id=question_id, option=option).update(count=F("count") + 1)
        if updated:
            return
        try:
            with transaction.atomic():
                cls.objects.create(question_id=question_id, option=option, count=1)
        except IntegrityError:  # another request created the row first: add to it
            cls.objects.filter(question_id=question_id, option=option).update(count=F("count") + 1)


# --- normative documents -----------------------------------------------------------------------------------


class NormativeDocument(index.Indexed, models.Model):
    """An entry of the registry. A document that lost force stays listed with the date and its replacement."""

    class Kind(models.TextChoices):
        LAW = "law", "Федеральный закон"
        DECREE = "decree", "Указ"
        RESOLUTION = "resolution", "Постановление"
        ORDER = "order", "Приказ"
        DIRECTIVE = "directive", "Распоряжение"
        LETTER = "letter", "Письмо"
        GUIDELINES = "guidelines", "Методические рекомендации"
        LOCAL = "local", "Локальный акт"

    class Level(models.TextChoices):
        FEDERAL = "federal", "Федеральный уровень"
        REGIONAL = "regional", "Санкт-Петербург"
        LOCAL = "local", "Образовательная организация"
        CENTRE = "centre", "ИМЦ Центрального района"

    class Status(models.TextChoices):
        IN_FORCE = "in_force", "Действует"
        LOST_FORCE = "lost_force", "Утратил силу"

    kind = models.CharField("Вид документа", max_length=20, choices=Kind.choices, db_index=True)
    number = models.CharField("Номер", max_length=60, blank=True)
    date = models.DateField("Дата", null=True, blank=True, db_index=True, help_text="Пусто — для образцов без даты.")
    issuer = models.CharField("Кем принят", max_length=300)
    level = models.CharField("Уровень", max_length=20, choices=Level.choices, db_index=True)
    title = models.CharField("Название", max_length=500)
    summary = models.TextField("Почему документ важен", blank=True)
    file = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name="Файл",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    url = models.URLField("Ссылка на официальный текст", blank=True, max_length=500)
    status = models.CharField("Статус", max_length=20, choices=Status.choices, default=Status.IN_FORCE, db_index=True)
    lost_force_on = models.DateField("Утратил силу с", null=True, blank=True)
    replaced_by = models.ForeignKey(
        "self",
        verbose_name="Заменён документом",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="replaces",
    )

    panels = [
        FieldRowPanel([FieldPanel("kind"), FieldPanel("level")]),
        FieldRowPanel([FieldPanel("number"), FieldPanel("date")]),
        FieldPanel("issuer"),
        FieldPanel("title"),
        FieldPanel("summary"),
        MultiFieldPanel([FieldPanel("file"), FieldPanel("url")], heading="Текст документа"),
        MultiFieldPanel(
            [FieldPanel("status"), FieldPanel("lost_force_on"), FieldPanel("replaced_by")], heading="Статус"
        ),
    ]
    search_fields = [index.SearchField("title"), index.SearchField("number"), index.AutocompleteField("title")]

    class Meta:
        verbose_name = "Нормативный документ"
        verbose_name_plural = "Нормативные документы"
        ordering = ["-date", "title"]

    def __str__(self):
        return self.full_title

    @property
    def full_title(self) -> str:
        parts = [self.get_kind_display()]
        if self.date:
            parts.append(f"от {self.date:%d.%m.%Y}")
        if self.number:
            parts.append(f"№ {self.number}")
        return " ".join(parts) + f" «{self.title}»"

    @property
    def lost_force(self) -> bool:
        return self.status == self.Status.LOST_FORCE

    def clean(self):
        super().clean()
        errors = {}
        if self.lost_force and not self.lost_force_on:
            errors["lost_force_on"] = "Укажите, с какой даты документ утратил силу."
        if not self.lost_force and (self.lost_force_on or self.replaced_by_id):
            errors["status"] = "Дата утраты силы и замена указываются только у документа, утратившего силу."
        if self.replaced_by_id and self.pk and self.replaced_by_id == self.pk:
            errors["replaced_by"] = "Документ не может заменять сам себя."
        if errors:
            raise ValidationError(errors)


# --- child-safe resources ----------------------------------------------------------------------------------

FAILURES_TO_HIDE = 2


class SafeResource(AudienceMixin, index.Indexed, models.Model):
    """An entry of «Детские безопасные сайты». The link checker (manage.py check_safe_links) fills the check
    fields; a link that failed twice in a row is hidden from visitors until it answers again or an editor
    approves its new domain."""

    class ResourceType(models.TextChoices):
        ARTICLE = "article", "Статья"
        RESOURCE = "resource", "Ресурс"
        RULE = "rule", "Правила и рекомендации"

    AGE_MARKS = [("0+", "0+"), ("6+", "6+"), ("12+", "12+"), ("16+", "16+")]

    name = models.CharField("Название", max_length=200)
    url = models.URLField("Адрес сайта", max_length=500)
    description = models.TextField("Описание", blank=True)
    resource_type = models.CharField(
        "Тип материала", max_length=20, choices=ResourceType.choices, default=ResourceType.RESOURCE
    )
    category = models.CharField("Категория", max_length=100, help_text="Например, «Линии помощи».")
    age_mark = models.CharField("Возрастная маркировка", max_length=3, choices=AGE_MARKS, default="6+")
    sort_order = models.PositiveSmallIntegerField("Порядок", default=100, help_text="Меньше — выше в списке.")
    approved_host = models.CharField(
        "Разрешённый домен после перенаправления",
        max_length=200,
        blank=True,
        help_text="Если сайт переехал на другой домен и вы проверили новый сайт, впишите новый домен "
        "(например, example.ru): перенаправление на него не будет считаться ошибкой.",
    )

    last_checked_at = models.DateTimeField("Последняя проверка", null=True, blank=True, editable=False)
    last_check_ok = models.BooleanField("Ссылка работает", null=True, editable=False)
    last_check_reason = models.CharField("Причина ошибки", max_length=300, blank=True, editable=False)
    failures = models.PositiveSmallIntegerField("Ошибок подряд", default=0, editable=False)
    hidden = models.BooleanField(
        "Скрыт проверкой ссылок",
        default=False,
        db_index=True,
        editable=False,
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("url"),
        FieldPanel("description"),
        FieldRowPanel([FieldPanel("resource_type"), FieldPanel("category"), FieldPanel("age_mark")]),
        FieldRowPanel(
            [FieldPanel("for_teachers"), FieldPanel("for_students"), FieldPanel("for_parents")], heading="Аудитория"
        ),
        FieldPanel("sort_order"),
        FieldPanel("approved_host"),
    ]
    search_fields = [index.SearchField("name"), index.SearchField("description"), index.AutocompleteField("name")]

    class Meta:
        verbose_name = "Детский безопасный сайт"
        verbose_name_plural = "Детские безопасные сайты"
        ordering = ["category", "sort_order", "name"]

    def __str__(self):
        return self.name

    @property
    def check_status(self) -> str:
        if self.last_check_ok is None:
            return "не проверялась"
        if self.last_check_ok:
            return "работает"
        return f"ошибка: {self.last_check_reason}"

    def record_check(self, ok: bool, reason: str, when) -> None:
        """One check's result: a success clears the count, the second failure in a row hides the link."""
        self.last_checked_at = when
        self.last_check_ok = ok
        self.last_check_reason = "" if ok else reason[:300]
        self.failures = 0 if ok else self.failures + 1
        self.hidden = self.failures >= FAILURES_TO_HIDE

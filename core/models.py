"""Shared page bases, the site-wide settings editors control and the personal-data consent records."""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from wagtail.admin.panels import FieldPanel, HelpPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.models import DraftStateMixin, Page, PageViewRestriction, RevisionMixin
from wagtail.search import index

from .cache import cached_for_generation, mark_public

AGE_MARKS = [("0+", "0+"), ("6+", "6+"), ("12+", "12+"), ("16+", "16+"), ("18+", "18+")]
LINK_FIELDS = ("id", "title", "url_path", "path", "depth")


def link_ancestors(page, request=None) -> list:
    """The page's ancestors from the home page down (depth ≥ 2), as plain pages with what a link needs
    (title, URL), for the breadcrumbs and the page's own links to its section (a news item's «Все
    новости»). Siblings share them: with a request they are kept per generation by the parent's tree
    path (a publish, move or delete starts a new one), so a warm page pays no query for them; without
    one, a query per page instance."""
    try:
        return page._link_ancestors
    except AttributeError:
        pass
    if page.depth <= 2:
        rows = ()
    elif request is None:
        rows = _ancestor_rows(page.path, page.steplen)
    else:
        parent = page.path[: -page.steplen]
        rows = cached_for_generation(
            request, f"ancestors:{parent}", lambda: _ancestor_rows(page.path, page.steplen), shared=False
        )
    fields = _link_columns()
    page._link_ancestors = [Page.from_db("default", fields, values) for values in rows]
    return page._link_ancestors


def _link_columns() -> list[str]:
    # Model.from_db takes the values in the model's column order
    return [field.attname for field in Page._meta.concrete_fields if field.attname in LINK_FIELDS]


def _ancestor_rows(path: str, steplen: int) -> tuple[tuple, ...]:
    paths = [path[:end] for end in range(2 * steplen, len(path), steplen)]  # depth 2 … the parent
    pages = Page.objects.filter(path__in=paths).order_by("path").values_list(*_link_columns())
    return tuple(tuple(values) for values in pages)


def restricted_paths(request) -> tuple[str, ...]:
    """Tree paths of the pages with a view restriction; their subtrees are not public. Kept per generation
    (a restriction saved or deleted, a page moved starts a new one)."""

    def build():
        return tuple(sorted(PageViewRestriction.objects.values_list("page__path", flat=True).distinct()))

    return cached_for_generation(request, "restricted-paths", build, shared=False)


def public(queryset, request):
    """queryset.public() without its query for the restrictions: the same pages (none under a restricted
    page, the restricted page included)."""
    paths = restricted_paths(request)
    if not paths:
        return queryset
    private = Q()
    for tree_path in paths:
        private |= Q(path__startswith=tree_path)
    return queryset.exclude(private)


class BasePage(Page):
    """Fields every public page shares (social preview, the age mark override of 436-ФЗ), and the
    page cache's contract (docs/dev/caching.md): a page is the same for every anonymous visitor, so
    serve() marks it public and the page cache and nginx keep it until the next publish."""

    social_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name="Изображение для соцсетей",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Показывается при публикации ссылки в VK, Одноклассниках и мессенджерах.",
    )
    age_mark = models.CharField(
        "Возрастная маркировка страницы",
        max_length=3,
        choices=AGE_MARKS,
        blank=True,
        help_text="Пусто — используется маркировка сайта из настроек.",
    )

    promote_panels = Page.promote_panels + [
        MultiFieldPanel([FieldPanel("social_image"), FieldPanel("age_mark")], heading="Оформление"),
    ]

    # Relations whose targets the public page never shows (an account, a consent record): their saves
    # need not invalidate the page cache, and core.checks does not ask for invalidate_on_change().
    relations_not_shown: tuple[str, ...] = ()

    # What lists this page besides its parent, for the proxy in front (get_cache_purge_urls): the parent's
    # sub-URLs that list it (a feed, the calendar's views), and whether its siblings show it (a «related» block).
    purge_parent_routes: tuple[str, ...] = ()
    purge_siblings: bool = False

    # The GET parameters the page reads (a list's page, its filters): the page cache keys it by these
    # only, so `?utm_source=…` shares the entry of the bare URL. A stored page that reads another one is
    # not stored (core.cache.undeclared_reads). Routes declare theirs in @cache_public(params=…).
    cache_query_params: tuple[str, ...] = ()

    class Meta:
        abstract = True

    def serve(self, request, *args, **kwargs):
        # mark_public checks the rules once rendered: a page with a form (CSRF token) is never stored.
        return mark_public(request, super().serve(request, *args, **kwargs), self.cache_query_params)

    def get_cache_purge_urls(self, cache_object=None):
        """The full URLs the proxy in front must drop when this page is published, unpublished, moved or
        deleted (core/frontendcache.py, docs/dev/caching.md): the page, its parent with
        `purge_parent_routes`, its siblings if `purge_siblings`, the home page, the sitemap and the pages
        that link to it or choose it — or everything, for a page in the menu or with children. A page type
        listed elsewhere too extends it (`urls = super().get_cache_purge_urls(cache_object)`, then add)."""
        from .frontendcache import page_purge_urls

        return page_purge_urls(self, cache_object)

    def get_view_restrictions(self):
        # core.routing found no restriction on this page or its ancestors in this cache generation
        # (a restriction saved or a page moved starts a new one): Wagtail's check then costs no query.
        if getattr(self, "_no_view_restrictions", False):
            return PageViewRestriction.objects.none()
        return super().get_view_restrictions()

    def get_meta_description(self) -> str:
        """Search description if the editor wrote one, else the page's own summary field."""
        for field in ("search_description", "lead", "intro"):
            value = getattr(self, field, "")
            if value:
                return value
        return ""


class RoutableBasePage(RoutablePageMixin, BasePage):
    """A BasePage with sub-URLs (wagtail.contrib.routable_page). Its own URL is stored like any page;
    a route you add is stored only when it wears @cache_public under its @path — so a form, a receipt
    or anything personal behind a route is never stored unless someone says otherwise."""

    class Meta:
        abstract = True

    @path("")
    def index_route(self, request, *args, **kwargs):
        # The page's own URL: stored like any page, keyed by its cache_query_params.
        return mark_public(request, super().index_route(request, *args, **kwargs), self.cache_query_params)


class SectionIndexPage(BasePage):
    """The front page of a section (/news/, /events/, /metodisty/, /contests/, /sveden/): its title, an
    optional introduction under it (components/section_intro.html), the section's list below — the
    list, the allowed parents and children are the subclass's business. One per site. A section with
    sub-URLs lists RoutableBasePage first: class EventIndexPage(RoutableBasePage, SectionIndexPage).

    Each subclass keeps its own `intro` column (an abstract base adds no table); /sveden/ redefines the
    field as rich text, as its subsections have it.
    """

    intro = models.TextField("Вступление", blank=True)

    content_panels = BasePage.content_panels + [FieldPanel("intro")]
    max_count = 1

    class Meta:
        abstract = True


class Subject(models.Model):
    """A subject or direction: mathematics, preschool education, young teachers… One list for the site.

    Events, methodists' pages (and the questions to them) and the atlas of practices all point here, so
    editors keep it once. Merged from the events' and the methodists' own lists (events/0002,
    methodists/0002; core/migrations/_subjects.py).
    """

    name = models.CharField("Название", max_length=150, unique=True)
    slug = models.SlugField(
        "Код для адреса",
        max_length=60,
        unique=True,
        help_text="Латиницей, например matematika: используется в ссылках с фильтрами. "
        "У действующей записи не меняйте — перестанут работать сохранённые ссылки и подписки на календарь.",
    )
    sort_order = models.PositiveSmallIntegerField("Порядок", default=100, help_text="Меньше — выше в списках.")

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("sort_order")]

    class Meta:
        verbose_name = "Предмет / направление"
        verbose_name_plural = "Предметы и направления"
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.name


@register_setting(icon="site")
class SiteSettings(BaseSiteSetting):
    """The organisation's facts, kept once: the footer of every page, the contacts, JSON-LD and
    «Сведения об образовательной организации → Основные сведения» (/sveden/common/, with the itemprop
    microdata of Rosobrnadzor's rules) all read them here. Plus the social pages and the age mark."""

    org_full_name = models.CharField(
        "Полное наименование",
        max_length=400,
        default="Государственное бюджетное учреждение дополнительного профессионального образования "
        "информационно-методический центр Центрального района Санкт-Петербурга",
    )
    org_short_name = models.CharField("Сокращённое наименование", max_length=200, default="ГБУ ИМЦ Центрального района")
    reg_date = models.CharField("Дата создания", max_length=100, blank=True, help_text="Например: 1995 год")
    address = models.CharField("Место нахождения (адрес)", max_length=300, blank=True)
    phone = models.CharField("Телефон", max_length=200, blank=True)
    phone_extra = models.CharField("Дополнительный телефон", max_length=200, blank=True)
    email = models.EmailField("E-mail", blank=True)
    work_time = models.TextField("Режим и график работы", blank=True, help_text="Можно в несколько строк.")
    address_places = models.TextField(
        "Места осуществления образовательной деятельности", blank=True, help_text="По одному адресу в строке."
    )
    branches = models.TextField("Филиалы", blank=True, default="Филиалов нет.")
    representations = models.TextField("Представительства", blank=True, default="Представительств нет.")
    founder_name = models.TextField("Учредитель", blank=True)
    founder_address = models.CharField("Адрес учредителя", max_length=300, blank=True)
    founder_phone = models.CharField("Телефон учредителя", max_length=100, blank=True)
    founder_email = models.EmailField("E-mail учредителя", blank=True)
    founder_site = models.URLField("Сайт учредителя", blank=True)
    license = models.TextField("Лицензия на образовательную деятельность", blank=True)
    accreditation = models.TextField("Государственная аккредитация", blank=True)
    vk_url = models.URLField("Официальная страница ВКонтакте", blank=True)
    ok_url = models.URLField("Официальная страница в Одноклассниках", blank=True)
    telegram_url = models.URLField("Канал в Telegram", blank=True)
    moodle_url = models.URLField("Портал дистанционного обучения (Moodle)", blank=True)
    age_mark = models.CharField("Возрастная маркировка сайта", max_length=3, choices=AGE_MARKS, default="12+")
    privacy_policy_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name="Политика обработки персональных данных",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Ссылка на неё показывается рядом с каждым согласием на обработку данных.",
    )
    # «Дата последнего обновления» of /sveden/common/, which shows these facts (the ten-day rule).
    updated_at = models.DateTimeField("Изменены", auto_now=True)

    panels = [
        HelpPanel(
            "Наименование, адреса, телефоны, e-mail и режим работы показываются в подвале каждой страницы; "
            "все сведения этой страницы, кроме официальных страниц и маркировки, — в разделе «Сведения об "
            "образовательной организации → Основные сведения» (/sveden/common/) с микроразметкой для роботов "
            "мониторинга. Изменившиеся сведения размещаются не позднее 10 рабочих дней."
        ),
        MultiFieldPanel(
            [FieldPanel("org_full_name"), FieldPanel("org_short_name"), FieldPanel("reg_date")],
            heading="Организация",
        ),
        MultiFieldPanel(
            [
                FieldPanel("address"),
                FieldPanel("phone"),
                FieldPanel("phone_extra"),
                FieldPanel("email"),
                FieldPanel("work_time"),
            ],
            heading="Контакты",
        ),
        MultiFieldPanel(
            [FieldPanel("address_places"), FieldPanel("branches"), FieldPanel("representations")],
            heading="Места деятельности, филиалы, представительства",
        ),
        MultiFieldPanel(
            [
                FieldPanel("founder_name"),
                FieldPanel("founder_address"),
                FieldPanel("founder_phone"),
                FieldPanel("founder_email"),
                FieldPanel("founder_site"),
            ],
            heading="Учредитель",
        ),
        MultiFieldPanel([FieldPanel("license"), FieldPanel("accreditation")], heading="Лицензия и аккредитация"),
        MultiFieldPanel(
            [FieldPanel("vk_url"), FieldPanel("ok_url"), FieldPanel("telegram_url"), FieldPanel("moodle_url")],
            heading="Официальные страницы и ресурсы",
        ),
        FieldPanel("age_mark"),
        FieldPanel("privacy_policy_page"),
    ]

    class Meta:
        # Moved from home (issue 10): the table keeps its name, core/0005 and home/0003 move only the state.
        db_table = "home_sitesettings"
        verbose_name = "Настройки сайта"

    @property
    def phones(self) -> list[str]:
        return [phone for phone in (self.phone, self.phone_extra) if phone]

    @property
    def address_place_list(self) -> list[str]:
        return [line.strip() for line in self.address_places.splitlines() if line.strip()]

    def schema_org(self, origin: str) -> dict:
        """schema.org Organization for JSON-LD (`origin`: the public site, core.siteurl.public_origin())."""
        data = {"@type": "Organization", "name": self.org_short_name, "url": origin + "/"}
        if self.org_full_name:
            data["legalName"] = self.org_full_name
        if self.address:
            data["address"] = self.address
        if self.phone:
            data["telephone"] = self.phone
        if self.email:
            data["email"] = self.email
        return data


class ConsentDocument(DraftStateMixin, RevisionMixin, models.Model):
    """The text of one consent purpose (152-ФЗ: a separate document per purpose).

    Every published revision is a version of the text; a ConsentRecord points at the revision the
    visitor accepted, so changing the wording never rewrites what people agreed to.
    """

    purpose = models.SlugField("Цель обработки (код)", max_length=50, unique=True)
    title = models.CharField("Название цели", max_length=200)
    text = models.TextField(
        "Текст согласия",
        help_text="Кто обрабатывает, какие данные, зачем, как долго, как отозвать согласие.",
    )

    panels = [FieldPanel("title"), FieldPanel("purpose"), FieldPanel("text")]
    search_fields = [index.SearchField("title")]

    class Meta:
        verbose_name = "Текст согласия на обработку ПДн"
        verbose_name_plural = "Тексты согласий на обработку ПДн"

    def __str__(self):
        return self.title

    @property
    def version_label(self) -> str:
        revision = self.live_revision
        if revision is None:
            return "черновик"
        return f"редакция № {revision.pk} от {timezone.localtime(revision.created_at):%d.%m.%Y}"


class ConsentRecord(models.Model):
    """The fact of consent: purpose, the exact text version, time and a hashed subnet — no identity."""

    document = models.ForeignKey(ConsentDocument, on_delete=models.PROTECT, related_name="records")
    revision = models.ForeignKey(
        "wagtailcore.Revision",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="Версия текста",
    )
    purpose = models.SlugField("Цель", max_length=50, db_index=True)
    given_at = models.DateTimeField("Дата и время", default=timezone.now, db_index=True)
    subnet_hash = models.CharField("Хеш подсети", max_length=64)
    withdrawn_at = models.DateTimeField("Отозвано", null=True, blank=True)

    class Meta:
        verbose_name = "Запись о согласии"
        verbose_name_plural = "Реестр согласий"
        ordering = ["-given_at"]

    def __str__(self):
        return f"{self.purpose} — {timezone.localtime(self.given_at):%d.%m.%Y %H:%M}"


class OutgoingEmail(models.Model):
    """Every e-mail the site sends, so a failed send is retried and visible to organisers.

    The request only creates the row and enqueues a task; the task sends it. Failed sends wait for
    `manage.py retry_emails` (run every minute next to publish_scheduled) with growing back-off.
    Mail sent through Django's API (Wagtail's notifications, password reset) lands here too, through
    core.mail.QueuedEmailBackend, so no request ever waits for the mail server.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "В очереди"
        SENT = "sent", "Отправлено"
        RETRY = "retry", "Ошибка, будет повторено"
        FAILED = "failed", "Не отправлено"

    # Recipient lists hold one address per line: a message may have several, and an address
    # cannot contain a line break. Erasing `to` erases the addresses (contests.voting does).
    to = models.TextField("Кому")
    cc = models.TextField("Копия", blank=True)
    bcc = models.TextField("Скрытая копия", blank=True)
    reply_to = models.TextField("Ответить", blank=True)
    from_email = models.CharField("От кого", max_length=250, blank=True)
    subject = models.CharField("Тема", max_length=250)
    body = models.TextField("Текст")
    html_body = models.TextField("Текст (HTML)", blank=True)
    headers = models.JSONField("Заголовки", default=dict, blank=True)
    attachments = models.JSONField("Вложения", default=list, blank=True)
    purpose = models.CharField("Назначение", max_length=50, db_index=True)
    status = models.CharField("Состояние", max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True)
    attempts = models.PositiveSmallIntegerField("Попыток", default=0)
    last_error = models.TextField("Последняя ошибка", blank=True)
    created_at = models.DateTimeField("Создано", default=timezone.now, db_index=True)
    next_attempt_at = models.DateTimeField("Следующая попытка", null=True, blank=True, db_index=True)
    sent_at = models.DateTimeField("Отправлено", null=True, blank=True)
    # SHA-256 of the link tokens in the text (core.tokens): blanked once the message is delivered.
    token_hashes = models.JSONField(default=list, blank=True, editable=False)

    class Meta:
        verbose_name = "Исходящее письмо"
        verbose_name_plural = "Исходящая почта"
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.subject} → {self.to}"

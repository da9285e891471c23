"""Contests: the index, a contest with its nominations, stages and jury criteria, entries, votes, jury scores.

Vote integrity lives in the database (see docs/editors/contests.md and contests/voting.py):
- a `Vote` row is written once when a visitor asks to vote and completed once when the vote is
  confirmed or closed; after that PostgreSQL refuses any UPDATE or DELETE (trigger, migration 0002);
- a partial unique index allows one confirmed vote per (entry, voter key);
- the per-nomination limit is checked under a lock on the voter's `Voter` row, never the entry's row;
- the entry has no counter: counts come from one aggregate query, cached for TALLY_SECONDS.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from modelcluster.fields import ParentalKey
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel, ObjectList, TabbedInterface
from wagtail.contrib.routable_page.models import path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable
from wagtail.search import index
from wagtail.snippets.models import register_snippet

from core.blocks import RICH_TEXT_FEATURES, BaseStreamBlock
from core.cache import cache_public, valid_until
from core.models import BasePage, RoutableBasePage, SectionIndexPage

TALLY_SECONDS = 5  # how long visitors' vote counts may lag behind the database (stated on the pages)


class ResultsVisibility(models.TextChoices):
    LIVE = "live", "Сразу, во время голосования"
    AFTER_CLOSE = "after_close", "После окончания голосования"
    JURY_ONLY = "jury_only", "Только жюри и организаторам"


class JuryVisibility(models.TextChoices):
    NEVER = "never", "Никогда"
    AFTER_SCORING = "after_scoring", "После того, как член жюри сам оценил работу"
    ALWAYS = "always", "Всегда"


class TieRule(models.TextChoices):
    JURY = "jury", "Выше работа с большим баллом жюри, затем — с большим числом голосов"
    PUBLIC = "public", "Выше работа с большим числом голосов, затем — с большим баллом жюри"
    SHARED = "shared", "Работы с равным итоговым баллом делят место"


# --------------------------------------------------------------------------------------------------
# Pages
# --------------------------------------------------------------------------------------------------


class ContestIndexPage(SectionIndexPage):
    """/contests/: current, upcoming and finished contests."""

    parent_page_types = ["home.HomePage"]
    subpage_types = ["contests.ContestPage"]

    class Meta:
        verbose_name = "Раздел «Конкурсы»"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        now = timezone.now()
        groups = {"current": [], "upcoming": [], "finished": []}
        contests = ContestPage.objects.child_of(self).live().public().select_related("image")
        for contest in contests:
            groups[contest.status(now)].append(contest)
            valid_until(request, *contest.window_moments())
        groups["current"].sort(key=lambda c: c.sort_date() or now)
        groups["upcoming"].sort(key=lambda c: c.sort_date() or now)
        groups["finished"].sort(key=lambda c: c.sort_date() or now, reverse=True)
        context.update(groups)
        return context


class ContestPage(RoutableBasePage):
    lead = models.TextField("Кратко о конкурсе", blank=True)
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name="Обложка",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    body = StreamField(BaseStreamBlock(), verbose_name="Положение и правила", blank=True)
    organisers = models.TextField(
        "Организаторы", blank=True, help_text="Оргкомитет, учреждения-организаторы, контакты."
    )

    submission_opens_at = models.DateTimeField("Приём заявок на сайте — с", null=True, blank=True)
    submission_closes_at = models.DateTimeField(
        "Приём заявок на сайте — до",
        null=True,
        blank=True,
        help_text="Пусто — заявки на сайте не принимаются, работы вносят организаторы.",
    )
    voting_opens_at = models.DateTimeField("Голосование — начало", null=True, blank=True)
    voting_closes_at = models.DateTimeField(
        "Голосование — окончание", null=True, blank=True, help_text="Пусто — общественного голосования нет."
    )
    votes_per_nomination = models.PositiveSmallIntegerField(
        "Сколько работ в номинации может поддержать один голосующий", default=1
    )
    results_visibility = models.CharField(
        "Когда посетители видят число голосов",
        max_length=20,
        choices=ResultsVisibility.choices,
        default=ResultsVisibility.AFTER_CLOSE,
    )
    results_published = models.BooleanField(
        "Итоги опубликованы",
        default=False,
        help_text="Отметьте, когда жюри закончило работу: на странице итогов появятся места по номинациям.",
    )

    jury_weight = models.PositiveSmallIntegerField(
        "Вес оценки жюри в итоге, %",
        default=70,
        help_text="Остальное — вес общественного голосования. 100 — только жюри, 0 — только голосование.",
    )
    jury_visibility = models.CharField(
        "Видит ли член жюри оценки других",
        max_length=20,
        choices=JuryVisibility.choices,
        default=JuryVisibility.AFTER_SCORING,
    )
    blind_review = models.BooleanField("Слепая экспертиза (жюри не видит авторов и учреждение)", default=False)
    tie_rule = models.CharField(
        "Правило при равенстве баллов", max_length=10, choices=TieRule.choices, default=TieRule.JURY
    )

    content_panels = BasePage.content_panels + [
        FieldPanel("lead"),
        FieldPanel("image"),
        FieldPanel("body"),
        FieldPanel("organisers"),
        InlinePanel("stages", label="Этап", heading="Этапы"),
        InlinePanel("nominations", label="Номинация", heading="Номинации", min_num=1),
    ]
    voting_panels = [
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("submission_opens_at"), FieldPanel("submission_closes_at")])],
            heading="Приём работ на сайте",
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("voting_opens_at"), FieldPanel("voting_closes_at")]),
                FieldPanel("votes_per_nomination"),
                FieldPanel("results_visibility"),
            ],
            heading="Общественное голосование",
        ),
        MultiFieldPanel(
            [
                FieldPanel("jury_weight"),
                FieldPanel("jury_visibility"),
                FieldPanel("blind_review"),
                FieldPanel("tie_rule"),
                FieldPanel("results_published"),
            ],
            heading="Жюри и итоги",
        ),
        InlinePanel("criteria", label="Критерий", heading="Критерии оценки жюри"),
    ]

    edit_handler = TabbedInterface(
        [
            ObjectList(content_panels, heading="Содержание"),
            ObjectList(voting_panels, heading="Голосование и жюри"),
            ObjectList(BasePage.promote_panels, heading="Продвижение"),
            ObjectList(BasePage.settings_panels, heading="Настройки"),
        ]
    )

    search_fields = BasePage.search_fields + [index.SearchField("lead"), index.SearchField("body")]
    parent_page_types = ["contests.ContestIndexPage"]
    subpage_types = ["contests.ContestEntryPage"]

    class Meta:
        verbose_name = "Конкурс"
        verbose_name_plural = "Конкурсы"

    def clean(self):
        super().clean()
        errors = {}
        if self.voting_opens_at and self.voting_closes_at and self.voting_closes_at <= self.voting_opens_at:
            errors["voting_closes_at"] = "Окончание голосования должно быть позже начала."
        if bool(self.voting_opens_at) != bool(self.voting_closes_at):
            errors["voting_closes_at"] = "Укажите и начало, и окончание голосования (или оставьте оба пустыми)."
        if (
            self.submission_opens_at
            and self.submission_closes_at
            and self.submission_closes_at <= self.submission_opens_at
        ):
            errors["submission_closes_at"] = "Окончание приёма заявок должно быть позже начала."
        if self.jury_weight > 100:
            errors["jury_weight"] = "Вес жюри — от 0 до 100 %."
        if self.votes_per_nomination < 1:
            errors["votes_per_nomination"] = "Не меньше одной работы."
        if errors:
            raise ValidationError(errors)

    # -- dates and state -------------------------------------------------------------------------
    @property
    def public_weight(self) -> int:
        return 100 - self.jury_weight

    def has_voting(self) -> bool:
        return bool(self.voting_opens_at and self.voting_closes_at)

    def window_moments(self) -> tuple:
        """When this contest's pages change by themselves: the submission and voting windows."""
        return (self.submission_opens_at, self.submission_closes_at, self.voting_opens_at, self.voting_closes_at)

    def voting_state(self, now=None) -> str:
        """none | before | open | closed."""
        if not self.has_voting():
            return "none"
        now = now or timezone.now()
        if now < self.voting_opens_at:
            return "before"
        if now >= self.voting_closes_at:
            return "closed"
        return "open"

    def voting_open(self, now=None) -> bool:
        return self.voting_state(now) == "open"

    def submission_open(self, now=None) -> bool:
        if not self.submission_closes_at:
            return False
        now = now or timezone.now()
        return (self.submission_opens_at is None or self.submission_opens_at <= now) and now < self.submission_closes_at

    def _bounds(self):
        starts, ends = [], []
        for value in (self.submission_opens_at, self.voting_opens_at):
            if value:
                starts.append(value)
        for value in (self.submission_closes_at, self.voting_closes_at):
            if value:
                ends.append(value)
        for stage in self.stages.all():
            starts.append(_day_start(stage.starts_on))
            ends.append(_day_start(stage.ends_on or stage.starts_on, end=True))
        return (min(starts) if starts else None), (max(ends) if ends else None)

    def status(self, now=None) -> str:
        """current | upcoming | finished — the section of /contests/ the contest is listed in."""
        now = now or timezone.now()
        starts, ends = self._bounds()
        if self.results_published and (self.voting_state(now) in ("closed", "none")):
            return "finished"
        if starts and now < starts:
            return "upcoming"
        if ends and now >= ends:
            return "finished"
        return "current"

    def sort_date(self):
        starts, ends = self._bounds()
        return starts or ends

    def phase_label(self, now=None) -> str:
        now = now or timezone.now()
        if self.submission_open(now):
            return f"Приём работ до {_fmt(self.submission_closes_at)}"
        state = self.voting_state(now)
        if state == "open":
            return f"Голосование до {_fmt(self.voting_closes_at)}"
        if state == "before":
            return f"Голосование с {_fmt(self.voting_opens_at)}"
        if self.results_published:
            return "Итоги подведены"
        if state == "closed":
            return "Голосование завершено, работает жюри"
        return "Экспертиза работ"

    def counts_visible(self, now=None) -> bool:
        if self.results_visibility == ResultsVisibility.LIVE:
            return self.voting_state(now) in ("open", "closed")
        if self.results_visibility == ResultsVisibility.AFTER_CLOSE:
            return self.voting_state(now) == "closed"
        return False

    def entries(self):
        return (
            ContestEntryPage.objects.child_of(self)
            .live()
            .public()
            .select_related("nomination", "cover")
            .order_by("nomination__sort_order", "title")
        )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        valid_until(request, *self.window_moments())
        entries = list(self.entries())
        if self.counts_visible():  # the numbers in the HTML (without JavaScript); counts.js refreshes them
            from .voting import vote_counts

            counts = vote_counts(self.pk)
            for entry in entries:
                entry.vote_count = counts.get(entry.pk, 0)
        by_nomination = []
        for nomination in self.nominations.all():
            by_nomination.append((nomination, [e for e in entries if e.nomination_id == nomination.pk]))
        context.update(
            by_nomination=by_nomination,
            entries_count=len(entries),
            tally_seconds=TALLY_SECONDS,
        )
        return context

    # -- routes: results, public submission, results file ----------------------------------------
    @path("itogi/")
    def results(self, request):
        from .views import contest_results

        return contest_results(request, self)

    @path("itogi/fail/")
    @cache_public
    def results_file(self, request):
        from .views import contest_results_file

        return contest_results_file(request, self)

    @path("zayavka/")
    def submission(self, request):
        from .views import contest_submission

        return contest_submission(request, self)


def _day_start(day, end=False):
    import datetime as dt

    if day is None:
        return None
    moment = dt.datetime.combine(day, dt.time.max if end else dt.time.min)
    return timezone.make_aware(moment)


def _fmt(moment) -> str:
    from django.utils.formats import date_format

    return date_format(timezone.localtime(moment), "j E Y, H:i")


class ContestStage(Orderable):
    class Kind(models.TextChoices):
        SUBMISSION = "submission", "Приём работ"
        REVIEW = "review", "Экспертиза"
        VOTING = "voting", "Голосование"
        RESULTS = "results", "Итоги"

    contest = ParentalKey(ContestPage, related_name="stages", on_delete=models.CASCADE)
    kind = models.CharField("Этап", max_length=20, choices=Kind.choices)
    starts_on = models.DateField("Начало")
    ends_on = models.DateField("Окончание", null=True, blank=True)
    note = models.CharField("Пояснение", max_length=200, blank=True)

    panels = [FieldRowPanel([FieldPanel("kind"), FieldPanel("starts_on"), FieldPanel("ends_on")]), FieldPanel("note")]

    class Meta(Orderable.Meta):
        verbose_name = "Этап"
        verbose_name_plural = "Этапы"

    def __str__(self):
        return self.get_kind_display()


class Nomination(Orderable):
    contest = ParentalKey(ContestPage, related_name="nominations", on_delete=models.CASCADE)
    title = models.CharField("Номинация", max_length=200)
    description = models.TextField("Описание", blank=True)

    panels = [FieldPanel("title"), FieldPanel("description")]

    class Meta(Orderable.Meta):
        verbose_name = "Номинация"
        verbose_name_plural = "Номинации"

    def __str__(self):
        return self.title


class JuryCriterion(Orderable):
    contest = ParentalKey(ContestPage, related_name="criteria", on_delete=models.CASCADE)
    title = models.CharField("Критерий", max_length=200)
    description = models.TextField("Что оценивается", blank=True)
    max_points = models.PositiveSmallIntegerField("Максимум баллов", default=10)
    weight = models.DecimalField("Вес", max_digits=5, decimal_places=2, default=1)

    panels = [
        FieldPanel("title"),
        FieldPanel("description"),
        FieldRowPanel([FieldPanel("max_points"), FieldPanel("weight")]),
    ]

    class Meta(Orderable.Meta):
        verbose_name = "Критерий"
        verbose_name_plural = "Критерии"

    def __str__(self):
        return f"{self.title} (до {self.max_points})"

    def clean(self):
        if self.max_points < 1:
            raise ValidationError({"max_points": "Максимум — не меньше 1 балла."})
        if self.weight is not None and self.weight <= 0:
            raise ValidationError({"weight": "Вес должен быть больше нуля."})


class EntryPageForm(WagtailAdminPageForm):
    """Limits the nomination choice to the parent contest's nominations."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        parent = self.parent_page
        if parent is None and self.instance.pk:
            parent = self.instance.get_parent()
        if "nomination" in self.fields and parent is not None:
            self.fields["nomination"].queryset = Nomination.objects.filter(contest_id=parent.pk)
            self.fields["nomination"].required = True


class ContestEntryPage(BasePage):
    authors = models.CharField("Авторы", max_length=300)
    organisation = models.CharField("Образовательное учреждение", max_length=300, blank=True)
    nomination = models.ForeignKey(
        Nomination, verbose_name="Номинация", null=True, on_delete=models.SET_NULL, related_name="entries"
    )
    description = RichTextField("Описание работы", features=RICH_TEXT_FEATURES, blank=True)
    cover = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name="Главное изображение",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    video_url = models.URLField("Видео (VK Видео, RuTube, YouTube)", blank=True)
    site_url = models.URLField("Ссылка на сайт (для конкурсов сайтов)", blank=True)
    # Who sent a public submission: seen by organisers only; never shown on the site.
    submitter_email = models.EmailField("E-mail заявителя (не публикуется)", blank=True)
    submission_consent = models.ForeignKey(
        "core.ConsentRecord",
        verbose_name="Согласие заявителя",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    relations_not_shown = ("submission_consent",)  # a record of consent, never shown (core.checks)

    base_form_class = EntryPageForm
    content_panels = BasePage.content_panels + [
        FieldPanel("authors"),
        FieldPanel("organisation"),
        FieldPanel("nomination"),
        FieldPanel("description"),
        FieldPanel("cover"),
        InlinePanel("gallery", label="Изображение", heading="Галерея"),
        FieldPanel("video_url"),
        InlinePanel("documents", label="Документ", heading="Документы"),
        FieldPanel("site_url"),
        FieldPanel("submitter_email"),
    ]
    search_fields = BasePage.search_fields + [
        index.SearchField("authors"),
        index.SearchField("organisation"),
        index.SearchField("description"),
    ]
    parent_page_types = ["contests.ContestPage"]
    subpage_types = []
    purge_parent_routes = ("itogi/", "itogi/fail/")  # the contest's results list it (core.models.BasePage)

    class Meta:
        verbose_name = "Конкурсная работа"
        verbose_name_plural = "Конкурсные работы"

    @property
    def contest(self) -> ContestPage:
        if not hasattr(self, "_contest"):
            self._contest = ContestPage.objects.parent_of(self).first() or self.get_parent().specific
        return self._contest

    def get_meta_description(self) -> str:
        return self.search_description or f"{self.authors}. {self.organisation}".strip(". ")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["contest"] = self.contest
        context["tally_seconds"] = TALLY_SECONDS
        if self.contest.counts_visible():
            from .voting import vote_counts

            context["vote_count"] = vote_counts(self.contest.pk).get(self.pk, 0)
        valid_until(request, *self.contest.window_moments())
        return context


class EntryImage(Orderable):
    entry = ParentalKey(ContestEntryPage, related_name="gallery", on_delete=models.CASCADE)
    image = models.ForeignKey(
        "wagtailimages.Image", verbose_name="Изображение", on_delete=models.CASCADE, related_name="+"
    )
    caption = models.CharField("Подпись", max_length=250, blank=True)

    panels = [FieldPanel("image"), FieldPanel("caption")]


class EntryDocument(Orderable):
    entry = ParentalKey(ContestEntryPage, related_name="documents", on_delete=models.CASCADE)
    document = models.ForeignKey(
        "wagtaildocs.Document", verbose_name="Документ", on_delete=models.CASCADE, related_name="+"
    )
    title = models.CharField("Название (если отличается)", max_length=250, blank=True)

    panels = [FieldPanel("document"), FieldPanel("title")]


# --------------------------------------------------------------------------------------------------
# Votes
# --------------------------------------------------------------------------------------------------


class Voter(models.Model):
    """One row per (contest, voter key): the row a confirmation locks to check the nomination limit."""

    contest = models.ForeignKey(ContestPage, on_delete=models.PROTECT, related_name="+")
    voter_key = models.CharField("Ключ голосующего (HMAC)", max_length=64)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["contest", "voter_key"], name="contests_voter_unique")]
        verbose_name = "Голосующий (ключ)"
        verbose_name_plural = "Голосующие (ключи)"

    def __str__(self):
        return self.voter_key[:12]


class Vote(models.Model):
    """A request to vote, completed once. Never updated after that, never deleted (trigger)."""

    class Outcome(models.TextChoices):
        PENDING = "pending", "Ждёт подтверждения"
        CONFIRMED = "confirmed", "Подтверждён"
        DUPLICATE = "duplicate", "Повторный (уже голосовал за работу)"
        LIMIT = "limit", "Превышен лимит номинации"
        EXPIRED = "expired", "Не подтверждён вовремя"
        CLOSED = "closed", "Подтверждён после окончания голосования"

    contest = models.ForeignKey(ContestPage, on_delete=models.PROTECT, related_name="+")
    entry = models.ForeignKey(ContestEntryPage, on_delete=models.PROTECT, related_name="+")
    nomination = models.ForeignKey(Nomination, on_delete=models.PROTECT, related_name="+")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField("Запрошен", default=timezone.now)
    expires_at = models.DateTimeField("Действителен до")
    outcome = models.CharField("Состояние", max_length=10, choices=Outcome.choices, default=Outcome.PENDING)
    completed_at = models.DateTimeField("Завершён", null=True, blank=True)
    voter_key = models.CharField("Ключ голосующего (HMAC)", max_length=64, blank=True)
    subnet_hash = models.CharField("Хеш подсети", max_length=64)
    ua_hash = models.CharField("Хеш браузера (User-Agent)", max_length=64)
    confirm_subnet_hash = models.CharField("Хеш подсети при подтверждении", max_length=64, blank=True)
    confirm_ua_hash = models.CharField("Хеш браузера при подтверждении", max_length=64, blank=True)
    consent = models.ForeignKey("core.ConsentRecord", on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "Голос"
        verbose_name_plural = "Голоса"
        constraints = [
            models.UniqueConstraint(
                fields=["entry", "voter_key"],
                condition=Q(outcome="confirmed"),
                name="contests_vote_one_confirmed_per_entry",
            ),
        ]
        indexes = [
            models.Index(fields=["contest", "outcome"], name="contests_vote_contest_outcome"),
            models.Index(
                fields=["voter_key", "nomination"],
                condition=Q(outcome="confirmed"),
                name="contests_vote_voter_confirmed",
            ),
            models.Index(fields=["outcome", "expires_at"], name="contests_vote_pending_exp"),
        ]
        permissions = [
            ("view_vote_audit", "Видит аудит голосования и аномалии"),
            ("annul_vote", "Может аннулировать голоса"),
            ("export_contest", "Может выгружать итоги и реестры"),
        ]

    def __str__(self):
        return f"Голос № {self.pk} ({self.get_outcome_display()})"

    @property
    def confirmation_delay(self):
        if self.completed_at and self.outcome == self.Outcome.CONFIRMED:
            return self.completed_at - self.created_at
        return None


class VoteEmail(models.Model):
    """The plain address, kept only until the vote is confirmed or expires; then deleted."""

    vote = models.OneToOneField(Vote, on_delete=models.CASCADE, primary_key=True, related_name="email")
    address = models.EmailField()
    outgoing = models.ForeignKey(
        "core.OutgoingEmail", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    def __str__(self):
        return f"Адрес для голоса № {self.vote_id}"


class VoteAnnulment(models.Model):
    """An organiser's decision that a confirmed vote does not count. Append-only too."""

    vote = models.OneToOneField(Vote, on_delete=models.PROTECT, related_name="annulment")
    reason = models.CharField("Причина", max_length=500)
    annulled_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    annulled_at = models.DateTimeField("Когда", default=timezone.now)

    class Meta:
        verbose_name = "Аннулирование голоса"
        verbose_name_plural = "Аннулированные голоса"

    def __str__(self):
        return f"Голос № {self.vote_id}: {self.reason}"


# --------------------------------------------------------------------------------------------------
# Jury
# --------------------------------------------------------------------------------------------------


class JuryScore(models.Model):
    entry = models.ForeignKey(ContestEntryPage, on_delete=models.CASCADE, related_name="jury_scores")
    criterion = models.ForeignKey(JuryCriterion, on_delete=models.CASCADE, related_name="scores")
    juror = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    points = models.DecimalField("Баллы", max_digits=6, decimal_places=2)
    comment = models.TextField("Комментарий", blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "Оценка жюри"
        verbose_name_plural = "Оценки жюри"
        constraints = [
            models.UniqueConstraint(fields=["entry", "criterion", "juror"], name="contests_juryscore_unique"),
            models.CheckConstraint(condition=Q(points__gte=0), name="contests_juryscore_points_nonneg"),
        ]
        permissions = [("score_entries", "Оценивает конкурсные работы (жюри)")]

    def __str__(self):
        return f"{self.entry_id}/{self.criterion_id}: {self.points}"


# --------------------------------------------------------------------------------------------------
# Results file and the disposable-domain list
# --------------------------------------------------------------------------------------------------


class ResultsSnapshot(models.Model):
    """The results file published at the close: per-entry counts and a hash of the anonymised vote table."""

    contest = models.ForeignKey(ContestPage, on_delete=models.CASCADE, related_name="results_snapshots")
    created_at = models.DateTimeField(default=timezone.now)
    table_sha256 = models.CharField("SHA-256 обезличенной таблицы голосов", max_length=64)
    content = models.JSONField()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "Файл итогов"
        verbose_name_plural = "Файлы итогов"

    def __str__(self):
        return f"Итоги {self.contest_id} от {self.created_at:%d.%m.%Y %H:%M}"


@register_snippet
class DisposableDomain(models.Model):
    domain = models.CharField("Домен", max_length=200, unique=True, help_text="Например: mailinator.com (без @).")
    note = models.CharField("Примечание", max_length=200, blank=True)

    panels = [FieldPanel("domain"), FieldPanel("note")]

    class Meta:
        ordering = ["domain"]
        verbose_name = "Домен одноразовой почты"
        verbose_name_plural = "Одноразовая почта (запрещённые домены)"

    def __str__(self):
        return self.domain

    def clean(self):
        self.domain = (self.domain or "").strip().lower().lstrip("@").rstrip(".")
        if not self.domain or "." not in self.domain or " " in self.domain:
            raise ValidationError({"domain": "Укажите домен, например mailinator.com."})

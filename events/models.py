"""The event calendar: event pages under one routable calendar page, snippets for the vocabularies,
materialised occurrences of (recurring) events and registrations with a waiting list."""

from datetime import datetime, timedelta

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel, PageChooserPanel
from wagtail.contrib.routable_page.models import path, re_path
from wagtail.fields import StreamField
from wagtail.models import Orderable
from wagtail.search import index

from core.blocks import BaseStreamBlock
from core.cache import cache_public
from core.models import BasePage, RoutableBasePage, SectionIndexPage

from .recurrence import (
    MSK,
    Repeat,
    normalise_rrule,
    occurrence_starts,
    parse_rrule,
    rebuild_occurrences,
    rule_from_fields,
)

# What events.filters.Filters.from_request reads: the calendar's views are stored per value of these.
FILTER_PARAMS = ("type", "audience", "subject", "level", "format", "organiser", "q", "materials")


class VocabularyItem(models.Model):
    name = models.CharField("Название", max_length=100, unique=True)
    slug = models.SlugField(
        "Код для адреса", max_length=60, unique=True, help_text="Латиницей: используется в фильтрах."
    )
    sort_order = models.PositiveSmallIntegerField("Порядок", default=100)

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("sort_order")]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        abstract = True
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.name


class EventType(VocabularyItem):
    class Meta(VocabularyItem.Meta):
        verbose_name = "Вид мероприятия"
        verbose_name_plural = "Виды мероприятий"


class Audience(VocabularyItem):
    class Meta(VocabularyItem.Meta):
        verbose_name = "Категория участников"
        verbose_name_plural = "Категории участников"


class Venue(models.Model):
    name = models.CharField("Название", max_length=200, help_text="Например: ГБОУ школа № 204")
    address = models.CharField("Адрес", max_length=300, blank=True)
    map_url = models.URLField("Ссылка на карту", blank=True)
    note = models.CharField("Как пройти", max_length=300, blank=True)

    panels = [FieldPanel("name"), FieldPanel("address"), FieldPanel("map_url"), FieldPanel("note")]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name"), index.SearchField("address")]

    class Meta:
        verbose_name = "Место проведения"
        verbose_name_plural = "Места проведения"
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def location_text(self) -> str:
        return ", ".join(part for part in (self.name, self.address) if part)


class Level(models.TextChoices):
    DISTRICT = "district", "Районный"
    CITY = "city", "Городской"
    FEDERAL = "federal", "Всероссийский"


class Format(models.TextChoices):
    OFFLINE = "offline", "Очно"
    ONLINE = "online", "Онлайн"
    MIXED = "mixed", "Смешанный"


class Status(models.TextChoices):
    SCHEDULED = "scheduled", "Состоится"
    CANCELLED = "cancelled", "Отменено"
    POSTPONED = "postponed", "Перенесено"


class EventIndexPage(RoutableBasePage, SectionIndexPage):
    """The calendar at /events/: month grid, week, upcoming, archive and iCalendar feed."""

    subpage_types = ["events.EventPage"]
    parent_page_types = ["home.HomePage", "home.StandardPage"]

    class Meta:
        verbose_name = "Календарь мероприятий"

    @path("")
    @cache_public(params=(*FILTER_PARAMS, "month"))
    def month_view(self, request):
        from . import views

        return views.month_view(self, request)

    @path("week/")
    @cache_public(params=(*FILTER_PARAMS, "start"))
    def week_view(self, request):
        from . import views

        return views.week_view(self, request)

    @path("upcoming/")
    @cache_public(params=(*FILTER_PARAMS, "page"))
    def upcoming_view(self, request):
        from . import views

        return views.upcoming_view(self, request)

    @path("archive/")
    @cache_public(params=(*FILTER_PARAMS, "page"))
    def archive_view(self, request):
        from . import views

        return views.archive_view(self, request)

    @path("ical/")
    @cache_public(params=FILTER_PARAMS)
    def ical_feed(self, request):
        from . import ical

        return ical.feed_response(self, request)

    def serve_preview(self, request, mode_name):
        from . import views

        return views.month_view(self, request)


class EventPage(RoutableBasePage):
    event_type = models.ForeignKey(
        EventType, verbose_name="Вид мероприятия", on_delete=models.PROTECT, related_name="events"
    )
    audiences = ParentalManyToManyField(Audience, verbose_name="Для кого", related_name="events", blank=True)
    subject = models.ForeignKey(
        "core.Subject",  # one list for the site (issue 10), merged from this app's own by events/0002
        verbose_name="Предмет / направление",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="events",
    )
    level = models.CharField("Уровень", max_length=10, choices=Level.choices, default=Level.DISTRICT)
    format = models.CharField("Формат", max_length=10, choices=Format.choices, default=Format.OFFLINE)
    lead = models.TextField("Кратко", blank=True, help_text="Одно-два предложения для списков и календаря.")

    start = models.DateTimeField("Начало", help_text="Время московское.")
    end = models.DateTimeField("Окончание", help_text="Для многодневных — дата и время окончания последнего дня.")
    all_day = models.BooleanField("Весь день", default=False, help_text="Время не указывается, только даты.")

    venue = models.ForeignKey(
        Venue, verbose_name="Место проведения", null=True, blank=True, on_delete=models.SET_NULL, related_name="events"
    )
    room = models.CharField("Аудитория / зал", max_length=120, blank=True)
    online_url = models.URLField("Ссылка на трансляцию / конференцию", blank=True)
    online_url_private = models.BooleanField(
        "Ссылка только для зарегистрированных",
        default=True,
        help_text="Ссылка не показывается на сайте и в календарях, её получают зарегистрированные в письме.",
    )

    organiser = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name="Организатор (страница методиста)",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    organiser_name = models.CharField("Организатор (подпись)", max_length=200, blank=True)
    contact_email = models.EmailField("E-mail для вопросов", blank=True)

    body = StreamField(BaseStreamBlock(), verbose_name="Описание", blank=True)
    materials = StreamField(
        BaseStreamBlock(),
        verbose_name="Материалы мероприятия",
        blank=True,
        help_text="Презентации, записи, документы — публикуются после мероприятия.",
    )

    with_materials = models.BooleanField("Есть материалы", default=False, editable=False, db_index=True)

    status = models.CharField("Статус", max_length=10, choices=Status.choices, default=Status.SCHEDULED)
    postponed_to = models.DateTimeField("Новая дата начала", null=True, blank=True)
    status_note = models.CharField("Пояснение к статусу", max_length=300, blank=True)
    sequence = models.PositiveIntegerField(
        "Номер редакции для календарей",
        default=0,
        editable=False,
        help_text="Увеличивается при переносе и отмене: подписанные календари обновляют событие.",
    )

    repeat = models.CharField("Повторение", max_length=16, choices=Repeat.choices, blank=True, default="")
    repeat_interval = models.PositiveSmallIntegerField(
        "Интервал", default=1, help_text="1 — каждый раз, 2 — через раз…"
    )
    repeat_until = models.DateField("Повторять до (включительно)", null=True, blank=True)
    repeat_count = models.PositiveSmallIntegerField("Число повторений", null=True, blank=True)
    rrule_text = models.CharField(
        "Правило RRULE (для опытных)",
        max_length=300,
        blank=True,
        help_text="Правило iCalendar, например FREQ=MONTHLY;BYDAY=3TH. Если заполнено, поля выше не учитываются.",
    )

    registration_open = models.BooleanField("Регистрация на сайте", default=False)
    capacity = models.PositiveIntegerField("Число мест", null=True, blank=True, help_text="Пусто — без ограничения.")
    registration_deadline = models.DateTimeField("Регистрация до", null=True, blank=True)
    waitlist_enabled = models.BooleanField("Лист ожидания", default=True)

    content_panels = BasePage.content_panels + [
        FieldPanel("lead"),
        MultiFieldPanel(
            [
                FieldPanel("event_type"),
                FieldPanel("audiences", widget=forms.CheckboxSelectMultiple),
                FieldPanel("subject"),
                FieldRowPanel([FieldPanel("level"), FieldPanel("format")]),
            ],
            heading="Что и для кого",
        ),
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("start"), FieldPanel("end")]), FieldPanel("all_day")],
            heading="Когда",
        ),
        MultiFieldPanel(
            [
                FieldPanel("repeat"),
                FieldRowPanel([FieldPanel("repeat_interval"), FieldPanel("repeat_until"), FieldPanel("repeat_count")]),
                FieldPanel("rrule_text"),
                InlinePanel("exceptions", label="Исключения (даты, когда встречи не будет)"),
            ],
            heading="Повторяющееся мероприятие",
            classname="collapsed",
        ),
        MultiFieldPanel(
            [FieldPanel("venue"), FieldPanel("room"), FieldPanel("online_url"), FieldPanel("online_url_private")],
            heading="Где",
        ),
        MultiFieldPanel(
            [
                PageChooserPanel("organiser", ["methodists.MethodistPage"]),
                FieldPanel("organiser_name"),
                FieldPanel("contact_email"),
            ],
            heading="Организатор",
        ),
        FieldPanel("body"),
        FieldPanel("materials"),
        MultiFieldPanel(
            [FieldPanel("status"), FieldPanel("postponed_to"), FieldPanel("status_note")],
            heading="Статус",
        ),
        MultiFieldPanel(
            [
                FieldPanel("registration_open"),
                FieldRowPanel([FieldPanel("capacity"), FieldPanel("registration_deadline")]),
                FieldPanel("waitlist_enabled"),
            ],
            heading="Регистрация",
        ),
    ]
    search_fields = BasePage.search_fields + [
        index.SearchField("lead"),
        index.SearchField("body"),
        index.FilterField("start"),
        index.RelatedFields("event_type", [index.SearchField("name")]),
        index.RelatedFields("venue", [index.SearchField("name")]),
    ]
    parent_page_types = ["events.EventIndexPage"]
    subpage_types = []
    purge_parent_routes = ("week/", "upcoming/", "archive/", "ical/")  # the calendar's views and feed list it

    def get_cache_purge_urls(self, cache_object=None):
        """core.models.BasePage's, its own iCal file and the calendar months whose grid shows its dates."""
        urls = super().get_cache_purge_urls(cache_object)
        calendar = self.get_parent().get_full_url(cache_object)
        urls.add(self.get_full_url(cache_object) + "ical/")
        for start, end in self.occurrences.values_list("start", "end"):
            # a month's grid shows whole weeks: up to six days of the neighbouring months
            month = (timezone.localtime(start, MSK).date() - timedelta(6)).replace(day=1)
            while month <= timezone.localtime(end, MSK).date() + timedelta(6):
                urls.add(f"{calendar}?month={month:%Y-%m}")
                month = (month + timedelta(32)).replace(day=1)
        return urls

    class Meta:
        verbose_name = "Мероприятие"
        verbose_name_plural = "Мероприятия"
        indexes = [models.Index(fields=["start"])]

    # --- dates -------------------------------------------------------------------------------

    @property
    def effective_start(self) -> datetime:
        if self.status == Status.POSTPONED and self.postponed_to:
            return self.postponed_to
        return self.start

    @property
    def effective_end(self) -> datetime:
        return self.effective_start + self.duration

    @property
    def duration(self) -> timedelta:
        return max(self.end - self.start, timedelta(0))

    @property
    def is_recurring(self) -> bool:
        return bool(self.rrule_text.strip() or self.repeat)

    def rrule_string(self) -> str:
        """The rule as an RFC 5545 RRULE value (events.recurrence), "" for a single event."""
        if self.rrule_text.strip():
            return normalise_rrule(self.rrule_text, self.effective_start)
        return rule_from_fields(
            self.repeat, self.repeat_interval, self.repeat_until, self.repeat_count, self.effective_start
        )

    def exception_dates(self) -> set:
        return {exc.date for exc in self.exceptions.all()}

    def occurrence_starts(self, horizon: datetime | None = None) -> list[datetime]:
        """Start times (aware, Moscow) of every occurrence, exceptions removed. One for a single event."""
        return occurrence_starts(self.rrule_string(), self.effective_start, self.exception_dates(), horizon)

    @property
    def marks_old_date(self) -> bool:
        """Postponed to a known new date: the old date keeps an occurrence marked «moved»."""
        return bool(self.status == Status.POSTPONED and self.postponed_to and self.postponed_to != self.start)

    def clean(self):
        super().clean()
        errors = {}
        if self.start and self.end and self.end < self.start:
            errors["end"] = "Окончание не может быть раньше начала."
        if self.status == Status.POSTPONED and self.postponed_to and self.start and self.postponed_to == self.start:
            errors["postponed_to"] = "Новая дата совпадает с прежней."
        if self.repeat_count and self.repeat_until:
            errors["repeat_count"] = "Укажите либо число повторений, либо дату окончания повторов — не оба."
        if self.rrule_text.strip() and self.start:
            try:
                parse_rrule(self.rrule_string(), self.start)
            except (ValueError, TypeError, KeyError) as exc:
                errors["rrule_text"] = f"Правило не распознано: {exc}"
        if self.capacity == 0:
            errors["capacity"] = "Число мест должно быть больше нуля или пусто."
        if self.format == Format.OFFLINE and not self.venue_id:
            errors["venue"] = "Для очного мероприятия укажите место проведения."
        if errors:
            raise ValidationError(errors)

    # --- identity for calendars ----------------------------------------------------------------

    def _calendar_signature(self):
        return (self.start, self.end, self.all_day, self.status, self.postponed_to, self.rrule_string(), self.venue_id)

    def change_kind(self, old: "EventPage") -> str | None:
        """What registrants must hear about when `old` (the row before this save, with a different
        calendar signature) becomes self."""
        if self.status == Status.CANCELLED:
            return None if old.status == Status.CANCELLED else "event_cancelled"
        newly_postponed = old.status != Status.POSTPONED or old.postponed_to != self.postponed_to
        if self.status == Status.POSTPONED and newly_postponed:
            return "event_postponed"
        return "event_changed"

    # What the last save() changed for registrants: "event_cancelled", "event_postponed", "event_changed".
    registrant_notice: str | None = None

    def save(self, *args, **kwargs):
        """Keeps what is derived from the fields (materials flag, calendar SEQUENCE, occurrences) and
        notes in `registrant_notice` what registrants must be told: events.notices sends it on
        Wagtail's page_published, so a save never sends e-mail itself."""
        update_fields = kwargs.get("update_fields")
        self.with_materials = bool(len(self.materials))
        if update_fields is None:
            self.registrant_notice = None
        if self.pk and update_fields is None:
            old = EventPage.objects.filter(pk=self.pk).first()
            if old is not None and old._calendar_signature() != self._calendar_signature():
                self.sequence = old.sequence + 1
                self.registrant_notice = self.change_kind(old) if old.live and self.live else None
        super().save(*args, **kwargs)
        if update_fields is None:
            rebuild_occurrences(self.pk)

    def uid(self) -> str:
        """Stable across hosts and edits: the page id at the canonical site domain (SITE_URL)."""
        from urllib.parse import urlparse

        from django.conf import settings

        return f"event-{self.pk}@{urlparse(settings.WAGTAILADMIN_BASE_URL).hostname or 'imc'}"

    # --- presentation --------------------------------------------------------------------------

    @property
    def public_online_url(self) -> str:
        return "" if self.online_url_private else self.online_url

    @property
    def location_text(self) -> str:
        parts = []
        if self.venue_id:
            parts.append(self.venue.location_text)
            if self.room:
                parts.append(self.room)
        if self.format != Format.OFFLINE:
            parts.append(self.public_online_url or "Онлайн (ссылка в письме после регистрации)")
        return ", ".join(parts)

    @property
    def organiser_label(self) -> str:
        return self.organiser_name or (self.organiser.title if self.organiser_id else "")

    def seats_taken(self) -> int:
        return self.registrations.filter(status=Registration.State.REGISTERED).count()

    def registration_state(self, now=None) -> str:
        """'open', 'waitlist', 'full', 'closed' or 'none' for the public page."""
        now = now or timezone.now()
        if not self.registration_open:
            return "none"
        if self.status == Status.CANCELLED:
            return "closed"
        if self.registration_deadline and now > self.registration_deadline:
            return "closed"
        if now > self.effective_end:
            return "closed"
        if self.capacity and self.seats_taken() >= self.capacity:
            return "waitlist" if self.waitlist_enabled else "full"
        return "open"

    def get_context(self, request, *args, **kwargs):
        from .views import event_context

        context = super().get_context(request, *args, **kwargs)
        context.update(event_context(self, request))
        return context

    # --- routes --------------------------------------------------------------------------------

    @path("")
    @cache_public(params=())
    def detail(self, request):
        return self.render(request)

    @path("ical/")
    @cache_public(params=())
    def ical(self, request):
        from . import ical

        return ical.event_response(self, request)

    @path("register/")
    def register(self, request):
        from . import views

        return views.register(self, request)

    @path("register/done/")
    def register_done(self, request):
        from . import views

        return views.register_done(self, request)

    @re_path(r"^r/(?P<token>[A-Za-z0-9_-]{20,64})/(?P<action>confirm|cancel)/$")
    def registration_action(self, request, token, action):
        from . import views

        return views.registration_action(self, request, token, action)


class EventException(Orderable):
    event = ParentalKey(EventPage, related_name="exceptions", on_delete=models.CASCADE)
    date = models.DateField("Дата, когда встречи не будет")
    note = models.CharField("Причина", max_length=200, blank=True)

    panels = [FieldRowPanel([FieldPanel("date"), FieldPanel("note")])]

    class Meta(Orderable.Meta):
        verbose_name = "Исключение"
        verbose_name_plural = "Исключения"


class EventOccurrence(models.Model):
    """One dated instance of an event, stored so that calendar queries are a single indexed range scan.

    Rebuilt from the page whenever it is saved (publish). A postponed event has its occurrence at
    the new date and a `moved_from` marker row at the old date, so the old date still shows the notice.
    """

    event = models.ForeignKey(EventPage, on_delete=models.CASCADE, related_name="occurrences")
    start = models.DateTimeField(db_index=True)
    end = models.DateTimeField(db_index=True)
    moved_marker = models.BooleanField(default=False)

    class Meta:
        ordering = ["start", "pk"]
        indexes = [models.Index(fields=["end", "start"])]
        verbose_name = "Дата мероприятия"
        verbose_name_plural = "Даты мероприятий"

    def __str__(self):
        return f"{self.event_id} @ {timezone.localtime(self.start, MSK):%d.%m.%Y %H:%M}"


class Registration(models.Model):
    class State(models.TextChoices):
        REGISTERED = "registered", "Зарегистрирован"
        WAITLIST = "waitlist", "Лист ожидания"
        CANCELLED = "cancelled", "Отменил(а) регистрацию"

    event = models.ForeignKey(
        EventPage, verbose_name="Мероприятие", on_delete=models.CASCADE, related_name="registrations"
    )
    full_name = models.CharField("ФИО", max_length=200)
    organisation = models.CharField("Образовательное учреждение", max_length=250)
    position = models.CharField("Должность", max_length=150)
    email = models.EmailField("E-mail")
    status = models.CharField("Статус", max_length=12, choices=State.choices, default=State.REGISTERED, db_index=True)
    created_at = models.DateTimeField("Заявка подана", default=timezone.now)
    confirmed_at = models.DateTimeField("E-mail подтверждён", null=True, blank=True)
    cancelled_at = models.DateTimeField("Отменена", null=True, blank=True)
    promoted_at = models.DateTimeField("Переведён из листа ожидания", null=True, blank=True)
    reminded_for = models.DateField("Напоминание отправлено к дате", null=True, blank=True)
    consent = models.ForeignKey(
        "core.ConsentRecord",
        verbose_name="Согласие на обработку ПДн",
        on_delete=models.PROTECT,
        related_name="event_registrations",
    )

    panels = [
        FieldPanel("full_name"),
        FieldPanel("organisation"),
        FieldPanel("position"),
        FieldPanel("email"),
        FieldPanel("status"),
    ]

    class Meta:
        verbose_name = "Регистрация на мероприятие"
        verbose_name_plural = "Регистрации на мероприятия"
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "email"],
                condition=~models.Q(status="cancelled"),
                name="events_registration_one_active_per_email",
            )
        ]

    def __str__(self):
        return f"{self.full_name} — {self.event.title}"


class RegistrationLink(models.Model):
    """The confirm/cancel link of one e-mail about a registration, kept as its token's SHA-256
    (core.tokens). Every e-mail gets a new link, because a hash cannot be put back into a later
    e-mail (a reminder, a promotion); links already sent keep working."""

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="links")
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = "Ссылка из письма о регистрации"
        verbose_name_plural = "Ссылки из писем о регистрации"

    def __str__(self):
        return f"{self.registration_id}: {self.token_hash[:12]}…"

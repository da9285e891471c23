"""Methodists: their pages (subject, contacts, consultation hours, files) and visitors' questions to them."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.search import index

from core.blocks import BaseStreamBlock, DocumentItemBlock
from core.models import BasePage, SectionIndexPage

DIVISIONS = [
    ("method", "Методический отдел"),
    ("informatization", "Центр информатизации"),
    ("quality", "Центр оценки качества образования"),
]


class MethodistIndexPage(SectionIndexPage):
    """/metodisty/: every methodist, grouped by division."""

    parent_page_types = ["home.HomePage"]
    subpage_types = ["methodists.MethodistPage"]

    class Meta:
        verbose_name = "Список методистов"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        methodists = (
            MethodistPage.objects.child_of(self)
            .live()
            .public()
            .select_related("photo")
            .prefetch_related("subjects")
            .order_by("path")
        )
        groups = []
        for code, label in DIVISIONS:
            members = [m for m in methodists if m.division == code]
            if members:
                groups.append({"label": label, "code": code, "methodists": members})
        context["groups"] = groups
        return context


class MethodistPage(BasePage):
    """One methodist: the page title is the person's full name."""

    position = models.CharField("Должность", max_length=200, default="Методист")
    photo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name="Фотография",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    subjects = ParentalManyToManyField(
        "core.Subject", verbose_name="Предметы и направления", blank=True, related_name="methodist_pages"
    )
    division = models.CharField("Подразделение", max_length=20, choices=DIVISIONS, default="method")
    phone = models.CharField("Телефон", max_length=100, blank=True)
    email = models.EmailField(
        "E-mail",
        blank=True,
        help_text="На этот адрес приходят вопросы посетителей по предметам методиста.",
    )
    consultation_hours = models.TextField(
        "Часы консультаций", blank=True, help_text="Например: «Вторник, 15:00–17:00, Невский пр., 154, каб. 12»"
    )
    summary = models.TextField("Кратко о направлении работы", blank=True)
    body = StreamField(BaseStreamBlock(), verbose_name="О методисте", blank=True)
    files = StreamField(
        [("document", DocumentItemBlock())],
        verbose_name="Файлы методиста",
        blank=True,
        help_text="Методические рекомендации, планы РУМО, материалы семинаров.",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="Учётная запись методиста",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="methodist_pages",
        help_text="Вопросы по предметам этой страницы видны этой учётной записи в разделе «Вопросы методистам».",
    )
    relations_not_shown = ("user",)  # the account routes questions; the page never shows it (core.checks)

    content_panels = BasePage.content_panels + [
        MultiFieldPanel(
            [FieldPanel("position"), FieldPanel("division"), FieldPanel("subjects"), FieldPanel("photo")],
            heading="Методист",
        ),
        MultiFieldPanel(
            [FieldPanel("phone"), FieldPanel("email"), FieldPanel("consultation_hours")],
            heading="Контакты и консультации",
        ),
        FieldPanel("summary"),
        FieldPanel("body"),
        FieldPanel("files"),
    ]
    settings_panels = BasePage.settings_panels + [FieldPanel("user")]
    search_fields = BasePage.search_fields + [
        index.SearchField("summary"),
        index.SearchField("body"),
        index.RelatedFields("subjects", [index.SearchField("name")]),
    ]
    parent_page_types = ["methodists.MethodistIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = "Страница методиста"
        verbose_name_plural = "Страницы методистов"

    @property
    def photo_alt(self) -> str:
        return f"Фотография: {self.title}"

    def get_meta_description(self) -> str:
        return self.search_description or self.summary or f"{self.position} ИМЦ: {self.title}"


def methodist_for(subject):
    """The live methodist page that answers questions on this subject (first by page order), or None."""
    return MethodistPage.objects.live().public().filter(subjects=subject).exclude(email="").order_by("path").first()


class Question(models.Model):
    """A visitor's question to a methodist: a consultation, not an appeal under 59-ФЗ."""

    class Status(models.TextChoices):
        NEW = "new", "Новый"
        ANSWERED = "answered", "Ответ отправлен"
        CLOSED = "closed", "Закрыт без ответа"

    subject = models.ForeignKey(
        "core.Subject", verbose_name="Предмет", on_delete=models.PROTECT, related_name="methodist_questions"
    )
    methodist = models.ForeignKey(
        MethodistPage,
        verbose_name="Методист",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="questions",
    )
    name = models.CharField("Имя", max_length=150)
    email = models.EmailField("E-mail для ответа")
    text = models.TextField("Вопрос")
    created_at = models.DateTimeField("Получен", default=timezone.now, db_index=True)
    status = models.CharField("Состояние", max_length=10, choices=Status.choices, default=Status.NEW, db_index=True)
    note = models.TextField("Заметка методиста", blank=True)
    consent = models.ForeignKey(
        "core.ConsentRecord",
        verbose_name="Согласие на обработку ПДн",
        on_delete=models.PROTECT,
        related_name="+",
    )

    panels = [FieldPanel("status"), FieldPanel("note")]

    class Meta:
        verbose_name = "Вопрос методисту"
        verbose_name_plural = "Вопросы методистам"
        ordering = ["-created_at"]

    def __str__(self):
        return f"№ {self.pk}: {self.subject} — {self.name}"

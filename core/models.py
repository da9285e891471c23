"""Shared page base and the personal-data consent records every public form uses."""

from django.db import models
from django.utils import timezone
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.models import DraftStateMixin, Page, RevisionMixin
from wagtail.search import index

AGE_MARKS = [("0+", "0+"), ("6+", "6+"), ("12+", "12+"), ("16+", "16+"), ("18+", "18+")]


class BasePage(Page):
    """Fields every public page shares: social preview and the age mark override (436-ФЗ)."""

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

    class Meta:
        abstract = True

    def get_meta_description(self) -> str:
        """Search description if the editor wrote one, else the page's own summary field."""
        for field in ("search_description", "lead", "intro"):
            value = getattr(self, field, "")
            if value:
                return value
        return ""


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

    class Meta:
        verbose_name = "Исходящее письмо"
        verbose_name_plural = "Исходящая почта"
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.subject} → {self.to}"

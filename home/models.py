"""The home page and general content pages (the site settings live in core.models)."""

from django.db import models
from wagtail import blocks
from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField
from wagtail.search import index

from core.blocks import BaseStreamBlock
from core.models import BasePage
from core.slots import home_head, home_slots


class AnnouncementBlock(blocks.StructBlock):
    title = blocks.CharBlock(label="Заголовок", max_length=160)
    text = blocks.TextBlock(label="Текст", required=False)
    page = blocks.PageChooserBlock(label="Подробнее — страница", required=False)
    url = blocks.URLBlock(label="или внешняя ссылка", required=False)
    show_until = blocks.DateBlock(label="Показывать до (включительно)", required=False)

    class Meta:
        icon = "warning"
        label = "Объявление"


class QuickLinkBlock(blocks.StructBlock):
    title = blocks.CharBlock(label="Название", max_length=60)
    page = blocks.PageChooserBlock(label="Страница")
    description = blocks.CharBlock(label="Пояснение", required=False, max_length=120)

    class Meta:
        icon = "link"
        label = "Быстрая ссылка"


class HomePage(BasePage):
    """The site root: current announcements, quick links and slots other apps fill (events, contests)."""

    intro = models.TextField(
        "Вступление",
        blank=True,
        help_text="Одно-два предложения о центре под заголовком главной страницы.",
    )
    announcements = StreamField([("announcement", AnnouncementBlock())], verbose_name="Объявления", blank=True)
    quick_links = StreamField(
        [("link", QuickLinkBlock())],
        verbose_name="Быстрые ссылки",
        blank=True,
        help_text="Самые посещаемые разделы: «ЕГЭ/ОГЭ», «Олимпиадное движение», «Повышение квалификации».",
    )

    content_panels = BasePage.content_panels + [
        FieldPanel("intro"),
        FieldPanel("announcements"),
        FieldPanel("quick_links"),
    ]
    search_fields = BasePage.search_fields + [index.SearchField("intro")]
    max_count = 1
    parent_page_types = ["wagtailcore.Page"]

    class Meta:
        verbose_name = "Главная страница"

    def current_announcements(self):
        """Announcements whose «show until» date has not passed (the date itself included)."""
        from django.utils import timezone

        today = timezone.localdate()
        return [a for a in self.announcements if not a.value["show_until"] or a.value["show_until"] >= today]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["announcements"] = self.current_announcements()
        context["quick_links"] = [link for link in self.quick_links if link.value["page"] is not None]
        # The news, events and contests blocks come from their apps (core/slots.py).
        context["slots"] = home_slots(request, self)
        context["slot_head"] = home_head(request, self)
        return context


class StandardPage(BasePage):
    """Any editorial page: «Повышение квалификации», «ЕГЭ/ОГЭ», the privacy policy, section landings."""

    lead = models.TextField("Лид", blank=True, help_text="Краткое содержание страницы под заголовком.")
    body = StreamField(BaseStreamBlock(), verbose_name="Содержание", blank=True)

    content_panels = BasePage.content_panels + [FieldPanel("lead"), FieldPanel("body")]
    search_fields = BasePage.search_fields + [index.SearchField("lead"), index.SearchField("body")]

    class Meta:
        verbose_name = "Страница"
        verbose_name_plural = "Страницы"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["subpages"] = self.get_children().live().public().specific().only("title", "url_path")
        return context

"""Blocks of the atlas: the shared body blocks (core.blocks) plus the official information of a collection.

Recommendations use core's accordion block; materials of events and hotlines by subject are the atlas's own.
"""

from wagtail import blocks
from wagtail.snippets.blocks import SnippetChooserBlock

from core.blocks import BaseStreamBlock


class PracticeExtraBlock(BaseStreamBlock):
    """What a practice page may add after its fixed sections: the site's shared blocks, nothing else."""


class HotlineBlock(blocks.StructBlock):
    subject = SnippetChooserBlock("core.Subject", label="Предмет / направление")
    phone = blocks.CharBlock(label="Телефон", required=False)
    email = blocks.EmailBlock(label="E-mail", required=False)
    hours = blocks.CharBlock(label="Часы работы", required=False)
    methodist = blocks.PageChooserBlock(
        label="Страница методиста", required=False, page_type=["methodists.MethodistPage"]
    )
    note = blocks.CharBlock(label="Примечание", required=False)


class HotlinesBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label="Заголовок", default="Горячие линии по предметам")
    intro = blocks.TextBlock(label="Пояснение", required=False)
    lines = blocks.ListBlock(HotlineBlock(), label="Линии")

    class Meta:
        icon = "mail"
        label = "Горячие линии по предметам"
        template = "practices_atlas/blocks/hotlines.html"


class MaterialBlock(blocks.StructBlock):
    title = blocks.CharBlock(label="Название мероприятия или материала")
    event = blocks.PageChooserBlock(label="Мероприятие календаря", required=False, page_type=["events.EventPage"])
    date = blocks.DateBlock(label="Дата", required=False)
    note = blocks.TextBlock(label="Примечание", required=False)


class MaterialsBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label="Заголовок")
    intro = blocks.TextBlock(label="Пояснение", required=False)
    items = blocks.ListBlock(MaterialBlock(), label="Материалы")

    class Meta:
        icon = "date"
        label = "Материалы мероприятий"
        template = "practices_atlas/blocks/materials.html"


class CollectionStreamBlock(BaseStreamBlock):
    """A collection's official information: the shared blocks (recommendations are an accordion) and two own."""

    hotlines = HotlinesBlock()
    materials = MaterialsBlock()

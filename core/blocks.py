"""StreamField blocks shared by every page type. Apps import these; nobody copies them."""

from wagtail import blocks
from wagtail.contrib.table_block.blocks import TableBlock
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock

RICH_TEXT_FEATURES = ["h2", "h3", "h4", "bold", "italic", "ol", "ul", "link", "document-link", "hr"]


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label="Текст заголовка", max_length=200)
    level = blocks.ChoiceBlock(
        label="Уровень",
        choices=[("h2", "Заголовок 2"), ("h3", "Заголовок 3"), ("h4", "Заголовок 4")],
        default="h2",
    )

    class Meta:
        icon = "title"
        label = "Заголовок"
        template = "components/blocks/heading.html"


class ImageWithCaptionBlock(blocks.StructBlock):
    image = ImageChooserBlock(label="Изображение")
    alt = blocks.CharBlock(
        label="Альтернативный текст",
        required=False,
        help_text="Что изображено — для незрячих посетителей. Пусто: берётся описание изображения.",
    )
    caption = blocks.CharBlock(label="Подпись", required=False)

    class Meta:
        icon = "image"
        label = "Изображение с подписью"
        template = "components/blocks/image.html"


class DocumentItemBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label="Документ")
    title = blocks.CharBlock(label="Название (если отличается)", required=False)
    date = blocks.DateBlock(label="Дата документа", required=False)


class DocumentListBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label="Заголовок списка", required=False)
    documents = blocks.ListBlock(DocumentItemBlock(), label="Документы")

    class Meta:
        icon = "doc-full"
        label = "Список документов"
        template = "components/blocks/document_list.html"


class VideoBlock(blocks.StructBlock):
    video = EmbedBlock(label="Ссылка на видео", help_text="VK Видео, RuTube или YouTube")
    title = blocks.CharBlock(label="Название видео", help_text="Для программ экранного доступа")

    class Meta:
        icon = "media"
        label = "Видео"
        template = "components/blocks/video.html"


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock(label="Цитата")
    author = blocks.CharBlock(label="Автор", required=False)

    class Meta:
        icon = "openquote"
        label = "Цитата"
        template = "components/blocks/quote.html"


class AccordionItemBlock(blocks.StructBlock):
    question = blocks.CharBlock(label="Вопрос / заголовок")
    answer = blocks.RichTextBlock(label="Ответ", features=RICH_TEXT_FEATURES)


class AccordionBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label="Заголовок", required=False)
    items = blocks.ListBlock(AccordionItemBlock(), label="Пункты")

    class Meta:
        icon = "list-ul"
        label = "Аккордеон (вопросы и ответы)"
        template = "components/blocks/accordion.html"


class ContactCardBlock(blocks.StructBlock):
    title = blocks.CharBlock(label="Заголовок", help_text="Например: «Горячая линия по ЕГЭ»")
    person = blocks.CharBlock(label="Контактное лицо", required=False)
    phone = blocks.CharBlock(label="Телефон", required=False)
    email = blocks.EmailBlock(label="E-mail", required=False)
    hours = blocks.CharBlock(label="Часы работы", required=False)
    note = blocks.TextBlock(label="Примечание", required=False)

    class Meta:
        icon = "user"
        label = "Контакт / горячая линия"
        template = "components/blocks/contact_card.html"


class CallToActionBlock(blocks.StructBlock):
    text = blocks.CharBlock(label="Текст кнопки", max_length=80)
    page = blocks.PageChooserBlock(label="Страница сайта", required=False)
    url = blocks.URLBlock(label="или внешняя ссылка", required=False)
    description = blocks.CharBlock(label="Пояснение", required=False)

    class Meta:
        icon = "link"
        label = "Кнопка-призыв"
        template = "components/blocks/cta.html"

    def clean(self, value):
        value = super().clean(value)
        if not value.get("page") and not value.get("url"):
            raise blocks.StructBlockValidationError({"page": "Выберите страницу сайта или укажите внешнюю ссылку."})
        return value


class BaseStreamBlock(blocks.StreamBlock):
    """The body of every content page: the shared vocabulary of the site."""

    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(label="Текст", features=RICH_TEXT_FEATURES, icon="pilcrow")
    image = ImageWithCaptionBlock()
    documents = DocumentListBlock()
    video = VideoBlock()
    table = TableBlock(label="Таблица", template="components/blocks/table.html")
    quote = QuoteBlock()
    accordion = AccordionBlock()
    contact = ContactCardBlock()
    cta = CallToActionBlock()

"""«Сведения об образовательной организации» (273-ФЗ ст. 29; приказ Рособрнадзора № 1493 от 04.08.2023
в редакции приказа № 1353 от 03.07.2025).

The section and its 14 subsections are created by a data migration (0002_create_sveden), so every
installation has them after `migrate`. Facts the monitoring robots read carry `itemprop` microdata;
every page shares the section navigation (templatetags/sveden_tags.py).
"""

from django.db import models
from django.utils.html import format_html
from modelcluster.fields import ParentalKey
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, HelpPanel, InlinePanel
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable
from wagtail.search import index

from core.blocks import RICH_TEXT_FEATURES, BaseStreamBlock
from core.context_processors import prime_site_settings
from core.models import BasePage, SectionIndexPage, SiteSettings

# Subsections in the order of the requirements: (slug, title, page model).
SUBSECTIONS = [
    ("common", "Основные сведения", "svedencommonpage"),
    ("struct", "Структура и органы управления образовательной организацией", "svedenstructpage"),
    ("document", "Документы", "svedensectionpage"),
    ("education", "Образование", "svedensectionpage"),
    ("eduStandarts", "Образовательные стандарты и требования", "svedensectionpage"),
    ("managers", "Руководство", "svedenmanagerspage"),
    ("employees", "Педагогический состав", "svedenemployeespage"),
    (
        "objects",
        "Материально-техническое обеспечение и оснащенность образовательного процесса. Доступная среда",
        "svedensectionpage",
    ),
    ("paid_edu", "Платные образовательные услуги", "svedensectionpage"),
    ("budget", "Финансово-хозяйственная деятельность", "svedensectionpage"),
    ("vacant", "Вакантные места для приема (перевода) обучающихся", "svedensectionpage"),
    ("grants", "Стипендии и меры поддержки обучающихся", "svedensectionpage"),
    ("inter", "Международное сотрудничество", "svedensectionpage"),
    ("catering", "Организация питания в образовательной организации", "svedensectionpage"),
]
SUBSECTION_SLUGS = [slug for slug, _, _ in SUBSECTIONS]

# itemprop keys of Rosobrnadzor's methodological recommendations that editors may attach to a fact.
FACT_ITEMPROPS = [
    ("", "— без микроразметки —"),
    # document
    ("ustavDocLink", "Устав (ustavDocLink)"),
    ("licenseDocLink", "Лицензия (licenseDocLink)"),
    ("localActStud", "Правила внутреннего распорядка обучающихся (localActStud)"),
    ("localActOrder", "Правила внутреннего трудового распорядка (localActOrder)"),
    ("localActCollec", "Коллективный договор (localActCollec)"),
    ("reportEduDocLink", "Отчёт о самообследовании (reportEduDocLink)"),
    ("prescriptionDocLink", "Предписания органов контроля (prescriptionDocLink)"),
    ("priemDocLink", "Правила приёма (priemDocLink)"),
    ("modeDocLink", "Режим занятий (modeDocLink)"),
    ("tekKontrolDocLink", "Текущий контроль и аттестация (tekKontrolDocLink)"),
    ("perevodDocLink", "Перевод, отчисление, восстановление (perevodDocLink)"),
    ("vozDocLink", "Возникновение и прекращение отношений (vozDocLink)"),
    # education
    ("languageEl", "Языки образования (languageEl)"),
    ("eduChislenEl", "Численность обучающихся (eduChislenEl)"),
    ("eduPriemEl", "Результаты приёма (eduPriemEl)"),
    ("eduPerevodEl", "Перевод, восстановление, отчисление (eduPerevodEl)"),
    ("accreditationDocLink", "Аккредитация (accreditationDocLink)"),
    # eduStandarts
    ("eduFedDoc", "ФГОС (eduFedDoc)"),
    ("eduStandartDoc", "Самостоятельно устанавливаемые стандарты (eduStandartDoc)"),
    ("eduFedTreb", "Федеральные государственные требования (eduFedTreb)"),
    ("eduStandartTreb", "Самостоятельно устанавливаемые требования (eduStandartTreb)"),
    # objects
    ("purposeCab", "Учебные кабинеты (purposeCab)"),
    ("purposeLibr", "Библиотека (purposeLibr)"),
    ("purposeSport", "Объекты спорта (purposeSport)"),
    ("ovz", "Доступ в здания для инвалидов и лиц с ОВЗ (ovz)"),
    ("purposeFacil", "Средства обучения и воспитания (purposeFacil)"),
    ("comNet", "Доступ к информационным системам и сетям (comNet)"),
    ("comNetOvz", "Доступ к информационным системам для лиц с ОВЗ (comNetOvz)"),
    ("erList", "Электронные образовательные ресурсы (erList)"),
    ("erListOvz", "ЭОР для лиц с ОВЗ (erListOvz)"),
    ("techOvz", "Специальные технические средства обучения (techOvz)"),
    ("hostelInfo", "Общежитие (hostelInfo)"),
    ("interInfo", "Интернат (interInfo)"),
    # paid_edu
    ("paidEdu", "Порядок оказания платных услуг (paidEdu)"),
    ("paidDog", "Образец договора (paidDog)"),
    ("paidSt", "Стоимость обучения (paidSt)"),
    ("paidParents", "Плата с родителей (paidParents)"),
    # budget
    ("finPlanDocLink", "План ФХД / бюджетная смета (finPlanDocLink)"),
    ("volume", "Объём образовательной деятельности (volume)"),
    ("finPost", "Поступление средств (finPost)"),
    ("finRas", "Расходование средств (finRas)"),
    # vacant, grants, inter, catering
    ("vacant", "Вакантные места (vacant)"),
    ("grant", "Стипендии (grant)"),
    ("support", "Меры поддержки (support)"),
    ("internationalDog", "Международные договоры (internationalDog)"),
    ("meals", "Организация питания (meals)"),
    ("health", "Охрана здоровья (health)"),
]


class FactBlock(blocks.StructBlock):
    """One published fact: a label, its value and the itemprop the monitoring robot looks for."""

    label = blocks.CharBlock(label="Показатель", max_length=250)
    itemprop = blocks.ChoiceBlock(label="Микроразметка (itemprop)", choices=FACT_ITEMPROPS, required=False)
    value = blocks.RichTextBlock(label="Значение", features=RICH_TEXT_FEATURES)

    class Meta:
        icon = "list-ul"
        label = "Сведение (с микроразметкой)"
        template = "sveden/blocks/fact.html"


class SvedenDocumentBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label="Документ")
    title = blocks.CharBlock(label="Название (если отличается)", required=False)
    itemprop = blocks.ChoiceBlock(label="Микроразметка (itemprop)", choices=FACT_ITEMPROPS, required=False)
    date = blocks.DateBlock(label="Дата документа (утверждения)", required=False)
    updated = blocks.DateBlock(label="Дата обновления на сайте", required=False)


class SvedenDocumentListBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label="Заголовок списка", required=False)
    documents = blocks.ListBlock(SvedenDocumentBlock(), label="Документы")

    class Meta:
        icon = "doc-full"
        label = "Документы (с датой и микроразметкой)"
        template = "sveden/blocks/documents.html"


class ProgramBlock(blocks.StructBlock):
    """A programme the centre implements (itemprop eduOp)."""

    name = blocks.CharBlock(label="Наименование программы")
    level = blocks.CharBlock(label="Вид образования", default="Дополнительное профессиональное образование")
    kind = blocks.CharBlock(label="Вид программы", default="Повышение квалификации")
    form = blocks.CharBlock(label="Форма обучения", default="Очная, с применением ДОТ")
    term = blocks.CharBlock(label="Нормативный срок обучения", help_text="Например: 36 академических часов")
    language = blocks.CharBlock(label="Язык обучения", default="Русский")
    document = DocumentChooserBlock(label="Описание программы (документ)", required=False)

    class Meta:
        icon = "doc-full-inverse"
        label = "Образовательная программа"
        template = "sveden/blocks/program.html"


class SvedenStreamBlock(BaseStreamBlock):
    fact = FactBlock()
    sveden_documents = SvedenDocumentListBlock()
    program = ProgramBlock()


class SvedenIndexPage(SectionIndexPage):
    """/sveden/: the section itself; its subsections are its children."""

    intro = RichTextField("Вступление", blank=True, features=RICH_TEXT_FEATURES)

    parent_page_types = ["home.HomePage"]
    subpage_types = [
        "sveden.SvedenCommonPage",
        "sveden.SvedenStructPage",
        "sveden.SvedenManagersPage",
        "sveden.SvedenEmployeesPage",
        "sveden.SvedenSectionPage",
    ]

    class Meta:
        verbose_name = "Сведения об образовательной организации"
        verbose_name_plural = "Сведения об образовательной организации"


class SvedenPage(BasePage):
    """Shared fields of the subsections: a note when the subsection does not apply and free content."""

    intro = RichTextField("Вступление", blank=True, features=RICH_TEXT_FEATURES)
    not_applicable = models.TextField(
        "Подраздел не применяется",
        blank=True,
        help_text="Если требование не относится к центру дополнительного профессионального образования, "
        "объясните это одним-двумя предложениями — пустой подраздел считается нарушением.",
    )
    body = StreamField(SvedenStreamBlock(), verbose_name="Сведения и документы", blank=True)

    content_panels = BasePage.content_panels + [
        FieldPanel("intro"),
        FieldPanel("not_applicable"),
        FieldPanel("body"),
    ]
    search_fields = BasePage.search_fields + [index.SearchField("intro"), index.SearchField("body")]
    parent_page_types = ["sveden.SvedenIndexPage"]
    subpage_types = []

    class Meta:
        abstract = True


class SvedenSectionPage(SvedenPage):
    """A subsection made of facts and documents (document, education, objects, budget, …)."""

    class Meta:
        verbose_name = "Подраздел сведений"
        verbose_name_plural = "Подразделы сведений"


class SvedenCommonPage(SvedenPage):
    """«Основные сведения»: the organisation's facts come from the site settings (core.SiteSettings),
    their one source, which the footer and JSON-LD read too; the page adds its own text and blocks."""

    content_panels = BasePage.content_panels + [
        HelpPanel(
            format_html(
                "Наименование, дата создания, учредитель, адреса, режим работы, телефоны, e-mail, места "
                "деятельности, филиалы, лицензия и аккредитация берутся из настроек сайта: меню "
                '«Настройки → <a href="{}">Настройки сайта</a>». Там их и меняйте — они обновятся здесь '
                "и в подвале каждой страницы.",
                "/admin/settings/core/sitesettings/",
            ),
            heading="Основные сведения",
        ),
        FieldPanel("intro"),
        FieldPanel("not_applicable"),
        FieldPanel("body"),
    ]

    class Meta:
        verbose_name = "Основные сведения"
        verbose_name_plural = "Основные сведения"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        prime_site_settings(request)  # the copy the footer reads, not another query
        facts = SiteSettings.for_request(request)
        dates = [date for date in (self.last_published_at, facts.updated_at) if date]
        context["updated_at"] = max(dates) if dates else None
        return context


class SvedenStructPage(SvedenPage):
    """«Структура и органы управления» with its units (itemprop structOrgUprav)."""

    content_panels = SvedenPage.content_panels[:1] + [
        FieldPanel("intro"),
        InlinePanel("units", heading="Структурные подразделения и органы управления", label="Подразделение"),
        FieldPanel("not_applicable"),
        FieldPanel("body"),
    ]

    class Meta:
        verbose_name = "Структура и органы управления"
        verbose_name_plural = "Структура и органы управления"


class StructUnit(Orderable):
    KINDS = [("unit", "Структурное подразделение"), ("body", "Орган управления")]

    page = ParentalKey(SvedenStructPage, related_name="units", on_delete=models.CASCADE)
    kind = models.CharField("Вид", max_length=10, choices=KINDS, default="unit")
    name = models.CharField("Наименование", max_length=300)
    head_fio = models.CharField("ФИО руководителя", max_length=200, blank=True)
    head_post = models.CharField("Должность руководителя", max_length=200, blank=True)
    address = models.CharField("Место нахождения", max_length=300, blank=True)
    site = models.URLField("Официальный сайт", blank=True)
    email = models.EmailField("Электронная почта", blank=True)
    regulation = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name="Положение о подразделении (органе управления)",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    panels = [
        FieldPanel("kind"),
        FieldPanel("name"),
        FieldPanel("head_fio"),
        FieldPanel("head_post"),
        FieldPanel("address"),
        FieldPanel("site"),
        FieldPanel("email"),
        FieldPanel("regulation"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = "Подразделение или орган управления"
        verbose_name_plural = "Подразделения и органы управления"

    def __str__(self):
        return self.name


class SvedenManagersPage(SvedenPage):
    """«Руководство» (itemprop rucovodstvo / rucovodstvoZam)."""

    content_panels = SvedenPage.content_panels[:1] + [
        FieldPanel("intro"),
        InlinePanel("managers", heading="Руководитель и заместители", label="Руководитель"),
        FieldPanel("not_applicable"),
        FieldPanel("body"),
    ]

    class Meta:
        verbose_name = "Руководство"
        verbose_name_plural = "Руководство"


class Manager(Orderable):
    page = ParentalKey(SvedenManagersPage, related_name="managers", on_delete=models.CASCADE)
    fio = models.CharField("Фамилия, имя, отчество", max_length=200)
    post = models.CharField("Должность", max_length=250)
    is_head = models.BooleanField("Руководитель организации", default=False)
    telephone = models.CharField("Контактный телефон", max_length=100, blank=True)
    email = models.EmailField("Адрес электронной почты", blank=True)

    panels = [
        FieldPanel("fio"),
        FieldPanel("post"),
        FieldPanel("is_head"),
        FieldPanel("telephone"),
        FieldPanel("email"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = "Руководитель"
        verbose_name_plural = "Руководство"

    def __str__(self):
        return f"{self.fio} — {self.post}"

    @property
    def itemprop(self) -> str:
        return "rucovodstvo" if self.is_head else "rucovodstvoZam"


class SvedenEmployeesPage(SvedenPage):
    """«Педагогический состав» (itemprop teachingStaff)."""

    content_panels = SvedenPage.content_panels[:1] + [
        FieldPanel("intro"),
        InlinePanel("staff", heading="Педагогические работники", label="Педагогический работник"),
        FieldPanel("not_applicable"),
        FieldPanel("body"),
    ]

    class Meta:
        verbose_name = "Педагогический состав"
        verbose_name_plural = "Педагогический состав"


class TeachingStaff(Orderable):
    page = ParentalKey(SvedenEmployeesPage, related_name="staff", on_delete=models.CASCADE)
    fio = models.CharField("Фамилия, имя, отчество", max_length=200)
    post = models.CharField("Должность", max_length=250)
    disciplines = models.TextField("Преподаваемые учебные предметы, курсы, модули", blank=True)
    education_level = models.CharField("Уровень образования", max_length=250, blank=True)
    qualification = models.CharField("Квалификация", max_length=250, blank=True)
    degree = models.CharField("Учёная степень", max_length=100, blank=True, default="нет")
    academic_title = models.CharField("Учёное звание", max_length=100, blank=True, default="нет")
    prof_development = models.TextField("Повышение квалификации и (или) переподготовка", blank=True)
    experience = models.CharField("Стаж работы по специальности", max_length=100, blank=True)
    programs = models.TextField("Образовательные программы, в реализации которых участвует", blank=True)

    panels = [
        FieldPanel("fio"),
        FieldPanel("post"),
        FieldPanel("disciplines"),
        FieldPanel("education_level"),
        FieldPanel("qualification"),
        FieldPanel("degree"),
        FieldPanel("academic_title"),
        FieldPanel("prof_development"),
        FieldPanel("experience"),
        FieldPanel("programs"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = "Педагогический работник"
        verbose_name_plural = "Педагогический состав"

    def __str__(self):
        return self.fio

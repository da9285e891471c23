"""Factories for the «Безопасный интернет» section. The section page and its six subsections come with
`migrate` (safe_internet/migrations/0002_create_section.py); `section()` and `subsection(slug)` return them."""

import datetime

import factory

from core.tasks import deferred_index_tasks
from safe_internet.models import (
    CampaignPage,
    MaterialPage,
    NormativeDocument,
    QuizPage,
    QuizQuestion,
    SafeInternetPage,
    SafeInternetSubsectionPage,
    SafeResource,
)
from tests.core.factories import DocumentFactory, PageFactory, publish

__all__ = [
    "CampaignPageFactory",
    "DocumentFactory",
    "MaterialPageFactory",
    "NormativeDocumentFactory",
    "QuizQuestionFactory",
    "SafeInternetSubsectionPageFactory",
    "SafeResourceFactory",
    "quiz_page",
    "section",
    "subsection",
]


def section() -> SafeInternetPage:
    return SafeInternetPage.objects.get(slug="safe-internet")


def subsection(slug: str) -> SafeInternetSubsectionPage:
    return SafeInternetSubsectionPage.objects.child_of(section()).get(slug=slug)


class SafeInternetSubsectionPageFactory(PageFactory):
    class Meta:
        model = SafeInternetSubsectionPage

    parent = factory.LazyFunction(section)
    title = factory.Sequence(lambda n: f"Подраздел {n}")
    slug = factory.Sequence(lambda n: f"subsection-{n}")
    kind = SafeInternetSubsectionPage.Kind.TEXT


class NormativeDocumentFactory(factory.django.DjangoModelFactory):
    """A federal law in force; `level="local"` for a school's local act."""

    class Meta:
        model = NormativeDocument

    kind = NormativeDocument.Kind.LAW
    number = factory.Sequence(lambda n: f"{9000 + n}-ФЗ")  # clear of real laws the tests name (436-ФЗ…)
    date = factory.Sequence(lambda n: datetime.date(2000 + n % 25, 1 + n % 12, 1 + n % 28))
    issuer = "Федеральное Собрание Российской Федерации"
    level = NormativeDocument.Level.FEDERAL
    title = factory.Sequence(lambda n: f"О защите детей, редакция {n}")
    url = factory.Sequence(lambda n: f"https://example.test/doc/{n}")


class SafeResourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SafeResource

    name = factory.Sequence(lambda n: f"Детский сайт {n}")
    url = factory.Sequence(lambda n: f"https://site{n}.example.test/")
    description = "Проверенный сайт для детей."
    category = "Просвещение"
    age_mark = "6+"
    for_students = True


class MaterialPageFactory(PageFactory):
    """A memo for parents under the section; pass `topics=[...]` (Topic rows: seeded by migration)."""

    class Meta:
        model = MaterialPage
        skip_postgeneration_save = True

    parent = factory.LazyFunction(section)
    title = factory.Sequence(lambda n: f"Памятка {n}")
    slug = factory.Sequence(lambda n: f"material-{n}")
    kind = MaterialPage.Kind.MEMO
    age_band = "adults"
    for_parents = True
    lead = "Коротко о главном."

    @factory.post_generation
    def topics(self, create, extracted, **kwargs):
        if extracted:
            self.topics.set(extracted)
            publish(self)


class CampaignPageFactory(PageFactory):
    """A campaign under the section; dates default to a week starting today."""

    class Meta:
        model = CampaignPage

    parent = factory.LazyFunction(section)
    title = factory.Sequence(lambda n: f"Акция {n}")
    slug = factory.Sequence(lambda n: f"campaign-{n}")
    start_date = factory.LazyFunction(datetime.date.today)
    end_date = factory.LazyAttribute(lambda o: o.start_date + datetime.timedelta(days=7))
    lead = "Акция для школ района."
    for_students = True


class QuizQuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = QuizQuestion

    text = factory.Sequence(lambda n: f"Вопрос {n}?")
    option_a = "Верный ответ"
    option_b = "Неверный ответ"
    option_c = "Ещё один неверный"
    correct = "a"
    explanation = "Потому что так безопаснее."


def quiz_page(title="Проверь себя", questions=3, material=None, parent=None):
    """A published quiz with `questions` questions (option А is right), each linking `material`."""
    page = QuizPage(title=title, slug=f"quiz-{QuizPage.objects.count() + 1}", age_band="teen")
    with deferred_index_tasks():
        (parent or section()).add_child(instance=page)
        for i in range(questions):
            QuizQuestionFactory(page=page, sort_order=i, material=material)
        publish(page)
    return QuizPage.objects.get(pk=page.pk)

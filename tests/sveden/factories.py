"""Factories for «Сведения об образовательной организации»: the section and its fourteen official
subsections come from migrations; tests add subsections of their own."""

import factory

from sveden.models import SvedenIndexPage, SvedenSectionPage
from tests.core.factories import PageFactory


class SvedenSectionPageFactory(PageFactory):
    """A published subsection of facts and documents under /sveden/."""

    class Meta:
        model = SvedenSectionPage

    parent = factory.LazyFunction(lambda: SvedenIndexPage.objects.get())
    title = factory.Sequence(lambda n: f"Дополнительный подраздел {n}")
    slug = factory.Sequence(lambda n: f"extra-{n}")
    body = factory.LazyFunction(list)

"""Factories for the home app: editorial pages (the home page itself comes from migrations)."""

import factory

from home.models import StandardPage
from tests.core.factories import PageFactory


class StandardPageFactory(PageFactory):
    class Meta:
        model = StandardPage

    title = "Повышение квалификации"
    slug = factory.Sequence(lambda n: f"page-{n}")
    lead = ""
    body = factory.LazyFunction(list)

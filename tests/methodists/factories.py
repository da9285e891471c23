"""Factories for the methodists app: the /metodisty/ section and methodists' pages (subjects: core's)."""

import factory

from methodists.models import MethodistIndexPage, MethodistPage
from tests.core.factories import PageFactory, SubjectFactory

__all__ = ["MethodistIndexPageFactory", "MethodistPageFactory", "SubjectFactory"]


class MethodistIndexPageFactory(PageFactory):
    """/metodisty/: one per site, part of the base page tree (tests/conftest.py); returned if it exists."""

    class Meta:
        model = MethodistIndexPage
        django_get_or_create = ("parent", "slug")

    title = "Методисты"
    slug = "metodisty"
    intro = "Наши методисты"


class MethodistPageFactory(PageFactory):
    """A published methodist of the methodical division; `subjects=[...]` are the subjects they answer."""

    class Meta:
        model = MethodistPage

    parent = factory.LazyFunction(lambda: MethodistIndexPageFactory())
    title = "Соколова Марина Николаевна"
    slug = factory.Sequence(lambda n: f"methodist-{n}")
    email = factory.Sequence(lambda n: f"methodist{n}@imc-centr.example")
    division = "method"
    subjects = factory.LazyFunction(list)

"""Factories every app's tests share: pages published as an editor publishes them, images, documents,
users in the site's groups. Each app's own page types are in tests/<app>/factories.py."""

import factory
import wagtail_factories
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from wagtail.models import Collection, Site

from core.models import Subject
from core.tasks import deferred_index_tasks


def publish(page):
    """Publishes through a revision, as the admin does (signals, search index, cache generation). The
    index upkeep that every save enqueues runs once per object at the end (core/tasks.py), as in
    load_demo: the same final index, a fifth of the suite's time less."""
    with deferred_index_tasks():
        page.save_revision().publish()
    page.refresh_from_db()
    return page


def home():
    """The site's home page (created by migration)."""
    return Site.objects.get(is_default_site=True).root_page.specific


class PageFactory(wagtail_factories.PageFactory):
    """A page added under `parent` (default: the home page) and published through a revision;
    `live=False` leaves it a draft with one revision. With Meta.django_get_or_create = ("parent", "slug")
    an existing child of that slug is returned instead (the sections, at most one each)."""

    class Meta:
        abstract = True

    parent = factory.LazyFunction(home)
    live = True

    @classmethod
    def _create_instance(cls, model_class, parent, kwargs):
        with deferred_index_tasks():
            instance = super()._create_instance(model_class, parent, kwargs)
            if instance.live:
                return publish(instance)
            instance.save_revision()
        return model_class.objects.get(pk=instance.pk)


class ImageFactory(wagtail_factories.ImageFactory):
    """A real PNG in the root collection."""

    collection = factory.LazyFunction(Collection.get_first_root_node)
    title = factory.Sequence(lambda n: f"Иллюстрация {n}")
    file = factory.django.ImageField(
        filename=factory.Sequence(lambda n: f"test-{n}.png"), width=160, height=90, color="#0b4f8a", format="PNG"
    )


class DocumentFactory(wagtail_factories.DocumentFactory):
    collection = factory.LazyFunction(Collection.get_first_root_node)
    title = factory.Sequence(lambda n: f"Документ {n}")
    file = factory.django.FileField(filename=factory.Sequence(lambda n: f"document-{n}.pdf"), data=b"%PDF-1.4\n%%EOF\n")


class UserFactory(factory.django.DjangoModelFactory):
    """A user with password "x"; `groups=["Редакторы"]` puts them into the site's groups by name."""

    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@imc-centr.example")
    password = factory.django.Password("x")

    @factory.post_generation
    def groups(self, create, names, **kwargs):
        if create and names:
            self.groups.add(*(Group.objects.get(name=name) if isinstance(name, str) else name for name in names))


class SubjectFactory(factory.django.DjangoModelFactory):
    """The site's one subject list (core.Subject), shared by the calendar and the methodists."""

    class Meta:
        model = Subject
        django_get_or_create = ("slug",)

    name = "Математика"
    slug = "matematika"
    sort_order = factory.Sequence(lambda n: n + 1)

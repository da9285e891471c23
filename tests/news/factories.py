"""Factories for the news app, and the make_* helpers the tests call (thin wrappers over them)."""

import datetime

import factory

from news.models import NewsIndexPage, NewsPage
from tests.core.factories import ImageFactory, PageFactory, publish
from tests.home.factories import StandardPageFactory

__all__ = ["make_image", "make_news", "make_news_index", "make_standard_page", "preview_post_data", "publish"]


class NewsIndexPageFactory(PageFactory):
    """/news/: one per site, part of the base page tree (tests/conftest.py); returned if it exists."""

    class Meta:
        model = NewsIndexPage
        django_get_or_create = ("parent", "slug")

    title = "Новости"
    slug = "news"
    intro = "Новости центра."


class NewsPageFactory(PageFactory):
    """A published news item with an image; `tags=[...]`, `main_image=None`, `live=False` (a draft)."""

    class Meta:
        model = NewsPage

    parent = factory.LazyFunction(lambda: NewsIndexPageFactory())
    title = factory.Sequence(lambda n: f"Новость номер {n}")
    slug = factory.Sequence(lambda n: f"news-{n}")
    date = datetime.date(2026, 11, 1)
    lead = factory.LazyAttribute(lambda page: f"Лид новости «{page.title}».")
    main_image = factory.SubFactory(ImageFactory)
    main_image_alt = factory.Sequence(lambda n: f"Альтернативный текст {n}")
    body = factory.LazyFunction(list)
    tags = ()

    @classmethod
    def _create_instance(cls, model_class, parent, kwargs):
        tags = kwargs.pop("tags")
        page = model_class(**kwargs)
        if tags:
            page.tags.add(*tags)  # kept in the cluster, saved with the page and its revision
        parent.add_child(instance=page)
        if page.live:
            return publish(page)
        page.save_revision()
        return model_class.objects.get(pk=page.pk)


def make_image(title="Иллюстрация", size=(160, 90), colour="#0b4f8a"):
    width, height = size
    return ImageFactory(title=title, file__width=width, file__height=height, file__color=colour)


def make_news_index(home, slug="news", title="Новости", **fields):
    return NewsIndexPageFactory(parent=home, slug=slug, title=title, **fields)


def make_news(index, title=None, date=None, tags=(), lead=None, image=True, body=None, live=True, **fields):
    fields.update(parent=index, tags=tags, live=live)
    for name, value in (("title", title), ("date", date), ("lead", lead), ("body", body)):
        if value:
            fields[name] = value
    if image is not True:
        fields["main_image"] = image or None
    return NewsPageFactory(**fields)


def make_standard_page(parent, title="Повышение квалификации", slug=None, lead="", body=None, **fields):
    if slug:
        fields["slug"] = slug
    return StandardPageFactory(parent=parent, title=title, lead=lead, body=body or [], **fields)


def preview_post_data(client, page, **streams):
    """The page's edit form as the admin renders it, plus StreamField data (rendered by JS, so absent in HTML).

    The client must be logged in as an editor. `streams` maps field names to lists of (block, value).
    """
    from django.urls import reverse
    from wagtail.test.utils.form_data import nested_form_data, querydict_from_html, streamfield

    response = client.get(reverse("wagtailadmin_pages:edit", kwargs={"page_id": page.pk}))
    assert response.status_code == 200, response.status_code
    html = response.content.decode()
    data = querydict_from_html(html, form_id="page-edit-form").copy()
    for name, blocks in streams.items():
        for key, value in nested_form_data({name: streamfield(blocks)}).items():
            data[key] = value
    return data

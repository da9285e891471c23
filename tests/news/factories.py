"""Factories for news, pages and images, shared by tests/news, tests/home, tests/search and tests/seo."""

import datetime
import io
import itertools

from django.core.files.images import ImageFile
from PIL import Image as PILImage
from wagtail.images import get_image_model

from home.models import StandardPage
from news.models import NewsIndexPage, NewsPage

_counter = itertools.count(1)


def make_image(title="Иллюстрация", size=(160, 90), colour="#0b4f8a"):
    buffer = io.BytesIO()
    PILImage.new("RGB", size, colour).save(buffer, "PNG")
    Image = get_image_model()
    image = Image(title=title)
    image.file = ImageFile(buffer, name=f"test-{next(_counter)}.png")
    image.save()
    return image


def publish(page):
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def make_news_index(home, slug="news", title="Новости", **fields):
    existing = home.get_children().filter(slug=slug).first()
    if existing:
        return existing.specific
    index = NewsIndexPage(title=title, slug=slug, intro=fields.pop("intro", "Новости центра."), **fields)
    home.add_child(instance=index)
    return publish(index)


def make_news(index, title=None, date=None, tags=(), lead=None, image=True, body=None, live=True, **fields):
    number = next(_counter)
    title = title or f"Новость номер {number}"
    page = NewsPage(
        title=title,
        slug=fields.pop("slug", f"news-{number}"),
        date=date or datetime.date(2026, 11, 1),
        lead=lead or f"Лид новости «{title}».",
        main_image=make_image(f"Изображение {number}") if image is True else (image or None),
        main_image_alt=fields.pop("main_image_alt", f"Альтернативный текст {number}"),
        body=body or [],
        live=live,
        **fields,
    )
    if tags:
        page.tags.add(*tags)
    index.add_child(instance=page)
    if live:
        return publish(page)
    page.save_revision()
    return NewsPage.objects.get(pk=page.pk)


def make_standard_page(parent, title="Повышение квалификации", slug=None, lead="", body=None, **fields):
    page = StandardPage(title=title, slug=slug or f"page-{next(_counter)}", lead=lead, body=body or [], **fields)
    parent.add_child(instance=page)
    return publish(page)


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

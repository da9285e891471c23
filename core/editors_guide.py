"""The editors' guide (docs/editors/*.md) served inside the admin, linked from the «Помощь» menu.

The guide lives in the repository as Markdown so that it is reviewed with the code that changes what
editors see (tests/core/test_editors_guide.py checks every menu item, tab and button it names against
the real admin of each role). Here it is rendered for the people who need it: any signed-in admin user.
Wagtail's own guide links (English) stay in the menu, labelled as such.
"""

import copy
import re
from functools import lru_cache
from pathlib import Path

import markdown
from django.conf import settings
from django.http import Http404
from django.urls import path, reverse
from django.utils.safestring import mark_safe
from django.views.generic import TemplateView
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

GUIDE_TITLE = "Руководство редактора"
INDEX_FILE = "README.md"
# Wagtail's help items that link to English pages on wagtail.org: kept, but said to be in English.
WAGTAIL_ENGLISH_ITEMS = {"editor-guide": "Руководство по Wagtail (на английском)"}
WAGTAIL_WHATS_NEW_PREFIX = "whats-new-in-wagtail-"

_CHECK_COMMENT = re.compile(r"<!--.*?-->", re.S)
_CHAPTER_LINK = re.compile(r'href="([a-z0-9_-]+)\.md(#[^"]*)?"')
_SLUG = re.compile(r"^[a-z0-9_-]+$")


def guide_dir() -> Path:
    return Path(getattr(settings, "EDITORS_GUIDE_DIR", settings.BASE_DIR / "docs" / "editors"))


def chapter_slugs() -> list[str]:
    """README first (the index, slug ""), then the chapters in file-name order."""
    names = sorted(p.stem for p in guide_dir().glob("*.md") if p.name != INDEX_FILE and _SLUG.match(p.stem))
    return ["", *names]


def _path_for(slug: str) -> Path:
    return guide_dir() / (f"{slug}.md" if slug else INDEX_FILE)


def chapter_url(slug: str) -> str:
    return reverse("core_editors_guide_chapter", args=[slug]) if slug else reverse("core_editors_guide")


@lru_cache(maxsize=32)
def _render(path: Path, mtime: float) -> tuple[str, str]:
    """(title, html) of one Markdown file; cached per modification time."""
    text = path.read_text(encoding="utf-8")
    # The test's check comments are for maintainers, not readers.
    text = _CHECK_COMMENT.sub("", text)
    md = markdown.Markdown(extensions=["tables", "toc", "sane_lists"], extension_configs={"toc": {"slugify": _slug}})
    html = md.convert(text)
    match = re.search(r"^#\s+(.+)$", text, re.M)
    title = match.group(1).strip() if match else path.stem
    return title, html


def _slug(value, separator):
    """Heading anchors that keep Cyrillic readable (markdown's default drops it)."""
    value = re.sub(r"[^\w\s-]", "", value, flags=re.U).strip().lower()
    return re.sub(r"[\s]+", separator, value, flags=re.U)


def chapter(slug: str) -> dict:
    path = _path_for(slug)
    if slug not in chapter_slugs() or not path.is_file():
        raise Http404("Такой главы в руководстве нет.")
    title, html = _render(path, path.stat().st_mtime)

    def link(match):
        target = match.group(1)
        if target == "README" or target not in chapter_slugs():
            target = ""
        return f'href="{chapter_url(target)}{match.group(2) or ""}"'

    html = _CHAPTER_LINK.sub(link, html)
    # Tables get the admin's own table style.
    html = html.replace("<table>", '<table class="listing">')
    return {"slug": slug, "title": title, "url": chapter_url(slug), "html": mark_safe(html)}


def chapters() -> list[dict]:
    result = []
    for slug in chapter_slugs():
        path = _path_for(slug)
        title, _ = _render(path, path.stat().st_mtime)
        result.append({"slug": slug, "title": title, "url": chapter_url(slug)})
    return result


class EditorsGuideView(WagtailAdminTemplateMixin, TemplateView):
    """One chapter of the guide with the list of all chapters; any user with admin access may read it."""

    template_name = "core/admin/editors_guide.html"
    page_title = GUIDE_TITLE
    header_icon = "help"

    def get(self, request, *args, slug="", **kwargs):
        self.chapter = chapter(slug)
        return super().get(request, *args, **kwargs)

    def get_page_subtitle(self):
        return self.chapter["title"] if self.chapter["slug"] else ""

    def get_breadcrumbs_items(self):
        items = [*super().get_breadcrumbs_items(), {"url": reverse("core_editors_guide"), "label": GUIDE_TITLE}]
        if self.chapter["slug"]:
            items.append({"url": "", "label": self.chapter["title"]})
        return items

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["chapter"] = self.chapter
        context["chapters"] = chapters()
        return context


@hooks.register("register_admin_urls")
def editors_guide_urls():
    view = EditorsGuideView.as_view()
    return [
        path("guide/", view, name="core_editors_guide"),
        path("guide/<slug:slug>/", view, name="core_editors_guide_chapter"),
    ]


@hooks.register("register_help_menu_item")
def editors_guide_menu_item():
    return MenuItem(GUIDE_TITLE, reverse("core_editors_guide"), name="imc-editors-guide", icon_name="help", order=900)


@hooks.register("construct_help_menu")
def label_wagtail_english_guides(request, items):
    """Wagtail's «Руководство редактора» is its English guide: renamed so that ours is the one by that name."""
    for index, item in enumerate(items):
        label = WAGTAIL_ENGLISH_ITEMS.get(item.name)
        if label is None and item.name.startswith(WAGTAIL_WHATS_NEW_PREFIX):
            label = f"{item.label} (на английском)"
        if label is not None:
            item = copy.copy(item)  # menu items are shared between requests
            item.label = label
            items[index] = item

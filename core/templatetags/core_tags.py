"""Navigation, breadcrumbs and small helpers every page template uses.

Queries stay constant per page: the menu is one query, the breadcrumbs one, the site settings one
(cached on the request by Wagtail), whatever the size of the page tree — and each is kept per cache
generation (core.cache.cached_for_generation), so a warm page pays none of them.
"""

import re
from dataclasses import dataclass

from django import template
from django.conf import settings
from django.core.cache.utils import make_template_fragment_key
from django.template.loader import render_to_string
from django.utils.html import escape
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from wagtail.models import Page, Site
from wagtail.templatetags.wagtail_cache import WagtailCacheNode

from core.cache import (
    FRAGMENT_SECONDS,
    cached_for_generation,
    fragment_cache,
    fragment_expired,
    render_fragment,
    request_generation,
    valid_until,
)
from core.lowvision import OPTIONS, LowVision
from core.models import link_ancestors

register = template.Library()

MENU_FIELDS = ("id", "title", "url_path", "path", "depth", "slug", "content_type_id", "live")


@dataclass(frozen=True)
class MenuItem:
    pk: int
    title: str
    url: str
    url_path: str


def _menu_items(request, site) -> list[MenuItem]:
    # Plain Page rows (no .specific()): a menu needs the title and the URL, nothing else.
    pages = Page.objects.child_of(site.root_page).live().public().in_menu().order_by("path").only(*MENU_FIELDS)
    return [MenuItem(page.pk, page.title, page.get_url(request), page.url_path) for page in pages]


@register.inclusion_tag("navigation/main_menu.html", takes_context=True)
def main_menu(context):
    """Top-level pages with «show in menus»; cached until the next publish (core.cache generation)."""
    request = context.get("request")
    site = Site.find_for_request(request) if request else None
    items = []
    if site is not None:
        items = cached_for_generation(request, f"menu:{site.pk}", lambda: _menu_items(request, site))
    return {"items": items, "current": context.get("page"), "request": request}


_LV_FORMS: dict[str, str] = {}
_NEXT = "__lv_next__"


@register.simple_tag(takes_context=True)
def low_vision_form(context, next_url=None):
    """The low-vision form, rendered once per preference set and process (it is the same on every
    page except for the return address), then filled with this page's `next`."""
    request = context.get("request")
    preferences = context.get("low_vision") or LowVision()
    if next_url is None:
        next_url = request.get_full_path() if request else "/"
    key = preferences.to_cookie()
    html = _LV_FORMS.get(key)
    if html is None:
        html = render_to_string(
            "components/low_vision_form.html",
            {"low_vision": preferences, "low_vision_options": OPTIONS, "next_value": _NEXT, "next_query": _NEXT},
        )
        if len(_LV_FORMS) < 512 and not settings.DEBUG:  # DEBUG: template edits show at once
            _LV_FORMS[key] = html
    value = str(escape(next_url))
    query = urlencode({"next": next_url})[len("next=") :]
    html = html.replace(f'value="{_NEXT}"', f'value="{value}"').replace(f"next={_NEXT}", f"next={query}")
    return mark_safe(html)


@register.inclusion_tag("navigation/breadcrumbs.html", takes_context=True)
def breadcrumbs(context):
    page = context.get("page")
    if not isinstance(page, Page) or page.depth <= 2:
        return {"ancestors": [], "page": page}
    request = context.get("request")
    return {"ancestors": link_ancestors(page, request), "page": page, "request": request}


@register.simple_tag(takes_context=True)
def age_mark(context):
    """The page's own age mark (436-ФЗ) if an editor set one, else the site's from SiteSettings."""
    page = context.get("page")
    if getattr(page, "age_mark", ""):
        return page.age_mark
    try:
        # Wagtail's settings proxy is a mapping (templates write settings.core.SiteSettings).
        return context["settings"]["core"]["SiteSettings"].age_mark or "12+"
    except (KeyError, TypeError, AttributeError):
        return "12+"


@register.filter
def in_section(page, section):
    """True when `page` is `section` or lies beneath it (for aria-current in menus)."""
    url_path = getattr(page, "url_path", None)
    return bool(url_path and section and url_path.startswith(section.url_path))


@register.simple_tag(takes_context=True)
def privacy_policy_url(context):
    """URL of the privacy policy page chosen in the site settings (cached until the next publish)."""
    request = context.get("request")
    try:
        site_settings = context["settings"]["core"]["SiteSettings"]
    except (KeyError, TypeError, AttributeError):
        return ""
    page_id = site_settings.privacy_policy_page_id
    if not page_id:
        return ""

    def build():
        page = Page.objects.live().filter(pk=page_id).only(*MENU_FIELDS).first()
        return (page.get_url(request) if page else "") or ""

    return cached_for_generation(request, f"privacy:{page_id}", build)


@register.filter
def tel_href(phone):
    """«(812) 717-04-72» → «+78127170472» for a tel: link; a Russian 10-digit number gets +7."""
    digits = re.sub(r"\D", "", str(phone or ""))
    if len(digits) == 10:
        return "+7" + digits
    if len(digits) == 11 and digits[0] in "78":
        return "+7" + digits[1:]
    return ("+" if str(phone).strip().startswith("+") else "") + digits


@register.tag("fragment")
def do_fragment(parser, token):
    """{% fragment "home-news" page.pk %}…{% endfragment %}: HTML that is the same for every visitor,
    rendered once per publish. Wagtail's {% wagtailcache %} (Django's {% cache %}, skipped in previews)
    keyed by the name, the values after it and the cache generation, so a publish ends it at once;
    moments it declares with valid_until() end it too and reach the page on every use (core.cache).
    Nothing inside may depend on the visitor (forms, low-vision state, the user). An empty name
    renders the contents every time (a view that cannot be kept)."""
    bits = token.split_contents()[1:]
    if not bits:
        raise template.TemplateSyntaxError("{% fragment %} needs a name")
    nodelist = parser.parse(("endfragment",))
    parser.delete_first_token()
    return FragmentNode(
        CapturingNodeList(nodelist),
        parser.compile_filter(str(FRAGMENT_SECONDS)),
        "fragment",
        [parser.compile_filter(bit) for bit in bits] + [template.Variable(FragmentNode.GENERATION_VAR)],
        None,
    )


class CapturingNodeList(template.NodeList):
    """The fragment's contents, rendered into a FragmentHTML that carries their valid_until() moment."""

    def render(self, context):
        return render_fragment(context.get("request"), lambda: super(CapturingNodeList, self).render(context))


class FragmentNode(WagtailCacheNode):
    GENERATION_VAR = "core_fragment_generation"

    def render(self, context):
        request = context.get("request")
        if request is None or not self.vary_on[0].resolve(context):
            return self.nodelist.render(context)
        current = request_generation(request)
        if current == "none":  # the cache is unreachable: nothing would tell us of the next publish
            html = self.nodelist.render(context)
        else:
            with context.update({self.GENERATION_VAR: current}):
                html = super().render(context)
                if fragment_expired(html):  # kept past the moment it said it changes: render it afresh
                    values = [value.resolve(context) for value in self.vary_on]
                    fragment_cache().delete(make_template_fragment_key(self.fragment_name, values))
                    html = super().render(context)
        valid_until(request, getattr(html, "until", None))
        return html


@register.filter(name="absolute_url")
def absolute_url_filter(path):
    """A site path (an image rendition's /media/… URL) at the public origin, SITE_URL (core.siteurl)."""
    from core.siteurl import absolute_url

    return absolute_url(str(path or ""))

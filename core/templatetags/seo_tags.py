"""{% json_ld structured_data %}: a page's schema.org data (core.seo) in its <script> element."""

from django import template
from django.utils.html import format_html

from core.seo import json_ld as serialise

register = template.Library()


@register.simple_tag
def json_ld(data):
    if not data:
        return ""
    return format_html('<script type="application/ld+json">{}</script>', serialise(data))

"""The section navigation every page of «Сведения об образовательной организации» carries."""

from django import template

register = template.Library()


@register.inclusion_tag("sveden/includes/section_nav.html", takes_context=True)
def sveden_nav(context):
    from sveden.models import SvedenIndexPage

    page = context.get("page")
    # One section per site (max_count = 1); looking it up also works in previews of unsaved pages.
    index = page if isinstance(page, SvedenIndexPage) else SvedenIndexPage.objects.live().first()
    if index is None:
        return {"items": []}
    items = index.get_children().live().public().only("title", "url_path", "slug")
    return {"index": index, "items": items, "current": page, "request": context.get("request")}

"""Home page slots: apps contribute blocks to the home page without the home app importing them.

# events/apps.py, in ready():
register_home_slot("events", order=20, template="events/components/home_slot.html",
                   context=lambda request, page: {"events": upcoming(limit=4)})
"""

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from django.template.loader import render_to_string

from .cache import cached_fragment


@dataclass(frozen=True)
class HomeSlot:
    name: str
    order: int
    template: str
    context: Callable
    head: Callable | None = None


HOME_SLOTS: dict[str, HomeSlot] = {}


def register_home_slot(name: str, order: int, template: str, context: Callable, head: Callable | None = None) -> None:
    """`head(request, page)`, if given, returns HTML for the home page's <head> (a feed link), "" for none."""
    HOME_SLOTS[name] = HomeSlot(name, order, template, context, head)


def home_head(request, page) -> list[str]:
    """What the slots add to the home page's <head>, in slot order; evaluated on every request (cheap)."""
    slots = sorted((slot for slot in HOME_SLOTS.values() if slot.head), key=lambda s: s.order)
    return [html for html in (slot.head(request, page) for slot in slots) if html]


def render_slot(slot: HomeSlot, request, page) -> str:
    context = slot.context(request, page)
    if not context:
        return ""
    return render_to_string(slot.template, {"slot": context, "page": page}, request=request)


def home_slots(request, page) -> list[str]:
    """The slots' HTML in order; a slot with nothing to show (empty context) is left out.

    Each is the same for every visitor, so it is rendered once per publish (core.cache.cached_fragment);
    a slot whose content changes with time says when with core.cache.valid_until().
    """
    rendered = (
        cached_fragment(request, f"home-slot:{slot.name}:{page.pk}", partial(render_slot, slot, request, page))
        for slot in sorted(HOME_SLOTS.values(), key=lambda s: s.order)
    )
    return [html for html in rendered if html]

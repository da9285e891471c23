"""Home page slots: apps contribute blocks to the home page without the home app importing them.

# events/apps.py, in ready():
register_home_slot("events", order=20, template="events/components/home_slot.html",
                   context=lambda request, page: {"events": upcoming(limit=4)})
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class HomeSlot:
    name: str
    order: int
    template: str
    context: Callable


HOME_SLOTS: dict[str, HomeSlot] = {}


def register_home_slot(name: str, order: int, template: str, context: Callable) -> None:
    HOME_SLOTS[name] = HomeSlot(name, order, template, context)


def home_slots(request, page) -> list[dict]:
    """Rendered in order; a slot with nothing to show (empty context) is left out."""
    result = []
    for slot in sorted(HOME_SLOTS.values(), key=lambda s: s.order):
        context = slot.context(request, page)
        if context:
            result.append({"template": slot.template, "context": context, "name": slot.name})
    return result

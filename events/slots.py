"""The home page slot: the next events (registered in events.apps through core.slots)."""

from core.cache import valid_until


def home_slot_context(request, page):
    from .calendar import upcoming
    from .models import EventIndexPage

    index = EventIndexPage.objects.live().only("url_path").first()
    entries = upcoming(limit=4, index=index)
    # The list moves on when a shown occurrence ends (core.cache keeps the rendered slot until then).
    valid_until(request, *(entry.end for entry in entries))
    if not entries:
        return None
    return {"entries": entries, "index_url": index.url if index else "/events/"}

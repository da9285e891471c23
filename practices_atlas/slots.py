"""The home page's «Практика месяца», contributed through core.slots (home imports no atlas)."""

from .models import AtlasSettings, PracticePage


def home_slot_context(request, page):
    """The practice a methodist chose in «Настройки → Практика месяца», if it is live; None hides the block."""
    site = page.get_site() if page is not None else None
    if site is None:
        return None
    # Not for_site(): it creates the row on first use, and a settings save invalidates every cached page.
    chosen = AtlasSettings.objects.filter(site_id=site.pk).first()
    if chosen is None or not chosen.practice_of_month_id:
        return None
    practice = (
        PracticePage.objects.live()
        .public()
        .filter(pk=chosen.practice_of_month_id)
        .select_related("organisation", "practice_type")
        .first()
    )
    if practice is None:
        return None
    index = practice.get_parent()
    return {"practice": practice, "note": chosen.practice_of_month_note, "index_url": index.url if index else ""}

"""The home page slot: contests open now (voting or accepting entries)."""

from django.utils import timezone

from core.cache import valid_until


def home_slot_context(request, page):
    from .models import ContestPage

    now = timezone.now()
    open_now = []
    for contest in ContestPage.objects.live().public().select_related("image").order_by("voting_closes_at"):
        valid_until(request, *contest.window_moments())  # the slot changes when a window opens or closes
        if contest.voting_open(now) or contest.submission_open(now):
            open_now.append(contest)
    if not open_now:
        return None
    return {"contests": open_now[:3], "now": now}

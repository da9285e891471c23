"""E-mail that follows a publish: registrants hear when a published event is cancelled, postponed or
moved. Connected to Wagtail's page_published (events.apps), so saving a page never sends mail itself:
EventPage.save() only notes what changed (registrant_notice), a publish tells the registrants."""

from django.db import transaction

from .registration import notify_registrants


def tell_registrants(sender, instance, **kwargs) -> None:
    kind = getattr(instance, "registrant_notice", None)
    if not kind:
        return
    instance.registrant_notice = None  # told once per change, however often the object is published
    event_id = instance.pk
    transaction.on_commit(lambda: notify_registrants(event_id, kind))  # mail leaves with the publish

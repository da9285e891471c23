"""Run in a subprocess against the outage test's own cluster (a copy of the test database with the base
page tree): adds the pages the test visits and prints their URLs as JSON."""

import json
from datetime import timedelta

import django

django.setup()

from django.utils import timezone  # noqa: E402

from events.models import EventIndexPage  # noqa: E402
from news.models import NewsIndexPage  # noqa: E402
from tests.events.factories import EventPageFactory  # noqa: E402
from tests.news.factories import NewsPageFactory  # noqa: E402

news_index = NewsIndexPage.objects.get()
cached = NewsPageFactory(parent=news_index, slug="itogi", title="Итоги конкурса чтецов", main_image=None)
uncached = NewsPageFactory(parent=news_index, slug="seminar", title="Семинар для молодых педагогов", main_image=None)
event = EventPageFactory(
    parent=EventIndexPage.objects.get(),
    slug="vstrecha",
    title="Встреча молодых педагогов",
    start=(timezone.now() + timedelta(days=3)).replace(microsecond=0),
    registration_open=True,
    capacity=40,
)
print(json.dumps({"cached": cached.url, "uncached": uncached.url, "event": event.url, "event_id": event.pk}))

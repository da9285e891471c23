"""Run in a subprocess against an outage test's database (a copy of the test database, or of the migrated
template: the base page tree is added if missing): adds the pages the test visits and prints their URLs
as JSON."""

import json
from datetime import timedelta

import django

django.setup()

from django.test import RequestFactory  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from contests.models import ContestIndexPage  # noqa: E402
from contests.voting import request_vote  # noqa: E402
from core.consent import current_document  # noqa: E402
from core.models import ConsentRecord  # noqa: E402
from events.models import EventIndexPage  # noqa: E402
from news.models import NewsIndexPage  # noqa: E402
from tests.conftest import build_base_tree  # noqa: E402
from tests.contests.factories import ContestBuilder  # noqa: E402
from tests.events.factories import EventPageFactory  # noqa: E402
from tests.news.factories import NewsPageFactory  # noqa: E402

build_base_tree()
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
# A contest open for voting and three votes requested (their confirmation links are what the tests open).
contest = ContestBuilder(ContestIndexPage.objects.get())(entries_per_nomination=2)
document = current_document("vote")
request = RequestFactory().post("/", REMOTE_ADDR="192.0.2.7")
vote_links = []
for number, entry in enumerate(contest.entry_list[:3]):
    consent = ConsentRecord.objects.create(
        document=document, revision_id=document.live_revision_id, purpose="vote", subnet_hash="s" * 64
    )
    token = request_vote(request, entry, contest, f"voter{number}@school204.example.ru", consent)[1]
    vote_links.append(reverse("contests_confirm", args=[token]))
print(
    json.dumps(
        {
            "cached": cached.url,
            "uncached": uncached.url,
            "event": event.url,
            "event_id": event.pk,
            "votes": vote_links,
        }
    )
)

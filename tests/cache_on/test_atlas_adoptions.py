"""«Внедрили у себя» with the page cache on in Redis: the practice page and the catalogue sorted by adoptions
are stored; a report waiting for its e-mail confirmation changes nothing public and keeps them, the
confirmation shows on the very next anonymous request (docs/dev/caching.md)."""

import pytest
from django.core import mail
from django.test import Client

from core.consent import record_consent
from practices_atlas.adoption_forms import CONSENT_PURPOSE
from practices_atlas.adoptions import request_adoption
from practices_atlas.models import Organisation
from tests.practices_atlas import conftest as atlas_fixtures

pytestmark = [pytest.mark.cache_on, pytest.mark.django_db]

# The atlas's fixtures (tests/practices_atlas/conftest.py), shared with this directory.
vocab, atlas, make_practice = atlas_fixtures.vocab, atlas_fixtures.atlas, atlas_fixtures.make_practice


def twice(client, url):
    return client.get(url), client.get(url)


def stored(first, second) -> bool:
    return first.get("X-Cache") == "MISS" and second.get("X-Cache") == "HIT"


def test_a_confirmed_adoption_shows_on_the_next_anonymous_request(
    client, make_practice, vocab, django_capture_on_commit_callbacks
):
    practice = make_practice("Онлайн-школа: единое расписание", org="school")
    make_practice("Семейный музейный маршрут", org="kindergarten", year=2022)
    school = Organisation.objects.create(
        slug="school-204", short_name="ГБОУ школа № 204", full_name="ГБОУ школа № 204", kind="ОУ", number=204
    )

    class Request:
        META = {"REMOTE_ADDR": "203.0.113.10"}

    # The consent text is published the first time a form needs it (a publish drops the cache): before.
    consent = record_consent(Request(), CONSENT_PURPOSE)
    catalogue = "/atlas/?sort=adopted"
    for url in (practice.url, catalogue):
        assert stored(*twice(client, url)), url

    with django_capture_on_commit_callbacks(execute=True):
        _, token = request_adoption(
            practice, school, "Ввели единое расписание.", "ivanova@school204.example.ru", consent
        )
    assert len(mail.outbox) == 1
    for url in (practice.url, catalogue):  # waiting for the e-mail: nothing public changed, still stored
        assert client.get(url)["X-Cache"] == "HIT", url

    with django_capture_on_commit_callbacks(execute=True):
        confirmed = Client().post(practice.url + f"vnedrili/{token}/", REMOTE_ADDR="203.0.113.10")
    assert confirmed.status_code == 200 and "X-Cache" not in confirmed

    page = client.get(practice.url)
    assert page["X-Cache"] == "MISS" and "ГБОУ школа № 204" in page.content.decode()
    assert "1 организация" in page.content.decode()
    listing = client.get(catalogue)
    assert listing["X-Cache"] == "MISS"
    html = listing.content.decode()
    assert html.index("Онлайн-школа: единое расписание") < html.index("Семейный музейный маршрут")
    assert "Внедрили: 1" in html

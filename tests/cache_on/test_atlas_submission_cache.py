"""The page cache's contract (docs/dev/caching.md) for «Предложить практику»: the catalogue at /atlas/ is stored,
its form `predlozhit/` (CSRF token, one-time human check) never is — neither by the page cache nor by nginx."""

import pytest
from wagtail.models import Site

from practices_atlas.models import AtlasIndexPage

pytestmark = [pytest.mark.cache_on, pytest.mark.django_db]


def twice(client, url):
    first = client.get(url)
    return first, client.get(url)


@pytest.fixture
def atlas(public):
    home = Site.objects.get(is_default_site=True).root_page.specific
    index = AtlasIndexPage(title="Атлас педагогических практик", slug="atlas")
    home.add_child(instance=index)
    index.save_revision().publish()
    return index


def test_the_catalogue_is_stored_and_the_submission_form_never_is(client, atlas):
    first, second = twice(client, "/atlas/")
    assert (first["X-Cache"], second["X-Cache"]) == ("MISS", "HIT")
    assert 'href="/atlas/predlozhit/"' in second.content.decode()

    first, second = twice(client, "/atlas/predlozhit/")
    assert first.status_code == second.status_code == 200
    assert second.get("X-Cache") != "HIT"
    assert "csrfmiddlewaretoken" in second.content.decode()
    for response in (first, second):
        control = response["Cache-Control"]
        assert "no-store" in control and "s-maxage" not in control and "public" not in control

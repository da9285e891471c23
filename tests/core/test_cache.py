"""The anonymous page cache (core/cache.py, docs/dev/caching.md): what is stored — only what says
`Cache-Control: public, s-maxage` — what never is, whatever it says, and when it is dropped.

Test settings switch the cache off (PAGE_CACHE_SECONDS=0); every test here switches it on. The whole
site with the cache on, against Redis, is tests/cache_on/.
"""

import pickle
import time

import pytest
import redis
from django.core.cache import cache
from django.test import override_settings
from wagtail.models import Page

from core.lowvision import COOKIE_NAME
from core.models import SiteSettings
from home.models import StandardPage
from tests.own_redis import REDIS_URL, own_redis, redis_caches

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.urls("tests.core.urls_cache"),
    pytest.mark.usefixtures("page_cache_on"),
]

LV_COOKIE = "size-150.scheme-wb.font-serif.images-on.spacing-normal.line-normal.embeds-on"


@pytest.fixture
def standard_page(home_page):
    page = StandardPage(title="Повышение квалификации", slug="kursy-test", lead="Курсы для педагогов района.")
    home_page.add_child(instance=page)
    page.save_revision().publish()
    return page


@pytest.fixture
def other_section(home_page):
    page = StandardPage(title="Другой раздел", slug="drugoy-razdel")
    home_page.add_child(instance=page)
    page.save_revision().publish()
    return page


def fetch(client, url, **kwargs):
    response = client.get(url, **kwargs)
    return response, response.get("X-Cache")


# --- what is stored ------------------------------------------------------------------------------


def test_anonymous_get_is_served_from_the_cache_the_second_time(client, standard_page):
    first, first_state = fetch(client, standard_page.url)
    second, second_state = fetch(client, standard_page.url)
    assert first.status_code == second.status_code == 200
    assert (first_state, second_state) == ("MISS", "HIT")
    assert second.content == first.content
    assert "Повышение квалификации" in second.content.decode()
    assert second["Content-Type"].startswith("text/html")


def test_a_hit_answers_with_the_very_headers_of_the_miss(client, standard_page):
    """Only X-Cache differs: Content-Length included (without it gunicorn sends the hit chunked)."""
    miss, hit = client.get(standard_page.url), client.get(standard_page.url)
    assert (miss["X-Cache"], hit["X-Cache"]) == ("MISS", "HIT")
    assert {k: v for k, v in hit.items() if k != "X-Cache"} == {k: v for k, v in miss.items() if k != "X-Cache"}
    assert hit["Content-Length"] == str(len(hit.content)) and hit.content == miss.content


def test_home_page_is_cached_too(client, home_page):
    assert fetch(client, "/")[1] == "MISS"
    assert fetch(client, "/")[1] == "HIT"


def test_cached_responses_tell_shared_caches_how_long_and_what_varies(client, standard_page):
    for _ in range(2):  # the stored headers are replayed on a hit
        response, _state = fetch(client, standard_page.url)
        cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
        assert {"public", "max-age=0", "s-maxage=300", "stale-while-revalidate=60"} <= cache_control
        assert "Cookie" in response["Vary"]


def test_pages_are_russian_whatever_the_browser_asks_and_do_not_vary_by_its_language(client, standard_page):
    """One language: varying by Accept-Language would only split every shared cache by browser."""
    for accept in ("en-US,en;q=0.9", "de", "ru-RU,ru"):
        response = client.get(standard_page.url, HTTP_ACCEPT_LANGUAGE=accept)
        assert response["Vary"] == "Cookie"
        assert "Перейти к содержанию" in response.content.decode()
    login = client.get("/admin/login/", HTTP_ACCEPT_LANGUAGE="en-US,en")
    assert "Войти" in login.content.decode() and "Sign in" not in login.content.decode()


def page_keys() -> set[str]:
    return {key for key in cache._cache if ":pagecache:" in key and ":generation" not in key}


def test_query_parameters_a_page_does_not_read_share_its_entry(client, standard_page):
    """A standard page reads no parameter: `?utm_x=1`, `?page=2` are the same page, one entry."""
    first, state = fetch(client, standard_page.url)
    assert state == "MISS"
    keys = page_keys()
    for query in ("?utm_x=1", "?page=2", "?a=1&a=2", "?", "?%D0%B9=%20"):
        response, state = fetch(client, standard_page.url + query)
        assert (state, response.content) == ("HIT", first.content), query
    assert page_keys() == keys


def test_declared_parameters_key_their_own_entries_and_nothing_else_does(client):
    assert fetch(client, "/t/echo/?a=1")[1] == "MISS"
    assert fetch(client, "/t/echo/?a=2")[1] == "MISS"
    for query, content in (("?a=1&utm=x", "['1']"), ("?junk=1&a=2", "['2']"), ("", "[]")):
        response, state = fetch(client, "/t/echo/" + query)
        assert response.content.decode() == f"a={content}", query
        assert state == ("MISS" if query == "" else "HIT"), query
    assert fetch(client, "/t/echo/?a=2&a=1")[0].content.decode() == "a=['2', '1']"  # the order of values counts


def test_a_view_that_reads_an_undeclared_parameter_is_not_stored_with_it(client, caplog):
    """Stored under ?a= only, its answer for ?b=1 would be shown for ?b=2: it is not stored at all."""
    for b in ("", "&b=1", "&b=2"):  # asked for, b counts even when absent: ?a=1 must not answer ?a=1&b=1
        response, state = fetch(client, f"/t/undeclared-read/?a=1{b}")
        assert (state, response.content.decode()) == (None, f"a=1 b={b[3:] or None}")
        assert response["Cache-Control"] == "private"
    assert "read undeclared query parameters ['b']" in caplog.text
    # A view that sees the whole query (a copy for its links, a loop) may depend on any parameter present:
    # stored only when none but the declared ones are (junk then gets that canonical answer).
    for junk in ("1", "2"):
        response, state = fetch(client, f"/t/everything/?a=1&z={junk}")
        assert state is None and f"('z', '{junk}')" in response.content.decode()
    canonical, state = fetch(client, "/t/everything/?a=1")
    assert state == "MISS" and "'z'" not in canonical.content.decode()
    response, state = fetch(client, "/t/everything/?z=3&a=1")
    assert (state, response.content) == ("HIT", canonical.content)


def test_a_view_that_declares_nothing_is_keyed_by_its_whole_query(client):
    assert fetch(client, "/t/whole/?b=1&a=2")[1] == "MISS"
    assert fetch(client, "/t/whole/?a=2&b=1")[1] == "HIT"  # sorted
    response, state = fetch(client, "/t/whole/?a=2&b=3")
    assert state == "MISS" and "('b', '3')" in response.content.decode()


def test_cache_is_off_when_page_cache_seconds_is_zero(client, standard_page, settings):
    settings.PAGE_CACHE_SECONDS = 0
    for _ in range(2):
        response, state = fetch(client, standard_page.url)
        assert state is None and "public" not in response.get("Cache-Control", "")


def test_a_view_declared_public_is_stored(client):
    first, state = fetch(client, "/t/plain/")
    assert state == "MISS" and "s-maxage=300" in first["Cache-Control"]
    assert fetch(client, "/t/plain/")[1] == "HIT"


def test_a_page_rendered_while_the_content_changed_is_kept_by_no_cache(client):
    """The proxy in front may already have dropped its copy (core/frontendcache.py): a page that may show
    rows read before the commit must not be stored again, by us or by nginx."""
    first, state = fetch(client, "/t/published-meanwhile/")
    assert state is None and first["Cache-Control"] == "private"
    assert fetch(client, "/t/published-meanwhile/")[1] is None


@pytest.mark.parametrize("url", ["/robots.txt", "/sitemap.xml"])
def test_robots_and_the_sitemap_are_stored(client, home_page, url):
    assert fetch(client, url)[1] == "MISS"
    response, state = fetch(client, url)
    assert state == "HIT" and response.status_code == 200


# --- what is never stored --------------------------------------------------------------------------


def test_a_view_that_declares_nothing_is_never_stored(client):
    """Opt-in: a new view is safe without its author knowing about the page cache."""
    for _ in range(2):
        response, state = fetch(client, "/t/undeclared/")
        assert state is None and response.content == b"<p>undeclared</p>"
        assert "public" not in response.get("Cache-Control", "")


def test_logged_in_editors_never_get_or_fill_the_cache(client, standard_page, django_user_model):
    assert fetch(client, standard_page.url)[1] == "MISS"  # an anonymous copy exists now
    editor = django_user_model.objects.create_user("editor", password="x", is_staff=True)
    client.force_login(editor)
    response, state = fetch(client, standard_page.url)
    assert response.status_code == 200
    assert state is None
    assert fetch(client, standard_page.url)[1] is None


def test_logged_in_response_is_not_stored_for_anonymous_visitors(client, standard_page, django_user_model):
    editor = django_user_model.objects.create_user("editor", password="x")
    client.force_login(editor)
    fetch(client, standard_page.url)
    client.logout()
    client.cookies.clear()
    assert fetch(client, standard_page.url)[1] == "MISS"


def test_pages_with_csrf_tokens_are_not_cached(client):
    assert fetch(client, "/t/form/")[1] is None
    assert fetch(client, "/t/form/")[1] is None
    # even when the visitor already has the CSRF cookie (then no Set-Cookie is sent)
    client.cookies["csrftoken"] = "x" * 32
    response, state = fetch(client, "/t/form/")
    assert state is None and "public" not in response.get("Cache-Control", "")


def test_a_public_declaration_is_withdrawn_when_a_cookie_is_set_below_the_cache(client):
    """The session cookie is added after the view declared itself public: nginx must not keep it either."""
    for _ in range(2):
        response, state = fetch(client, "/t/session/")
        assert state is None
        assert response["Cache-Control"] == "private" and response.cookies["sessionid"].value
        client.cookies.clear()


@pytest.mark.parametrize("url", ["/t/missing/", "/t/redirect/", "/t/private/", "/t/cookie/"])
def test_non_200_private_and_cookie_setting_responses_are_not_cached(client, url):
    assert fetch(client, url)[1] is None
    assert fetch(client, url)[1] is None


def test_wagtail_404_is_not_cached(client, home_page):
    for _ in range(2):
        response, state = fetch(client, "/net-takoy-stranicy/")
        assert response.status_code == 404
        assert state is None


def test_post_is_never_cached_nor_answered_from_the_cache(client):
    assert fetch(client, "/t/post/")[1] == "MISS"
    response = client.post("/t/post/", {"a": "b"})
    assert response.get("X-Cache") is None
    assert response.content == b"method=POST"
    assert fetch(client, "/t/post/")[1] == "HIT"


@pytest.mark.parametrize("url", ["/healthz", "/lv/", "/admin/login/", "/altcha/challenge/", "/favicon.ico"])
def test_machine_and_admin_urls_are_never_stored(client, url, home_page):
    assert fetch(client, url)[1] is None
    assert fetch(client, url)[1] is None


def test_session_cookie_bypasses_the_cache(client, standard_page):
    fetch(client, standard_page.url)
    client.cookies["sessionid"] = "anything"
    assert fetch(client, standard_page.url)[1] is None


# --- invalidation ----------------------------------------------------------------------------------


def cached(client, url):
    fetch(client, url)
    assert fetch(client, url)[1] == "HIT"


def test_publishing_a_page_invalidates_every_cached_page(client, home_page, standard_page):
    cached(client, standard_page.url)
    cached(client, "/")
    standard_page.title = "Курсы повышения квалификации 2027"
    standard_page.save_revision().publish()
    response, state = fetch(client, standard_page.url)
    assert state == "MISS"
    assert "Курсы повышения квалификации 2027" in response.content.decode()
    assert fetch(client, "/")[1] == "MISS"  # the home page may list the changed page


def test_publishing_a_new_page_invalidates_the_lists(client, home_page):
    cached(client, "/")
    page = StandardPage(title="Новая страница в меню", slug="novaya", show_in_menus=True)
    home_page.add_child(instance=page)
    page.save_revision().publish()
    response, state = fetch(client, "/")
    assert state == "MISS"
    assert "Новая страница в меню" in response.content.decode()


def test_unpublishing_invalidates(client, standard_page):
    cached(client, standard_page.url)
    url = standard_page.url
    standard_page.unpublish()
    response, state = fetch(client, url)
    assert response.status_code == 404
    assert state is None


def test_moving_invalidates(client, standard_page, other_section):
    old_url = standard_page.url
    cached(client, old_url)
    standard_page.move(other_section, pos="last-child")
    response, state = fetch(client, old_url)
    assert state != "HIT"
    assert response.status_code in (301, 404)  # Wagtail may leave a redirect behind
    new_url = Page.objects.get(pk=standard_page.pk).url
    assert fetch(client, new_url)[0].status_code == 200


def test_deleting_invalidates(client, standard_page):
    url = standard_page.url
    cached(client, url)
    standard_page.delete()
    assert fetch(client, url)[0].status_code == 404


def test_site_settings_save_invalidates(client, site, standard_page):
    cached(client, standard_page.url)
    settings_obj = SiteSettings.for_site(site)
    settings_obj.phone = "(812) 000-11-22"
    settings_obj.save()
    response, state = fetch(client, standard_page.url)
    assert state == "MISS"
    assert "(812) 000-11-22" in response.content.decode()


# --- low-vision variants ---------------------------------------------------------------------------


def test_each_low_vision_variant_is_cached_separately(client, standard_page):
    plain, state = fetch(client, standard_page.url)
    assert state == "MISS" and "lv-scheme-wb" not in plain.content.decode()

    client.cookies[COOKIE_NAME] = LV_COOKIE
    variant, state = fetch(client, standard_page.url)
    assert state == "MISS"
    assert "lv-scheme-wb" in variant.content.decode()
    variant_again, state = fetch(client, standard_page.url)
    assert state == "HIT" and "lv-scheme-wb" in variant_again.content.decode()

    # the same preferences written in another order share the variant (the key is normalised)
    client.cookies[COOKIE_NAME] = ".".join(reversed(LV_COOKIE.split(".")))
    assert fetch(client, standard_page.url)[1] == "HIT"

    del client.cookies[COOKIE_NAME]
    plain_again, state = fetch(client, standard_page.url)
    assert state == "HIT" and "lv-scheme-wb" not in plain_again.content.decode()


def test_a_garbage_low_vision_cookie_shares_the_plain_variant(client, standard_page):
    cached(client, standard_page.url)
    client.cookies[COOKIE_NAME] = "<script>alert(1)</script>"
    response, state = fetch(client, standard_page.url)
    assert state == "HIT"
    assert "<script>alert(1)" not in response.content.decode()


# --- real Redis, and Redis down ----------------------------------------------------------------------


@pytest.fixture
def redis_cache():
    with own_redis(ignore_exceptions=True) as redis:
        yield redis


@pytest.mark.parametrize("watched", [True, False], ids=["generation-watched", "generation-read-each-time"])
def test_with_real_redis_pages_are_stored_and_invalidated(client, redis_cache, standard_page, monkeypatch, watched):
    monkeypatch.setattr("core.cache.WATCH_GENERATION", watched)
    assert fetch(client, standard_page.url)[1] == "MISS"
    assert fetch(client, standard_page.url)[1] == "HIT"
    assert redis_cache.keys("pagecache:*")
    standard_page.title = "Обновлено в Redis"
    standard_page.save_revision().publish()
    response, state = fetch(client, standard_page.url)
    assert state == "MISS"
    assert "Обновлено в Redis" in response.content.decode()
    assert fetch(client, standard_page.url)[1] == "HIT"


def test_with_real_redis_low_vision_variants_are_separate(client, redis_cache, standard_page):
    fetch(client, standard_page.url)
    client.cookies[COOKIE_NAME] = LV_COOKIE
    assert fetch(client, standard_page.url)[1] == "MISS"
    assert fetch(client, standard_page.url)[1] == "HIT"


def test_with_real_redis_a_hit_costs_no_round_trip_yet_another_process_publishing_shows_at_once(
    client, redis_cache, standard_page, monkeypatch
):
    """The hit comes from this process's memory while Redis's push says the generation is unchanged."""
    from django_redis.client import DefaultClient

    assert fetch(client, standard_page.url)[1] == "MISS"

    def round_trip(*args, **kwargs):
        raise AssertionError("a page-cache hit asked Redis")

    with monkeypatch.context() as patched:
        for method in ("get", "get_many", "mget"):
            patched.setattr(DefaultClient, method, round_trip, raising=False)
        response, state = fetch(client, standard_page.url)
    assert state == "HIT" and "Повышение квалификации" in response.content.decode()

    # Another gunicorn worker publishes: the generation is replaced through a connection of its own.
    StandardPage.objects.filter(pk=standard_page.pk).update(title="Изменено другим процессом")
    other = redis.Redis.from_url(REDIS_URL)
    other.set(cache.make_key("pagecache:generation"), pickle.dumps("elsewhere"))
    wait_for_push()
    response, state = fetch(client, standard_page.url)
    assert state == "MISS" and "Изменено другим процессом" in response.content.decode()
    assert fetch(client, standard_page.url)[1] == "HIT"
    other.delete(cache.make_key("pagecache:generation"))  # a flush or an eviction: a miss again
    wait_for_push()
    assert fetch(client, standard_page.url)[1] == "MISS"


def wait_for_push(seconds=1.0):
    """Until Redis's invalidation reaches this process's watch connection. Redis queues it before its reply
    to the writer but may write it to the socket just after that reply (it flushes the last client first):
    on a loaded machine the next request came in between (a CI run on 2026-12-01). No push within the
    time: the fetch that follows finds the stale copy and the test fails."""
    from core.cache import watch

    assert watch.connection is not None, "the generation is not watched"
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and not watch.connection.can_read(timeout=0.01):
        pass


def test_redis_outage_is_a_miss_and_the_page_still_renders(client, standard_page):
    """Production settings ignore Redis errors (Wagtail itself reads the cache); port 1 refuses connections."""
    with override_settings(CACHES=redis_caches("down", True, location="redis://127.0.0.1:1/0")):
        for _ in range(2):
            response, state = fetch(client, standard_page.url)
            assert response.status_code == 200
            assert state != "HIT"
            assert "Повышение квалификации" in response.content.decode()
        standard_page.save_revision().publish()  # invalidation during the outage does not fail either


def test_the_middleware_survives_a_cache_that_raises(client):
    """Even without IGNORE_EXCEPTIONS the page cache turns every error into a miss (plain view, no Wagtail)."""
    with override_settings(CACHES=redis_caches("down", False, location="redis://127.0.0.1:1/0")):
        for _ in range(2):
            response, state = fetch(client, "/t/plain/")
            assert response.status_code == 200
            assert state != "HIT"
            assert response.content == b"<p>plain</p>"


def test_saving_a_draft_keeps_the_cache(client, standard_page):
    cached(client, standard_page.url)
    standard_page.title = "Черновик заголовка"
    standard_page.save_revision()  # not published: visitors still see the old page
    response, state = fetch(client, standard_page.url)
    assert state == "HIT"
    assert "Черновик заголовка" not in response.content.decode()


def test_a_page_saved_outside_the_publishing_workflow_invalidates(client, home_page):
    """Scripts and the demo loader create live pages with add_child/save, without page_published."""
    cached(client, "/")
    home_page.add_child(instance=StandardPage(title="Добавлена скриптом", slug="skript", show_in_menus=True))
    response, state = fetch(client, "/")
    assert state == "MISS"
    assert "Добавлена скриптом" in response.content.decode()

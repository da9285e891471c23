"""No request leaves the site: every public page (the whole sitemap and the listings' other views) as a
visitor, and the main admin pages as a logged-in editor and as the administrator, in real Chromium.

Every request the browser makes (the page, its frames, images, scripts, fonts, XHR) is recorded at the
context level; any host other than the live server's own fails the test, naming page and URL. This
is what caught Gravatar avatars in the admin (WAGTAIL_GRAVATAR_PROVIDER_URL = None) and the RuTube
player on news pages (now loaded only when the reader presses «Смотреть видео»).
"""

import pytest

from .conftest import VISITOR_EXTRA, Recorder


@pytest.fixture(scope="module")
def demo_logins(live_site):
    """The demo accounts `make run` prints (load_demo creates them with DEBUG on or --with-users)."""
    from core.management.commands.load_demo import DEMO_PASSWORD, Command

    Command()._demo_users(lambda message: None)
    return DEMO_PASSWORD


def admin_paths():
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model
    from wagtail.models import Page, Site

    from news.models import NewsPage

    home = Site.objects.get(is_default_site=True).root_page
    with_video = next(
        (news for news in NewsPage.objects.live() if any(block.block_type == "video" for block in news.body)),
        NewsPage.objects.live().first(),
    )
    sveden = Page.objects.get(url_path__endswith="/sveden/")
    image = get_image_model().objects.order_by("pk").first()
    document = get_document_model().objects.order_by("pk").first()
    assert image is not None and document is not None  # the demo has both
    paths = [
        "/admin/",
        "/admin/pages/",
        f"/admin/pages/{home.pk}/",
        f"/admin/pages/{home.pk}/edit/",
        f"/admin/pages/{with_video.get_parent().pk}/",
        f"/admin/pages/{with_video.pk}/edit/",
        f"/admin/pages/{sveden.pk}/edit/",
        "/admin/images/",
        "/admin/documents/",
        "/admin/snippets/",
        "/admin/users/",
        "/admin/account/",
        "/admin/reports/locked/",
        "/admin/workflows/tasks/index/",
        with_video.url,  # the public page with the userbar of a logged-in editor
        f"/admin/images/{image.pk}/",
        f"/admin/documents/edit/{document.pk}/",
    ]
    return paths


def test_public_pages_make_no_third_party_requests(public_walk):
    assert len(public_walk.sitemap) > 20, public_walk.sitemap  # the demo content: every page type is there
    assert set(VISITOR_EXTRA) <= set(public_walk.statuses)
    assert public_walk.foreign == []


def test_public_pages_keep_to_their_content_security_policy(public_walk):
    """Nothing on a public page needs more than the strict policy: no inline script, style attribute or
    other host refused (the browser would leave it out, so a visitor would miss it)."""
    assert public_walk.csp == []


def test_video_player_loads_only_when_asked(browser, live_site):
    """The RuTube player (a third-party request) appears after «Смотреть видео», and only then."""
    from news.models import NewsPage

    news = next(n for n in NewsPage.objects.live() if any(block.block_type == "video" for block in n.body))
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="ru-RU", base_url=live_site)
    recorder = Recorder(context, live_site)
    context.route("https://rutube.ru/**", lambda route: route.fulfill(status=200, body="player"))
    tab = context.new_page()
    recorder.visit(tab, news.url)
    assert recorder.foreign == []
    assert tab.locator(".block-video iframe").count() == 0
    with tab.expect_request(lambda request: "rutube.ru/play/embed/" in request.url):
        tab.get_by_role("link", name="Смотреть видео").first.click()
    tab.locator(".block-video iframe").first.wait_for()
    assert any("rutube.ru/play/embed/" in url for url in recorder.foreign)
    assert recorder.csp == []  # the policy lets the player's frame in
    context.close()


@pytest.mark.parametrize("username", ["redaktor", "admin"])
def test_admin_makes_no_third_party_requests(browser, live_site, demo_logins, username):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="ru-RU", base_url=live_site)
    recorder = Recorder(context, live_site)
    tab = context.new_page()
    recorder.visit(tab, "/admin/login/")
    tab.fill("input[name=username]", username)
    tab.fill("input[name=password]", demo_logins)
    tab.locator("form button[type=submit]").first.click()
    tab.wait_for_url("**/admin/")
    for path in admin_paths():
        recorder.visit(tab, path)
    avatars = tab.evaluate("[...document.querySelectorAll('img.avatar, .avatar img')].map(i => i.src)")
    context.close()
    assert recorder.foreign == []
    assert recorder.csp == []  # the admin's own policy lets the editor work
    assert not any("gravatar" in src for src in avatars)

"""core names no app: the demo loaders and the methodists' sections come from the apps' AppConfig attributes."""

from core.demo import demo_modules
from core.permissions import methodist_section_apps


def test_demo_loaders_run_in_the_order_pages_link_to_each_other():
    assert demo_modules() == [
        "home.demo",
        "methodists.demo",
        "news.demo",
        "sveden.demo",
        "events.demo",
        "contests.demo",
        "practices_atlas.demo",
        "safe_internet.demo",
        "search.demo",
    ]


def test_methodist_sections_are_the_content_apps_not_home_or_sveden():
    assert methodist_section_apps() == {"news", "events", "practices_atlas", "safe_internet", "contests", "methodists"}

from .conftest import axe_violations


def test_home_page_renders_in_chromium_without_axe_violations(page):
    page.goto("/")
    assert page.locator("h1").first.inner_text().strip() != ""
    assert page.get_by_role("navigation", name="Главное меню").is_visible()
    assert axe_violations(page) == []

"""The low-vision version (ГОСТ Р 52872-2019): preferences in a cookie, classes rendered by the server."""

import re
from pathlib import Path

import pytest
from django.conf import settings

from core.lowvision import COOKIE_NAME, OPTIONS, LowVision

pytestmark = pytest.mark.django_db

ALL = "size-200.scheme-blue.font-serif.images-grey.spacing-wide.line-widest.embeds-off"


def apply(client, **params):
    query = {"apply": "1", "on": "1", "next": "/", **params}
    return client.get("/lv/", query)


# --- the cookie ------------------------------------------------------------------------------------


def test_round_trip_through_the_cookie():
    preferences = LowVision.from_cookie(ALL)
    assert preferences.enabled
    assert (preferences.size, preferences.scheme, preferences.font) == ("200", "blue", "serif")
    assert (preferences.images, preferences.spacing, preferences.line, preferences.embeds) == (
        "grey",
        "wide",
        "widest",
        "off",
    )
    assert preferences.to_cookie() == ALL
    assert LowVision.from_cookie(preferences.to_cookie()) == preferences


@pytest.mark.parametrize(
    "raw",
    [None, "", "garbage", "<script>", "size-999", "scheme-red.size-1000", "on-1", "x" * 500, "size-"],
)
def test_a_cookie_with_nothing_valid_means_the_plain_site(raw):
    assert LowVision.from_cookie(raw) == LowVision()
    assert LowVision.from_cookie(raw).html_classes == ""


def test_bad_values_inside_a_good_cookie_fall_back_to_defaults():
    preferences = LowVision.from_cookie("size-150.scheme-pink.font-comic.images-on")
    assert preferences.enabled
    assert (preferences.size, preferences.scheme, preferences.font) == ("150", "bw", "sans")


def test_html_classes_name_every_preference():
    classes = LowVision.from_cookie(ALL).html_classes.split()
    assert classes[0] == "lv"
    assert set(classes) == {
        "lv",
        "lv-size-200",
        "lv-scheme-blue",
        "lv-font-serif",
        "lv-images-grey",
        "lv-spacing-wide",
        "lv-line-widest",
        "lv-embeds-off",
    }


# --- the /lv/ view -----------------------------------------------------------------------------------


def test_applying_sets_a_long_lived_cookie_and_returns_to_the_page(client, home_page):
    response = apply(client, size="175", scheme="wb", font="serif", next="/ege-oge/?tab=1")
    assert response.status_code == 302
    assert response["Location"] == "/ege-oge/?tab=1"
    morsel = response.cookies[COOKIE_NAME]
    assert LowVision.from_cookie(morsel.value).size == "175"
    assert LowVision.from_cookie(morsel.value).scheme == "wb"
    assert int(morsel["max-age"]) >= 300 * 24 * 3600
    assert morsel["samesite"] == "Lax"
    assert morsel["path"] == "/"


def test_bad_values_in_the_form_are_ignored(client, home_page):
    response = apply(client, size="999", scheme="<b>", images="off")
    preferences = LowVision.from_cookie(response.cookies[COOKIE_NAME].value)
    assert preferences.size == "100"
    assert preferences.scheme == "bw"
    assert preferences.images == "off"


def test_the_plain_version_deletes_the_cookie(client, home_page):
    client.cookies[COOKIE_NAME] = ALL
    response = client.get("/lv/", {"on": "0", "next": "/news/"})
    assert response.status_code == 302
    assert response["Location"] == "/news/"
    assert response.cookies[COOKIE_NAME].value == ""
    assert int(response.cookies[COOKIE_NAME]["max-age"]) == 0


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example/path",
        "http://evil.example",
        "///evil.example",
        "javascript:alert(1)",
        "https:evil.example",
        "/\\evil.example",
        "\\\\evil.example",
    ],
)
def test_next_cannot_redirect_to_another_site(client, home_page, target):
    response = apply(client, next=target)
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_next_on_the_same_host_is_allowed(client, home_page):
    assert apply(client, next="http://testserver/news/")["Location"] == "http://testserver/news/"


def test_the_settings_page_renders_the_form_without_a_csrf_token(client, home_page):
    response = client.get("/lv/", {"next": "/news/"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Версия для слабовидящих" in html
    assert 'name="next" value="/news/"' in html
    assert "csrfmiddlewaretoken" not in html
    for name in OPTIONS:
        assert f'name="{name}"' in html
    assert 'name="robots" content="noindex"' in html


def test_the_settings_page_ignores_a_foreign_next(client, home_page):
    response = client.get("/lv/", {"next": "https://evil.example/"})
    assert 'name="next" value="/"' in response.content.decode()


# --- classes rendered on every page ----------------------------------------------------------------


def test_pages_render_the_classes_from_the_cookie(client, home_page):
    client.cookies[COOKIE_NAME] = ALL
    html = client.get("/").content.decode()
    html_tag = re.search(r"<html[^>]*>", html).group(0)
    for cls in ("lv", "lv-size-200", "lv-scheme-blue", "lv-font-serif", "lv-images-grey", "lv-embeds-off"):
        assert re.search(rf'class="[^"]*\b{cls}\b', html_tag), cls
    assert "Обычная версия сайта" in html
    assert 'value="blue" checked' in html


def test_without_the_cookie_the_page_is_plain_and_offers_the_panel(client, home_page):
    html = client.get("/").content.decode()
    assert re.search(r"<html[^>]*>", html).group(0) == '<html lang="ru">'
    assert "Версия для слабовидящих" in html
    assert 'action="/lv/"' in html
    assert "Обычная версия сайта" not in html


def test_the_panel_remembers_the_current_page_as_next(client, home_page):
    html = client.get("/?utm=1").content.decode()
    assert 'name="next" value="/?utm=1"' in html


# --- contrast of the colour schemes (WCAG 2.1 AA: 4.5:1) ---------------------------------------------


def _luminance(hex_colour):
    hex_colour = hex_colour.lstrip("#")
    if len(hex_colour) == 3:
        hex_colour = "".join(c * 2 for c in hex_colour)
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a, b):
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


CSS = (Path(settings.BASE_DIR) / "static" / "css" / "site.css").read_text()


@pytest.mark.parametrize("scheme", [value for value, _label in OPTIONS["scheme"]])
def test_every_colour_scheme_has_at_least_4_5_to_1(scheme):
    rule = re.search(rf"html\.lv-scheme-{scheme}\s*{{([^}}]*)}}", CSS)
    assert rule, f"no CSS for scheme {scheme}"
    fg = re.search(r"--lv-fg:\s*(#[0-9a-fA-F]{3,6})", rule.group(1)).group(1)
    bg = re.search(r"--lv-bg:\s*(#[0-9a-fA-F]{3,6})", rule.group(1)).group(1)
    assert contrast(fg, bg) >= 4.5, (scheme, fg, bg, contrast(fg, bg))


def test_the_default_palette_meets_aa():
    root = re.search(r":root\s*{([^}]*)}", CSS).group(1)
    var = dict(re.findall(r"--(c-[\w-]+):\s*(#[0-9a-fA-F]{6})", root))
    pairs = [
        ("c-text", "c-bg"),
        ("c-muted", "c-bg"),
        ("c-muted", "c-surface"),
        ("c-primary", "c-bg"),
        ("c-primary", "c-surface"),
        ("c-primary-text", "c-primary"),
        ("c-primary-text", "c-primary-dark"),
        ("c-footer-text", "c-footer-bg"),
        ("c-footer-link", "c-footer-bg"),
        ("c-error", "c-bg"),
    ]
    for fg, bg in pairs:
        assert contrast(var[fg], var[bg]) >= 4.5, (fg, bg, contrast(var[fg], var[bg]))

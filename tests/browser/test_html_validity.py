"""The Nu Html Checker over every public page of the demo (issue 9, item 13): the sitemap, the calendar
in each view with and without filters, the news by tag, year and page 2, search, contest results and
forms, the low-vision settings and the 404 page. The page list is bench/validity.py's, shared with
`make audit`. Java and vnu.jar come from scripts/test.sh (apt-get, `npm ci`); without them this fails."""

import shutil
from urllib.parse import unquote

import pytest

from bench.validity import VNU_JAR, Page, collect_pages, run_vnu


@pytest.fixture(scope="module")
def java():
    java = shutil.which("java")
    if not java or not VNU_JAR.exists():
        pytest.fail(
            f"The Nu Html Checker needs Java ({java or 'not found'}) and {VNU_JAR} "
            f"({'present' if VNU_JAR.exists() else 'missing'}): run `make test` or `npm ci` and "
            "`apt-get install default-jre-headless`."
        )
    return java


# Known-bad markup checked in the same JVM run as the site: the two errors once on /events/.
SENTINEL = Page(
    "/sentinel-invalid-markup/",
    200,
    '<!DOCTYPE html><html lang="ru"><head><title>t</title></head><body>'
    '<form method="get" action=""><input name="q" aria-label="q"></form>'
    '<h2 id="m">Ноябрь</h2><div aria-labelledby="m">…</div></body></html>',
)


@pytest.fixture(scope="module")
def checked(live_site, java):
    """(pages, errors per path): the crawl and one vnu run over it plus the sentinel (one JVM start)."""
    pages = collect_pages(live_site)
    return pages, run_vnu([*pages, SENTINEL], java=java)


def test_checker_reports_invalid_markup(checked):
    """The check cannot pass vacuously: the sentinel's two errors are reported from the same run."""
    _pages, errors = checked
    found = errors[SENTINEL.path]
    assert len(found) == 2, found
    assert "action" in found[0] and "aria-labelledby" in found[1]


def test_every_public_page_is_valid_html(checked):
    pages, errors = checked
    paths = [unquote(page.path) for page in pages]

    def reached(*parts):
        return any(all(part in path for part in parts) for path in paths)

    # The crawl reached the listings the issue names, not only the sitemap.
    for view in ("/events/?", "/events/week/?", "/events/upcoming/?", "/events/archive/?"):
        assert reached(view, "type="), f"no filtered {view}"
    assert reached("/news/?", "tag=", "year=", "page=2")
    assert reached("/search/?q=курсы")
    assert reached("/itogi/") and reached("/zayavka/") and reached("/contests/vote/")
    assert {"/sveden/", "/sveden/common/", "/sveden/catering/", "/lv/"} <= set(paths)
    assert [page.status for page in pages if page.path == "/stranica-kotoroj-net/"] == [404]
    assert not [f"{page.status} {page.path}" for page in pages if page.status >= 500]

    lines = [f"{unquote(path)} — {line}" for path, found in errors.items() if path != SENTINEL.path for line in found]
    print(f"\nNu Html Checker: {len(pages)} pages, {len(lines)} errors")
    assert not lines, f"{len(lines)} vnu errors on {len(pages)} pages:\n" + "\n".join(lines)

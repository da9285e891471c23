"""Phones and hyphenation (issue 9 item 8), in real Chromium at 320×640 and 360×740.

What a visitor notices: after «Показать» the calendar's filter panel folds and the results start near
the top; the contest results table keeps words and numbers whole and «Итог» can be scrolled to; the
news image spans the column; tag chips read «Семинары (4)»; no word is broken across lines without
a hyphen — in the low-vision version at 200 % and in the desktop month grid.

Every test saves screenshots to bench/results/screenshots/<name>-<width>.png (IMC_SCREENSHOTS_DIR
overrides the directory) before it asserts, so a failing run still shows what was wrong.
"""

import os
import re
from pathlib import Path

import pytest

from .conftest import axe_violations

PHONES = [{"width": 320, "height": 640}, {"width": 360, "height": 740}]
PHONE_IDS = ["320", "360"]
LV_200 = "size-200.scheme-bw.font-sans.images-on.spacing-normal.line-normal.embeds-on"
RESULTS = "/contests/deti-v-internete/itogi/"
SHOTS = Path(os.environ.get("IMC_SCREENSHOTS_DIR") or Path(__file__).resolve().parents[2] / "bench/results/screenshots")

# Words (split at spaces, hyphens, dashes, slashes and soft hyphens) whose letters lie on more than one
# line: a word broken mid-way without a hyphen. A break at a soft hyphen shows a hyphen, so the pieces
# between soft hyphens are checked separately.
SPLIT_WORDS_JS = r"""(selector) => {
  const out = [];
  for (const el of document.querySelectorAll(selector)) {
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    let node;
    while ((node = walker.nextNode())) {
      const parent = node.parentElement;
      if (!parent || parent.closest('script, style, code, .visually-hidden')) continue;
      if (!parent.getClientRects().length) continue;
      const re = /[^\s\-‐–—\/\u00ad]+/g;
      let m;
      while ((m = re.exec(node.data))) {
        if (m[0].length < 2) continue;
        // letter by letter: after a soft-hyphen break Chromium also reports the drawn hyphen's box
        // (on the line above) for the next letter, so each letter's own box is its last one
        const tops = new Set();
        const range = document.createRange();
        for (let i = m.index; i < m.index + m[0].length; i++) {
          range.setStart(node, i);
          range.setEnd(node, i + 1);
          const rects = [...range.getClientRects()].filter((rect) => rect.width > 0);
          if (rects.length) tops.add(Math.round(rects[rects.length - 1].top));
        }
        if (tops.size > 1) out.push(m[0]);
      }
    }
  }
  return out;
}"""

# Does this Chromium hyphenate Russian with `hyphens: auto`? (Linux builds need dictionaries that the
# component updater downloads; headless test runs usually have none.) A long word in a narrow box
# with `overflow-wrap: normal` either hyphenates onto several lines or overflows on one.
HYPHENATES_JS = """() => {
  const p = document.createElement('p');
  p.lang = 'ru';
  p.style.cssText = 'width: 4em; hyphens: auto; -webkit-hyphens: auto; overflow-wrap: normal; font-size: 16px;'
    + 'line-height: 20px; position: absolute; visibility: hidden';
  p.textContent = 'безопасного';
  document.body.append(p);
  const lines = Math.round(p.getBoundingClientRect().height / 20);
  p.remove();
  return lines > 1;
}"""


def shoot(tab, name, width):
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}-{width}.png"
    tab.screenshot(path=str(path), full_page=True)
    return path


def overflow(tab) -> int:
    return tab.evaluate("document.documentElement.scrollWidth - window.innerWidth")


@pytest.fixture
def phone(browser, live_site):
    """phone(viewport, cookie=None, javascript=True) → a touch tab of that size."""
    contexts = []

    def make(viewport, cookie=None, javascript=True):
        context = browser.new_context(
            viewport=viewport,
            locale="ru-RU",
            base_url=live_site,
            is_mobile=True,
            has_touch=True,
            java_script_enabled=javascript,
        )
        if cookie:
            context.add_cookies([{"name": "lv", "value": cookie, "url": live_site}])
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


@pytest.mark.parametrize("viewport", PHONES, ids=PHONE_IDS)
def test_calendar_filters_fold_after_show_and_results_start_near_the_top(phone, viewport):
    tab = phone(viewport)
    tab.goto("/events/")
    box = tab.locator("#events-filters-box")
    box.locator("summary").click()
    tab.get_by_role("checkbox", name=re.compile(r"Учителя ОУ")).check()
    tab.get_by_role("button", name="Показать").click()
    tab.wait_for_url(re.compile(r"audience=ou"))
    shoot(tab, "events-filtered", viewport["width"])

    assert not box.evaluate("d => d.open"), "the filter panel stays open after «Показать»"
    heading = tab.locator("#month-heading")
    top = heading.evaluate("h => h.getBoundingClientRect().top + window.scrollY")
    assert top <= 900, f"the results start {top:.0f} px down"
    # what is applied stays visible, and the panel reopens with the choice kept
    active = tab.locator(".events-active-filters")
    assert active.is_visible()
    assert "Учителя ОУ" in active.inner_text()
    box.get_by_text("Изменить фильтры").click()
    assert tab.get_by_role("checkbox", name=re.compile(r"Учителя ОУ")).is_checked()
    assert overflow(tab) <= 0
    assert axe_violations(tab) == []


def test_calendar_filters_fold_without_javascript(phone):
    tab = phone(PHONES[1], javascript=False)
    tab.goto("/events/upcoming/?audience=ou")
    box = tab.locator("#events-filters-box")
    assert not box.evaluate("d => d.open")
    top = tab.get_by_role("heading", name="Ближайшие мероприятия").evaluate("h => h.getBoundingClientRect().top")
    assert top <= 900
    assert "Учителя ОУ" in tab.locator(".events-active-filters").inner_text()
    box.locator("summary").click()
    assert tab.get_by_role("checkbox", name=re.compile(r"Учителя ОУ")).is_checked()


@pytest.mark.parametrize("viewport", PHONES, ids=PHONE_IDS)
def test_contest_results_table_keeps_numbers_whole_and_total_reachable(phone, viewport):
    tab = phone(viewport)
    tab.goto(RESULTS)
    shoot(tab, "contest-results", viewport["width"])

    assert overflow(tab) <= 0
    region = tab.get_by_role("region", name=re.compile("^Итоговый рейтинг: ")).first
    assert region.get_attribute("tabindex") == "0"  # keyboard users can scroll it
    assert tab.evaluate(SPLIT_WORDS_JS, ".results-table") == []  # no «Голо|сов», no «84,|00»
    total = region.get_by_role("columnheader", name="Итог")
    region.focus()
    for _ in range(40):  # the arrow keys scroll a focused region
        if total.evaluate("th => th.getBoundingClientRect().right <= window.innerWidth"):
            break
        tab.keyboard.press("ArrowRight")
    box = total.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= viewport["width"], "«Итог» cannot be reached"
    assert axe_violations(tab) == []


@pytest.mark.parametrize("viewport", PHONES, ids=PHONE_IDS)
def test_news_image_spans_the_column_and_tag_chips_read_with_a_space(phone, viewport):
    from news.models import NewsPage

    news = NewsPage.objects.live().exclude(main_image=None).order_by("-date").first()
    tab = phone(viewport)
    tab.goto(news.url)
    shoot(tab, "news-page", viewport["width"])
    image = tab.locator(".news-page__image img")
    column = tab.locator(".news-page .prose")
    assert image.bounding_box()["width"] >= 0.95 * column.bounding_box()["width"]
    assert overflow(tab) <= 0
    assert axe_violations(tab) == []

    tab.goto("/news/")
    chips = tab.locator(".news-filters .tag")
    chips.first.scroll_into_view_if_needed()
    shoot(tab, "news-index", viewport["width"])
    texts = chips.all_inner_texts()
    assert any(re.fullmatch(r"Семинары \(\d+\)", text) for text in texts), texts
    assert all(re.fullmatch(r".*\S \(\d+\)", text) for text in texts), texts
    seminars = tab.get_by_role("link", name=re.compile(r"^Семинары \(\d+\)$"))
    assert seminars.count() == 1  # the accessible name has the space too
    assert overflow(tab) <= 0
    assert axe_violations(tab) == []


@pytest.mark.parametrize("viewport", PHONES, ids=PHONE_IDS)
def test_low_vision_200_percent_breaks_words_only_with_a_hyphen(phone, viewport):
    from news.models import NewsPage

    news = NewsPage.objects.live().exclude(main_image=None).order_by("-date").first()
    tab = phone(viewport, cookie=LV_200)
    broken = {}
    for name, path in (
        ("lv200-home", "/"),
        ("lv200-news", "/news/"),
        ("lv200-news-page", news.url),
        ("lv200-events", "/events/"),
        ("lv200-contest-results", RESULTS),
    ):
        tab.goto(path)
        assert tab.evaluate("getComputedStyle(document.documentElement).fontSize") == "32px"
        shoot(tab, name, viewport["width"])
        words = tab.evaluate(SPLIT_WORDS_JS, "body")
        if words:
            broken[path] = words
        assert overflow(tab) <= 0, path
    assert broken == {}, broken
    assert axe_violations(tab) == []


@pytest.mark.parametrize("width", [1366, 1280])
def test_desktop_month_grid_gives_every_word_of_a_title_room(page, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto("/events/")
    shoot(page, "events-grid", width)
    print("Chromium hyphenates Russian here:", page.evaluate(HYPHENATES_JS))
    assert page.locator(".cal-month__weekdays").is_visible()  # the 7-column grid, not the phone list
    titles = page.locator(".cal-day .event-entry__title")
    assert titles.count() >= 5
    # Even without hyphenation (whatever this browser can do) no word is cut and nothing sticks out.
    # Set through the CSSOM: the site's CSP (rightly) refuses an injected <style>.
    titles.evaluate_all(
        "els => els.forEach(e => { e.style.setProperty('hyphens', 'manual', 'important');"
        " e.style.setProperty('-webkit-hyphens', 'manual', 'important'); })"
    )
    assert page.evaluate(SPLIT_WORDS_JS, ".cal-day .event-entry__title") == []
    sticking_out = titles.evaluate_all(
        "els => els.filter(e => e.scrollWidth > e.clientWidth + 1).map(e => e.textContent.trim())"
    )
    assert sticking_out == []
    assert page.evaluate(
        "(() => { const g = document.querySelector('.cal-month__days'); return g.scrollWidth <= g.clientWidth + 1; })()"
    )
    assert axe_violations(page) == []

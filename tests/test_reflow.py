"""Reflow and reading comfort in a real browser (WCAG 2.2 1.4.10): every built page fits
320 px and 375 px wide, and 640 px (1280 px at 200% zoom), with no sideways scrolling of the
page; a table wider than the screen scrolls inside its own focusable, named region; on wide
screens the text column has no empty column beside it and lines of about 60 to 80
characters; the timeline's text is the body's size."""

from __future__ import annotations

import pytest
from browser import chromium, require_browser, serve_site
from fixture_sites import PAGE_TYPES, RECOMMENDATION_WORD, browser, fixture_base, fixture_site  # noqa: F401
from test_accessibility import site_pages

pytestmark = pytest.mark.browser

WIDTHS = [320, 375, 640]

MEASURE = """() => {
  const width = document.documentElement.clientWidth;
  const tables = [];
  for (const table of document.querySelectorAll('article table')) {
    const wrap = table.closest('.md-typeset__scrollwrap');
    if (!wrap || wrap.scrollWidth <= wrap.clientWidth) continue;
    tables.push({ focusable: wrap.tabIndex === 0, role: wrap.getAttribute('role'), name: wrap.getAttribute('aria-label') });
  }
  return { scroll: document.documentElement.scrollWidth, width, tables };
}"""


@pytest.fixture(scope="module")
def measured(shipped_site):
    """{(page, width): measurements} for every page of the built site."""
    require_browser()
    found = {}
    pages = [p if p != "search/" else "search/?q=child" for p in site_pages(shipped_site)]
    with serve_site(shipped_site) as base, chromium() as browser:
        for width in WIDTHS:
            page = browser.new_page(viewport={"width": width, "height": 700})
            for rel in pages:
                page.goto(base + rel)
                page.wait_for_load_state("load")
                if rel.startswith("search/"):
                    page.wait_for_function(
                        "Number(document.getElementById('cr-search-results').dataset.runs || 0) >= 1"
                    )
                found[(rel, width)] = page.evaluate(MEASURE)
            page.close()
    return found


def test_every_page_was_measured(shipped_site, measured):
    assert len(measured) == len(site_pages(shipped_site)) * len(WIDTHS)


def test_no_page_scrolls_sideways(measured):
    wide = [
        f"/{page} at {width} px: {m['scroll']} px wide"
        for (page, width), m in sorted(measured.items())
        if m["scroll"] > width
    ]
    assert wide == [], "\n".join(wide)


def test_wide_tables_scroll_in_a_focusable_named_region(measured):
    problems, regions = [], 0
    for (page, width), m in sorted(measured.items()):
        for table in m["tables"]:
            regions += 1
            if not (table["focusable"] and table["role"] == "region" and table["name"]):
                problems.append(f"/{page} at {width} px: {table}")
    assert problems == [], "\n".join(problems)
    assert regions, "no table was wider than a phone: the check did not run"


@pytest.mark.parametrize("width", [320, 375])
def test_search_page_with_results_and_filters_fits(fixture_base, browser, width):
    page = browser.new_page(viewport={"width": width, "height": 700})
    page.goto(fixture_base + f"search/?q={RECOMMENDATION_WORD}")
    page.wait_for_function("Number(document.getElementById('cr-search-results').dataset.runs || 0) >= 1")
    page.click("#cr-search-narrow summary")
    assert page.locator("#cr-filter-theme").is_visible()
    assert page.locator(".cr-search-result__passages a").count() >= 1
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.close()


LINE_LENGTHS = """() => [...document.querySelectorAll('article > p')].map(p => {
  const range = document.createRange();
  range.selectNodeContents(p);
  const lines = new Set([...range.getClientRects()].map(r => Math.round(r.top))).size;
  return lines >= 3 ? p.textContent.length / lines : null;
}).filter(Boolean)"""


@pytest.mark.parametrize("width", [1280, 1920])
def test_lines_are_readable_on_wide_screens(fixture_base, browser, width):
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.goto(fixture_base + "about/")
    lengths = page.evaluate(LINE_LENGTHS)
    assert lengths, "no paragraph of three lines or more to measure"
    assert all(45 <= n <= 80 for n in lengths), lengths
    page.goto(fixture_base + PAGE_TYPES["review"])
    assert not page.locator(".md-sidebar--primary").is_visible(), "no empty left column"
    assert page.locator(".md-sidebar--secondary").is_visible(), "the page's contents beside the text"
    page.close()


def test_timeline_text_is_body_size(fixture_base, browser):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(fixture_base + PAGE_TYPES["review"])
    size = "e => getComputedStyle(e).fontSize"
    body = page.locator("#summary + p").evaluate(size)
    cells = page.eval_on_selector_all("#timeline ~ * table td", "cells => cells.map(c => getComputedStyle(c).fontSize)")
    assert cells and set(cells) == {body}, (body, cells)
    page.close()

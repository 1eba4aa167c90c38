"""The search page and the header's search form, in a real browser, on a site built from
synthetic reviews (tests/fixture_sites.py): results reach the passage, only what a reader
searches for is indexed, the MOJ filter pattern's form (labels above controls, 16 px text,
control edges at 3:1 in light and dark, visible focus, "Clear filters", one polite
announcement per change), and the header form by keyboard with JavaScript on and off."""

from __future__ import annotations

import pytest
from fixture_sites import (  # noqa: F401  (fixtures)
    CITATION_WORD,
    NAME_A,
    RECOMMENDATION_WORD,
    REVIEW_A,
    REVIEW_B,
    SHARED_THEME,
    SOURCE_WORD,
    browser,
    fixture_base,
    fixture_site,
)

pytestmark = pytest.mark.browser

RUNS = "Number(document.getElementById('cr-search-results').dataset.runs || 0) >= {}"

# The contrast ratio of an element's border with what lies behind it, alpha blended, as
# WCAG 2 defines it.
BORDER_CONTRAST = """el => {
  const parse = (c) => { const m = c.match(/[\\d.]+/g).map(Number); return [m[0], m[1], m[2], m.length > 3 ? m[3] : 1]; };
  const over = (top, under) => top.slice(0, 3).map((v, i) => v * top[3] + under[i] * (1 - top[3]));
  const behind = (node) => {
    const stack = [];
    for (let n = node; n; n = n.parentElement) stack.push(parse(getComputedStyle(n).backgroundColor));
    let colour = [255, 255, 255];
    for (const layer of stack.reverse()) colour = over(layer, colour);
    return colour;
  };
  const lum = (rgb) => { const [r, g, b] = rgb.map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
  const back = behind(el.parentElement);
  const edge = over(parse(getComputedStyle(el).borderTopColor), back);
  const [a, b] = [lum(edge), lum(back)].sort((x, y) => y - x);
  return { ratio: (a + 0.05) / (b + 0.05), width: parseFloat(getComputedStyle(el).borderTopWidth) };
}"""


@pytest.fixture(scope="module")
def base(fixture_base):
    return fixture_base


def search(browser, base, query: str, **context):
    page = browser.new_page(**context)
    page.goto(base + "search/?q=" + query)
    page.wait_for_function(RUNS.format(1))
    return page


def hrefs(page) -> list[str]:
    return page.eval_on_selector_all("#cr-search-results a", "links => links.map(a => a.href)")


def test_a_word_only_in_a_recommendation_leads_to_that_recommendation(browser, base):
    page = search(browser, base, RECOMMENDATION_WORD)
    passage = page.locator(f"#cr-search-results a[href$='{REVIEW_A}/#recommendation-r2']")
    assert passage.count() == 1, hrefs(page)
    assert passage.inner_text() == "Recommendation 2"
    assert RECOMMENDATION_WORD in page.locator("#cr-search-results li li").first.inner_text().lower()
    passage.click()
    page.wait_for_url(f"**/reviews/{REVIEW_A}/#recommendation-r2")
    assert page.locator("#recommendation-r2").is_visible()


def test_each_result_shows_type_area_and_year(browser, base):
    page = search(browser, base, RECOMMENDATION_WORD)
    meta = page.locator(".cr-search-result__meta").first.inner_text()
    assert meta == "Child safeguarding practice review (local) · Testshire · 2020"


def test_related_reviews_lists_are_not_searched(browser, base):
    """B's related list names A and their shared theme; a search for either misses B."""
    theme = search(browser, base, SHARED_THEME[1].replace(" ", "+"))
    found = hrefs(theme)
    assert any(f"/themes/{SHARED_THEME[0]}/" in h for h in found), found
    assert not any(REVIEW_B in h for h in found), found
    name = search(browser, base, NAME_A.split()[-1])
    found = hrefs(name)
    assert any(REVIEW_A in h for h in found) and not any(REVIEW_B in h for h in found), found


@pytest.mark.parametrize("word", [SOURCE_WORD, CITATION_WORD, "keeping"])
def test_sources_citations_and_also_found_in_are_not_searched(browser, base, fixture_site, word):
    """Words only in A's source list, only in its citation and key facts, and (for B) only
    in the "Also found in" block quoting A's finding."""
    built = (fixture_site.site / "reviews" / REVIEW_B / "index.html").read_text(encoding="utf-8")
    assert "record keeping" in built, "B quotes A's finding under 'Also found in'"
    page = search(browser, base, word)
    found = hrefs(page)
    assert not any(REVIEW_B in h for h in found), found
    if word != "keeping":
        # No review is found by it. (Pagefind also matches parts of words, so a hand-written
        # page with, say, "folded" may come up for "brackenfold".)
        assert not [h for h in found if "/reviews/" in h], found


def test_the_count_is_announced_once_per_change(browser, base):
    page = search(browser, base, "synthetic")
    status = page.locator("#cr-search-status")
    assert status.get_attribute("role") == "status" and status.get_attribute("aria-live") == "polite"
    page.evaluate("""() => { window.__said = [];
      new MutationObserver(() => window.__said.push(document.getElementById('cr-search-status').textContent))
        .observe(document.getElementById('cr-search-status'), {childList: true, characterData: true, subtree: true}); }""")
    page.select_option("#cr-filter-nation", "Wales")
    page.wait_for_function(RUNS.format(2))
    page.fill("#cr-search-q", RECOMMENDATION_WORD)
    page.keyboard.press("Enter")
    page.wait_for_function(RUNS.format(3))
    said = page.evaluate("window.__said")
    assert len(said) == 2 and all(s.strip() for s in said), said
    assert said[1].startswith("1 result for"), said


def test_clear_filters(browser, base):
    page = browser.new_page()
    page.goto(base + "search/?q=synthetic&nation=Wales")
    page.wait_for_function(RUNS.format(1))
    clear = page.get_by_role("link", name="Clear filters")
    assert clear.is_visible()
    assert page.get_by_role("link", name="Remove this filter: Nation: Wales").is_visible()
    clear.click()
    page.wait_for_function(RUNS.format(2))
    assert page.input_value("#cr-filter-nation") == ""
    assert page.input_value("#cr-search-q") == "synthetic"
    assert not clear.is_visible()
    assert page.evaluate("location.search") == "?q=synthetic"
    assert page.evaluate("document.activeElement.id") == "cr-filter-nation"


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [375, 1280])
def test_form_controls(browser, base, scheme, width):
    """Labels above controls, 16 px text, edges at 3:1 against what is behind them, focus
    visible; the header's field too."""
    page = search(browser, base, "synthetic", color_scheme=scheme, viewport={"width": width, "height": 800})
    if not page.locator("#cr-filter-nation").is_visible():
        page.click("#cr-search-narrow summary")  # folded away on a phone
    controls = ["#cr-search-q"] + [
        f"#{i}" for i in page.eval_on_selector_all("#cr-search-filters select", "s => s.map(e => e.id)")
    ]
    assert len(controls) == 6
    for selector in controls:
        control = page.locator(selector)
        label = page.locator(f"label[for='{selector[1:]}']")
        assert label.bounding_box()["y"] + label.bounding_box()["height"] <= control.bounding_box()["y"] + 1, selector
        for element in (control, label):
            assert float(element.evaluate("e => getComputedStyle(e).fontSize")[:-2]) >= 16, selector
        contrast = control.evaluate(BORDER_CONTRAST)
        assert contrast["width"] >= 1 and contrast["ratio"] >= 3, (selector, contrast)
        control.focus()
        outline = control.evaluate("e => [getComputedStyle(e).outlineStyle, getComputedStyle(e).outlineWidth]")
        assert outline[0] != "none" and float(outline[1][:-2]) >= 2, selector
    header = page.locator("#cr-header-q")
    contrast = header.evaluate(BORDER_CONTRAST)
    assert contrast["ratio"] >= 3, contrast
    assert float(header.evaluate("e => getComputedStyle(e).fontSize")[:-2]) >= 16


@pytest.mark.parametrize("javascript", [True, False])
def test_header_search_by_keyboard_from_a_review(browser, base, javascript):
    context = browser.new_context(java_script_enabled=javascript, viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.goto(base + f"reviews/{REVIEW_A}/")
    for _ in range(15):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "cr-header-q":
            break
    assert page.evaluate("document.activeElement.id") == "cr-header-q"
    page.keyboard.type(RECOMMENDATION_WORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url == base + f"search/?q={RECOMMENDATION_WORD}"
    if javascript:
        page.wait_for_function(RUNS.format(1))
        assert page.input_value("#cr-search-q") == RECOMMENDATION_WORD
        assert page.locator("#cr-search-results a[href$='#recommendation-r2']").count() == 1
    else:
        assert "Search needs JavaScript" in page.inner_text("article")
        assert page.get_by_role("link", name="browse the reviews").is_visible()
    context.close()

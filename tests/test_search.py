"""Search in a real browser: Pagefind's index over the built site, driven through the
site's own search page, with filters; it works under a subpath; bytes on first query."""

from __future__ import annotations

import shutil

import pytest
from browser import serve
from fixture_sites import browser  # noqa: F401  (a fixture)

pytestmark = pytest.mark.browser

AJS = "ayeeshia-jayne-smith-derbyshire-scr-2017"


def count(page) -> int:
    """How many results the status line announces."""
    words = page.inner_text("#cr-search-status").split()
    return 0 if words[0] == "No" else int(words[0])


def results(page, run: int = 1) -> list[str]:
    """The result links once the page's ``run``-th search has finished."""
    page.wait_for_function(f"Number(document.getElementById('cr-search-results').dataset.runs || 0) >= {run}")
    return page.eval_on_selector_all("#cr-search-results a", "links => links.map(a => a.getAttribute('href'))")


@pytest.fixture(scope="module")
def served(shipped_site, browser):
    with serve(shipped_site.site) as base:
        yield base, browser


def test_a_word_from_a_finding_finds_the_review(served):
    base, browser = served
    page = browser.new_page()
    page.goto(base + "search/")
    page.fill("#cr-search-q", "optimism")
    page.keyboard.press("Enter")
    hrefs = results(page)
    assert any(AJS in h for h in hrefs), hrefs
    assert "result" in page.inner_text("#cr-search-status")


def test_filters_narrow_the_results(served):
    base, browser = served
    page = browser.new_page()
    page.goto(base + "search/?q=professionals")
    results(page)
    everything = count(page)
    page.select_option("#cr-filter-nation", "Wales")
    wales = results(page, 2)
    assert 0 < count(page) < everything
    assert all("logan-mwangi" in h for h in wales), wales
    page.select_option("#cr-filter-nation", "")
    results(page, 3)
    page.select_option("#cr-filter-theme", "Unseen men")
    unseen = results(page, 4)
    expected = {"logan-mwangi", "myth-of-invisible-men", "ayeeshia-jayne-smith", "peter-connelly"}
    assert unseen and all(any(e in h for e in expected) for h in unseen), unseen
    assert not any("khyra" in h or "daniel-pelka" in h for h in unseen)


def test_search_works_from_a_subpath(shipped_site, browser, tmp_path):
    root = tmp_path / "served"
    shutil.copytree(shipped_site.site, root / "project-site")
    with serve(root) as base:
        page = browser.new_page()
        page.goto(base + "project-site/search/?q=supervision")
        hrefs = results(page)
        assert hrefs and all(h.startswith("/project-site/") for h in hrefs), hrefs
        page.click("#cr-search-results a >> nth=0")
        page.wait_for_load_state()
        assert page.url.startswith(base + "project-site/")
        assert page.locator("article h1").count() == 1


def test_first_query_downloads_little(served):
    base, browser = served
    page = browser.new_page()
    page.goto(base + "search/")
    page.wait_for_function("document.querySelector('#cr-filter-nation') !== null")
    sizes = []
    page.on("response", lambda r: sizes.append(len(r.body())) if "/pagefind/" in r.url else None)
    page.fill("#cr-search-q", "curiosity")
    page.keyboard.press("Enter")
    results(page)
    assert sum(sizes) < 400_000

"""In a real browser: editors' hostile text is shown as text and never runs, and the
first review's page renders its facts."""

from __future__ import annotations

import pytest
from browser import chromium, require_browser, serve
from conftest import copy_project, synthetic_review, write_review

from generator.pipeline import build

pytestmark = [pytest.mark.browser, pytest.mark.build]

TITLE_BREAKOUT = "</title><script>window.__pwned=1</script> Synthetic & 'child' *x*"
HOSTILE = [
    "<script>alert(1)</script>",
    '<img src=x onerror="window.__pwned=1">',
    "[click me](javascript:window.__pwned=1)",
    "# Not a heading",
    "**not bold** and `not code`",
]


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    require_browser()
    project = copy_project(tmp_path_factory.mktemp("hostile"), with_reviews=False)
    review = synthetic_review(
        "synthetic-hostile-review",
        title="SYNTHETIC <script>window.__pwned=1</script> title",
        short_title=TITLE_BREAKOUT,
        areas=["Test <i>area</i></title><script>window.__pwned=1</script>"],
        summary="\n\n".join(HOSTILE),
        findings=[{"id": "f1", "text": HOSTILE[1] + " " + HOSTILE[2], "themes": ["domestic-abuse"], "sources": ["s1"]}],
    )
    write_review(project.reviews, review)
    build(project)
    return project


def test_hostile_text_is_shown_and_never_runs(hostile_site):
    with serve(hostile_site.site) as base, chromium() as browser:
        page = browser.new_page()
        dialogs = []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        for path in [
            "reviews/synthetic-hostile-review/",
            "themes/domestic-abuse/",
            "",
            "reviews/",
            "browse/",
            "browse/area/test-i-area-i-title-script-window-pwned-1-script/",
        ]:
            response = page.goto(base + path)
            assert response.ok, path
            page.wait_for_load_state("load")
            assert page.evaluate("window.__pwned") is None, path
        page.goto(base + "reviews/synthetic-hostile-review/")
        assert page.title() == TITLE_BREAKOUT + " - Case Review Learning"
        assert page.locator("article h1").inner_text().startswith(TITLE_BREAKOUT)
        body = page.inner_text("article")
        for text in HOSTILE:
            assert text in body, text
        assert "SYNTHETIC <script>window.__pwned=1</script> title" in body
        assert page.locator("article script").count() == 0
        assert page.locator("article img").count() == 0
        assert page.locator("article a[href^='javascript']").count() == 0
        assert page.locator("article h1").count() == 1
        assert dialogs == []


def test_review_page_renders_in_browser(shipped_site):
    with serve(shipped_site.site) as base, chromium() as browser:
        page = browser.new_page(viewport={"width": 375, "height": 800})
        page.goto(base + "reviews/ayeeshia-jayne-smith-derbyshire-scr-2017/")
        assert page.locator("article h1").inner_text().startswith("Ayeeshia-Jayne Smith")
        assert page.locator("#finding-f2").is_visible()
        page.goto(base + "themes/professional-curiosity/")
        page.locator("a[href$='ayeeshia-jayne-smith-derbyshire-scr-2017/#finding-f2']").click()
        page.wait_for_url("**/reviews/ayeeshia-jayne-smith-derbyshire-scr-2017/#finding-f2")
        assert page.locator("#finding-f2").is_visible()


def test_no_request_leaves_the_site(shipped_site):
    """Every page type loads only from the site's own host: no fonts, CDNs or analytics."""
    from urllib.parse import urlsplit

    with serve(shipped_site.site) as base, chromium() as browser:
        page = browser.new_page()
        requests = []
        page.on("request", lambda r: requests.append(r.url))
        for path in [
            "",
            "reviews/",
            "reviews/ayeeshia-jayne-smith-derbyshire-scr-2017/",
            "themes/",
            "themes/unseen-men/",
            "browse/",
            "browse/nation/england/",
            "about/",
            "editors/",
            "search/?q=neglect",
            "404.html",
            "learning/",
            "learning/recommendations/",
            "learning/recurring/",
            "learning/themes-over-time/",
            "learning/method/",
        ]:
            page.goto(base + path)
            page.wait_for_load_state("networkidle")
        own = urlsplit(base).netloc
        elsewhere = sorted(
            {u for u in requests if urlsplit(u).scheme in ("http", "https", "ws", "wss") and urlsplit(u).netloc != own}
        )
        assert requests and elsewhere == []

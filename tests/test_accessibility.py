"""WCAG 2.2 AA in a real browser: axe-core over every page of the shipped site, in the
light and dark colour schemes, at desktop and phone widths; the Nu HTML Checker over
every generated page; and a keyboard walk through a review and a theme page."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from browser import chromium, require_browser, serve_site
from conftest import REPO

AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
VNU = REPO / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
SCHEMES = ["light", "dark"]
VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 375, "height": 740}}


def site_pages(project) -> list[str]:
    """Every page a reader can reach: generated and hand-written pages, search and 404."""
    site = Path(project.site)
    pages = []
    for path in sorted(site.rglob("*.html")):
        rel = path.relative_to(site).as_posix()
        if rel.startswith(("pagefind/", "assets/")):
            continue
        text = path.read_text(encoding="utf-8")
        if 'http-equiv="refresh"' in text:
            continue  # a redirect for a renamed review, not a page
        pages.append(rel[: -len("index.html")] if rel.endswith("index.html") else rel)
    return pages


def require_tools():
    require_browser()
    if not AXE.exists():
        pytest.fail("axe-core is not installed: run `make test`, which runs `npm ci`")


@pytest.fixture(scope="module")
def axe_results(shipped_site):
    """axe-core's violations for every page, scheme and viewport: {(page, scheme, size): [...]}."""
    require_tools()
    pages = site_pages(shipped_site)
    found = {}
    with serve_site(shipped_site) as base, chromium() as browser:
        for scheme in SCHEMES:
            for size, viewport in VIEWPORTS.items():
                context = browser.new_context(viewport=viewport, color_scheme=scheme)
                page = context.new_page()
                for rel in pages:
                    page.goto(base + rel)
                    page.add_script_tag(path=str(AXE))
                    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", TAGS)
                    found[(rel, scheme, size)] = result["violations"]
                context.close()
    return found


@pytest.mark.browser
def test_every_page_was_checked(shipped_site, axe_results):
    pages = site_pages(shipped_site)
    for required in [
        "",
        "about/",
        "editors/",
        "accessibility/",
        "search/",
        "404.html",
        "themes/",
        "browse/",
        "reviews/",
        "reviews/ayeeshia-jayne-smith-derbyshire-scr-2017/",
        "themes/unseen-men/",
    ]:
        assert required in pages
    assert len(axe_results) == len(pages) * len(SCHEMES) * len(VIEWPORTS)


@pytest.mark.browser
def test_no_axe_violations(axe_results):
    problems = []
    for (page, scheme, size), violations in sorted(axe_results.items()):
        for v in violations:
            targets = "; ".join(" ".join(n["target"]) for n in v["nodes"][:3])
            problems.append(f"{v['id']} ({v['impact']}) on /{page} [{scheme}, {size}]: {targets}")
    assert problems == [], f"{len(problems)} violations:\n" + "\n".join(problems[:60])


def test_generated_html_is_valid(shipped_site):
    if shutil.which("java") is None or not VNU.exists():
        pytest.fail("the Nu HTML Checker needs java and vnu-jar: run `make test`, which installs them")
    site = Path(shipped_site.site)
    files = [str(site / (p + "index.html" if p.endswith("/") or not p else p)) for p in site_pages(shipped_site)]
    done = subprocess.run(
        ["java", "-jar", str(VNU), "--errors-only", "--format", "json", *files], capture_output=True, text=True
    )
    messages = json.loads(done.stderr or "{}").get("messages", [])
    errors = [
        f"{m.get('url', '').split('/site/')[-1]}:{m.get('lastLine')}: {m['message']}"
        for m in messages
        if m.get("type") == "error"
    ]
    assert errors == [], "\n".join(errors[:40])


THEME_BASE = "templates/base.html"


def test_base_override_is_the_theme_file_with_one_change():
    """overrides/base.html must follow the installed theme: only the autocomplete change."""
    import material

    theme = (Path(material.__file__).parent / THEME_BASE).read_text(encoding="utf-8")
    ours = (REPO / "overrides" / "base.html").read_text(encoding="utf-8")
    comment_end = ours.index("-#}\n") + len("-#}\n")
    expected = theme
    for toggle in ("__drawer", "__search"):
        old = f' id="{toggle}" autocomplete="off">'
        assert old in expected, f"the theme's base.html changed near #{toggle}: copy it again"
        expected = expected.replace(old, f' id="{toggle}">')
    assert ours[comment_end:] == expected, (
        "overrides/base.html differs from the installed theme's base.html by more than the "
        "autocomplete change: copy the theme's file again and re-apply that change"
    )


FOCUS_INFO = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const rect = el.getBoundingClientRect();
  const style = getComputedStyle(el);
  const header = document.querySelector(".md-header").getBoundingClientRect();
  return {
    key: el.tagName + "|" + (el.getAttribute("href") || el.id || el.name || el.textContent.trim().slice(0, 40)),
    position: Array.prototype.indexOf.call(document.querySelectorAll("*"), el),
    inHeader: !!el.closest(".md-header, .md-tabs"),
    inArticle: !!el.closest("article"),
    skip: el.classList.contains("md-skip"),
    top: rect.top, bottom: rect.bottom, height: rect.height,
    headerBottom: header.bottom,
    indicator: (style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0) || style.boxShadow !== "none",
  };
}"""


def tab_through(page, limit: int = 600) -> list[dict]:
    """Press Tab until focus comes back round; the focused elements, in order."""
    seen, order = set(), []
    for _ in range(limit):
        page.keyboard.press("Tab")
        info = page.evaluate(FOCUS_INFO)
        if info is None:
            continue
        if info["position"] in seen:
            break
        seen.add(info["position"])
        order.append(info)
    return order


@pytest.mark.parametrize("path", ["reviews/ayeeshia-jayne-smith-derbyshire-scr-2017/", "themes/unseen-men/"])
@pytest.mark.browser
def test_keyboard_walk(shipped_site, path):
    require_tools()
    with serve_site(shipped_site) as base, chromium() as browser:
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        page.goto(base + path)
        order = tab_through(page)
        assert order and order[0]["skip"], "the skip link must be the first stop"
        article_links = page.eval_on_selector_all(
            "article a[href]",
            "links => links.filter(a => a.offsetParent !== null).map(a => 'A|' + a.getAttribute('href'))",
        )
        reached = [o["key"] for o in order if o["inArticle"]]
        assert [k for k in reached if k.startswith("A|")] == article_links, "article links in document order"
        for stop in order:
            assert stop["indicator"], f"no visible focus indicator on {stop['key']}"
            if not stop["inHeader"] and not stop["skip"] and stop["height"] > 0:
                assert stop["top"] >= stop["headerBottom"] - 1, f"{stop['key']} is under the sticky header"


@pytest.mark.browser
def test_search_by_keyboard_alone(shipped_site):
    require_tools()
    with serve_site(shipped_site) as base, chromium() as browser:
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        page.goto(base + "reviews/ayeeshia-jayne-smith-derbyshire-scr-2017/")
        for _ in range(60):  # open: tab to the Search tab and follow it
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement.textContent.trim() === 'Search'"):
                break
        page.keyboard.press("Enter")
        page.wait_for_url("**/search/")
        for _ in range(40):
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement.id") == "cr-search-q":
                break
        assert page.evaluate("document.activeElement.id") == "cr-search-q"
        page.keyboard.type("supervision order")  # use
        page.keyboard.press("Enter")
        page.wait_for_function("Number(document.getElementById('cr-search-results').dataset.runs || 0) >= 1")
        assert "result" in page.inner_text("#cr-search-status")
        for _ in range(20):  # leave: tab to the first result and follow it
            page.keyboard.press("Tab")
            if page.evaluate("!!document.activeElement.closest('#cr-search-results')"):
                break
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert "/search/" not in page.url and page.locator("article h1").count() == 1


@pytest.mark.browser
def test_print_shows_the_review_without_navigation(shipped_site):
    require_tools()
    with serve_site(shipped_site) as base, chromium() as browser:
        page = browser.new_page()
        page.goto(base + "reviews/ayeeshia-jayne-smith-derbyshire-scr-2017/")
        page.emulate_media(media="print")
        for selector in [".md-header", ".md-tabs", ".md-sidebar--primary", ".md-sidebar--secondary", ".md-footer"]:
            assert not page.locator(selector).first.is_visible(), selector
        for heading in ["Key facts", "Summary", "Timeline", "Findings", "Recommendations", "Sources"]:
            assert page.locator("article h2", has_text=heading).first.is_visible(), heading
        assert len(page.pdf()) > 10_000


@pytest.mark.browser
def test_reduced_motion_turns_off_transitions(shipped_site):
    require_tools()
    with serve_site(shipped_site) as base, chromium() as browser:
        page = browser.new_page(reduced_motion="reduce")
        page.goto(base)
        durations = page.evaluate(
            "() => [...document.querySelectorAll('*')].map(e => getComputedStyle(e).transitionDuration)"
        )
        assert all(d in ("0s", "") for d in durations)

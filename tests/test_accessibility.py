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
                    result = page.evaluate(
                        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", TAGS)
                    found[(rel, scheme, size)] = result["violations"]
                context.close()
    return found


def test_every_page_was_checked(shipped_site, axe_results):
    pages = site_pages(shipped_site)
    for required in ["", "about/", "editors/", "search/", "404.html", "themes/", "browse/", "reviews/",
                     "reviews/ayeeshia-jayne-smith-derbyshire-scr-2017/", "themes/unseen-men/"]:
        assert required in pages
    assert len(axe_results) == len(pages) * len(SCHEMES) * len(VIEWPORTS)


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
    done = subprocess.run(["java", "-jar", str(VNU), "--errors-only", "--format", "json", *files],
                          capture_output=True, text=True)
    messages = json.loads(done.stderr or "{}").get("messages", [])
    errors = [f"{m.get('url', '').split('/site/')[-1]}:{m.get('lastLine')}: {m['message']}" for m in messages
              if m.get("type") == "error" and not _theme_defect(m)]
    assert errors == [], "\n".join(errors[:40])


# Errors in Material for MkDocs' own page chrome (its base.html and navigation partials),
# not in anything this project generates. They are listed one by one, so that any other
# error fails the test; fixing them needs overrides of the theme's templates (issue #5).
THEME_DEFECTS = [
    ("Attribute “autocomplete” is only allowed", 'class="md-toggle"'),
    ("The value of the “for” attribute of the “label” element must be the ID of a non-hidden form control",
     'for="__toc"'),
    ("Bad value “” for attribute “tabindex” on element “label”", 'class="md-nav__link'),
]


def _theme_defect(message: dict) -> bool:
    return any(message["message"].startswith(text) and marker in message.get("extract", "")
               for text, marker in THEME_DEFECTS)

"""Routes: every address is defined once, in generator/routes.py.

The proof: the review pages' URL scheme is changed in that one place (``cases/<id>/``
instead of ``reviews/<id>/``), the synthetic fixture site is built with ``mkdocs build
--strict``, and every link to a review, feed entry id, data permalink and redirect follows.
Then: the Makefile's ``clean`` target and .gitignore, which cannot import Python, name
exactly the folders the routes own.
"""

from __future__ import annotations

import csv
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from conftest import SYNTHETIC_REVIEWS, copy_project
from helpers import check_links, html

from generator import routes
from generator.model import Finding, Recommendation, RecommendationGroup, Source
from generator.outputs import address
from generator.pipeline import build

REPO = Path(__file__).resolve().parent.parent
ATOM = "{http://www.w3.org/2005/Atom}"
NEW_SCHEME = "cases/{id}.md"  # served at /cases/<id>/
REVIEW_IDS = sorted(p.stem for p in SYNTHETIC_REVIEWS.glob("*.yaml") if not p.name.startswith("_"))
OLD_ID = "synthetic-child-alpha-old-id"  # redirect_from of the alpha fixture


@pytest.fixture(scope="module")
def moved(tmp_path_factory):
    """The synthetic site built with the review pages at cases/<id>/."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(routes, "REVIEW", NEW_SCHEME)
        project = copy_project(tmp_path_factory.mktemp("routes"), reviews=SYNTHETIC_REVIEWS)
        build(project)  # mkdocs build --strict: a broken link or a missing page fails it
    return project


def _review_in(url_path: str) -> tuple[str, str] | None:
    """(folder, review id) when a site path (no host) is a review's page."""
    parts = [p for p in url_path.split("/") if p]
    for i in range(len(parts) - 1):
        if parts[i + 1] in REVIEW_IDS + [OLD_ID] and parts[i] in ("reviews", "cases"):
            return parts[i], parts[i + 1]
    return None


@pytest.mark.build
def test_the_review_pages_move_and_the_strict_build_passes(moved):
    site = Path(moved.site)
    for review_id in REVIEW_IDS:
        assert (site / "cases" / review_id / "index.html").is_file()
        assert not (site / "reviews" / review_id).exists()
    assert (site / "reviews" / "index.html").is_file()  # the listing of all reviews stays
    assert check_links(moved) > 20  # every relative link and anchor reaches its target


@pytest.mark.build
def test_every_link_to_a_review_uses_the_new_scheme(moved):
    site = Path(moved.site)
    seen = 0
    for page in site.rglob("*.html"):
        url = "https://x/" + page.relative_to(site).as_posix()
        for a in html(moved, page.relative_to(site).as_posix()).select("a[href], link[href]"):
            found = _review_in(urlsplit(urljoin(url, a["href"])).path)
            if found:
                seen += 1
                assert found[0] == "cases", f"{page}: {a['href']}"
    assert seen > 50


@pytest.mark.build
def test_feed_ids_and_links_use_the_new_scheme(moved):
    site_url = moved.site_info().url
    entries = 0
    for feed in Path(moved.site, "feeds").rglob("*.xml"):
        for entry in ET.parse(feed).getroot().iter(f"{ATOM}entry"):
            entry_id = entry.findtext(f"{ATOM}id")
            assert re.fullmatch(re.escape(site_url) + r"cases/[a-z0-9-]+/", entry_id), entry_id
            assert entry.find(f"{ATOM}link").get("href") == entry_id
            entries += 1
    assert entries >= len(REVIEW_IDS)


@pytest.mark.build
def test_data_permalinks_use_the_new_scheme(moved):
    site_url = moved.site_info().url
    data = Path(moved.site, "data")
    links = []
    for name in ("reviews.csv", "findings.csv", "learning_points.csv", "recommendations.csv"):
        with (data / name).open(encoding="utf-8", newline="") as handle:
            links += [row["permalink"] for row in csv.DictReader(handle)]
    assert len(links) > len(REVIEW_IDS)
    for link in links:
        assert link.startswith(site_url + "cases/"), link
        assert _review_in(urlsplit(link).path)[0] == "cases"
    assert "reviews/synthetic" not in json.dumps(json.loads((data / "reviews.json").read_text(encoding="utf-8")))


@pytest.mark.build
def test_the_redirect_moves_with_the_scheme(moved):
    site_url = moved.site_info().url
    page = html(moved, f"cases/{OLD_ID}/")
    target = "synthetic-child-alpha-testshire-2021"
    assert page.select_one('link[rel="canonical"]')["href"] == f"{site_url}cases/{target}/"
    assert page.select_one('meta[http-equiv="refresh"]')["content"] == f"0; url=../{target}/"
    assert page.select_one("main a")["href"] == f"../{target}/"
    assert not Path(moved.site, "reviews", OLD_ID).exists()


def test_the_owned_folders_follow_the_scheme(monkeypatch):
    assert "cases" not in routes.owned_folders()
    monkeypatch.setattr(routes, "REVIEW", NEW_SCHEME)
    assert "cases" in routes.owned_folders()
    assert "cases/*/index.html" in routes.search_glob()


# --- the lists that cannot import Python -----------------------------------------------------------


def _clean_paths() -> set[str]:
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    recipe = re.search(r"^clean:.*\n\t(.+)$", makefile, re.M)
    assert recipe, "the Makefile has a clean target"
    words = recipe.group(1).split()
    assert words[:2] == ["rm", "-rf"]
    return set(words[2:])


def _ignored_paths() -> set[str]:
    lines = (REPO / ".gitignore").read_text(encoding="utf-8").splitlines()
    return {line.strip().strip("/") for line in lines if line.strip() and not line.startswith("#")}


def _generated() -> set[str]:
    return {f"docs/{f}" for f in routes.owned_folders() + routes.owned_files()}


def test_make_clean_removes_exactly_the_generated_folders():
    docs = {p for p in _clean_paths() if p.startswith("docs/")}
    assert docs == _generated()


def test_gitignore_ignores_exactly_the_generated_folders():
    docs = {p for p in _ignored_paths() if p.startswith("docs/")}
    assert docs == _generated()


def test_the_configuration_and_theme_overrides_name_pages_the_routes_make():
    """mkdocs.yml's nav and the theme's overrides (Jinja run by MkDocs, not by the generator)
    name a few generated pages by hand: each must be one that the routes make."""
    nav = re.findall(r"^  - [^:]+: (\S+)$", (REPO / "mkdocs.yml").read_text(encoding="utf-8"), re.M)
    made = set(routes.named_pages().values())
    generated = [p for p in nav if p == routes.HOME or p.split("/", 1)[0] in routes.owned_folders()]
    assert len(generated) >= 5 and set(generated) <= made, generated
    overrides = "".join((REPO / "overrides" / name).read_text(encoding="utf-8") for name in ("main.html", "404.html"))
    named = set(re.findall(r"\{\{ '([^']+)' \| url \}\}", overrides))
    addresses = {address(p) for p in made} | {routes.REVIEWS_FEED, "search/"}  # search/: docs/search.md
    assert routes.REVIEWS_FEED in named and named <= addresses, named - addresses


# --- the pieces -----------------------------------------------------------------------------------


def test_links_from_a_page_are_relative_to_its_file():
    links = routes.Routes("https://example.org/x/").on("reviews/a.md")
    assert links.root == "../"
    assert links.url_root == "../../"
    assert links.url_for("home", "support") == "../index.md#support"
    assert links.facet_url("area", "Ærø Kommune") == "../browse/area/aero-kommune.md"
    assert links.facet_url("year", 2021) == "../browse/year/2021.md"
    assert links.html_url("filter-choices") == "../../learning/recommendations/choices.json"


def test_absolute_addresses_and_anchors():
    site = routes.Routes("https://example.org/x/", "https://git.example/r/edit/main/")
    assert site.review_url("a") == "https://example.org/x/reviews/a/"
    assert site.permalink("a", "finding-f1") == "https://example.org/x/reviews/a/#finding-f1"
    assert site.url(routes.REVIEWS_FEED) == "https://example.org/x/feeds/reviews.xml"
    assert site.edit_url("a") == "https://git.example/r/edit/main/reviews/a.yaml"
    assert routes.redirect_page("old") == "reviews/old/index.html"
    assert site.on("reviews/old/index.html").redirect_to("new") == "../new/"
    assert routes.theme_listing("neglect").page(3) == "themes/neglect/3.md"
    assert routes.anchor(Finding.model_construct(id="f1")) == "finding-f1"
    assert routes.anchor(Recommendation.model_construct(id="r2")) == "recommendation-r2"
    assert routes.anchor(RecommendationGroup.model_construct(id="g")) == "group-g"
    assert routes.anchor(Source.model_construct(id="s1")) == "source-s1"


def test_relative_links_are_what_relpath_gives():
    """routes.relative works links out from the two paths alone; it agrees with
    posixpath.relpath on every pair of page paths, folders included."""
    import itertools
    import posixpath

    paths = [
        "index.md",
        "reviews/a.md",
        "reviews/index.md",
        "reviews/page/2.md",
        "themes/x.md",
        "themes/x/3.md",
        "themes/xy/3.md",
        "browse/area/a.md",
        "data/",
        "reviews/",
        "a",
        ".",
        "./reviews/a.md",
        "reviews/../themes/x.md",
        "reviews//a.md",
        "..",
    ]
    for path, here in itertools.product(paths, repeat=2):
        assert routes.relative(path, here) == posixpath.relpath(path, posixpath.dirname(here) or "."), (path, here)

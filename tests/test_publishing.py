"""Publishing: open data that round-trips, feeds a reader can parse, a helpful 404,
canonical links and a sitemap, and builds that are the same byte for byte. On the
fixtures: the built site of the frozen copies of real reviews, and synthetic reviews."""

from __future__ import annotations

import csv
import filecmp
import json
from pathlib import Path

import feedparser
import jsonschema
import pytest
from conftest import copy_project
from helpers import html, text

from generator.model import Review
from generator.pipeline import build


def data(project, name: str) -> Path:
    return Path(project.site) / "data" / name


def rows(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_reviews_json_round_trips_through_model_and_schema(fixture_site):
    reviews = json.loads(data(fixture_site, "reviews.json").read_text(encoding="utf-8"))
    schema = json.loads(data(fixture_site, "review.schema.json").read_text(encoding="utf-8"))
    validator = jsonschema.Draft7Validator(schema)
    assert len(reviews) == 7
    for item in reviews:
        assert list(validator.iter_errors(item)) == [], item["id"]
        assert Review.model_validate(item).model_dump(mode="json") == item


def test_csv_row_counts_match_the_reviews(fixture_site):
    reviews = [Review.model_validate(r) for r in json.loads(data(fixture_site, "reviews.json").read_text())]
    assert len(rows(data(fixture_site, "reviews.csv"))) == len(reviews)
    findings = rows(data(fixture_site, "findings.csv"))
    recommendations = rows(data(fixture_site, "recommendations.csv"))
    assert len(findings) == sum(len(r.findings) for r in reviews)
    assert len(recommendations) == sum(len(r.recommendations) for r in reviews)
    site_url = fixture_site.site_info().url
    for row in findings + recommendations:
        page, anchor = row["permalink"][len(site_url) :].split("#")
        assert html(fixture_site, page).find(id=anchor) is not None, row["permalink"]
    themes = json.loads(data(fixture_site, "themes.json").read_text())
    assert len(themes) >= 40 and {"id", "label", "category", "definition"} <= set(themes[0])


def test_feeds_parse_with_one_entry_per_review(fixture_site):
    reviews = json.loads(data(fixture_site, "reviews.json").read_text())
    feed = feedparser.parse(str(Path(fixture_site.site) / "feeds" / "reviews.xml"))
    assert not feed.bozo, feed.bozo_exception
    assert len(feed.entries) == len(reviews)
    site_url = fixture_site.site_info().url
    for entry in feed.entries:
        assert entry.id == entry.link and entry.link.startswith(site_url + "reviews/")
        assert entry.published_parsed is not None
    dates = [e.published_parsed for e in feed.entries]
    assert dates == sorted(dates, reverse=True)
    unseen = feedparser.parse(str(Path(fixture_site.site) / "feeds" / "themes" / "unseen-men.xml"))
    assert not unseen.bozo
    ids = {e.id.rstrip("/").rsplit("/", 1)[1] for e in unseen.entries}
    assert ids == {
        "logan-mwangi-cwm-taf-morgannwg-cpr-2022",
        "myth-of-invisible-men-national-review-2021",
        "ayeeshia-jayne-smith-derbyshire-scr-2017",
        "peter-connelly-baby-p-haringey-scrs",
    }


def test_feeds_are_linked_from_pages(fixture_site):
    home = html(fixture_site, "")
    assert home.find("link", rel="alternate", type="application/atom+xml")["href"].endswith("feeds/reviews.xml")
    theme = html(fixture_site, "themes/unseen-men/")
    hrefs = [link["href"] for link in theme.find_all("link", rel="alternate", type="application/atom+xml")]
    assert any(h.endswith("feeds/themes/unseen-men.xml") for h in hrefs)


def test_canonical_links_and_sitemap(fixture_site):
    site_url = fixture_site.site_info().url
    page = html(fixture_site, "reviews/ayeeshia-jayne-smith-derbyshire-scr-2017/")
    assert page.find("link", rel="canonical")["href"] == site_url + "reviews/ayeeshia-jayne-smith-derbyshire-scr-2017/"
    sitemap = (Path(fixture_site.site) / "sitemap.xml").read_text()
    assert site_url + "reviews/ayeeshia-jayne-smith-derbyshire-scr-2017/" in sitemap


def test_not_found_page_offers_search(fixture_site):
    page = text(html(fixture_site, "404.html"))
    assert "Page not found" in page and "Search the reviews" in page


@pytest.mark.build
def test_two_builds_are_identical(tmp_path):
    """Two builds of the same files give the same site, byte for byte, apart from the
    search index: Pagefind names its files after a build id, so only their number is compared."""
    first, second = copy_project(tmp_path / "a"), copy_project(tmp_path / "b")
    build(first)
    build(second)
    a, b = Path(first.site), Path(second.site)

    def listing(root):
        return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())

    files_a, files_b = listing(a), listing(b)
    assert [f for f in files_a if not f.startswith("pagefind/")] == [
        f for f in files_b if not f.startswith("pagefind/")
    ]
    assert len(files_a) == len(files_b)
    different = [f for f in files_a if not f.startswith("pagefind/") and not filecmp.cmp(a / f, b / f, shallow=False)]
    assert different == []

"""A corpus larger than one page of each listing: listings are split into pages that
link to each other, every link resolves, and no page grows past the size bound."""

from __future__ import annotations

import pytest
from conftest import copy_project
from helpers import check_links, html, text
from synthetic import write_corpus

from generator.pipeline import build
from generator.render import ITEMS_PER_PAGE, REVIEWS_PER_PAGE

pytestmark = pytest.mark.build

COUNT = 120


@pytest.fixture(scope="module")
def large_site(tmp_path_factory):
    project = copy_project(tmp_path_factory.mktemp("large"), with_reviews=False)
    write_corpus(project.reviews, COUNT)
    build(project)
    return project


def test_reviews_listing_is_paginated(large_site):
    pages = -(-COUNT // REVIEWS_PER_PAGE)
    first = text(html(large_site, "reviews/"))
    assert f"Page 1 of {pages}" in first
    last = html(large_site, f"reviews/page/{pages}/")
    assert f"Page {pages} of {pages}" in text(last)
    listed = set()
    for n in range(1, pages + 1):
        page = html(large_site, "reviews/" if n == 1 else f"reviews/page/{n}/")
        listed |= {a["href"] for a in page.select("article li a") if "synthetic-review-" in a["href"]}
        pager = page.select_one('nav.cr-pager[aria-label="Pages of this list"]')
        assert pager.select_one('[aria-current="page"]').get_text() == str(n)  # the page the reader is on
    assert len(listed) == COUNT


def test_theme_pages_are_paginated(large_site):
    from generator.index import build_index
    from generator.validate import check

    result = check([large_site.reviews], root=large_site.root)
    items = build_index(result.reviews, result.vocabulary).theme_items["domestic-abuse"]
    pages = -(-len(items) // ITEMS_PER_PAGE)
    assert pages >= 2
    seen = []
    for n in range(1, pages + 1):
        page = html(large_site, "themes/domestic-abuse/" if n == 1 else f"themes/domestic-abuse/{n}/")
        assert f"Page {n} of {pages}" in text(page)
        seen += [a["href"] for a in page.select("a.cr-item-link")]
    assert len(seen) == len(items) == len(set(seen))


def test_all_links_resolve_and_pages_stay_small(large_site):
    assert check_links(large_site) > COUNT
    sizes = {p: p.stat().st_size for p in large_site.site.rglob("*.html")}
    largest = max(sizes, key=sizes.get)
    assert sizes[largest] < 100_000, (largest, sizes[largest])

"""The generic content checks (content_checks.py) over the built site of reviews/ as it is,
whatever reviews it holds, and over the two fixture sites; and checks of the checks: they
find what a page leaves out, and the synthetic fixtures use every field of the format."""

from __future__ import annotations

import copy
import typing

import content_checks as checks
import pytest
from conftest import SHIPPED_REVIEWS, SYNTHETIC_REVIEWS
from helpers import check_links
from pydantic import BaseModel

from generator.model import Review
from generator.validate import check

SITES = ["reviews_site", "synthetic_site", "fixture_site"]
ALPHA = "synthetic-child-alpha-testshire-2021"  # the synthetic review that uses every field


def _pages(project):
    return [(review, checks.page_of(project, review)) for review in checks.load_reviews(project.reviews)]


@pytest.mark.parametrize("site", SITES)
@pytest.mark.build
def test_every_review_page_shows_the_facts_in_its_file(request, site):
    project = request.getfixturevalue(site)
    problems = [p for review, page in _pages(project) for p in checks.shown_fact_problems(review, page)]
    assert problems == [], "\n".join(problems)


@pytest.mark.parametrize("site", SITES)
@pytest.mark.build
def test_every_citation_resolves(request, site):
    project = request.getfixturevalue(site)
    problems = [p for review, page in _pages(project) for p in checks.citation_problems(review, page)]
    assert problems == [], "\n".join(problems)


@pytest.mark.parametrize("site", SITES)
@pytest.mark.build
def test_every_theme_page_links_each_tagged_item(request, site):
    project = request.getfixturevalue(site)
    problems = checks.theme_page_problems(project, checks.load_reviews(project.reviews))
    assert problems == [], "\n".join(problems)


def test_every_internal_link_resolves(reviews_site):
    assert check_links(reviews_site) > 0


def test_every_theme_in_use_is_defined():
    result = check([SHIPPED_REVIEWS], root=SHIPPED_REVIEWS.parent)
    used = {t for review in result.reviews for _, item in checks.tagged_items(review) for t in item.themes}
    short = [theme.id for theme in result.vocabulary.themes if theme.id in used and len(theme.definition.split()) < 8]
    assert short == [], "themes in use need a definition of a sentence (8 words or more)"


def _alpha(synthetic_site):
    review = next(r for r in checks.load_reviews(synthetic_site.reviews) if r.id == ALPHA)
    return review, checks.page_of(synthetic_site, review)


def test_the_checks_find_a_missing_fact(synthetic_site):
    review, page = _alpha(synthetic_site)
    assert checks.shown_fact_problems(review, page) == []
    event = review.timeline[2]
    broken = copy.copy(page)
    cell = next(td for td in broken.select("article td") if event.text in td.get_text())
    cell.string = "something else"
    assert checks.shown_fact_problems(review, broken) == [f"{ALPHA}: timeline[2].text is not shown: {event.text!r}"]


def test_the_checks_find_a_broken_citation(synthetic_site):
    review, page = _alpha(synthetic_site)
    broken = copy.copy(page)
    for link in broken.select('.cr-cite a[href="#source-s2"]'):
        link["href"] = "#source-s9"
    problems = checks.citation_problems(review, broken)
    assert f"{ALPHA}: citation link '#source-s9' reaches no source entry on the page" in problems
    assert f"{ALPHA}: disputed[0].sources cites 's2', but no citation links to its entry" in problems


def test_the_checks_find_an_unlinked_item(synthetic_site, tmp_path):
    review, _ = _alpha(synthetic_site)
    (theme,) = [t for t in review.findings[2].themes if t == "neglect"]
    page = synthetic_site.site / "themes" / theme / "index.html"
    original = page.read_text(encoding="utf-8")
    try:
        page.write_text(original.replace(f"{ALPHA}/#finding-f3", f"{ALPHA}/#finding-f9"), encoding="utf-8")
        problems = checks.theme_page_problems(synthetic_site, [review])
    finally:
        page.write_text(original, encoding="utf-8")
    assert problems == [f"themes/neglect/ does not link {ALPHA}#finding-f3"]


def _model_fields(cls, seen=None) -> set[tuple[str, str]]:
    """Every (class, field) of the review format, nested models included."""
    seen = set() if seen is None else seen
    for name, field in cls.model_fields.items():
        seen.add((cls.__name__, name))
        stack = [field.annotation]
        while stack:
            annotation = stack.pop()
            if (
                isinstance(annotation, type)
                and issubclass(annotation, BaseModel)
                and not any(c == annotation.__name__ for c, _ in seen)
            ):
                _model_fields(annotation, seen)
            stack.extend(typing.get_args(annotation))
    return seen


def _used_fields(item: BaseModel, used: set) -> set:
    for name in item.model_fields_set:
        used.add((type(item).__name__, name))
        value = getattr(item, name)
        for one in value if isinstance(value, (list, tuple)) else [value]:
            if isinstance(one, BaseModel):
                _used_fields(one, used)
    return used


def test_synthetic_fixtures_use_every_field_of_the_format():
    """So that the golden files and the checks above see every field rendered. A field
    added to the model fails here until a synthetic fixture (tests/fixtures/synthetic) uses it."""
    used: set = set()
    for review in checks.load_reviews(SYNTHETIC_REVIEWS):
        _used_fields(review, used)
    assert sorted(_model_fields(Review) - used) == []


def test_fields_listed_as_not_yet_shown_are_still_not_shown(synthetic_site):
    """Remove an entry from NOT_YET_SHOWN or NOT_YET_CITED (content_checks.py) as soon as
    review pages show that field, so that the checks above cover it."""
    pages = _pages(synthetic_site)
    for name in checks.NOT_YET_SHOWN:
        skip = checks.NOT_YET_SHOWN - {name}
        found = [
            p
            for review, page in pages
            for p in checks.shown_fact_problems(review, page, skip)
            + checks.citation_problems(review, page, skip | checks.NOT_YET_CITED)
        ]
        found += checks.theme_page_problems(synthetic_site, [r for r, _ in pages], skip)
        assert any(name in p for p in found), f"review pages now show '{name}': remove it from NOT_YET_SHOWN"
    for name in checks.NOT_YET_CITED:
        skip = checks.NOT_YET_SHOWN | (checks.NOT_YET_CITED - {name})
        found = [p for review, page in pages for p in checks.citation_problems(review, page, skip)]
        assert any(name in p for p in found), f"review pages now cite '{name}': remove it from NOT_YET_CITED"

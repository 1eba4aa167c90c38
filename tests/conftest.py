"""Shared fixtures: copies of the project to build in, the built fixture sites, and
helpers to write synthetic (visibly fake) review files.

Code is tested on fixtures under tests/fixtures/ (see ``synthetic.py`` for the paths):
``fixture_site`` is built from frozen copies of real reviews (realistic text),
``synthetic_site`` from visibly synthetic reviews that use every field. ``reviews_site`` is
built from reviews/ as it is now, and is only for the generic content checks
(``content_checks.py``), which hold for any set of valid review files."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml
from synthetic import FROZEN_REVIEWS, SHIPPED_REVIEWS, SYNTHETIC_REVIEWS, copy_project  # noqa: F401

from generator.pipeline import Project, build

REPO = Path(__file__).resolve().parent.parent


SCHEMA_LINE = "# yaml-language-server: $schema=../docs/schema/review.schema.json\n"

SYNTHETIC = {
    "id": "synthetic-review-a",
    "title": "SYNTHETIC TEST REVIEW A (not a real case)",
    "short_title": "Synthetic child A",
    "review_types": ["child-safeguarding-practice-review"],
    "nation": "wales",
    "areas": ["Testshire"],
    "credits": [
        {
            "name": "Synthetic Safeguarding Partnership",
            "kind": "organisation",
            "roles": ["commissioned"],
            "sources": ["s1"],
        }
    ],
    "published": "2020-03-01",
    "content_note": "Synthetic test content.",
    "summary": "This review is synthetic, made for tests.\n\nIt has two paragraphs.",
    "subjects": [
        {
            "pseudonym": "Child A",
            "age": "3 years",
            "age_months": "36",
            "outcome": "seriously-harmed",
            "incident_date": "2019-01",
            "sources": ["s1"],
        }
    ],
    "timeline": [
        {"date": "2018", "text": "An event.", "sources": ["s1"]},
        {"date": "2019-01-05", "text": "A later event.", "sources": ["s1"]},
    ],
    "findings": [
        {
            "id": "f1",
            "text": "A synthetic finding about curiosity.",
            "themes": ["professional-curiosity", "domestic-abuse"],
            "sources": ["s1"],
        }
    ],
    "recommendations": [
        {"id": "r1", "text": "A synthetic recommendation.", "themes": ["information-sharing"], "sources": ["s1"]}
    ],
    "sources": [{"id": "s1", "title": "Synthetic source", "publisher": "Test", "url": "https://example.org/a"}],
}


# The slow tests, which `make test-fast` leaves out (pyproject.toml declares the markers): a test
# that uses one of these fixtures, directly or through another fixture, is marked here; a test
# that builds a site or starts Chromium itself carries the marker in its own file.
BUILD_FIXTURES = {"fixture_site", "synthetic_site", "reviews_site", "shipped_site"}  # sites built with mkdocs
BROWSER_FIXTURES = {"browser"}  # Chromium (fixture_sites.py)


def pytest_collection_modifyitems(items):
    for item in items:
        used = set(getattr(item, "fixturenames", ()))
        if used & BUILD_FIXTURES:
            item.add_marker(pytest.mark.build)
        if used & BROWSER_FIXTURES:
            item.add_marker(pytest.mark.browser)


def synthetic_review(review_id: str = "synthetic-review-a", **changes) -> dict:
    data = copy.deepcopy(SYNTHETIC)
    data["id"] = review_id
    data.update(changes)
    return data


def write_review(folder: Path, data: dict, name: str | None = None) -> Path:
    path = folder / f"{name or data['id']}.yaml"
    path.write_text(SCHEMA_LINE + yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def built(tmp_path_factory, name: str, reviews) -> Project:
    project = copy_project(tmp_path_factory.mktemp(name), reviews=reviews)
    build(project)
    return project


@pytest.fixture(scope="session")
def fixture_site(tmp_path_factory) -> Project:
    """The frozen copies of real reviews (tests/fixtures/frozen), built once with
    `mkdocs build --strict`: for tests that need realistic text and a realistic site."""
    return built(tmp_path_factory, "frozen", FROZEN_REVIEWS)


@pytest.fixture(scope="session")
def shipped_site(fixture_site) -> Project:
    """The name tests used before issue 12, when they ran on reviews/: now the frozen
    fixture site, so that a test still using it never depends on the shipped reviews."""
    return fixture_site


@pytest.fixture(scope="session")
def synthetic_site(tmp_path_factory) -> Project:
    """The synthetic fixture reviews (tests/fixtures/synthetic), built once."""
    return built(tmp_path_factory, "synthetic", SYNTHETIC_REVIEWS)


@pytest.fixture(scope="session")
def reviews_site(tmp_path_factory) -> Project:
    """reviews/ as it is now, built once: only for the generic content checks."""
    return built(tmp_path_factory, "reviews", SHIPPED_REVIEWS)

"""Golden tests: the Markdown generated from the synthetic fixture reviews
(tests/fixtures/synthetic/reviews), compared line by line with files in tests/golden/. After an
intended change, run `UPDATE_GOLDEN=1 make test`, then read the diff of tests/golden/ line
by line before committing it. The shipped reviews are never used here: an editor's change
to reviews/ leaves these files as they are."""

from __future__ import annotations

import difflib
import os
from pathlib import Path

import pytest
from conftest import SYNTHETIC_REVIEWS, copy_project

from generator.pipeline import generate

GOLDEN = Path(__file__).parent / "golden"
PAGES = [
    "index.md",
    "reviews/index.md",
    "reviews/synthetic-child-alpha-testshire-2021.md",  # uses every field of the format
    "reviews/synthetic-child-gamma-exampleton-2010.md",  # no timeline, no recommendations
    "themes/index.md",
    "themes/information-sharing.md",
    "themes/covid-19.md",  # raised by no review
    "browse/index.md",
    "browse/year/2021.md",
    "learning/recurring.md",
]


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    project = copy_project(tmp_path_factory.mktemp("golden"), reviews=SYNTHETIC_REVIEWS)
    generate(project)
    return project.docs


@pytest.mark.parametrize("page", PAGES)
def test_generated_markdown_matches_golden(generated, page):
    actual = (generated / page).read_text(encoding="utf-8")
    golden = GOLDEN / page.replace("/", "__")
    if os.environ.get("UPDATE_GOLDEN") == "1":
        golden.write_text(actual, encoding="utf-8")
    expected = golden.read_text(encoding="utf-8")
    diff = "".join(
        difflib.unified_diff(
            expected.splitlines(True), actual.splitlines(True), f"golden/{golden.name}", f"generated/{page}"
        )
    )
    assert actual == expected, f"generated page differs from its golden file:\n{diff}"

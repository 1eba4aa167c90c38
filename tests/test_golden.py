"""Golden tests: the Markdown generated from the shipped reviews, compared line by line
with files in tests/golden/. After an intended change, run
`UPDATE_GOLDEN=1 make test`, then read the diff of tests/golden/ line by line before
committing it."""
from __future__ import annotations

import difflib
import os
from pathlib import Path

import pytest

from generator.pipeline import generate
from conftest import copy_project

GOLDEN = Path(__file__).parent / "golden"
PAGES = [
    "index.md",
    "reviews/index.md",
    "reviews/ayeeshia-jayne-smith-derbyshire-scr-2017.md",
    "themes/index.md",
    "themes/professional-curiosity.md",
    "themes/unseen-men.md",
    "browse/index.md",
    "browse/year/2017.md",
]


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    project = copy_project(tmp_path_factory.mktemp("golden"))
    generate(project)
    return project.docs


@pytest.mark.parametrize("page", PAGES)
def test_generated_markdown_matches_golden(generated, page):
    actual = (generated / page).read_text(encoding="utf-8")
    golden = GOLDEN / page.replace("/", "__")
    if os.environ.get("UPDATE_GOLDEN") == "1":
        golden.write_text(actual, encoding="utf-8")
    expected = golden.read_text(encoding="utf-8")
    diff = "".join(difflib.unified_diff(expected.splitlines(True), actual.splitlines(True),
                                        f"golden/{golden.name}", f"generated/{page}"))
    assert actual == expected, f"generated page differs from its golden file:\n{diff}"

"""Shared fixtures: copies of the project to build in, the built shipped site, and
helpers to write synthetic (visibly fake) review files."""
from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml

from generator.pipeline import Project, build
from synthetic import copy_project  # noqa: F401  (used by the tests)

REPO = Path(__file__).resolve().parent.parent


SCHEMA_LINE = "# yaml-language-server: $schema=../docs/schema/review.schema.json\n"

SYNTHETIC = {
    "id": "synthetic-review-a",
    "title": "SYNTHETIC TEST REVIEW A (not a real case)",
    "short_title": "Synthetic child A",
    "review_types": ["child-safeguarding-practice-review"],
    "nation": "wales",
    "areas": ["Testshire"],
    "credits": [{"name": "Synthetic Safeguarding Partnership", "kind": "organisation", "roles": ["commissioned"],
                 "sources": ["s1"]}],
    "published": "2020-03-01",
    "content_note": "Synthetic test content.",
    "summary": "This review is synthetic, made for tests.\n\nIt has two paragraphs.",
    "subjects": [{"pseudonym": "Child A", "age": "3 years", "age_months": "36", "outcome": "seriously-harmed",
                  "incident_date": "2019-01", "sources": ["s1"]}],
    "timeline": [{"date": "2018", "text": "An event.", "sources": ["s1"]},
                 {"date": "2019-01-05", "text": "A later event.", "sources": ["s1"]}],
    "findings": [{"id": "f1", "text": "A synthetic finding about curiosity.",
                  "themes": ["professional-curiosity", "domestic-abuse"], "sources": ["s1"]}],
    "recommendations": [{"id": "r1", "text": "A synthetic recommendation.", "themes": ["information-sharing"],
                         "sources": ["s1"]}],
    "sources": [{"id": "s1", "title": "Synthetic source", "publisher": "Test", "url": "https://example.org/a"}],
}


def synthetic_review(review_id: str = "synthetic-review-a", **changes) -> dict:
    data = copy.deepcopy(SYNTHETIC)
    data["id"] = review_id
    data.update(changes)
    return data


def write_review(folder: Path, data: dict, name: str | None = None) -> Path:
    path = folder / f"{name or data['id']}.yaml"
    path.write_text(SCHEMA_LINE + yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def shipped_site(tmp_path_factory) -> Project:
    """The shipped reviews, generated and built with `mkdocs build --strict`, once."""
    project = copy_project(tmp_path_factory.mktemp("shipped"))
    build(project)
    return project

"""An editor's pull request needs no change under tests/ or generator/ (issue 12). On a copy
of the project, as an editor would: three shipped reviews copied to new ids (the id and the
file name changed, nothing else) and one shipped review deleted; then `check` and `build`
through the command line, as CI runs them, and the generic content checks
(content_checks.py) over the site that comes out."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys

import content_checks as checks
import pytest
from conftest import REPO, SHIPPED_REVIEWS, copy_project
from helpers import check_links

from generator.validate import check

pytestmark = pytest.mark.build


def choose(reviews) -> tuple[str, list[str]]:
    """The review to delete (one no other review names in see_also) and three to copy
    (ones with no redirect and no see_also to the deleted one; repeated if there are fewer)."""
    named = {other for r in reviews for other in r.see_also}
    deleted = next(r.id for r in reversed(reviews) if r.id not in named)
    sources = [r.id for r in reviews if not r.redirect_from and deleted not in r.see_also]
    return deleted, [sources[i % len(sources)] for i in range(3)] if sources else []


def edit(folder, deleted: str, copied: list[str]) -> list[str]:
    """Copy the reviews in ``copied`` to new ids, delete ``deleted``; the new ids."""
    new_ids = []
    for n, old in enumerate(copied, 1):
        new = f"{old}-copy-{n}"
        text = (folder / f"{old}.yaml").read_text(encoding="utf-8")
        changed, count = re.subn(rf"^id: {re.escape(old)}[ \t]*$", f"id: {new}", text, count=1, flags=re.M)
        assert count == 1, f"{old}: no top-level 'id: {old}' line to change"
        (folder / f"{new}.yaml").write_text(changed, encoding="utf-8")
        new_ids.append(new)
    (folder / f"{deleted}.yaml").unlink()
    return new_ids


def test_adding_three_reviews_and_removing_one_passes(tmp_path):
    reviews = check([SHIPPED_REVIEWS], root=REPO).reviews
    if len(reviews) < 2:
        pytest.skip("reviews/ holds fewer than two reviews")
    deleted, copied = choose(reviews)
    project = copy_project(tmp_path / "project", reviews=SHIPPED_REVIEWS)
    shutil.copytree(
        REPO / "generator", project.root / "generator", ignore=shutil.ignore_patterns("__pycache__")
    )  # run the copy's own code
    new_ids = edit(project.reviews, deleted, copied)

    env = {**os.environ, "PYTHONPATH": str(project.root)}
    for command in ("check", "build"):
        done = subprocess.run(
            [sys.executable, "-m", "generator", command], cwd=project.root, capture_output=True, text=True, env=env
        )
        assert done.returncode == 0, f"`{command}` failed:\n{done.stderr}"
        assert "Traceback" not in done.stderr
    built = {p.parent.name for p in (project.site / "reviews").glob("*/index.html")}
    assert set(new_ids) <= built and deleted not in built
    assert len(checks.load_reviews(project.reviews)) == len(reviews) + 2
    problems = checks.all_problems(project)
    assert problems == [], "\n".join(problems)
    assert check_links(project) > 0

"""The frozen copies in tests/fixtures/frozen are exact copies of reviews/ at the commit
their README names: nobody edits them by hand (see that README for how to refresh them)."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest
from conftest import FROZEN_REVIEWS, REPO

README = FROZEN_REVIEWS.parent / "README.md"


def git(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["git", "-C", str(REPO), *args], capture_output=True)


def test_frozen_copies_are_byte_for_byte_copies_of_reviews_at_their_commit():
    commit = re.search(r"`([0-9a-f]{40})`", README.read_text(encoding="utf-8")).group(1)
    if shutil.which("git") is None or git("cat-file", "-e", f"{commit}^{{commit}}").returncode != 0:
        pytest.skip(f"commit {commit[:10]} is not in this clone's history (a shallow clone?)")
    listed = git("ls-tree", "--name-only", commit, "reviews/").stdout.decode().split()
    expected = sorted(name.split("/", 1)[1] for name in listed if name.endswith(".yaml"))
    assert sorted(p.name for p in FROZEN_REVIEWS.glob("*.yaml")) == expected
    different = [
        name
        for name in expected
        if git("show", f"{commit}:reviews/{name}").stdout != (FROZEN_REVIEWS / name).read_bytes()
    ]
    assert different == [], "frozen copies edited by hand: copy them again (tests/fixtures/frozen/README.md)"


def test_git_ignores_no_fixture():
    """A fixture that git ignores is missing from every clone (CI's too)."""
    if shutil.which("git") is None or git("rev-parse", "--git-dir").returncode != 0:
        pytest.skip("not a git checkout")
    files = [str(p.relative_to(REPO)) for p in FROZEN_REVIEWS.parent.parent.rglob("*") if p.is_file()]
    ignored = git("check-ignore", *files).stdout.decode().split()
    assert ignored == []

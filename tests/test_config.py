"""The configuration is read by MkDocs' own loader (generator/config.py): ``!ENV`` and
``INHERIT`` work, the edit branch comes from it, and a missing or bad ``site_url`` or
``extra.repository`` is an error at its line of ``mkdocs.yml`` from every command,
never a traceback, an empty configuration or a half-written site."""

from __future__ import annotations

import csv
import hashlib
import logging
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from conftest import REPO, copy_project
from helpers import html

from generator.errors import CheckFailed
from generator.pipeline import Project, build

SHIPPED_URL = "site_url: https://case-review-learning.github.io/case-review-learning/\n"
SHIPPED_REPO = "  repository: https://github.com/case-review-learning/case-review-learning\n"
REPO_URL = "https://github.com/case-review-learning/case-review-learning"
ENV_URL = 'site_url: !ENV [SITE_URL, "https://example.org/x/"]\n'
ALPHA = "synthetic-child-alpha-testshire-2021"  # a synthetic review with a redirect from an old id
ATOM = "{http://www.w3.org/2005/Atom}"


def edit_config(project: Project, old: str, new: str) -> None:
    text = project.config.read_text(encoding="utf-8")
    assert old in text
    project.config.write_text(text.replace(old, new), encoding="utf-8")


def line_of(project: Project, start: str) -> int:
    lines = project.config.read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, 1) if line.startswith(start))


def run(project: Project, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run(
        [sys.executable, "-m", "generator", "--root", str(project.root), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )


def tree_digest(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def assert_absolute_links(project: Project, base: str) -> None:
    """Feed ids, CSV permalinks, edit links and canonical links all start from ``base``."""
    feed = ET.parse(project.site / "feeds" / "reviews.xml").getroot()
    ids = [e.text or "" for e in feed.iter(f"{ATOM}id")]
    assert ids and all(i.startswith(base) for i in ids), ids
    assert f"{base}reviews/{ALPHA}/" in ids
    with open(project.site / "data" / "reviews.csv", encoding="utf-8") as handle:
        permalinks = [row["permalink"] for row in csv.DictReader(handle)]
    assert permalinks and all(p == f"{base}reviews/{p.split('/')[-2]}/" for p in permalinks), permalinks
    page = html(project, f"reviews/{ALPHA}/")
    edit = page.find("a", string="Edit this entry")
    assert edit is not None and edit["href"] == f"{REPO_URL}/edit/main/reviews/{ALPHA}.yaml"
    assert page.select_one("link[rel=canonical]")["href"] == f"{base}reviews/{ALPHA}/"
    assert f"{base}reviews/{ALPHA}/" in page.get_text(" ")  # "Cite this page"
    redirect = html(project, "reviews/synthetic-child-alpha-old-id/")
    assert redirect.select_one("link[rel=canonical]")["href"] == f"{base}reviews/{ALPHA}/"
    assert html(project, "about/").select_one("link[rel=canonical]")["href"] == f"{base}about/"


@pytest.mark.build
def test_env_site_url_builds_absolute_links_and_a_bad_config_leaves_the_site_as_it_was(tmp_path, monkeypatch):
    project = copy_project(tmp_path / "project")
    edit_config(project, SHIPPED_URL, ENV_URL)
    monkeypatch.delenv("SITE_URL", raising=False)
    build(project)
    assert_absolute_links(project, "https://example.org/x/")

    monkeypatch.setenv("SITE_URL", "https://other.example.net/reviews")  # no trailing slash: added
    build(project)
    assert_absolute_links(project, "https://other.example.net/reviews/")

    site, docs = tree_digest(project.site), tree_digest(project.docs)
    edit_config(project, ENV_URL, "")
    done = run(project, "build")
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert done.stderr.splitlines()[0].startswith("mkdocs.yml:1:1: site_url: the site's address is missing — set it")
    assert tree_digest(project.site) == site and tree_digest(project.docs) == docs


@pytest.fixture
def bad_config(tmp_path) -> tuple[Project, list[str]]:
    """A project whose mkdocs.yml has no site_url and a repository that is not a web address."""
    project = copy_project(tmp_path / "project")
    edit_config(project, SHIPPED_URL, "")
    edit_config(project, SHIPPED_REPO, "  repository: github.com/someone/reviews\n")
    line = line_of(project, "  repository:")
    return project, [
        "mkdocs.yml:1:1: site_url: the site's address is missing — set it to the address the site is published at, "
        'e.g. https://example.org/reviews/ (see README.md, "Publishing your own copy")',
        f"mkdocs.yml:{line}:1: extra.repository: the repository's address is 'github.com/someone/reviews', not a web "
        "address — set it to the web address of the repository holding reviews/, e.g. "
        'https://github.com/you/case-review-learning (see README.md, "Publishing your own copy")',
    ]


@pytest.mark.parametrize(
    "command, last",
    [
        (["check"], "files: 2 errors, 0 warnings"),
        (["generate"], "stopped: 2 problem(s); nothing was written"),
        (["build"], "stopped: 2 problem(s); nothing was written"),
        (["serve", "--addr", "127.0.0.1:0"], "stopped: 2 problem(s); the preview did not start"),
    ],
)
def test_missing_site_url_and_bad_repository_are_located_errors(bad_config, command, last):
    project, expected = bad_config
    done = run(project, *command)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    *problems, summary = done.stderr.splitlines()
    assert problems == expected and summary.endswith(last)
    assert not project.site.exists() and not (project.docs / "reviews").exists()


def test_mkdocs_own_refusals_are_located(tmp_path, capfd):
    project = copy_project(tmp_path / "project", with_reviews=False)
    edit_config(project, SHIPPED_URL, "site_url: not an address\n")
    with pytest.raises(CheckFailed) as failed:
        project.site_info()
    assert [str(p) for p in failed.value.problems] == [
        f"mkdocs.yml:{line_of(project, 'site_url:')}:1: site_url: The URL isn't valid, it should include the "
        "http:// (scheme)"
    ]
    edit_config(project, "site_url: not an address\n", "site_url: [unclosed\n")
    with pytest.raises(CheckFailed) as failed:
        project.site_info()
    (problem,) = failed.value.problems
    assert (problem.file, problem.message) == ("mkdocs.yml", "not valid YAML: expected ',' or ']', but got ':'")
    assert problem.line > 1
    # MkDocs logs its problems; none reached the terminal, and its logger is as it was.
    assert capfd.readouterr().err == ""
    mkdocs = logging.getLogger("mkdocs")
    assert mkdocs.propagate and mkdocs.level == logging.NOTSET and mkdocs.handlers == []


def test_edit_branch_comes_from_the_configuration(tmp_path):
    project = copy_project(tmp_path / "project", with_reviews=False)
    edit_config(project, "  repository_branch: main\n", "")
    assert project.site_info().edit_base == f"{REPO_URL}/edit/main/"  # when left out
    edit_config(project, SHIPPED_REPO, SHIPPED_REPO + "  repository_branch: release/2026\n")
    assert project.site_info().edit_base == f"{REPO_URL}/edit/release/2026/"
    edit_config(project, "repository_branch: release/2026", "repository_branch: two words")
    with pytest.raises(CheckFailed) as failed:
        project.site_info()
    assert str(failed.value.problems[0]).startswith(
        f"mkdocs.yml:{line_of(project, '  repository_branch')}:1: extra.repository_branch: 'two words' is not a branch"
    )


def test_inherit_and_env_are_read_again_when_they_change(tmp_path, monkeypatch):
    project = copy_project(tmp_path / "project", with_reviews=False)
    base = project.root / "base.yml"
    base.write_text("site_url: https://inherited.example.org/a/\n", encoding="utf-8")
    edit_config(project, SHIPPED_URL, "INHERIT: base.yml\n")
    assert project.site_info().url == "https://inherited.example.org/a/"
    assert (project.cache / "config.json").is_file()  # the next run reads it from there
    base.write_text("site_url: https://inherited.example.org/b/\n", encoding="utf-8")
    assert project.site_info().url == "https://inherited.example.org/b/"
    base.write_text('site_url: !ENV [CR_TEST_URL, "https://inherited.example.org/c/"]\n', encoding="utf-8")
    monkeypatch.delenv("CR_TEST_URL", raising=False)
    assert project.site_info().url == "https://inherited.example.org/c/"
    monkeypatch.setenv("CR_TEST_URL", "https://env.example.org/")
    assert project.site_info().url == "https://env.example.org/"

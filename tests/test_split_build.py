"""MkDocs on every core (generator/split_build.py) builds exactly what a plain
``mkdocs build --strict`` builds, and fails where it fails.

On the synthetic fixture (tests/fixtures/synthetic): every file of the site, pages, the
404 page, the sitemap and its gzip copy, and the copied assets, byte for byte, whether
the pages are shared between two processes or three; and a broken link fails both.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from synthetic import copy_project

from generator.pipeline import BuildFailed, Project, generate, mkdocs_build

pytestmark = pytest.mark.build  # every test here runs mkdocs


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Project:
    project = copy_project(tmp_path_factory.mktemp("split") / "project")  # the synthetic fixture reviews
    generate(project)
    return project


@pytest.fixture(scope="module")
def plain(project) -> dict[str, bytes]:
    site = project.root / "plain"
    mkdocs_build(project, site, env=_env(), parts=1)  # `mkdocs build --strict` itself
    return tree(site)


def _env() -> dict:
    import os

    return {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": "1700000000"}


@pytest.mark.parametrize("parts", [2, 3])
def test_split_build_gives_the_plain_build_byte_for_byte(project, plain, parts):
    site = project.root / f"split-{parts}"
    mkdocs_build(project, site, env=_env(), parts=parts)
    split = tree(site)
    for must in ("404.html", "sitemap.xml", "sitemap.xml.gz", "index.html", "assets/stylesheets", "stylesheets/"):
        assert any(rel.startswith(must) for rel in split), must
    assert sorted(split) == sorted(plain)
    differ = [rel for rel in plain if split[rel] != plain[rel]]
    assert not differ, differ[:10]


def test_a_leftover_file_in_the_folder_is_cleared_first(project, plain):
    site = project.root / "leftover"
    (site / "old").mkdir(parents=True)
    (site / "old" / "index.html").write_text("stale")
    mkdocs_build(project, site, env=_env(), parts=2)
    assert tree(site) == plain


def test_a_broken_link_fails_the_split_build_as_it_fails_mkdocs(project):
    about = project.docs / "about.md"
    kept = about.read_text(encoding="utf-8")
    about.write_text(kept + "\n[broken](missing-page.md)\n", encoding="utf-8")
    try:
        for parts in (1, 2):
            with pytest.raises(BuildFailed) as failed:
                mkdocs_build(project, project.root / f"broken-{parts}", env=_env(), parts=parts)
            said = str(failed.value)
            assert "WARNING -  Doc file 'about.md' contains a link 'missing-page.md'" in said, said
            assert "Aborted with 1 warnings in strict mode" in said, said
    finally:
        about.write_text(kept, encoding="utf-8")

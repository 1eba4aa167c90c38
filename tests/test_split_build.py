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


@pytest.mark.parametrize("parts", [1, 2])
def test_a_dirty_split_build_rebuilds_only_changed_pages_and_matches_a_full_build(tmp_path, parts):
    """After an edit, building again into the earlier site rebuilds only the pages whose
    Markdown changed (each process deciding the same set, even once another has rewritten
    one), and gives the full build's site byte for byte; a broken link still fails it."""
    import os
    import time

    project = copy_project(tmp_path / "project")
    generate(project)
    site = tmp_path / "site"
    mkdocs_build(project, site, env=_env(), parts=2)
    before = {p.relative_to(site).as_posix(): p.stat().st_mtime_ns for p in site.rglob("*.html")}
    time.sleep(0.01)
    review = sorted(p for p in (project.docs / "reviews").glob("*.md") if p.name != "index.md")[0]
    review.write_text(review.read_text(encoding="utf-8") + "\nAn added paragraph.\n", encoding="utf-8")
    about = project.docs / "about.md"
    about.write_text(about.read_text(encoding="utf-8") + "\nAnother added paragraph.\n", encoding="utf-8")
    mkdocs_build(project, site, env=_env(), parts=parts, dirty=True)
    rebuilt = {rel for rel, ns in before.items() if (site / rel).stat().st_mtime_ns != ns}
    assert rebuilt == {f"reviews/{review.stem}/index.html", "about/index.html", "404.html"}, rebuilt
    full = tmp_path / "full"
    mkdocs_build(project, full, env=_env(), parts=1)
    assert tree(site) == tree(full)

    about.write_text(about.read_text(encoding="utf-8") + "\n[broken](missing-page.md)\n", encoding="utf-8")
    with pytest.raises(BuildFailed, match="missing-page.md"):
        mkdocs_build(project, site, env=_env(), parts=parts, dirty=True)
    assert os.path.exists(site / "about" / "index.html")

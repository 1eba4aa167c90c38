"""Doing only what changed gives what doing everything gives.

* The preview's incremental path (the generator rewrites only changed pages, MkDocs
  rebuilds only those) ends with the same pages as a full ``mkdocs build`` after each
  of a series of edits: add a review, change a template, rename a theme, delete a review.
* ``make site`` with nothing changed builds nothing, and rebuilds when any input changes
  or ``site/`` was touched.
* The swap of ``site/``: a run killed half way never leaves the project without a
  complete site, and the next run neither deletes the last good site nor starts from none.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from synthetic import copy_project, write_corpus

from generator import site as built_site
from generator.pipeline import Project, build, mkdocs_build, search_index
from generator.preview import Preview

pytestmark = pytest.mark.build


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def assert_same_site(project: Project, incremental: Path, tmp: Path) -> None:
    full = tmp / "full"
    shutil.rmtree(full, ignore_errors=True)
    mkdocs_build(project, full, parts=1)  # the plain `mkdocs build --strict`
    ours, theirs = tree(incremental), tree(full)
    assert sorted(ours) == sorted(theirs)
    differ = [rel for rel in theirs if ours[rel] != theirs[rel]]
    assert not differ, differ[:10]


def test_incremental_preview_matches_a_full_build_after_each_edit(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    project = copy_project(tmp_path / "project", with_reviews=False)
    write_corpus(project.reviews, 6)
    spare = tmp_path / "spare"
    spare.mkdir()
    extra = write_corpus(spare, 7)[-1]  # a seventh review, not yet in the project
    log = open(tmp_path / "log", "w")
    preview = Preview(project, out=log)
    preview.update(None)
    assert preview.error is None

    added = project.reviews / extra.name
    shutil.copy(extra, added)
    preview.update({added})
    assert preview.error is None
    assert_same_site(project, preview.site_dir, tmp_path)

    template = project.root / "overrides" / "main.html"
    template.write_text(template.read_text(encoding="utf-8") + "\n{# edited #}\n", encoding="utf-8")
    preview.update({template})
    assert_same_site(project, preview.site_dir, tmp_path)

    themes = project.reviews / "_themes.yaml"
    rename_themes(themes, 12)
    preview.update({themes})
    assert preview.error is None
    assert "(renamed)" in (preview.site_dir / "themes" / "index.html").read_text(encoding="utf-8")
    assert_same_site(project, preview.site_dir, tmp_path)

    gone = sorted(project.reviews.glob("synthetic-review-*.yaml"))[0]
    gone.unlink()
    preview.update({gone})
    assert preview.error is None
    assert not (preview.site_dir / "reviews" / gone.stem).exists()
    assert_same_site(project, preview.site_dir, tmp_path)


def indexed(site: Path) -> dict:
    entry = json.loads((site / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    return {language: found["page_count"] for language, found in entry["languages"].items()}


def varies(rel: str) -> bool:
    """Pagefind's files whose bytes differ between two runs on the same site."""
    return rel.startswith("pagefind/filter/") or rel.endswith(".pf_meta") or rel == "pagefind/pagefind-entry.json"


def rename_themes(themes: Path, count: int) -> None:
    text = themes.read_text(encoding="utf-8")
    labels = [line for line in text.splitlines() if line.strip().startswith("label:")][:count]
    themes.write_text(
        "\n".join(line + " (renamed)" if line in labels else line for line in text.splitlines()) + "\n",
        encoding="utf-8",
    )


def test_make_site_after_edits_matches_a_full_build(tmp_path, monkeypatch):
    """``make site`` rebuilds only the changed pages when only pages changed (and in full
    when the overrides change or a page goes away); the site is the same either way."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    project = copy_project(tmp_path / "project", with_reviews=False)
    write_corpus(project.reviews, 6)
    spare = tmp_path / "spare"
    spare.mkdir()
    extra = write_corpus(spare, 7)[-1]
    build(project)

    def same_as_full():
        full = tmp_path / "full"
        shutil.rmtree(full, ignore_errors=True)
        mkdocs_build(project, full, parts=1)  # the plain `mkdocs build --strict`
        search_index(full)
        # Pagefind's filter and meta files (and the entry file naming them) differ from run
        # to run on the same pages: they are compared by what was indexed; every other file,
        # its pages' fragments and its word index included, byte for byte.
        ours, theirs = tree(project.site), tree(full)
        assert {k: v for k, v in ours.items() if not varies(k)} == {k: v for k, v in theirs.items() if not varies(k)}
        assert sum(map(varies, ours)) == sum(map(varies, theirs))
        assert indexed(project.site) == indexed(full)

    copied = []
    real_copytree = shutil.copytree
    monkeypatch.setattr(
        shutil,
        "copytree",
        lambda src, *a, **k: (copied.append(src) if Path(src) == project.site else None) or real_copytree(src, *a, **k),
    )
    shutil.copy(extra, project.reviews / extra.name)  # add a review
    build(project)
    same_as_full()
    rename_themes(project.reviews / "_themes.yaml", 12)  # rename themes
    build(project)
    same_as_full()
    assert len(copied) == 2  # both built from site/, changed pages only

    template = project.root / "overrides" / "main.html"  # change a template
    template.write_text(template.read_text(encoding="utf-8") + "\n{# edited #}\n", encoding="utf-8")
    build(project)
    same_as_full()
    sorted(project.reviews.glob("synthetic-review-*.yaml"))[0].unlink()  # delete a review
    build(project)
    same_as_full()
    assert len(copied) == 2  # both built in full


@pytest.fixture
def small(tmp_path) -> Project:
    project = copy_project(tmp_path / "project", with_reviews=False)
    write_corpus(project.reviews, 3)
    return project


def test_make_site_with_nothing_changed_builds_nothing(small):
    first = build(small)
    assert not first.site_current
    before = tree(small.site)
    again = build(small)
    assert again.site_current and tree(small.site) == before

    about = small.docs / "about.md"  # a hand-written page is an input too
    about.write_text(about.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
    assert not build(small).site_current
    assert build(small).site_current

    (small.site / "index.html").unlink()  # so is site/ being as the build left it
    assert not build(small).site_current
    assert (small.site / "index.html").is_file()


def test_a_kill_between_the_two_renames_keeps_the_last_good_site(small, monkeypatch):
    build(small)
    good = tree(small.site)
    review = sorted(small.reviews.glob("synthetic-review-*.yaml"))[0]
    review.write_text(
        review.read_text(encoding="utf-8").replace("SYNTHETIC REVIEW", "SYNTHETIC NEW REVIEW", 1), encoding="utf-8"
    )

    # Where the system cannot exchange two folders in one step, the swap is two renames.
    monkeypatch.setattr(built_site, "_exchange", lambda a, b: False)
    real_rename = Path.rename

    def killed_after_first(self, target):
        result = real_rename(self, target)
        if Path(target) == small.site_old:
            raise KeyboardInterrupt  # the run is killed here: no site/, two complete folders
        return result

    monkeypatch.setattr(Path, "rename", killed_after_first)
    with pytest.raises(KeyboardInterrupt):
        build(small)
    monkeypatch.setattr(Path, "rename", real_rename)
    assert not small.site.exists()
    assert tree(small.site_old) == good and small.site_ready.is_dir()

    # The next run first puts the complete new site in place, never deleting the old one
    # before that.
    built_site.recover(small)
    assert small.site.is_dir() and not small.site_old.exists() and not small.site_ready.exists()
    assert tree(small.site) != good and "SYNTHETIC NEW REVIEW" in (small.site / "index.html").read_text("utf-8")


def test_a_kill_during_the_build_keeps_site_and_the_next_run_restores_a_missing_one(small):
    build(small)
    good = tree(small.site)
    # A run killed with no site/ and only the last good one set aside...
    small.site.rename(small.site_old)
    (small.site_new / "half").mkdir(parents=True)  # ...and a half-built folder
    built_site.recover(small)
    assert tree(small.site) == good
    assert not small.site_old.exists() and not small.site_new.exists()


def test_the_swap_leaves_no_leftovers(small):
    build(small)
    assert small.site.is_dir()
    for leftover in (small.site_new, small.site_ready, small.site_old):
        assert not leftover.exists()

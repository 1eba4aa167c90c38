"""The preview's two passes: a saved review's own page first, then every other page.

* The first pass writes only the saved review's own pages, and nothing for a save it
  cannot show by itself (an invalid file, the vocabulary, a file that went away).
* After the second pass the preview is what a full generation and a full MkDocs build
  give, byte for byte, after each of a series of edits (edit a finding, add a review,
  rename themes, delete a review), including when a save comes while the full
  generation of the one before is under way.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from synthetic import copy_project, write_corpus
from test_incremental import assert_same_site, rename_themes, tree

from generator.firstpass import first_pass, load_baseline, saved_reviews
from generator.pagebuild import build_pages
from generator.pipeline import Project, generate, mkdocs_build
from generator.preview import Preview


def reviews(project: Project) -> list[Path]:
    return sorted(project.reviews.glob("synthetic-review-*.yaml"))


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def fresh_docs(project: Project, tmp: Path) -> dict[str, bytes]:
    """The generated pages a full generation from nothing gives for the project's reviews."""
    other = copy_project(tmp / "fresh", with_reviews=False)
    shutil.rmtree(other.reviews)
    shutil.copytree(project.reviews, other.reviews)
    generate(other, todo_level="warning")
    found = tree(other.docs)
    shutil.rmtree(other.root)
    return found


def test_the_first_pass_writes_only_the_saved_reviews_own_pages(tmp_path):
    project = copy_project(tmp_path / "project", with_reviews=False)
    write_corpus(project.reviews, 5)
    generate(project, todo_level="warning")
    before = tree(project.docs)
    baseline = load_baseline(project)
    assert baseline is not None and baseline.recurrence is not None
    path = reviews(project)[1]
    edit(path, "SYNTHETIC REVIEW", "SYNTHETIC FIRST-PASS REVIEW")
    files = saved_reviews(project, {path})
    assert files == [path]
    written, why = first_pass(project, files, project.site_info(), baseline)
    assert why is None and written == [f"reviews/{path.stem}.md"]
    after = tree(project.docs)
    assert "FIRST-PASS" in after[written[0]].decode("utf-8")
    assert {rel for rel in after if after[rel] != before.get(rel)} == set(written)

    # Related reviews and similar items come from the baseline: the same as a full generation's.
    generate(project, todo_level="warning")
    assert tree(project.docs)[written[0]] == after[written[0]]


def test_the_first_pass_leaves_what_it_cannot_show_to_the_second(tmp_path):
    project = copy_project(tmp_path / "project", with_reviews=False)
    write_corpus(project.reviews, 3)
    generate(project, todo_level="warning")
    before = tree(project.docs)
    path = reviews(project)[0]
    edit(path, "\ntitle:", "\ntitle: [unclosed")
    assert first_pass(project, [path], project.site_info(), None) == ([], "the saved file has problems")
    assert tree(project.docs) == before
    assert saved_reviews(project, {project.reviews / "_themes.yaml"}) is None
    assert saved_reviews(project, {project.reviews / "gone.yaml"}) is None
    assert saved_reviews(project, {path, project.root / "mkdocs.yml"}) is None


@pytest.mark.build
def test_after_the_second_pass_the_preview_is_a_full_build_after_each_edit(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    project = copy_project(tmp_path / "project", with_reviews=False)
    write_corpus(project.reviews, 6)
    spare = tmp_path / "spare"
    spare.mkdir()
    extra = write_corpus(spare, 7)[-1]
    log = tmp_path / "log"
    preview = Preview(project, out=log.open("w"))
    try:
        preview.update(None)
        assert preview.error is None

        def same_as_full() -> None:
            assert preview.error is None
            assert tree(project.docs) == fresh_docs(project, tmp_path)
            assert_same_site(project, preview.site_dir, tmp_path)

        first = reviews(project)[2]
        edit(first, "SYNTHETIC REVIEW", "SYNTHETIC EDITED REVIEW")  # edit a finding's review
        text = first.read_text(encoding="utf-8")
        at = text.index("\nfindings:")
        first.write_text(text[:at] + text[at:].replace("text: ", "text: Edited ", 1), encoding="utf-8")
        preview.update({first})
        assert "saved page shown" in log.read_text(encoding="utf-8")
        same_as_full()

        added = project.reviews / extra.name  # add a review
        shutil.copy(extra, added)
        preview.update({added})
        same_as_full()

        themes = project.reviews / "_themes.yaml"  # rename themes (the slow path)
        rename_themes(themes, 12)
        preview.update({themes})
        assert "(renamed)" in (preview.site_dir / "themes" / "index.html").read_text(encoding="utf-8")
        same_as_full()

        gone = reviews(project)[0]  # delete a review
        gone.unlink()
        preview.update({gone})
        assert not (preview.site_dir / "reviews" / gone.stem).exists()
        same_as_full()

        # A save while the generation of the one before is under way: it stops, and starts
        # again with both.
        one, two = reviews(project)[2], reviews(project)[3]  # neither edited yet
        edit(one, "SYNTHETIC REVIEW", "SYNTHETIC ONE REVIEW")
        preview.begin({one})
        assert preview.running is not None
        edit(two, "SYNTHETIC REVIEW", "SYNTHETIC TWO REVIEW")
        preview.begin({two})
        while not preview.collect(1.0):
            pass
        assert "stops: it starts again" in log.read_text(encoding="utf-8")
        same_as_full()
    finally:
        preview.stop_worker(now=preview.running is not None)
        preview.stop_quick()


@pytest.mark.build
def test_building_chosen_pages_gives_what_a_full_build_gives(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    project = copy_project(tmp_path / "project", with_reviews=False)
    write_corpus(project.reviews, 3)
    generate(project, todo_level="warning")
    site = tmp_path / "site"
    mkdocs_build(project, site)
    rel = f"reviews/{reviews(project)[1].stem}.md"
    page = project.docs / rel
    page.write_text(page.read_text(encoding="utf-8") + "\nA paragraph added.\n", encoding="utf-8")
    assert build_pages(project.config, site, [rel]) == []
    full = tmp_path / "full"
    mkdocs_build(project, full)
    ours, theirs = tree(site), tree(full)
    assert "A paragraph added." in ours[f"reviews/{reviews(project)[1].stem}/index.html"].decode("utf-8")
    assert ours == theirs

    # A page that warns is left newer than its HTML, so that the next dirty build reports it.
    page.write_text(page.read_text(encoding="utf-8") + "\n[a link](../no-such-page.md)\n", encoding="utf-8")
    assert any("no-such-page.md" in said for said in build_pages(project.config, site, [rel]))
    built = site / "reviews" / reviews(project)[1].stem / "index.html"
    assert page.stat().st_mtime_ns > built.stat().st_mtime_ns

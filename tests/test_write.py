"""Stage 6, write: only changed files, stale ones removed, nothing else touched, undoable."""

from __future__ import annotations

import pytest

from generator.write import write_pages


def test_writes_only_changes_and_removes_stale(tmp_path):
    (tmp_path / "about.md").write_text("hand-written")
    first = write_pages(tmp_path, {"index.md": "home", "reviews/a.md": "A", "reviews/b.md": "B"})
    assert first.written == ["index.md", "reviews/a.md", "reviews/b.md"]
    mtime = (tmp_path / "reviews/a.md").stat().st_mtime_ns
    second = write_pages(tmp_path, {"index.md": "home", "reviews/a.md": "A", "themes/t.md": "T"})
    assert second.written == ["themes/t.md"] and second.removed == ["reviews/b.md"] and second.unchanged == 2
    assert (tmp_path / "reviews/a.md").stat().st_mtime_ns == mtime
    assert (tmp_path / "about.md").read_text() == "hand-written"
    assert not (tmp_path / "reviews/b.md").exists()


def test_empty_generated_folders_are_pruned(tmp_path):
    write_pages(tmp_path, {"browse/year/2017.md": "x"})
    write_pages(tmp_path, {"browse/index.md": "y"})
    assert not (tmp_path / "browse/year").exists()


def test_refuses_paths_outside_the_generated_part(tmp_path):
    for bad in ["about.md", "reviews/../about.md", "../reviews/x.md"]:
        with pytest.raises(ValueError):
            write_pages(tmp_path, {bad: "x"})


def test_rollback_restores_everything(tmp_path):
    write_pages(tmp_path, {"index.md": "old home", "reviews/a.md": "A"})
    result = write_pages(tmp_path, {"index.md": "new home", "reviews/c.md": "C"})
    result.rollback()
    assert (tmp_path / "index.md").read_text() == "old home"
    assert (tmp_path / "reviews/a.md").read_text() == "A"
    assert not (tmp_path / "reviews/c.md").exists()

"""The command line: exit codes, compiler-style messages, and never a traceback."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import FROZEN_REVIEWS, REPO, SYNTHETIC_REVIEWS, copy_project

from generator.validate import check

BAD = Path(__file__).parent / "bad"


def run(*args, cwd=REPO):
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run([sys.executable, "-m", "generator", *args], cwd=cwd, capture_output=True, text=True, env=env)


def test_check_on_a_folder_of_broken_files_lists_everything(tmp_path):
    for name in ["unknown-field", "impossible-date", "javascript-url", "tab-indent", "duplicate-key", "empty"]:
        shutil.copy(BAD / f"{name}.yaml", tmp_path / f"{name}.yaml")
    done = run("check", str(tmp_path), cwd=tmp_path)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    lines = done.stderr.strip().splitlines()
    assert lines[-1] == "checked 7 files: 6 errors, 0 warnings"  # six reviews and the vocabulary
    files = sorted(line.split(":")[0] for line in lines[:-1])
    assert files == [
        "duplicate-key.yaml",
        "empty.yaml",
        "impossible-date.yaml",
        "javascript-url.yaml",
        "tab-indent.yaml",
        "unknown-field.yaml",
    ]
    assert (
        "unknown-field.yaml:11:1: recomendations: unknown field 'recomendations' — did you mean 'recommendations'?"
        in lines
    )


def test_check_one_file_and_github_annotations():
    done = run("check", "--github", "tests/bad/javascript-url.yaml")
    assert done.returncode == 1
    assert done.stderr.splitlines()[0] == (
        "::error file=tests/bad/javascript-url.yaml,line=20,col=10::sources[0].url: 'javascript:alert(1)' "
        "is not a web address — only http:// and https:// links are allowed"
    )


def test_check_of_the_shipped_reviews_passes():
    done = run("check")  # whatever reviews/ holds: CI checks it before the tests
    assert done.returncode == 0, done.stderr
    assert " 0 errors, " in done.stderr.strip().splitlines()[-1]


def test_warnings_fail_only_with_strict(tmp_path):
    src = (FROZEN_REVIEWS / "ayeeshia-jayne-smith-derbyshire-scr-2017.yaml").read_text()
    path = tmp_path / "ayeeshia-jayne-smith-derbyshire-scr-2017.yaml"
    path.write_text(src.replace("  published_as: not-known", "  published_as: not-known\n  links_checked: 2020-01-01"))
    vocabulary = str(FROZEN_REVIEWS / "_themes.yaml")  # the one its themes come from
    assert run("check", str(path), vocabulary, cwd=tmp_path).returncode == 0
    assert run("check", "--strict", str(path), vocabulary, cwd=tmp_path).returncode == 1


def test_build_with_a_broken_file_stops_before_writing(tmp_path):
    project = copy_project(tmp_path)
    shutil.copy(BAD / "several-problems.yaml", project.reviews / "several-problems.yaml")
    done = run("--root", str(tmp_path), "build")
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "stopped: 3 problem(s); nothing was written" in done.stderr
    assert not (tmp_path / "site").exists() and not (tmp_path / "docs" / "reviews").exists()


@pytest.mark.build
def test_build_prints_a_summary_line(tmp_path):
    copy_project(tmp_path)
    done = run("--root", str(tmp_path), "build")
    assert done.returncode == 0, done.stderr
    fixture = check([SYNTHETIC_REVIEWS], root=SYNTHETIC_REVIEWS.parent)
    counts = f"generated {len(fixture.reviews)} reviews, {len(fixture.vocabulary.themes)} themes:"
    assert counts in done.stderr and "pages written" in done.stderr
    assert f"site built in {tmp_path / 'site'}: serve it, do not open its files from disk" in done.stderr
    assert f"--directory {tmp_path / 'site'} 8001`, then open http://127.0.0.1:8001/" in done.stderr

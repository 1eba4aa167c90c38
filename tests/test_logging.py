"""Messages go through ``logging`` (logger ``generator``), one line each to stderr: ``-v``
adds each stage and its time, ``-q`` leaves only errors, and the one-line summary is
there by default."""

from __future__ import annotations

import logging
import re

from conftest import copy_project, synthetic_review, write_review
from test_config import run

from generator.cli import main


def test_verbose_quiet_and_default(tmp_path):
    project = copy_project(tmp_path / "project")
    verbose = run(project, "generate", "-v")
    assert verbose.returncode == 0, verbose.stderr
    lines = verbose.stderr.splitlines()
    stages = [line for line in lines if re.fullmatch(r".+: \d+\.\d\d s", line)]
    assert [s.split(" ")[0] for s in stages] == ["checking", "indexing", "comparing", "rendering"], lines
    assert lines[-1].startswith("generated ")

    quiet = run(project, "generate", "-q")  # nothing changed since: nothing to say
    assert quiet.returncode == 0 and quiet.stderr == ""
    default = run(project, "generate")
    assert default.returncode == 0 and len(default.stderr.splitlines()) == 1
    assert default.stderr.startswith("generated ") and "0 pages written" in default.stderr


def test_quiet_keeps_errors_and_drops_warnings(tmp_path):
    project = copy_project(tmp_path / "project", with_reviews=False)
    write_review(project.reviews, synthetic_review(summary="TODO: the summary."))
    warned = run(project, "generate", "--preview", "-q")
    assert warned.returncode == 0 and warned.stderr == ""
    refused = run(project, "check", "-q")
    assert refused.returncode == 1
    (line,) = refused.stderr.splitlines()  # the error, without the summary
    assert line.startswith("reviews/synthetic-review-a.yaml:") and "summary: still holds a TODO placeholder" in line


def test_main_run_twice_in_one_process_leaves_no_handler(tmp_path, capsys):
    project = copy_project(tmp_path / "project", with_reviews=False)
    for _ in range(2):
        assert main(["--root", str(project.root), "schema", "-q"]) == 0
        assert capsys.readouterr().err == ""
        assert main(["--root", str(project.root), "schema"]) == 0
        assert capsys.readouterr().err.endswith("review.schema.json is up to date\n")
    logger = logging.getLogger("generator")
    assert logger.handlers == [] and logger.propagate and logger.level == logging.NOTSET

"""Issue 12, the input side: every problem in one run, in file and line order; citations
and themes required; TODO an error except in the preview; parallel checking that cannot
hang; a cache that survives warnings; messages that name the fix."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from conftest import REPO, SCHEMA_LINE, synthetic_review, write_review

from generator.cache import RunCache
from generator.errors import CheckFailed, SourceError
from generator.load import load_text
from generator.validate import check
from generator.workers import WorkerFailed, fork_map

VOCABULARY = REPO / "reviews" / "_themes.yaml"
LIMIT = 300  # seconds any one command may take before the test calls it a hang


def run(*args: str, cwd: Path = REPO, prelude: str = "") -> subprocess.CompletedProcess:
    """``python -m generator ARGS`` in its own process, with a time limit."""
    code = f"import sys\n{prelude}\nfrom generator.cli import main\nsys.exit(main(sys.argv[1:]))"
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=LIMIT,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )


def test_check_prints_all_five_problems_of_one_file_in_one_run():
    done = run("check", "tests/bad/five-problems.yaml")
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert done.stderr.splitlines() == [
        "tests/bad/five-problems.yaml:4:1: short_tilte: unknown field 'short_tilte' — did you mean 'short_title'?",
        "tests/bad/five-problems.yaml:15:14: findings[0].themes[0]: unknown theme 'profesional-curiosity' — "
        "did you mean 'professional-curiosity'?",
        "tests/bad/five-problems.yaml:17:5: findings[1].sources: cites no source — list the id of at least one "
        "source it comes from, for example sources: [report]; every fact must be cited",
        "tests/bad/five-problems.yaml:25:7: recommendations[0].status: a status of 'accepted' needs its date and "
        "evidence — add 'date' and 'evidence' (when the status was reported, and a link to the report)",
        "tests/bad/five-problems.yaml:32:9: sources[1].id: the source 's2' is not cited by any field — cite it in "
        "the 'sources' of the items it supports, or list the fields it supports under 'supports' (for example "
        "[summary, published])",
        "checked 2 files: 5 errors, 0 warnings",
    ]


def _problems(path: Path, root: Path, **options) -> list[str]:
    return [str(p) for p in check([path], root=root, vocabulary=VOCABULARY, **options).problems]


@pytest.mark.parametrize(
    "item, key",
    [
        ("subjects", "sources"),
        ("timeline", "sources"),
        ("findings", "sources"),
        ("recommendations", "sources"),
        ("findings", "themes"),
        ("recommendations", "themes"),
    ],
)
@pytest.mark.parametrize("form", ["missing", "empty"])
def test_every_item_cites_a_source_and_every_finding_has_a_theme(tmp_path, item, key, form):
    data = synthetic_review()
    if form == "missing":
        del data[item][0][key]
    else:
        data[item][0][key] = []
    problems = _problems(write_review(tmp_path, data), tmp_path)
    what = "cites no source" if key == "sources" else "has no theme"
    assert [p for p in problems if f"{item}[0].{key}: {what} — " in p], problems
    assert all(" — " in p for p in problems)


@pytest.mark.parametrize(
    "item, extra",
    [
        ("legal_outcomes", {"kind": "plea", "outcome": "convicted", "text": "Pleaded guilty."}),
        ("responses", {"by": "A board", "text": "Accepted."}),
        ("disputed", {"topic": "An age", "text": "Two sources differ."}),
    ],
)
def test_legal_outcomes_responses_and_disputed_items_cite_a_source(tmp_path, item, extra):
    problems = _problems(write_review(tmp_path, synthetic_review(**{item: [dict(extra, sources=[])]})), tmp_path)
    assert [p for p in problems if f"{item}[0].sources: cites no source" in p], problems


def test_todo_is_an_error_for_check_and_a_warning_in_the_preview(tmp_path):
    path = write_review(tmp_path, synthetic_review(summary="TODO: write the summary."))
    assert [(p.level, p.field, p.message) for p in check([path], root=tmp_path, vocabulary=VOCABULARY).problems] == [
        ("error", "summary", "still holds a TODO placeholder")
    ]
    preview = check([path], root=tmp_path, vocabulary=VOCABULARY, todo_level="warning")
    assert preview.errors == [] and [p.level for p in preview.problems] == ["warning"]
    assert len(preview.reviews) == 1


def test_a_theme_listed_twice_on_one_item_is_an_error(tmp_path):
    data = synthetic_review()
    data["findings"][0]["themes"] = ["neglect", "domestic-abuse", "neglect"]
    assert [p for p in _problems(write_review(tmp_path, data), tmp_path) if "listed twice" in p] == [
        "synthetic-review-a.yaml:46:5: findings[0].themes[2]: the theme 'neglect' is listed twice (also themes[0]) "
        "— remove one of the two"
    ]


def test_valid_parts_are_checked_when_the_schema_fails(tmp_path):
    """A wrong type at the top does not hide the dates, ids, themes and citations below."""
    data = synthetic_review(nation="Englnd", see_also=["no-such-review"])
    data["timeline"].reverse()
    data["findings"][0]["sources"] = ["s9"]
    data["findings"][0]["themes"] = ["domestic violence"]
    data["recommendations"].append(dict(data["recommendations"][0]))
    problems = _problems(write_review(tmp_path, data), tmp_path)
    for part in [
        "nation: 'Englnd' is not one of the allowed values",
        "timeline[1].date: 2018 comes before the previous event's date 2019-01-05",
        "findings[0].sources[0]: cites the source 's9', which is not listed",
        "findings[0].themes[0]: unknown theme 'domestic violence' — 'domestic violence' is another term "
        "for the theme 'domestic-abuse': use 'domestic-abuse'",
        "recommendations[1].id: duplicate id 'r1'",
        "see_also[0]: no review has the id 'no-such-review'",
    ]:
        assert [p for p in problems if part in p], (part, problems)
    lines = [int(p.split(":")[1]) for p in problems]
    assert lines == sorted(lines)


def test_a_theme_written_as_a_phrase_suggests_the_theme_it_names(tmp_path):
    data = synthetic_review()
    data["findings"][0]["themes"] = ["Professional curiosity", "was not brought to appointments"]
    problems = [p for p in _problems(write_review(tmp_path, data), tmp_path) if "unknown theme" in p]
    assert problems[0].endswith(
        "'Professional curiosity' is another term for the theme 'professional-curiosity': use 'professional-curiosity'"
    )
    assert "use 'was-not-brought'" in problems[1], problems[1]


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "a: 1\ntext: The child said: hello\n",
            "x.yaml:2:21: YAML syntax error: a colon followed by a space inside text — put the whole text in quotes "
            "(\"...\"), or write '>-' after the field's colon and the text on the next lines, indented",
        ),
        (
            "a:\n\tb: 1\n",
            "x.yaml:2:1: YAML syntax error: a tab character is used for indentation — indent with spaces, never tabs",
        ),
        (
            "a:\n  b: 1\n c: 2\n",
            "x.yaml:3:2: YAML syntax error: this line is not indented like the lines around it — "
            "indent it with the same number of spaces as the other fields of its group",
        ),
        (
            "findings:\n  - id: f1\n     text: x\n",
            "x.yaml:3:10: YAML syntax error: this line is not indented like the lines around it — indent it with the "
            "same number of spaces as the other fields of its group",
        ),
        (
            'a: 1\ntitle: "Child A\nb: 2\n',
            "x.yaml:2:8: YAML syntax error: the quote opened here is never closed — end "
            "the text with the same quote mark it starts with",
        ),
        (
            'title: "Child A" review\n',
            "x.yaml:1:18: YAML syntax error: text follows the closing quote — put the whole "
            "text inside the quotes, or remove the quotes",
        ),
    ],
)
def test_yaml_mistakes_get_a_message_that_names_the_fix(text, expected):
    with pytest.raises(CheckFailed) as exc:
        load_text(text, "x.yaml")
    assert [str(p) for p in exc.value.problems] == [expected]


def test_problems_are_plain_values_across_processes():
    for problem in [
        SourceError("a.yaml", 3, 4, "title", "what", "how"),
        SourceError("a.yaml", 1, 1, "", "what", "how", "warning"),
    ]:
        assert pickle.loads(pickle.dumps(problem)) == problem


def test_the_cache_survives_warnings(tmp_path, monkeypatch):
    path = write_review(tmp_path, synthetic_review())
    path.write_text(path.read_text().replace(SCHEMA_LINE, ""))  # a warning: no schema line
    store = RunCache(tmp_path / ".cache")
    entries: dict = {}
    first = check([path], root=tmp_path, vocabulary=VOCABULARY, cache=entries)
    assert [p.level for p in first.problems] == ["warning"]
    store.save_reviews(entries)
    kept = RunCache(tmp_path / ".cache").reviews()
    assert len(kept) == 1, "the cache holding a warning must read back"

    def no_reading(*args, **kwargs):
        raise AssertionError("an unchanged file was checked again")

    monkeypatch.setattr("generator.validate.FileCheck._check", no_reading)
    again = check([path], root=tmp_path, vocabulary=VOCABULARY, cache=kept)
    assert again.problems == first.problems and again.reviews == first.reviews


# Every fourth file valid; the others with a warning, with errors, or with both.
def _corpus_file(folder: Path, n: int) -> list[str]:
    """Write review n; return the messages (without place) that `check` must give for it."""
    review_id = f"synthetic-review-{n:04d}"
    data = synthetic_review(review_id)
    kind = n % 4
    if kind == 2:
        data["findings"][0]["themes"] = ["no-such-theme"]
        del data["timeline"][0]["sources"]
    if kind == 3:
        data["summary"] = "TODO: the summary."
        data["report"] = {"links_checked": "2015-01-01"}
    path = write_review(folder, data)
    if kind == 1:
        path.write_text(path.read_text().replace(SCHEMA_LINE, ""))
    return {
        0: [],
        1: ["warning: the first line is not the schema line"],
        2: ["timeline[0].sources: cites no source", "findings[0].themes[0]: unknown theme 'no-such-theme'"],
        3: [
            "warning: report.links_checked: the links were last checked on 2015-01-01, over a year ago",
            "summary: still holds a TODO placeholder",
        ],
    }[kind]


def test_check_of_400_files_with_warnings_and_errors_on_2_workers_lists_every_problem(tmp_path):
    if len(os.sched_getaffinity(0)) < 2:
        pytest.skip("needs 2 cores")
    expected = {}
    for n in range(400):
        expected[f"synthetic-review-{n:04d}.yaml"] = _corpus_file(tmp_path, n)
    two_cores = "import os\nos.sched_setaffinity(0, sorted(os.sched_getaffinity(0))[:2])"
    done = run("check", str(tmp_path), cwd=tmp_path, prelude=two_cores)
    assert "Traceback" not in done.stderr
    lines = done.stderr.splitlines()
    assert lines[-1] == "checked 401 files: 300 errors, 200 warnings"  # and the vocabulary
    found: dict[str, list[str]] = {name: [] for name in expected}
    for line in lines[:-1]:
        name, _line, _col, rest = line.split(":", 3)
        found[name].append(rest.strip().split(" — ")[0])
    for name, messages in expected.items():
        assert len(found[name]) == len(messages), (name, found[name])
        for message, got in zip(sorted(messages), sorted(found[name])):
            assert got.startswith(message), (name, got)
    assert [line.split(":")[0] for line in lines[:-1]] == sorted(line.split(":")[0] for line in lines[:-1])


def _dies_on_seven(n: int) -> int:
    if n == 7:
        os._exit(3)  # a worker killed (out of memory, a signal): no result, no exception
    return n


def test_a_worker_that_dies_is_an_error_not_a_hang():
    script = textwrap.dedent("""
        import sys
        sys.path.insert(0, "tests")
        from test_check_all import _dies_on_seven
        from generator.workers import WorkerFailed, fork_map
        try:
            fork_map(_dies_on_seven, list(range(40)), min_items=1, workers=2)
        except WorkerFailed as exc:
            print("failed:", exc)
    """)
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    assert done.stdout.startswith("failed: a worker process ended unexpectedly"), done.stdout + done.stderr


def test_fork_map_gives_the_same_results_in_order():
    assert fork_map(abs, list(range(-500, 500)), min_items=1, workers=2) == [abs(n) for n in range(-500, 500)]
    assert WorkerFailed.__mro__[1] is RuntimeError


def test_generate_for_the_preview_takes_todo_as_a_warning(tmp_path):
    from synthetic import copy_project

    project = copy_project(tmp_path / "project", with_reviews=False)
    write_review(project.reviews, synthetic_review(summary="TODO: the summary."))
    refused = run("--root", str(project.root), "generate")
    assert refused.returncode == 1 and "summary: still holds a TODO placeholder" in refused.stderr
    preview = run("--root", str(project.root), "generate", "--preview")
    assert preview.returncode == 0, preview.stderr
    assert "warning: summary: still holds a TODO placeholder" in preview.stderr

"""Stage 2, validate: every problem is found, located and explained.

Each file in tests/bad/ ends with `# expect:` comments: the exact problems `check`
must report for it, in order, as `LINE:COL: field: message — hint`.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import FROZEN_REVIEWS, REPO, synthetic_review, write_review
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.validate import check

BAD = sorted((Path(__file__).parent / "bad").glob("*.yaml"))
VOCABULARY = FROZEN_REVIEWS / "_themes.yaml"  # fixed: the messages below name its themes


def run(*paths: Path, root: Path = REPO):
    return check(list(paths), root=root, vocabulary=VOCABULARY)


@pytest.mark.parametrize("path", BAD, ids=[p.stem for p in BAD])
def test_bad_file_reports_exact_problems(path):
    expected = [f"tests/bad/{path.name}:{m}" for m in re.findall(r"^# expect: (.*)$", path.read_text(), re.M)]
    assert expected, "a bad file must say what it expects"
    assert [str(p) for p in run(path).problems] == expected


def test_bad_corpus_covers_the_cases():
    names = {p.stem for p in BAD}
    for case in [
        "syntax-error",
        "tab-indent",
        "empty",
        "top-level-list",
        "duplicate-key",
        "unknown-field",
        "missing-field",
        "wrong-type",
        "alias",
        "impossible-date",
        "future-date",
        "published-before-incident",
        "unknown-theme-synonym",
        "unknown-theme-nearest",
        "id-mismatch",
        "unsafe-id",
        "duplicate-finding-id",
        "unknown-see-also",
        "javascript-url",
        "data-url",
        "malformed-url",
        "uncited-source",
    ]:
        assert case in names


def test_shipped_reviews_are_valid():
    result = check([REPO / "reviews"], root=REPO)  # whatever it holds: a warning does not fail `make check`
    assert [str(p) for p in result.errors] == []
    assert result.vocabulary and result.support


def test_text_fields_keep_what_was_typed(tmp_path):
    path = write_review(tmp_path, synthetic_review())
    path.write_text(
        path.read_text()
        .replace("content_note: Synthetic test content.", "content_note: no")
        .replace("short_title: Synthetic child A", "short_title: 1e3")
    )
    result = run(path, root=tmp_path)
    assert result.problems == []
    review = result.reviews[0]
    assert review.content_note == "no" and review.short_title == "1e3"
    assert review.subjects[0].age_months == 36  # a number field is converted from its text


def test_not_utf8_file(tmp_path):
    path = tmp_path / "latin1-review.yaml"
    path.write_bytes("id: latin1-review\ntitle: Caf\xe9\n".encode("latin-1"))
    assert [str(p) for p in run(path, root=tmp_path).problems] == [
        "latin1-review.yaml:2:11: the file is not UTF-8 (byte 0xe9) — save the file with UTF-8 encoding"
    ]


def test_too_large_file(tmp_path):
    path = tmp_path / "huge-review.yaml"
    path.write_text("id: huge-review\nsummary: " + "x" * 600_000 + "\n")
    assert [str(p) for p in run(path, root=tmp_path).problems] == [
        "huge-review.yaml:1:1: the file is 585 KiB, over the 512 KiB limit — a review file holds a summary, "
        "not the report; shorten long texts"
    ]


def test_duplicate_review_ids_across_folders(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    write_review(tmp_path / "a", synthetic_review("same-id"))
    write_review(tmp_path / "b", synthetic_review("same-id"))
    problems = [str(p) for p in run(tmp_path / "a", tmp_path / "b", root=tmp_path).problems]
    assert problems == [
        "b/same-id.yaml:2:5: id: the review id 'same-id' is also used by a/same-id.yaml "
        "— give each review its own id and file name"
    ]


def test_all_problems_across_files_in_one_run(tmp_path):
    for name in ["unknown-field", "impossible-date", "javascript-url"]:
        (tmp_path / f"{name}.yaml").write_text((Path(__file__).parent / "bad" / f"{name}.yaml").read_text())
    problems = run(tmp_path, root=tmp_path).problems
    assert sorted({p.file for p in problems}) == ["impossible-date.yaml", "javascript-url.yaml", "unknown-field.yaml"]


def test_links_checked_long_ago_is_a_warning(tmp_path):
    path = write_review(tmp_path, synthetic_review(report={"links_checked": "2020-01-01"}))
    result = run(path, root=tmp_path)
    assert result.errors == []
    assert [p.level for p in result.problems] == ["warning"]
    assert "over a year ago" in str(result.problems[0])


# Property: random damage to a valid file never crashes the check, and the check never
# accepts a file whose content would be lost (every key typed must reach the model).
KEYS = ["id", "title", "summary", "findings", "recommendations", "sources", "themes", "text", "date", "url"]


@st.composite
def damaged(draw):
    lines = (Path(__file__).parent / "bad" / "unknown-field.yaml").read_text().splitlines()
    lines = [line for line in lines if not line.startswith("#") and "recomendations" not in line]
    for _ in range(draw(st.integers(1, 4))):
        i = draw(st.integers(0, len(lines) - 1))
        action = draw(st.sampled_from(["delete", "duplicate", "retype", "control", "rename"]))
        if action == "delete":
            del lines[i]
        elif action == "duplicate":
            lines.insert(i, lines[i])
        elif action == "retype":
            key, sep, _ = lines[i].partition(":")
            lines[i] = (
                key + sep + " " + draw(st.sampled_from(["[]", "{}", "1", "no", "null", "'x'", "[a, b]", "2014-02-30"]))
            )
        elif action == "control":
            lines[i] += draw(st.sampled_from(["\x00", "\x07", "\t", "\u202e", "<script>"]))
        else:
            key, sep, rest = lines[i].partition(":")
            lines[i] = key.replace(key.strip(), draw(st.sampled_from(KEYS)) + "x") + sep + rest
        if not lines:
            break
    return "\n".join(lines) + "\n"


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=damaged())
def test_damaged_files_never_crash_or_lose_content(tmp_path, text):
    path = tmp_path / "unknown-field.yaml"
    path.write_text(text, encoding="utf-8")
    result = run(path, root=tmp_path)
    if result.errors:
        assert all(p.file == "unknown-field.yaml" and p.line >= 1 for p in result.problems)
        return
    # Accepted: then every mapping key in the file is a field of the model.
    review = result.reviews[0].model_dump()
    import yaml

    data = yaml.load(text, Loader=yaml.CBaseLoader)  # as the generator parses it (libyaml); scalars as text

    def keys_reach(raw, model):
        if isinstance(raw, dict):
            assert isinstance(model, dict)
            for k, v in raw.items():
                assert k in model, f"key {k!r} was accepted but dropped"
                keys_reach(v, model[k])
        elif isinstance(raw, list) and isinstance(model, list):
            assert len(raw) == len(model)
            for a, b in zip(raw, model):
                keys_reach(a, b)

    keys_reach(data, review)

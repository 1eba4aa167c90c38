"""Stage 1, load: plain data with the place of every value; no implicit typing, no lost keys."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator.errors import CheckFailed
from generator.load import MAX_BYTES, load_file, load_text


def problems(text: str) -> list[str]:
    with pytest.raises(CheckFailed) as exc:
        load_text(text, "x.yaml")
    return [str(p) for p in exc.value.problems]


def test_scalars_stay_the_text_typed():
    loaded = load_text("a: no\nb: on\nc: 1e3\nd: 2014-05-01\ne: 12:30\nf: 0o17\ng: .inf\nh: 'yes'\n", "x.yaml")
    assert loaded.data == {
        "a": "no",
        "b": "on",
        "c": "1e3",
        "d": "2014-05-01",
        "e": "12:30",
        "f": "0o17",
        "g": ".inf",
        "h": "yes",
    }


def test_empty_values_are_none_but_quoted_empty_is_text():
    assert load_text("a:\nb: ~\nc: null\nd: ''\n", "x.yaml").data == {"a": None, "b": None, "c": None, "d": ""}


def test_positions_of_values_and_keys():
    loaded = load_text("top: 1\nlist:\n  - name: A\n    age: 3\n", "x.yaml")
    assert loaded.positions[("top",)] == (1, 6)
    assert loaded.positions[("list", 0, "age")] == (4, 10)
    assert loaded.key_positions[("list", 0, "age")] == (4, 5)
    assert loaded.where(("list", 0, "missing")) == (3, 5)


def test_bom_is_accepted(tmp_path):
    path = tmp_path / "x.yaml"
    path.write_bytes("\ufeffa: é\n".encode("utf-8"))
    assert load_file(path).data == {"a": "é"}


def test_not_utf8_names_line_and_column(tmp_path):
    path = tmp_path / "x.yaml"
    path.write_bytes(b"a: ok\nb: caf\xe9\n")
    with pytest.raises(CheckFailed) as exc:
        load_file(path, "x.yaml")
    assert (
        str(exc.value.problems[0])
        == "x.yaml:2:7: the file is not UTF-8 (byte 0xe9) — save the file with UTF-8 encoding"
    )


def test_too_large(tmp_path):
    path = tmp_path / "x.yaml"
    path.write_bytes(b"a: " + b"x" * MAX_BYTES + b"\n")
    with pytest.raises(CheckFailed) as exc:
        load_file(path, "x.yaml")
    assert "over the 512 KiB limit" in str(exc.value.problems[0])


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "a: 1\nb: 2\na: 3\n",
            "x.yaml:3:1: a: duplicate key 'a' (first given on line 1) — keep one of the two; YAML would silently drop the first",
        ),
        (
            "a:\n  b: 1\n  b: 2\n",
            "x.yaml:3:3: a.b: duplicate key 'b' (first given on line 2) — keep one of the two; YAML would silently drop the first",
        ),
        (
            "a: &x [1]\nb: 2\n",
            "x.yaml:1:4: anchor '&x' is not allowed — remove the anchor; anchors and aliases are not supported",
        ),
        (
            "a: [1]\nb: *x\n",
            "x.yaml:2:4: alias '*x' is not allowed — write the value out in full; anchors and aliases are not supported",
        ),
        (
            "a:\n\t- b\n",
            "x.yaml:2:1: YAML syntax error: a tab character is used for indentation — indent with spaces, never tabs",
        ),
        ("", "x.yaml:1:1: the file is empty — start from a file made by 'python -m generator new'"),
        ("# only a comment\n", "x.yaml:1:1: the file is empty — start from a file made by 'python -m generator new'"),
        (
            "a: 1\n---\nb: 2\n",
            "x.yaml:2:1: the file holds more than one YAML document — remove the '---' line and everything after it, or merge the documents",
        ),
        (
            "a: !!python/object:os.system x\n",
            "x.yaml:1:4: the tag 'tag:yaml.org,2002:python/object:os.system' is not allowed — remove it; values are read as plain text and the schema gives their type",
        ),
        (
            "a: [1, 2\n",
            "x.yaml:2:1: YAML syntax error: did not find expected ',' or ']' — fix the YAML syntax at this place",
        ),
    ],
)
def test_bad_yaml_is_located(text, expected):
    assert problems(text) == [expected]


def test_billion_laughs_is_refused_at_once():
    text = 'a: &a ["lol","lol"]\n' + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)},*{chr(97 + i)}]\n" for i in range(9)
    )
    assert "anchor '&a' is not allowed" in problems(text)[0]


@given(st.text(max_size=200))
def test_any_text_loads_or_fails_cleanly(text):
    try:
        load_text(text, "x.yaml")
    except CheckFailed as exc:
        assert exc.problems and all(p.file == "x.yaml" and p.line >= 1 for p in exc.problems)

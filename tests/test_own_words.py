"""Review texts are in the project's own words (issue #14): no run of 12 or more words is
copied from the fact sheets the reviews were written from, unless it is marked as a
quotation. Runs over whatever review files are in reviews/, against the fact sheets in
../shared/sources/ (skipped, with the reason, where that folder is not beside the project)."""

from __future__ import annotations

import re

import pytest
import yaml
from conftest import REPO

SOURCES = REPO.parent / "shared" / "sources"
RUN = 12  # words
# Fields whose text is not ours to word: names and titles as published, ids, addresses,
# and the list of sources itself (titles and publishers are copied on purpose).
NOT_PROSE = {
    "id",
    "url",
    "evidence",
    "title",
    "short_title",
    "publisher",
    "sources",
    "themes",
    "name",
    "pseudonym",
    "also_known_as",
    "archived_url",
    "links_checked",
    "supports",
    "redirect_from",
    "see_also",
    "review_types",
    "nation",
    "kind",
    "value",
    "date",
    "roles",
    "outcome",
    "standard_of_proof",
    "group",
    "due",
    "role",
    "participation",
    "offence",
    "body",
    "areas",
    "agencies",
    "addressed_to",
}
QUOTED = re.compile(r'"[^"\n]*"|“[^”]*”')


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower().replace("’", "").replace("'", ""))


def _prose(node, path=""):
    if isinstance(node, dict):
        for key, value in node.items():
            if key not in NOT_PROSE or (key == "title" and "groups" in path):
                yield from _prose(value, f"{path}.{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _prose(value, f"{path}[{i}]")
    elif isinstance(node, str):
        yield path, node


def _runs(words: list[str]) -> set[tuple[str, ...]]:
    return {tuple(words[i : i + RUN]) for i in range(len(words) - RUN + 1)}


@pytest.fixture(scope="module")
def fact_sheet_runs() -> set[tuple[str, ...]]:
    if not SOURCES.is_dir():
        pytest.skip(f"no fact sheets at {SOURCES}: this check needs the project's shared/ folder beside it")
    runs: set[tuple[str, ...]] = set()
    for sheet in sorted(SOURCES.glob("*")):
        if sheet.suffix in {".md", ".txt"} and sheet.name != "README.md":
            runs |= _runs(_words(sheet.read_text(encoding="utf-8")))
    return runs


def copied_runs(data, runs: set[tuple[str, ...]]) -> list[str]:
    """Each field's longest stretch of words also found in a fact sheet, outside quotation marks."""
    found = []
    for path, text in _prose(data):
        for part in QUOTED.split(text):
            words = _words(part)
            hits = [i for i in range(len(words) - RUN + 1) if tuple(words[i : i + RUN]) in runs]
            if hits:
                found.append(f'{path}: "{" ".join(words[hits[0] : hits[-1] + RUN])}"')
    return found


def test_the_check_finds_an_unmarked_copy_and_accepts_a_marked_quotation():
    sheet = _runs(_words("The review found that agencies did not share what they knew about the child's injuries."))
    copied = {"findings": [{"text": "We note that agencies did not share what they knew about the child's injuries."}]}
    quoted = {
        "findings": [{"text": 'The review said "agencies did not share what they knew about the child\'s injuries".'}]
    }
    assert copied_runs(copied, sheet) == [
        '.findings[0].text: "that agencies did not share what they knew about the childs injuries"'
    ]
    assert copied_runs(quoted, sheet) == []
    assert (
        copied_runs(
            {
                "sources": [
                    {"title": "The review found that agencies did not share what they knew about the child's injuries"}
                ]
            },
            sheet,
        )
        == []
    )


def test_no_review_copies_a_run_of_words_from_the_fact_sheets(fact_sheet_runs):
    problems = []
    for path in sorted((REPO / "reviews").glob("*.yaml")):
        if path.name.startswith("_"):
            continue
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        problems += [f"{path.name}{found}" for found in copied_runs(data, fact_sheet_runs)]
    assert not problems, (
        "runs of 12 or more words copied from a fact sheet; reword them, or quote a short "
        "phrase and say who said it:\n" + "\n".join(problems)
    )

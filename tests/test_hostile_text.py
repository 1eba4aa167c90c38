"""Issue 18, property: random Unicode, controls and non-characters included, in any text
field of a review gives either located errors, or pages and feeds that stay well-formed:
every feed and data file parses, every page's front matter is read as front matter by
MkDocs, and everything encodes as UTF-8.

Fast by design: it renders the Markdown, feeds and data in this process (no MkDocs
build) with a three-theme vocabulary. HYPOTHESIS_EXAMPLES sets how many examples run
(default 20).
"""

from __future__ import annotations

import json
import os
import xml.parsers.expat
from pathlib import Path

import pytest
import yaml
from conftest import REPO, SCHEMA_LINE, synthetic_review
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from mkdocs.utils.meta import get_data

from generator.config import SiteInfo
from generator.export import data_files
from generator.index import build_index
from generator.render import render_site
from generator.sitedata import site_data
from generator.validate import check

THEMES = ("professional-curiosity", "domestic-abuse", "information-sharing")
SITE = SiteInfo(name="Synthetic", url="https://example.org/", repo_url="", edit_base="")
# Keys whose values are not free text (ids, dates, choices, numbers, addresses, references).
NOT_TEXT = {
    "id",
    "review_types",
    "nation",
    "published",
    "date",
    "incident_date",
    "outcome",
    "themes",
    "sources",
    "url",
    "age_months",
    "kind",
    "value",
    "see_also",
    "redirect_from",
    "supports",
    "roles",
    "participation",
    "standard_of_proof",
    "group",
    "due",
    "count",
    "role",
}


def review_data() -> dict:
    data = synthetic_review("synthetic-property")
    data.update(
        legal_outcomes=[
            {
                "kind": "trial",
                "date": "2020-01",
                "body": "A court",
                "outcome": "convicted",
                "people": [{"name": "A person", "description": "A relation"}],
                "offence": "An offence",
                "text": "An outcome.",
                "sources": ["s1"],
            }
        ],
        learning_points=[{"id": "l1", "text": "A lesson.", "themes": ["information-sharing"], "sources": ["s1"]}],
        recommendation_groups=[{"id": "g1", "title": "A group", "addressed_to": ["A board"]}],
        family_involvement={
            "participation": "took-part",
            "text": "They took part.",
            "views": [{"by": "A parent", "text": "A view.", "sources": ["s1"]}],
            "sources": ["s1"],
        },
        responses=[{"by": "A board", "text": "Accepted them.", "sources": ["s1"]}],
        disputed=[{"topic": "An age", "text": "Two sources differ.", "sources": ["s1"]}],
        agencies=["Police"],
    )
    data["credits"][0]["description"] = "Commissioned it."
    data["subjects"][0].update(notes="A note.", cause_of_death={"text": "As published.", "sources": ["s1"]})
    data["recommendations"][0].update(addressed_to=["A board"], group="g1", timescale="Within a year")
    data["sources"][0]["note"] = "A note on the source."
    return data


def text_paths(data, path=()):
    if isinstance(data, dict):
        for key, value in data.items():
            if key not in NOT_TEXT or (key == "sources" and not path):  # the list of sources, not citations
                yield from text_paths(value, path + (key,))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from text_paths(value, path + (i,))
    elif isinstance(data, str):
        yield path


PATHS = list(text_paths(review_data()))
CHARACTERS = st.one_of(
    st.characters(codec=None),  # anything, surrogates included
    st.sampled_from(
        "\x00\x07\t\n\r\x1b\x7f\x80\x85\x9f\u00ad\u200b\u200e\u202a\u202e\u2066\u2069\u2028\u2029"
        "\ufeff\ufdd0\ufffe\uffff\U0001fffe\U0010ffff<>&\"'`*_[]#|\\:-{}%!"
    ),
)


def quoted(text: str) -> str:
    """A YAML double-quoted scalar holding ``text``, every character that is not plain
    ASCII written as an escape, so that any code point can reach the loader."""
    out = []
    for ch in text:
        if ch in '"\\':
            out.append("\\" + ch)
        elif " " <= ch <= "~":
            out.append(ch)
        else:
            out.append(f"\\u{ord(ch):04X}" if ord(ch) <= 0xFFFF else f"\\U{ord(ch):08X}")
    return '"' + "".join(out) + '"'


def write_review_text(folder: Path, text: str) -> None:
    (folder / "synthetic-property.yaml").write_bytes(text.encode("utf-8", "surrogatepass"))


def test_the_review_the_property_starts_from_is_valid_and_builds(tmp_path):
    vocabulary(tmp_path)
    write_review_text(tmp_path, SCHEMA_LINE + yaml.safe_dump(review_data(), sort_keys=False, allow_unicode=True))
    checked = check([tmp_path], root=tmp_path)
    assert [str(p) for p in checked.problems] == []
    assert len(PATHS) >= 25  # the text fields the property varies
    data = site_data(build_index(checked.reviews, checked.vocabulary), None, checked.support, SITE)
    for path, page in render_site(data, workers=1, also=data_files(data)):
        assert_well_formed(path, page)


def vocabulary(folder: Path) -> None:
    themes = yaml.safe_load((REPO / "reviews" / "_themes.yaml").read_text())["themes"]
    kept = [dict(t, related=[]) for t in themes if t["id"] in THEMES]
    (folder / "_themes.yaml").write_text(yaml.safe_dump({"themes": kept}, allow_unicode=True))
    (folder / "_support.yaml").write_bytes((REPO / "reviews" / "_support.yaml").read_bytes())


def assert_well_formed(path: str, text: str) -> None:
    text.encode("utf-8")  # no lone surrogate can reach a file
    if path.endswith(".xml"):
        parser = xml.parsers.expat.ParserCreate()
        parser.Parse(text.encode("utf-8"), True)
    elif path.endswith(".json"):
        json.loads(text)
    elif path.endswith(".md") and text.startswith("---"):
        body, meta = get_data(text)
        assert meta and not body.startswith("---"), f"{path}: front matter not read:\n{text[:300]}"
        assert all(isinstance(v, str) and "\n" not in v for v in meta.values()), (path, meta)


@settings(
    max_examples=int(os.environ.get("HYPOTHESIS_EXAMPLES", "20")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(where=st.sampled_from(PATHS), value=st.text(CHARACTERS, min_size=0, max_size=12), raw=st.booleans())
@pytest.mark.slow
def test_any_text_gives_a_located_error_or_well_formed_output(tmp_path_factory, where, value, raw):
    folder = tmp_path_factory.mktemp("property")
    vocabulary(folder)
    data = review_data()
    target = data
    for part in where[:-1]:
        target = target[part]
    marker = "SYNTHETIC-VALUE-HERE"
    target[where[-1]] = marker
    text = SCHEMA_LINE + yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=10_000)
    text = text.replace(f"'{marker}'", quoted(value)).replace(marker, quoted(value))
    if raw:  # the characters typed into the file as they are, not as escapes
        text = text.replace(quoted(value), json.dumps(value, ensure_ascii=False)) if value.isprintable() else text
    write_review_text(folder, text)
    checked = check([folder], root=folder)
    event("refused with located errors" if checked.errors else "built")
    if checked.errors:
        for problem in checked.problems:
            shown = str(problem)
            assert problem.file in ("synthetic-property.yaml", "_themes.yaml") and problem.line >= 1, shown
            assert " — " in shown and shown.isprintable(), shown
            assert "the checker failed" not in shown, shown  # its guard against bugs never fires
        return
    data = site_data(build_index(checked.reviews, checked.vocabulary), None, checked.support, SITE)
    pages = render_site(data, workers=1, also=data_files(data))
    for path, page in pages:
        assert_well_formed(path, page)

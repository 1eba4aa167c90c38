"""What the site asserts across reviews (issue #14): opposite conclusions are never shown as
similar, editors' judged pairs override the comparison and measure it, and support numbers
cite the organisation's page. All on synthetic reviews made here."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from conftest import synthetic_review, write_review

from generator import recurrence as method
from generator.index import build_index
from generator.judgements import PAIRS_FILE
from generator.pipeline import Project, check_project, generate


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Her death could not have been predicted.", -1),
        ("No single professional could have predicted his death, but chances were missed.", -1),
        ("Nothing anyone did could have prevented it.", -1),
        ("The death was unavoidable.", -1),
        ('His death "could and should have been prevented".', 1),
        ("Her death was preventable.", 1),
        ("How severe the abuse was could not easily have been foreseen, but her death was preventable.", 0),
        ("Information was not shared between agencies.", 0),
        ("The family used the pandemic to avoid professionals.", 0),
    ],
)
def test_stance_reads_the_conclusion_on_prevention(text, expected):
    assert method.stance(text) == expected


def _project(tmp_path: Path, items: dict[str, list[str]], kind: str = "findings") -> Project:
    from synthetic import copy_project

    project = copy_project(tmp_path)
    for path in project.reviews.glob("*.yaml"):
        if not path.name.startswith("_") or path.name == PAIRS_FILE:
            path.unlink()
    for n, (review_id, texts) in enumerate(items.items()):
        entries = [
            {"id": f"{kind[0]}{i}", "text": t, "themes": ["information-sharing"], "sources": ["s1"]}
            for i, t in enumerate(texts, 1)
        ]
        other = "recommendations" if kind == "findings" else "findings"
        write_review(
            project.reviews, synthetic_review(review_id, published=f"{2020 + n}-01-01", **{kind: entries, other: []})
        )
    return project


def _pairs(project: Project, pairs: list[dict]) -> Path:
    path = project.reviews / PAIRS_FILE
    path.write_text(yaml.safe_dump({"pairs": pairs}, sort_keys=False), encoding="utf-8")
    return path


def _compute(project: Project):
    checked = check_project(project)
    assert not checked.errors, checked.problems
    return method.compute(build_index(checked.reviews, checked.vocabulary), tuple(checked.pairs)), checked


def test_opposite_conclusions_are_never_similar(tmp_path):
    project = _project(
        tmp_path,
        {
            "synthetic-a": ["The child's death could not have been predicted by the health visitors or the school."],
            "synthetic-b": [
                "The child's death could and should have been prevented by the health visitors or the school."
            ],
            "synthetic-c": ["No one could have predicted the child's death, said the health visitors and the school."],
        },
    )
    result, _ = _compute(project)
    similar_to_a = [m.key[0] for m in result.matches.get(("synthetic-a", "finding", "f1"), ())]
    assert similar_to_a == ["synthetic-c"]  # the same conclusion is; the opposite one is not
    assert ("synthetic-b", "finding", "f1") not in result.matches


def test_a_pair_judged_not_the_same_leaves_the_page_and_the_groups(tmp_path):
    texts = {
        "synthetic-a": ["Health visitors must share records of missed appointments with social workers."],
        "synthetic-b": ["Share records of missed health visitor appointments with social workers every month."],
    }
    project = _project(tmp_path, texts, kind="recommendations")
    before, _ = _compute(project)
    assert [[k[0] for k in c.keys] for c in before.clusters] == [["synthetic-a", "synthetic-b"]]
    assert ("synthetic-b", "recommendation", "r1") in before.matches

    _pairs(
        project,
        [
            {
                "a": "synthetic-a#r1",
                "b": "synthetic-b#r1",
                "same": False,
                "why": "read both: one is about visits, the other about monthly reports",
            }
        ],
    )
    after, checked = _compute(project)
    assert after.clusters == ()
    assert not after.matches
    assert after.agreement.pairs == 1 and after.agreement.shown == 1 and after.agreement.precision == 0.0
    # and on the built pages
    generate(project)
    page = (project.docs / "reviews" / "synthetic-b.md").read_text(encoding="utf-8")
    assert "synthetic-a.md#recommendation-r1" not in page
    recurring = (project.docs / "learning" / "recurring.md").read_text(encoding="utf-8")
    assert "synthetic-a" not in recurring


def test_a_pair_judged_the_same_is_shown_even_when_the_words_differ(tmp_path):
    project = _project(
        tmp_path,
        {
            "synthetic-a": ["Nobody asked the boy what life at home was like."],
            "synthetic-b": ["Practitioners never spoke to the child alone about his daily experience."],
        },
    )
    without, _ = _compute(project)
    assert not without.matches
    _pairs(
        project,
        [
            {
                "a": "synthetic-a#f1",
                "b": "synthetic-b#f1",
                "same": True,
                "why": "both say the child's own account of home was never sought",
            }
        ],
    )
    result, _ = _compute(project)
    assert [m.key for m in result.matches[("synthetic-a", "finding", "f1")]] == [("synthetic-b", "finding", "f1")]
    assert [m.key for m in result.matches[("synthetic-b", "finding", "f1")]] == [("synthetic-a", "finding", "f1")]
    assert result.agreement.judged_same == 1 and result.agreement.recall == 0.0  # the method alone missed it


def test_judged_pairs_are_checked_with_their_lines(tmp_path):
    project = _project(
        tmp_path, {"synthetic-a": ["First finding.", "Second finding."], "synthetic-b": ["Another finding."]}
    )
    _pairs(
        project,
        [
            {"a": "synthetic-a#f1", "b": "synthetic-a#f2", "same": True, "why": "same review"},
            {"a": "synthetic-a#f1", "b": "removed-review#f1", "same": False, "why": "a review that was removed"},
            {"a": "synthetic-a#f1", "b": "synthetic-b#f9", "same": False, "why": "an item that does not exist"},
            {"a": "synthetic-a#f1", "b": "synthetic-b#f1", "same": False, "why": "first"},
            {"a": "synthetic-b#f1", "b": "synthetic-a#f1", "same": True, "why": "the same pair again"},
            {"a": "not a reference", "b": "synthetic-b#f1", "same": True, "why": "bad"},
        ],
    )
    checked = check_project(project)
    found = [(p.line, p.level, p.field, p.message) for p in checked.problems if p.file.endswith(PAIRS_FILE)]
    # yaml.safe_dump writes each pair on four lines after "pairs:", so pair i starts at line 2 + 4i.
    assert found[0][:3] == (3, "error", "pairs[0].b") and "same review" in found[0][3]
    assert found[1][:3] == (7, "warning", "pairs[1].b") and "removed-review" in found[1][3]
    assert found[2][:3] == (11, "warning", "pairs[2].b") and "'f9'" in found[2][3]
    assert found[3][:3] == (18, "error", "pairs[4]") and "already judged at pairs[3]" in found[3][3]
    assert found[4][:3] == (22, "error", "pairs[5].a") and "not an item reference" in found[4][3]
    assert len(found) == 5
    # A warning alone never stops the build: removing a review must not break it.
    _pairs(project, [{"a": "synthetic-a#f1", "b": "removed-review#f1", "same": False, "why": "removed"}])
    assert not check_project(project).errors


def test_method_page_states_precision_and_recall_from_the_judgements(tmp_path):
    project = _project(
        tmp_path,
        {
            "synthetic-a": [
                "Health visitors must share records of missed appointments with social workers.",
                "Nobody asked the boy what life at home was like.",
            ],
            "synthetic-b": [
                "Share records of missed health visitor appointments with social workers each month.",
                "Practitioners never spoke to the child alone about his daily experience.",
            ],
        },
    )
    _pairs(
        project,
        [
            {"a": "synthetic-a#f1", "b": "synthetic-b#f1", "same": True, "why": "both about sharing records"},
            {"a": "synthetic-a#f2", "b": "synthetic-b#f2", "same": True, "why": "both about the child's voice"},
        ],
    )
    generate(project)
    page = (project.docs / "learning" / "method.md").read_text(encoding="utf-8")
    assert "Editors have judged 2 pairs" in page
    assert "**Precision:** of the judged pairs the method shows as similar, 100% (1 of 1)" in page
    assert "**Recall:** of the pairs judged the same, the method shows 50% (1 of 2)" in page


def test_support_numbers_cite_the_organisations_page(tmp_path):
    from synthetic import copy_project

    project = copy_project(tmp_path)
    support = project.reviews / "_support.yaml"
    data = yaml.safe_load(support.read_text(encoding="utf-8"))
    data["services"] = [
        {"name": "Synthetic Line", "text": "for testing.", "phone": "0000 000 0000"},
        {
            "name": "Old Line",
            "text": "for testing.",
            "phone": "0000 000 0001",
            "checked": {"url": "https://example.org/contact", "date": "2020-01-01"},
        },
        {"name": "Web Only", "text": "for testing.", "url": "https://example.org/"},
    ]
    support.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    problems = [p for p in check_project(project).problems if p.file.endswith("_support.yaml")]
    assert [(p.level, p.field) for p in problems] == [
        ("warning", "services[0].phone"),
        ("warning", "services[1].checked.date"),
    ]
    assert "cites no page" in problems[0].message and "over a year ago" in problems[1].message


def test_words_split_over_cores_give_what_one_pass_gives(monkeypatch):
    """The word step runs in blocks on every core: stems, display words and stances come out
    as from one pass over all texts, in order (the most common word of a stem decided over
    all blocks, not within one)."""
    texts = [
        "Sharing shared information",
        "Shares and sharing: she shared nothing, and her death could not have been predicted.",
        "Information sharing between agencies was poor; the death was preventable.",
        "Escalation escalated escalating",
    ] * 150
    monkeypatch.setattr(method, "WORDS_BLOCK", len(texts))
    whole = method.tokenize(texts), method.stances(texts).tolist()
    monkeypatch.setattr(method, "WORDS_BLOCK", 7)
    split = method.tokenize(texts), method.stances(texts).tolist()
    assert split == whole
    docs, display = whole[0]
    assert docs[0] == ["share", "share", "inform"] and display["share"] == "sharing"  # 3 times, "shared" twice
    assert whole[1][:4] == [0, -1, 1, 0]

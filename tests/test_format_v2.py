"""Review format 2 (issue 13): credits, legal and coronial outcomes, learning points,
recommendations at inquiry scale, people's roles, family involvement, and the pages and
open data made from them.

The end-to-end tests build a site from two visibly synthetic fixture reviews in
tests/format2/: an inquiry with 108 recommendations in three groups (Synthetic Child
Alpha), and a review in which no one was charged (Synthetic Child Beta).
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from pathlib import Path

import jsonschema
import pytest
import yaml
from bs4 import NavigableString
from conftest import REPO, synthetic_review, write_review
from helpers import check_links, html, text
from test_editor_tools import Yaml12Loader

from generator.model import Review
from generator.pipeline import build
from generator.schema import SCHEMA_PATH
from generator.validate import check, review_files
from generator.wording import end_sentence, full_stop, supports_words

FIXTURES = Path(__file__).parent / "format2"
ALPHA = "synthetic-child-alpha-inquiry-2003"
BETA = "synthetic-child-beta-scr-2016"


# --- the format -------------------------------------------------------------------------


def test_new_bad_files_are_in_the_bad_corpus():
    names = {p.stem for p in (Path(__file__).parent / "bad").glob("*.yaml")}
    assert {
        "old-proceedings",
        "unknown-recommendation-group",
        "inquest-without-standard-of-proof",
        "learning-point-id-clash",
    } <= names


def test_fixtures_pass_check():
    result = check([FIXTURES], root=REPO, vocabulary=REPO / "reviews" / "_themes.yaml")
    assert [str(p) for p in result.problems] == []
    assert sorted(r.id for r in result.reviews) == [ALPHA, BETA]


def test_schema_validates_every_shipped_file_and_the_fixtures():
    validator = jsonschema.Draft7Validator(json.loads((REPO / SCHEMA_PATH).read_text(encoding="utf-8")))
    paths = review_files(REPO / "reviews") + review_files(FIXTURES)
    for path in paths:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=Yaml12Loader)
        assert [e.message for e in validator.iter_errors(data)] == [], path.name


def test_schema_rejects_an_inquest_without_standard_of_proof_and_old_fields():
    validator = jsonschema.Draft7Validator(json.loads((REPO / SCHEMA_PATH).read_text(encoding="utf-8")))
    for name, expected in [
        ("inquest-without-standard-of-proof", "'standard_of_proof' is a required property"),
        ("old-proceedings", "'proceedings'"),
    ]:
        data = yaml.load((REPO / "tests/bad" / f"{name}.yaml").read_text(), Loader=Yaml12Loader)
        assert any(expected in e.message for e in validator.iter_errors(data)), name


def _review(tmp_path, **changes) -> Review:
    result = check(
        [write_review(tmp_path, synthetic_review(**changes))],
        root=tmp_path,
        vocabulary=REPO / "reviews" / "_themes.yaml",
    )
    assert [str(p) for p in result.errors] == []
    return result.reviews[0]


def _credit(name, kind, *roles):
    return {"name": name, "kind": kind, "roles": list(roles), "sources": ["s1"]}


@pytest.mark.parametrize(
    "credits, cited",
    [
        (
            [
                _credit("Board", "organisation", "commissioned"),
                _credit("Chair", "person", "chair"),
                _credit("Writer", "person", "author"),
                _credit("Lead", "person", "lead-reviewer"),
            ],
            ["Writer"],
        ),
        ([_credit("Board", "organisation", "commissioned"), _credit("Lead", "person", "lead-reviewer")], ["Lead"]),
        (
            [
                _credit("Minister", "person", "commissioned"),
                _credit("Office", "organisation", "published"),
                _credit("Chair", "person", "chair"),
            ],
            ["Office"],
        ),
        ([_credit("Board", "organisation", "commissioned"), _credit("Chair", "person", "chair")], ["Board"]),
    ],
)
def test_cite_this_page_rule(tmp_path, credits, cited):
    assert [c.name for c in _review(tmp_path, credits=credits).cite_credits] == cited


def _outcome(kind, outcome, **more):
    return {"kind": kind, "outcome": outcome, "text": "Synthetic.", "sources": ["s1"], **more}


@pytest.mark.parametrize(
    "outcomes, expected",
    [
        ([], "none-recorded"),
        ([_outcome("charge-decision", "not-charged")], "no-one-charged"),
        ([_outcome("charge-decision", "not-charged"), _outcome("trial", "acquitted")], "acquittal-only"),
        ([_outcome("trial", "acquitted"), _outcome("plea", "convicted")], "conviction"),
        ([_outcome("inquest", "inquest-conclusion", standard_of_proof="not-stated")], "none-recorded"),
    ],
)
def test_criminal_outcome_is_derived(tmp_path, outcomes, expected):
    assert _review(tmp_path, legal_outcomes=outcomes).criminal_outcome == expected


def test_old_field_in_a_component_review_names_the_new_one(tmp_path):
    path = write_review(
        tmp_path,
        synthetic_review(
            component_reviews=[
                {"title": "Synthetic first review", "commissioned_by": ["Synthetic Board"], "sources": ["s1"]}
            ]
        ),
    )
    problems = [str(p) for p in check([path], root=tmp_path).problems]
    assert len(problems) == 1 and problems[0].endswith(
        "component_reviews[0].commissioned_by: `commissioned_by` was replaced by `credits` in format 2 "
        "— see docs/editors.md"
    )


def test_a_format_1_file_gets_no_separate_missing_credits_error(tmp_path):
    data = synthetic_review()
    del data["credits"]
    data["commissioned_by"] = ["Synthetic Board"]
    problems = [p.message for p in check([write_review(tmp_path, data)], root=tmp_path).problems]
    assert problems == ["`commissioned_by` was replaced by `credits` in format 2"]


@pytest.mark.parametrize(
    "title, expected",
    [
        ("Did the system let the child down?", "Did the system let the child down?"),
        ("Never again!", "Never again!"),
        ("A report.", "A report."),
        ("A report", "A report."),
        ('He asked "why?"', 'He asked "why?"'),
    ],
)
def test_no_doubled_punctuation(title, expected):
    assert end_sentence(title) == expected
    assert title + full_stop(title) == expected


def test_supports_in_words():
    assert supports_words(["review_types", "commissioned_by"]) == "Review types, commissioning body"
    assert (
        supports_words(["credits", "report.links", "some_new_field"])
        == "Who commissioned, led or wrote the review, links to the report, some new field"
    )


# --- the scaffold (issue 12, item 6) ---------------------------------------------------


def _new(tmp_path, *args) -> int:
    from generator.cli import main

    (tmp_path / "reviews").mkdir(exist_ok=True)
    shutil.copy(REPO / "reviews" / "_themes.yaml", tmp_path / "reviews" / "_themes.yaml")
    return main(
        ["--root", str(tmp_path), "new", "--title", "Synthetic joint review?", "--published", "2022-05-01", *args]
    )


def test_new_takes_several_types_areas_and_people(tmp_path):
    assert (
        _new(
            tmp_path,
            "--type",
            "domestic-homicide-review",
            "--type",
            "serious-case-review",
            "--area",
            "Synthetic Town",
            "--area",
            "Synthetic Vale",
            "--nation",
            "england",
            "--name",
            "Synthetic Adult Gamma",
            "--name",
            "Synthetic Child Gamma",
        )
        == 0
    )
    review_id = "synthetic-adult-gamma-synthetic-child-gamma-synthetic-town-synthetic-vale-dhr-scr-2022"
    result = check([tmp_path / "reviews"], root=tmp_path, todo_level="warning")  # TODOs: warnings in the preview
    assert result.errors == []
    review = result.reviews[0]
    assert review.id == review_id
    assert review.review_types == ["domestic-homicide-review", "serious-case-review"]
    assert review.areas == ["Synthetic Town", "Synthetic Vale"]
    assert [s.name for s in review.subjects] == ["Synthetic Adult Gamma", "Synthetic Child Gamma"]
    assert review.short_title == "Synthetic Adult Gamma and Synthetic Child Gamma"


def test_new_id_can_be_chosen(tmp_path, capsys):
    assert (
        _new(
            tmp_path,
            "--type",
            "public-inquiry",
            "--area",
            "Synthetic City",
            "--nation",
            "wales",
            "--id",
            "synthetic-inquiry-2022",
        )
        == 0
    )
    assert (tmp_path / "reviews" / "synthetic-inquiry-2022.yaml").exists()
    assert (
        _new(
            tmp_path,
            "--type",
            "public-inquiry",
            "--area",
            "Synthetic City",
            "--nation",
            "wales",
            "--id",
            "Synthetic Inquiry",
        )
        == 1
    )
    assert "--id: 'Synthetic Inquiry' is not a valid id" in capsys.readouterr().err


def test_new_needs_a_nation(tmp_path, capsys):
    with pytest.raises(SystemExit):
        _new(tmp_path, "--type", "public-inquiry", "--area", "Synthetic City")
    assert "--nation" in capsys.readouterr().err
    assert _new(tmp_path, "--type", "public-inquiry", "--area", "Synthetic City", "--nation", "englnd") == 1
    assert "'englnd' is not a nation" in capsys.readouterr().err


# --- the built site ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    from conftest import copy_project

    project = copy_project(tmp_path_factory.mktemp("format2"), with_reviews=False)
    for path in review_files(FIXTURES):
        shutil.copy(path, project.reviews / path.name)
    build(project)
    return project


def _section(soup, heading_id: str) -> str:
    """The words from the h2 with this id up to the next h2."""
    start = soup.find("h2", id=heading_id)
    assert start is not None, heading_id
    words = []
    for node in start.next_elements:
        if getattr(node, "name", None) == "h2":
            break
        if isinstance(node, NavigableString):
            words.append(str(node))
    return " ".join(" ".join(words).split())


@pytest.mark.build
def test_build_links_resolve(site):
    assert check_links(site) > 10


@pytest.mark.build
def test_not_charged_review_says_so_above_the_fold_and_names_no_defendant(site):
    page = html(site, f"reviews/{BETA}/")
    line = page.select_one("p.cr-criminal-outcome")
    assert " ".join(line.get_text(" ").split()).startswith("In the criminal courts: No one was charged.")
    # Near the top: after the content note, before the key facts and the summary.
    article = page.select_one("article")
    order = [
        el
        for el in article.find_all(["p", "h2", "div"])
        if el is line or el.name == "h2" or "cr-content-note" in (el.get("class") or [])
    ]
    assert order.index(line) < order.index(page.find("h2", id="key-facts"))
    assert order.index(page.select_one(".cr-content-note")) < order.index(line)
    words = text(page)
    assert not re.search(r"\bdefendants?\b", words, re.I)
    assert not re.search(r"\bconvicted\b", words, re.I)
    legal = _section(page, "legal-outcomes")
    for fact in [
        "Charge decision",
        "Concerning: Synthetic Parent Beta (the child's father)",
        "Outcome: not charged",
        "Family court fact-finding",
        "On the balance of probabilities",
        "Denied or contested: He denies it.",
        "Inquest",
        "Outcome: inquest conclusion",
    ]:
        assert fact in legal


@pytest.mark.build
def test_conviction_is_said_in_plain_words(site):
    line = html(site, f"reviews/{ALPHA}/").select_one("p.cr-criminal-outcome")
    assert "Synthetic Carer Alpha was convicted of synthetic murder." in " ".join(line.get_text(" ").split())


@pytest.mark.build
def test_people_with_roles_outcomes_and_cause_of_death(site):
    who = _section(html(site, f"reviews/{BETA}/"), "who-the-review-is-about").replace(" .", ".")
    assert "Synthetic Adult Beta. Affected adult. Outcome: Affected." in who
    assert "Synthetic Child Beta's two older siblings, not named (2). Surviving children. Outcome: Not harmed." in who
    alpha = _section(html(site, f"reviews/{ALPHA}/"), "who-the-review-is-about")
    assert "Cause of death, as published: Synthetic cause of death, as published." in alpha


@pytest.mark.build
def test_family_involvement(site):
    family = _section(html(site, f"reviews/{BETA}/"), "family-involvement")
    assert "Some of the family took part. The father took part; the mother declined." in family
    assert (
        "Synthetic Child Beta's mother (February 2016): She said the review had not answered her questions." in family
    )


@pytest.mark.build
def test_grouped_recommendations_with_counts(site):
    page = html(site, f"reviews/{ALPHA}/")
    recs = _section(page, "recommendations")
    total = "The review made 108 recommendations in 3 groups; 32 are recorded here."
    assert total in recs
    assert recs.count("108") == 1 and recs.count("32 are recorded") == 1  # the total is said once
    facts = _section(page, "key-facts")
    assert "Recommendations made 108 (32 recorded here)" in facts
    groups = [h.get_text(" ", strip=True).rstrip(" ¶") for h in page.select("h3[id^=group-]")]
    assert groups == ["Synthetic children's social care", "Synthetic health services", "Synthetic police"]
    assert "Chapter. 46 recommendations made, 12 recorded here." in recs
    assert "Agency. 22 recommendations made, 8 recorded here." in recs
    # 30 or more recorded: each group's recommendations fold away under a summary that says what they are.
    details = page.select("details.cr-recommendation-group")
    assert [d.summary.get_text(" ", strip=True) for d in details] == [
        "The 12 recommendations on Synthetic children's social care",
        "The 12 recommendations on Synthetic health services",
        "The 8 recommendations on Synthetic police",
    ]
    assert len(page.select("details.cr-recommendation-group h4[id^=recommendation-]")) == 32
    first = details[0].find("h4", id="recommendation-r3").find_next("p").find_next("p").get_text(" ")
    assert "Timescale: within three months." in first


@pytest.mark.build
def test_cite_this_page_names_the_author_without_doubled_punctuation(site):
    page = html(site, f"reviews/{ALPHA}/")
    cite = page.find("h2", id="cite-this-page").find_next("p").get_text()
    assert cite.startswith(
        "Synthetic Lord Alpha (2003). SYNTHETIC INQUIRY ALPHA: did the system fail Synthetic Child Alpha? Summarised in"
    )
    facts = _section(page, "key-facts")
    assert "Chair and author Synthetic Lord Alpha (chaired the synthetic inquiry and wrote its report)" in facts
    assert "Set up by; presented by" not in facts and "Set up and presented by Synthetic Secretary of State" in facts
    assert "Commissioned and published by Synthetic Department of Health" in facts
    source = page.select_one("#source-synthetic-report").get_text(" ")
    assert "did the system fail? Synthetic Stationery Office" in " ".join(source.split())
    assert "?." not in text(page)
    assert "Supports: Title, publication date, review types, nation, areas." in " ".join(source.split())


@pytest.mark.build
def test_learning_points_have_their_own_section_and_recur_across_reviews(site):
    page = html(site, f"reviews/{BETA}/")
    assert [h["id"] for h in page.select("h3[id^=learning-point-]")] == ["learning-point-l1", "learning-point-l2"]
    lessons = _section(page, "learning-points")
    assert "Practitioners should speak to the child alone" in lessons
    similar = page.find("h3", id="learning-point-l1").find_next("div", class_="cr-similar")
    link = similar.find("a")
    assert link.get_text(" ", strip=True) == "Synthetic Child Alpha (2003), finding 1"
    assert link["href"].endswith(f"{ALPHA}/#finding-f1")
    # ...and the other way round: the finding shows the lesson.
    alpha = html(site, f"reviews/{ALPHA}/")
    back = alpha.find("h3", id="finding-f1").find_next("div", class_="cr-similar").find("a")
    assert back.get_text(" ", strip=True) == "Synthetic Child Beta (2016), learning point 1"


@pytest.mark.build
def test_theme_pages_list_learning_points(site):
    page = html(site, "themes/voice-of-the-child/")
    words = text(page)
    assert "1 learning point" in words
    links = [a for a in page.select("a.cr-item-link") if a["href"].endswith("#learning-point-l1")]
    assert [a.get_text(strip=True) for a in links] == ["Learning point 1"]


@pytest.mark.build
def test_criminal_outcome_facet(site):
    index = text(html(site, "browse/"))
    assert "Criminal outcome" in index
    assert "No one was charged (1)" in index and "Someone was convicted (1)" in index
    page = html(site, "browse/criminal-outcome/no-one-charged/")
    assert [a.get_text(strip=True) for a in page.select("article li a")][:1] == ["Synthetic Child Beta"]
    assert "Criminal outcome No one was charged" in _section(html(site, f"reviews/{BETA}/"), "key-facts")


def _csv_rows(site, name):
    return list(csv.DictReader(io.StringIO((Path(site.docs) / "data" / name).read_text(encoding="utf-8"))))


@pytest.mark.build
def test_open_data_carries_the_new_fields(site):
    reviews = {r["id"]: r for r in json.loads((Path(site.docs) / "data" / "reviews.json").read_text())}
    assert reviews[ALPHA]["credits"][1]["roles"] == ["chair", "author"]
    assert reviews[BETA]["family_involvement"]["participation"] == "partly"
    assert reviews[BETA]["legal_outcomes"][0]["outcome"] == "not-charged"
    assert [lp["id"] for lp in reviews[BETA]["learning_points"]] == ["l1", "l2"]
    assert reviews[ALPHA]["recommendations"][2]["timescale"] == "within three months"
    rows = {r["id"]: r for r in _csv_rows(site, "reviews.csv")}
    assert rows[BETA]["criminal_outcome"] == "No one was charged"
    assert rows[ALPHA]["credits"].startswith("Synthetic Secretary of State (set-up, presented); Synthetic Lord Alpha")
    lessons = _csv_rows(site, "learning_points.csv")
    assert [(r["review_id"], r["learning_point_id"]) for r in lessons] == [(BETA, "l1"), (BETA, "l2")]
    assert lessons[0]["permalink"].endswith(f"reviews/{BETA}/#learning-point-l1")
    groups = [
        (r["group_id"], r["recommendations_made"], r["recommendations_recorded"])
        for r in _csv_rows(site, "recommendation_groups.csv")
    ]
    assert groups == [("social-care", "46", "12"), ("health", "40", "12"), ("police", "22", "8")]
    recs = [r for r in _csv_rows(site, "recommendations.csv") if r["review_id"] == ALPHA]
    assert (recs[3]["group"], recs[3]["group_title"], recs[3]["due"]) == (
        "social-care",
        "Synthetic children's social care",
        "2003-06",
    )
    legal = [r for r in _csv_rows(site, "legal_outcomes.csv") if r["review_id"] == BETA]
    assert [(r["kind"], r["outcome"], r["standard_of_proof"]) for r in legal] == [
        ("Charge decision", "Not charged", ""),
        ("Family court fact-finding", "Finding made", "On the balance of probabilities"),
        ("Inquest", "Inquest conclusion", "On the balance of probabilities"),
    ]
    assert legal[1]["contested"] == "He denies it."
    subjects = [
        (r["role"], r["count"], r["outcome"]) for r in _csv_rows(site, "subjects.csv") if r["review_id"] == BETA
    ]
    assert subjects == [
        ("Subject of the review", "", "Died"),
        ("Affected adult", "", "Affected"),
        ("Surviving child", "2", "Not harmed"),
    ]


def test_the_guides_examples_show_every_field_at_every_level():
    from test_editor_tools import _fields

    guide = (REPO / "docs" / "editors.md").read_text(encoding="utf-8")
    keys: set[str] = set()

    def walk(node):
        if isinstance(node, dict):
            keys.update(node)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    for block in re.findall(r"```yaml\n(.*?)```", guide, re.S):
        walk(yaml.load(block, Loader=Yaml12Loader))
    assert sorted(_fields(Review) - keys) == []


# --- in a real browser ------------------------------------------------------------------


@pytest.mark.build
@pytest.mark.browser
def test_format_2_pages_pass_axe_and_groups_open_by_keyboard(site):
    """The review pages with the new sections (legal outcomes, learning points, folded
    recommendation groups, family involvement) pass axe-core in both colour schemes at
    desktop and 320 px; a folded group opens from the keyboard, and a link to a
    recommendation inside a folded group shows it."""
    from browser import chromium, serve_site
    from test_accessibility import AXE, SCHEMES, TAGS, require_tools

    require_tools()
    with serve_site(site) as base, chromium() as browser:
        for scheme in SCHEMES:
            for width in (1280, 320):
                context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme)
                page = context.new_page()
                for review in (ALPHA, BETA):
                    page.goto(f"{base}reviews/{review}/")
                    page.add_script_tag(path=str(AXE))
                    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", TAGS)
                    assert [(v["id"], [n["target"] for n in v["nodes"]]) for v in result["violations"]] == [], (
                        review,
                        scheme,
                        width,
                    )
                    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
                    assert overflow <= 0, (review, width)
                context.close()
        page = browser.new_page()
        page.goto(f"{base}reviews/{ALPHA}/")
        summary = page.locator("details.cr-recommendation-group summary").first
        assert not page.locator("#recommendation-r1").is_visible()
        summary.focus()
        page.keyboard.press("Enter")
        assert page.locator("#recommendation-r1").is_visible()
        page.goto(f"{base}reviews/{ALPHA}/#recommendation-r30")
        page.wait_for_function("document.querySelector('#recommendation-r30').closest('details').open")
        assert page.locator("#recommendation-r30").is_visible()

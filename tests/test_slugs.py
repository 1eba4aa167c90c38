"""Names slugged into addresses keep their letters (transliterated, not dropped), and two
different names with one address are an error naming both places."""

from __future__ import annotations

from conftest import copy_project, synthetic_review, write_review

from generator.pipeline import check_project
from generator.scaffold import review_id
from generator.slugs import slugify


def test_letters_are_transliterated():
    assert [slugify(n) for n in ["Ærø", "Łódź", "Straße", "Tromsø", "Brighton & Hove"]] == [
        "aero",
        "lodz",
        "strasse",
        "tromso",
        "brighton-hove",
    ]
    assert review_id(["Łucja"], ["Ærø"], ["serious-case-review"], 2020) == "lucja-aero-scr-2020"


def line_of(path, text: str) -> int:
    return next(n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if text in line)


def test_two_areas_with_one_address_are_an_error_naming_both_places(tmp_path):
    project = copy_project(tmp_path / "project", with_reviews=False)
    one = write_review(project.reviews, synthetic_review("synthetic-area-one", areas=["Ærø", "Łódź"]))
    two = write_review(project.reviews, synthetic_review("synthetic-area-two", areas=["Aero", "Lodz"]))
    write_review(project.reviews, synthetic_review("synthetic-area-three", areas=["Ærø"]))  # the same name: fine
    checked = check_project(project)
    expected = []
    for i, (first, second, slug) in enumerate([("Ærø", "Aero", "aero"), ("Łódź", "Lodz", "lodz")]):
        expected.append(
            f"reviews/synthetic-area-two.yaml:{line_of(two, f'- {second}')}:3: areas[{i}]: the area '{second}' has "
            f"the same address as '{first}' in reviews/synthetic-area-one.yaml:{line_of(one, f'- {first}')} "
            f"(browse/area/{slug}/) — if it is the same place, write it exactly as '{first}'"
        )
    assert [str(p) for p in checked.errors] == expected

"""Editors' tools: the JSON Schema, `new`, the guide, and the schema line in every file."""

from __future__ import annotations

import json
import re

import jsonschema
import yaml
from conftest import REPO, SYNTHETIC_REVIEWS, synthetic_review, write_review

from generator.cli import main
from generator.model import BaseModel, Review
from generator.schema import SCHEMA_PATH, schema_text
from generator.validate import check, review_files


class Yaml12Loader(yaml.SafeLoader):
    """Reads YAML the way editors' language servers do (YAML 1.2: dates stay strings)."""


Yaml12Loader.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:timestamp"]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def test_committed_schema_matches_the_model():
    assert (REPO / SCHEMA_PATH).read_text(encoding="utf-8") == schema_text(), (
        "run `python -m generator schema` and commit docs/schema/review.schema.json"
    )


def test_schema_is_draft07_and_accepts_the_shipped_reviews():
    schema = json.loads((REPO / SCHEMA_PATH).read_text(encoding="utf-8"))
    assert schema["$schema"] == "http://json-schema.org/draft-07/schema#"
    jsonschema.Draft7Validator.check_schema(schema)
    validator = jsonschema.Draft7Validator(schema)
    files = review_files(REPO / "reviews")
    assert files
    for path in files:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=Yaml12Loader)
        errors = [f"{list(e.path)}: {e.message}" for e in validator.iter_errors(data)]
        assert errors == [], path.name


def test_schema_rejects_what_check_rejects():
    validator = jsonschema.Draft7Validator(json.loads((REPO / SCHEMA_PATH).read_text()))
    data = yaml.load((REPO / "tests/bad/unknown-field.yaml").read_text(), Loader=Yaml12Loader)
    assert any("recomendations" in e.message for e in validator.iter_errors(data))
    data = yaml.load((REPO / "tests/bad/bad-enum.yaml").read_text(), Loader=Yaml12Loader)
    assert any(list(e.path) == ["nation"] for e in validator.iter_errors(data))


def test_schema_has_help_for_every_review_field():
    schema = json.loads((REPO / SCHEMA_PATH).read_text())
    for name, prop in schema["properties"].items():
        assert prop.get("description"), name


def test_a_file_without_the_schema_line_gets_a_warning(tmp_path):
    """A warning from `check`, not a test over reviews/: such a file is valid, and an
    editor's pull request with it passes."""
    path = write_review(tmp_path, synthetic_review())
    path.write_text(path.read_text(encoding="utf-8").split("\n", 1)[1], encoding="utf-8")
    result = check([path], root=tmp_path, vocabulary=SYNTHETIC_REVIEWS / "_themes.yaml")
    assert result.errors == []
    assert [p.message for p in result.warnings] == ["the first line is not the schema line"]


def test_new_scaffolds_a_file_that_passes_check(tmp_path, capsys):
    (tmp_path / "reviews").mkdir()
    (tmp_path / "reviews" / "_themes.yaml").write_text((REPO / "reviews/_themes.yaml").read_text())
    code = main(
        [
            "--root",
            str(tmp_path),
            "new",
            "--title",
            "Child Q: a 'test' review",
            "--type",
            "child-practice-review-extended",
            "--area",
            "Cwm Test",
            "--published",
            "2022-03-04",
            "--nation",
            "wales",
            "--name",
            "Child Q",
        ]
    )
    assert code == 0
    path = tmp_path / "reviews" / "child-q-cwm-test-cpr-2022.yaml"
    # Its TODO placeholders are errors for `check` and `site`, warnings only in the preview.
    assert {p.message for p in check([tmp_path / "reviews"], root=tmp_path).errors} == {
        "still holds a TODO placeholder"
    }
    result = check([tmp_path / "reviews"], root=tmp_path, todo_level="warning")
    assert result.errors == []
    assert {p.message for p in result.warnings} == {"still holds a TODO placeholder"}
    review = result.reviews[0]
    assert (review.id, review.title, review.nation, review.areas) == (
        "child-q-cwm-test-cpr-2022",
        "Child Q: a 'test' review",
        "wales",
        ["Cwm Test"],
    )
    assert (
        main(
            [
                "--root",
                str(tmp_path),
                "new",
                "--title",
                "x",
                "--type",
                "child-practice-review-extended",
                "--area",
                "Cwm Test",
                "--published",
                "2022-03-04",
                "--nation",
                "wales",
                "--name",
                "Child Q",
            ]
        )
        == 1
    )
    assert "already exists" in capsys.readouterr().err
    assert path.exists()


def _fields(model, seen=None) -> set[str]:
    seen = seen if seen is not None else set()
    names = set()
    for name, info in model.model_fields.items():
        names.add(name)
        for sub in _models(info.annotation):
            if sub not in seen:
                seen.add(sub)
                names |= _fields(sub, seen)
    return names


def _models(annotation):
    import typing

    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        yield annotation
    for arg in typing.get_args(annotation):
        yield from _models(arg)


def test_editors_guide_names_every_field():
    guide = (REPO / "docs" / "editors.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"`([a-z_]+)`", guide))
    missing = sorted(_fields(Review) - documented)
    assert missing == [], f"fields missing from docs/editors.md: {missing}"


def test_the_guides_full_example_passes_check(tmp_path):
    guide = (REPO / "docs" / "editors.md").read_text(encoding="utf-8")
    example = next(block for block in re.findall(r"```yaml\n(.*?)```", guide, re.S) if "id: example-area" in block)
    path = tmp_path / "example-area-cspr-2021.yaml"
    path.write_text(example, encoding="utf-8")
    result = check([path], root=tmp_path, vocabulary=REPO / "reviews" / "_themes.yaml")
    assert result.errors == [], [str(p) for p in result.errors]
    assert result.reviews[0].id == "example-area-cspr-2021"
    fields_set = {name for name in Review.model_fields if name in yaml.load(example, Loader=Yaml12Loader)}
    assert fields_set == set(Review.model_fields), "the example must show every field"

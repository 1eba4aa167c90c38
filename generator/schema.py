"""The JSON Schema (draft-07) of a review file, made from the model.

Editors' tools read it: the YAML language server in VS Code and other editors gives
autocomplete and hover help from the field descriptions. It is written to
``docs/schema/review.schema.json`` by ``python -m generator schema``, so the site
publishes it too; a test keeps the committed file in sync with the model.
"""

from __future__ import annotations

import json
from typing import Any

from .model import NEEDS_STANDARD_OF_PROOF, Review

DRAFT_07 = "http://json-schema.org/draft-07/schema#"
SCHEMA_PATH = "docs/schema/review.schema.json"


def _to_draft07(node: Any) -> Any:
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            if key == "$defs":
                key = "definitions"
            if key == "$ref" and isinstance(value, str):
                value = value.replace("#/$defs/", "#/definitions/")
            out[key] = _to_draft07(value)
        return out
    if isinstance(node, list):
        return [_to_draft07(v) for v in node]
    return node


def review_schema() -> dict:
    schema = _to_draft07(Review.model_json_schema(mode="validation"))
    # A rule the model checks in code (Status._evidenced), stated for editors' tools too:
    # any status but not-known needs its date and evidence.
    schema["definitions"]["Status"].update(
        {
            "if": {"properties": {"value": {"not": {"const": "not-known"}}}, "required": ["value"]},
            "then": {"required": ["date", "evidence"]},
        }
    )
    # Likewise (validate._standard_of_proof_rules): a family court finding or an inquest says its
    # standard of proof.
    schema["definitions"]["LegalOutcome"].update(
        {
            "if": {"properties": {"kind": {"enum": list(NEEDS_STANDARD_OF_PROOF)}}, "required": ["kind"]},
            "then": {"required": ["standard_of_proof"]},
        }
    )
    return {"$schema": DRAFT_07, "$id": "review.schema.json", **schema}


def schema_text() -> str:
    return json.dumps(review_schema(), indent=2, ensure_ascii=False, sort_keys=True) + "\n"

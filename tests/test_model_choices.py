"""The model's closed sets of values: each Literal type and its labels list the same values
in the same order, so that what the model accepts, what the schema lists and what pages
show are one set."""

import typing

import pytest
from pydantic import ValidationError

from generator import model

CHOICES = {
    "REVIEW_TYPES": model.ReviewType,
    "NATIONS": model.Nation,
    "OUTCOMES": model.Outcome,
    "SUBJECT_ROLES": model.SubjectRole,
    "CREDIT_KINDS": model.CreditKind,
    "CREDIT_ROLES": model.CreditRole,
    "LEGAL_KINDS": model.LegalKind,
    "LEGAL_OUTCOMES": model.LegalResult,
    "STANDARDS_OF_PROOF": model.StandardOfProof,
    "GROUP_KINDS": model.GroupKind,
    "PARTICIPATION": model.Participation,
    "STATUSES": model.StatusValue,
    "PUBLISHED_AS": model.PublishedAs,
    "LINK_KINDS": model.LinkKind,
    "THEME_CATEGORIES": model.ThemeCategory,
}


@pytest.mark.parametrize("labels", sorted(CHOICES))
def test_labels_name_every_value_of_their_type_in_order(labels):
    assert tuple(getattr(model, labels)) == typing.get_args(CHOICES[labels])


def test_every_closed_set_of_labels_has_its_type():
    """A new dict of labels in the model gets a Literal type, and a line above."""
    label_dicts = {
        name
        for name, value in vars(model).items()
        if name.isupper() and isinstance(value, dict) and value and all(isinstance(v, str) for v in value.values())
    }
    assert label_dicts - {"CRIMINAL_OUTCOMES", "REPLACED_FIELDS"} == set(CHOICES)


def test_literal_error_message_is_unchanged():
    with pytest.raises(ValidationError) as caught:
        model.Link.model_validate({"url": "https://example.org/a", "title": "A", "kind": "leaflet"})
    (error,) = caught.value.errors()
    assert error["type"] == "literal_error"
    assert error["ctx"]["expected"] == "'report', 'executive-summary', 'summary', 'response' or 'other'"

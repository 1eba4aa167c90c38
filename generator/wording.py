"""Readable words for a review's structured fields, worked out in Python for the templates.

Templates only shape markup; what a page says about credits, legal outcomes, grouped
recommendations and sources' `supports` lists is computed here, once, from the model.
"""

from __future__ import annotations

from dataclasses import dataclass

from .model import (
    CREDIT_ROLES,
    SUBJECT_ROLES,
    Credit,
    LegalOutcome,
    LegalPerson,
    Recommendation,
    RecommendationGroup,
    Review,
    Subject,
)

# How each credit role reads in a key-facts heading: (one, several); verbs take "by".
ROLE_NOUNS = {
    "chair": ("chair", "chairs"),
    "lead-reviewer": ("lead reviewer", "lead reviewers"),
    "author": ("author", "authors"),
    "assessor": ("assessor", "assessors"),
    "panel-member": ("panel member", "panel members"),
    "other": ("also credited", "also credited"),
}
ROLE_VERBS = {"commissioned": "commissioned", "set-up": "set up", "published": "published", "presented": "presented"}
assert set(ROLE_NOUNS) | set(ROLE_VERBS) == set(CREDIT_ROLES)


def role_heading(roles: tuple[str, ...], several: bool = False) -> str:
    """ "Chair and author", "Commissioned and published by" or "Author; published by"."""
    nouns = [ROLE_NOUNS[r][several] for r in CREDIT_ROLES if r in roles and r in ROLE_NOUNS]
    verbs = [ROLE_VERBS[r] for r in CREDIT_ROLES if r in roles and r in ROLE_VERBS]
    parts = [" and ".join(nouns)] if nouns else []
    if verbs:
        parts.append(" and ".join(verbs) + " by")
    text = "; ".join(parts)
    return text[0].upper() + text[1:]


# Field names an editor may list in a source's `supports`, in words for readers.
FIELD_LABELS = {
    "id": "the review's id",
    "title": "title",
    "short_title": "short title",
    "review_types": "review types",
    "nation": "nation",
    "areas": "areas",
    "credits": "who commissioned, led or wrote the review",
    "commissioned_by": "commissioning body",
    "authors": "authors",
    "published": "publication date",
    "period_reviewed": "period reviewed",
    "scope": "what the review covers",
    "cases_reviewed": "number of cases reviewed",
    "component_reviews": "the reviews in this entry",
    "report": "the report",
    "report.links": "links to the report",
    "report.published_as": "what was published",
    "content_note": "content note",
    "summary": "summary",
    "subjects": "who the review is about",
    "subjects.also_known_as": "other published names",
    "timeline": "timeline",
    "findings": "findings",
    "learning_points": "learning points",
    "recommendation_groups": "recommendation groups",
    "recommendations": "recommendations",
    "recommendations_made": "number of recommendations made",
    "recommendations_note": "note on the recommendations",
    "legal_outcomes": "legal and coronial outcomes",
    "proceedings": "legal and coronial outcomes",
    "family_involvement": "family involvement",
    "agencies": "agencies involved",
    "responses": "responses to the review",
    "disputed": "where sources disagree",
    "see_also": "other reviews of the same case",
}


def field_label(name: str) -> str:
    """A field name from `supports` in words; an unknown one with its punctuation turned to spaces."""
    return FIELD_LABELS.get(name) or name.replace("_", " ").replace(".", " ")


def supports_words(names: list[str]) -> str:
    """ "review types, commissioning body" for ``[review_types, commissioned_by]``."""
    labels = list(dict.fromkeys(field_label(n) for n in names))
    if not labels:
        return ""
    text = ", ".join(labels)
    return text[0].upper() + text[1:]


def full_stop(text: str) -> str:
    """ "." to end a sentence after ``text``, or "" if it already ends with ".", "?", "!" or "…"
    (also just inside closing quotes or brackets): "…let Victoria down?" takes none."""
    return "" if str(text).rstrip().rstrip("\"'”’)]").endswith((".", "?", "!", "…")) else "."


def end_sentence(text: str) -> str:
    """``text`` as a sentence: followed by a full stop unless it already ends with one."""
    return str(text).rstrip() + full_stop(text)


@dataclass(frozen=True)
class CreditLine:
    heading: str
    names: list[tuple[str, str | None]]  # (name, description)


def credit_lines(credits: list[Credit]) -> list[CreditLine]:
    """One line for each set of roles, in the order of CREDIT_ROLES (who commissioned first):
    credits with the same roles share a line ("Authors: A; B")."""
    by_roles: dict[tuple[str, ...], list[Credit]] = {}
    for credit in credits:
        by_roles.setdefault(tuple(dict.fromkeys(credit.roles)), []).append(credit)
    order: list[str] = list(CREDIT_ROLES)
    ranked = sorted(by_roles.items(), key=lambda item: min(order.index(r) for r in item[0]))
    return [
        CreditLine(role_heading(roles, len(group) > 1), [(c.name, c.description) for c in group])
        for roles, group in ranked
    ]


SUBJECT_ROLE_PLURALS = {
    "surviving-child": "Surviving children",
    "affected-child": "Affected children",
    "affected-adult": "Affected adults",
    "subject": "The people the review is about",
}


def subject_role(subject: Subject) -> str:
    """The role of a subject who is not the person the review is about, in words ("Surviving children")."""
    if subject.count and subject.count > 1:
        return SUBJECT_ROLE_PLURALS[subject.role]
    return SUBJECT_ROLES[subject.role]


def cite_names(review: Review) -> list[str]:
    """The names "Cite this page" gives as the report's authors (rule in Review.cite_credits)."""
    return [c.name for c in review.cite_credits]


@dataclass(frozen=True)
class SubjectNames:
    """How a subject is named in "Who the review is about"."""

    shown: str  # in bold
    pseudonym_only: bool  # ``shown`` is the review's pseudonym: quoted, and said to be one
    called: str | None  # the pseudonym, for a subject shown by name
    description: str | None  # unless it is what is shown


def subject_names(subject: Subject) -> SubjectNames:
    pseudonym_only = not subject.name and bool(subject.pseudonym)
    shown = subject.display_name
    return SubjectNames(
        shown=shown,
        pseudonym_only=pseudonym_only,
        called=subject.pseudonym if subject.name and subject.pseudonym else None,
        description=subject.description if subject.description and subject.description != shown else None,
    )


def person_name(person: LegalPerson) -> str:
    return person.name or person.description or ""


@dataclass(frozen=True)
class LegalPeople:
    """Who a legal outcome concerns: "Defendants", then each name with its description."""

    label: str
    names: list[tuple[str, str | None]]  # (name, description); a person with no name: (description, None)


def legal_people(outcome: LegalOutcome) -> LegalPeople:
    several = len(outcome.people) > 1
    if outcome.kind == "appeal":
        label = "Appellants" if several else "Appellant"
    elif outcome.outcome == "acquitted":
        label = "Tried and acquitted"
    elif outcome.criminal:
        label = "Defendants" if several else "Defendant"
    else:
        label = "Concerning"
    names = [(p.name, p.description) if p.name else (p.description or "", None) for p in outcome.people]
    return LegalPeople(label, names)


def by_year(reviews: list[Review]) -> list[tuple[int, list[Review]]]:
    """Reviews grouped by year of publication, the latest year first (in their order within a year)."""
    years: dict[int, list[Review]] = {}
    for review in sorted(reviews, key=lambda r: r.published.year):
        years.setdefault(review.published.year, []).append(review)
    return list(reversed(years.items()))


def first_paragraph(text: str) -> str:
    return str(text).split("\n\n")[0]


def percent(fraction: float) -> int:
    """A fraction as a whole percentage (halves to even, as Jinja's ``round`` did)."""
    return round(fraction * 100)


def share(part: int, whole: int) -> str:
    """ "25%" for 1 of 4; "–" when there is no whole."""
    return f"{round(100 * part / whole)}%" if whole else "–"


@dataclass(frozen=True)
class Verdict:
    """Who was convicted or acquitted, of what (offences from every entry that names them)."""

    person: str
    offences: list[str]


def _verdicts(outcomes: list[LegalOutcome], outcome: str) -> list[Verdict]:
    found: dict[str, list[str]] = {}
    for entry in outcomes:
        if entry.outcome != outcome:
            continue
        for person in entry.people:
            offences = found.setdefault(person_name(person), [])
            if entry.offence and entry.offence not in offences:
                offences.append(entry.offence)
    return [Verdict(name, offences) for name, offences in found.items() if name]


@dataclass(frozen=True)
class CriminalSummary:
    """The plain-words line near the top of a review page."""

    key: str  # Review.criminal_outcome
    convicted: list[Verdict]
    acquitted: list[Verdict]


def criminal_summary(review: Review) -> CriminalSummary:
    return CriminalSummary(
        review.criminal_outcome,
        _verdicts(review.legal_outcomes, "convicted"),
        _verdicts(review.legal_outcomes, "acquitted"),
    )


# A review recording at least this many recommendations, in groups, shows each group's
# recommendations in a collapsible block, so that a reader can scan the groups first.
COLLAPSE_RECOMMENDATIONS = 30


def collapse_recommendations(review: Review) -> bool:
    """Whether each group's recommendations are shown in a collapsible block."""
    return len(review.recommendations) >= COLLAPSE_RECOMMENDATIONS and bool(review.recommendation_groups)


@dataclass(frozen=True)
class RecommendationSection:
    """Recommendations under one group heading (``group`` is None for those in no group)."""

    group: RecommendationGroup | None
    items: list[tuple[int, Recommendation]]  # (number on the page, recommendation)


def recommendation_sections(review: Review) -> list[RecommendationSection]:
    """The review's recommendations in its groups' order (each numbered as listed in the file),
    then those in no group; a group with no recommendation recorded is kept, for its count."""
    numbered = list(enumerate(review.recommendations, 1))
    sections = [
        RecommendationSection(g, [(n, r) for n, r in numbered if r.group == g.id]) for g in review.recommendation_groups
    ]
    loose = [(n, r) for n, r in numbered if r.group is None]
    if loose or not sections:
        sections.append(RecommendationSection(None, loose))
    return sections

"""Stage 3, model: the typed, immutable objects a review file becomes.

The pydantic classes here are the single definition of the review format: validation
(:mod:`generator.validate`), the JSON Schema editors' tools read, and the editors'
guide all come from them. Field descriptions are written for editors.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    PlainSerializer,
    PlainValidator,
    WithJsonSchema,
    model_validator,
)

from .dates import DateSpan, PartialDate

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
_SLUG = re.compile(SLUG_PATTERN)
DATE_PATTERN = r"^\d{4}(-\d{2}(-\d{2})?)?(/\d{4}(-\d{2}(-\d{2})?)?)?$"

# Each closed set of values is a Literal type (what the model accepts, and what mypy checks)
# followed by its labels for readers, in the same order, keyed by that type; the schema lists
# the values in that order. tests/test_model_choices.py keeps the two alike.
ReviewType = Literal[
    "serious-case-review",
    "child-safeguarding-practice-review",
    "national-child-safeguarding-practice-review",
    "significant-case-review",
    "learning-review",
    "child-practice-review-concise",
    "child-practice-review-extended",
    "single-unified-safeguarding-review",
    "case-management-review",
    "domestic-homicide-review",
    "safeguarding-adults-review",
    "thematic-review",
    "public-inquiry",
    "other-review",
]
REVIEW_TYPES: dict[ReviewType, str] = {
    "serious-case-review": "Serious case review",
    "child-safeguarding-practice-review": "Child safeguarding practice review (local)",
    "national-child-safeguarding-practice-review": "National child safeguarding practice review",
    "significant-case-review": "Significant case review",
    "learning-review": "Learning review",
    "child-practice-review-concise": "Child practice review (concise)",
    "child-practice-review-extended": "Child practice review (extended)",
    "single-unified-safeguarding-review": "Single unified safeguarding review",
    "case-management-review": "Case management review",
    "domestic-homicide-review": "Domestic homicide review",
    "safeguarding-adults-review": "Safeguarding adults review",
    "thematic-review": "Thematic review",
    "public-inquiry": "Public inquiry",
    "other-review": "Other review",
}
Nation = Literal["england", "wales", "scotland", "northern-ireland", "united-kingdom", "not-stated"]
NATIONS: dict[Nation, str] = {
    "england": "England",
    "wales": "Wales",
    "scotland": "Scotland",
    "northern-ireland": "Northern Ireland",
    "united-kingdom": "United Kingdom (several nations)",
    "not-stated": "Not stated in our sources",
}
Outcome = Literal["died", "seriously-harmed", "harmed", "not-harmed", "present", "affected", "not-known"]
OUTCOMES: dict[Outcome, str] = {
    "died": "Died",
    "seriously-harmed": "Seriously harmed and survived",
    "harmed": "Harmed",
    "not-harmed": "Not harmed",
    "present": "Present",
    "affected": "Affected",
    "not-known": "Not known",
}
SubjectRole = Literal["subject", "surviving-child", "affected-child", "affected-adult"]
SUBJECT_ROLES: dict[SubjectRole, str] = {
    "subject": "Subject of the review",
    "surviving-child": "Surviving child",
    "affected-child": "Affected child",
    "affected-adult": "Affected adult",
}
CreditKind = Literal["person", "organisation"]
CREDIT_KINDS: dict[CreditKind, str] = {"person": "Person", "organisation": "Organisation"}
CreditRole = Literal[
    "commissioned",
    "set-up",
    "chair",
    "lead-reviewer",
    "author",
    "assessor",
    "panel-member",
    "published",
    "presented",
    "other",
]
CREDIT_ROLES: dict[CreditRole, str] = {
    "commissioned": "Commissioned the review",
    "set-up": "Set up the review",
    "chair": "Chair",
    "lead-reviewer": "Lead reviewer",
    "author": "Author",
    "assessor": "Assessor",
    "panel-member": "Panel member",
    "published": "Published the review",
    "presented": "Presented the report",
    "other": "Other role",
}
LegalKind = Literal[
    "charge-decision", "trial", "plea", "sentence", "appeal", "family-court-fact-finding", "inquest", "other"
]
LEGAL_KINDS: dict[LegalKind, str] = {
    "charge-decision": "Charge decision",
    "trial": "Trial",
    "plea": "Plea",
    "sentence": "Sentence",
    "appeal": "Appeal",
    "family-court-fact-finding": "Family court fact-finding",
    "inquest": "Inquest",
    "other": "Other",
}
LegalResult = Literal["convicted", "acquitted", "not-charged", "finding-made", "inquest-conclusion", "other"]
LEGAL_OUTCOMES: dict[LegalResult, str] = {
    "convicted": "Convicted",
    "acquitted": "Acquitted",
    "not-charged": "Not charged",
    "finding-made": "Finding made",
    "inquest-conclusion": "Inquest conclusion",
    "other": "Other outcome",
}
StandardOfProof = Literal["beyond-reasonable-doubt", "balance-of-probabilities", "not-stated"]
STANDARDS_OF_PROOF: dict[StandardOfProof, str] = {
    "beyond-reasonable-doubt": "Beyond reasonable doubt",
    "balance-of-probabilities": "On the balance of probabilities",
    "not-stated": "Standard of proof not stated",
}
# Kinds of legal outcome whose entries must say their standard of proof (civil or coronial).
NEEDS_STANDARD_OF_PROOF = ("family-court-fact-finding", "inquest")
CRIMINAL_OUTCOMES = {
    "conviction": "Someone was convicted",
    "acquittal-only": "Acquittals only",
    "no-one-charged": "No one was charged",
    "none-recorded": "No criminal proceedings recorded",
}
GroupKind = Literal["chapter", "section", "agency", "theme", "other"]
GROUP_KINDS: dict[GroupKind, str] = {
    "chapter": "Chapter",
    "section": "Section",
    "agency": "Agency",
    "theme": "Theme",
    "other": "Group",
}
Participation = Literal["took-part", "partly", "declined", "not-invited", "not-known"]
PARTICIPATION: dict[Participation, str] = {
    "took-part": "The family took part",
    "partly": "Some of the family took part",
    "declined": "The family declined to take part",
    "not-invited": "The family was not invited to take part",
    "not-known": "Not known whether the family took part",
}
# Fields of format 1 that format 2 replaced: old name -> new name. A file that still
# uses one gets an error at the old key naming the new field.
REPLACED_FIELDS = {
    "commissioned_by": "credits",
    "authors": "credits",
    "proceedings": "legal_outcomes",
}
StatusValue = Literal["not-known", "accepted", "in-progress", "implemented", "not-accepted"]
STATUSES: dict[StatusValue, str] = {
    "not-known": "Not known",
    "accepted": "Accepted",
    "in-progress": "In progress",
    "implemented": "Implemented",
    "not-accepted": "Not accepted",
}
PublishedAs = Literal["full-report", "executive-summary", "summary", "not-published", "not-known"]
PUBLISHED_AS: dict[PublishedAs, str] = {
    "full-report": "Full report",
    "executive-summary": "Executive summary only",
    "summary": "Summary or briefing only",
    "not-published": "Not published",
    "not-known": "Not known",
}
LinkKind = Literal["report", "executive-summary", "summary", "response", "other"]
LINK_KINDS: dict[LinkKind, str] = {
    "report": "Full report",
    "executive-summary": "Executive summary",
    "summary": "Summary or briefing",
    "response": "Response or action plan",
    "other": "Other",
}
ThemeCategory = Literal["harm", "child", "family", "practice", "system"]
THEME_CATEGORIES: dict[ThemeCategory, str] = {
    "harm": "Harm",
    "child": "The child",
    "family": "Family context",
    "practice": "Practice",
    "system": "System",
}


def _slug(value: str) -> str:
    if not _SLUG.match(value):
        raise ValueError(
            f"'{value}' is not a valid id — use lower-case letters, digits and single hyphens, "
            "for example 'derbyshire-scr-2017'"
        )
    return value


def _url(value: str) -> str:
    problem = _character_problem(value)
    if problem:
        raise ValueError(problem)
    if any(ch.isspace() for ch in value):
        raise ValueError(f"the URL '{value}' contains a space — percent-encode it as %20 or remove it")
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https"):
        raise ValueError(f"'{value}' is not a web address — only http:// and https:// links are allowed")
    host = parts.hostname or ""
    if not re.fullmatch(r"[A-Za-z0-9.-]+\.[A-Za-z]{2,}|localhost", host):
        raise ValueError(f"'{value}' has no valid host name — copy the full address from the browser")
    return value


# Characters no text field may hold: C0 controls (tab and line feed apart), DEL and C1
# controls; line and paragraph separators; bidirectional embeddings, overrides and
# isolates, which reorder the text that follows them wherever it is shown; unpaired
# surrogates; and the non-characters. Each breaks a page, a feed or the data files.
_FORBIDDEN = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069"
    "\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff]|[\U0001fffe-\U0010ffff]"
)


def _character_problem(text: str) -> str | None:
    for match in _FORBIDDEN.finditer(text):
        code = ord(match.group())
        if code >= 0x10000 and code & 0xFFFE != 0xFFFE:
            continue  # only U+xFFFE and U+xFFFF are non-characters in the higher planes
        if 0x202A <= code <= 0x202E or 0x2066 <= code <= 0x2069:
            kind = "a bidirectional control character"
        elif 0xD800 <= code <= 0xDFFF:
            kind = "an unpaired surrogate"
        elif code >= 0xFDD0:
            kind = "a non-character"
        else:
            kind = "a control character"
        return (
            f"contains {kind} (U+{code:04X}) at character {match.start() + 1} — delete it; "
            "it is invisible, and breaks pages and feeds"
        )
    return None


def _visible(text: str) -> bool:
    """Whether ``text`` has a letter, digit, punctuation mark or symbol a reader can see."""
    return any(unicodedata.category(ch)[0] in "LNPS" for ch in text)


def _text(value: str) -> str:
    text = value.strip()
    if not text:
        raise ValueError("is empty — write the text, or remove the field")
    problem = _character_problem(text)
    if problem:
        raise ValueError(problem)
    if not _visible(text):
        raise ValueError("has nothing visible in it — write the text, or remove the field")
    return text


def _date_text(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError("must be a date written as text, for example 2014-05-01")
    return value


def _span(value: Any) -> DateSpan:
    return DateSpan.parse(_date_text(value))


def _day(value: Any) -> PartialDate:
    text = _date_text(value)
    date = PartialDate.parse(text)
    if date.day is None:
        raise ValueError(f"'{text}' must be a full date — write YYYY-MM-DD")
    return date


def _iso(value: DateSpan | PartialDate) -> str:
    return value.iso()


def _date_schema(description: str, pattern: str) -> WithJsonSchema:
    return WithJsonSchema({"type": ["string", "integer"], "pattern": pattern, "description": description})


# Dates are written as text and kept as the objects of generator.dates; they are written out
# (model_dump, the data files) as the editor wrote them.
Span = Annotated[
    DateSpan,
    PlainValidator(_span),
    PlainSerializer(_iso, return_type=str),
    _date_schema(
        "A year, month or day (2014, 2014-05, 2014-05-01), or a range of them joined by a slash (2014-01/2014-04).",
        DATE_PATTERN,
    ),
]
Day = Annotated[
    PartialDate,
    PlainValidator(_day),
    PlainSerializer(_iso, return_type=str),
    _date_schema("A full date, YYYY-MM-DD.", r"^\d{4}-\d{2}-\d{2}$"),
]
Text = Annotated[str, AfterValidator(_text)]
Slug = Annotated[str, AfterValidator(_slug), WithJsonSchema({"type": "string", "pattern": SLUG_PATTERN})]
Url = Annotated[str, AfterValidator(_url), WithJsonSchema({"type": "string", "format": "uri", "pattern": "^https?://"})]
# Every item that states facts cites at least one source, and every finding,
# recommendation and learning point has at least one theme: both lists are required
# and never empty. Theme ids are checked against the vocabulary by the rules
# (generator.rules), which also suggest the theme a phrase such as "domestic violence" means.
SourceRefs = Annotated[
    list[Slug],
    Field(min_length=1, description=("Ids of the entries in `sources` that support this item: at least one.")),
]
OptionalSourceRefs = Annotated[
    list[Slug], Field(default_factory=list, description=("Ids of the entries in `sources` that support this item."))
]
ThemeId = Annotated[str, WithJsonSchema({"type": "string", "pattern": SLUG_PATTERN})]
Themes = Annotated[
    list[ThemeId],
    Field(min_length=1, description=("Theme ids from the theme vocabulary (reviews/_themes.yaml): at least one.")),
]


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Source(Model):
    """A published source that facts in this file come from."""

    id: Slug = Field(description="A short id to cite this source by, e.g. 'bbc-2017'.")
    title: Text = Field(description="Title of the page, article or report.")
    publisher: Text = Field(description="Who published it (news outlet, board, charity).")
    date: Span | None = Field(None, description="Publication date, as precise as known.")
    url: Url | None = Field(
        None,
        description="Where it was read (http or https). Leave out only for a "
        "source with no web address, and say in `note` where it is kept.",
    )
    note: Text | None = Field(None, description="What this source is, e.g. 'copy of the executive summary'.")
    supports: list[Text] = Field(
        default_factory=list,
        description=(
            "Fields this source supports without being cited in them, e.g. [summary, published]. "
            "Every source must be cited somewhere or say what it supports here."
        ),
    )

    @model_validator(mode="after")
    def _findable(self):
        if not (self.url or self.note):
            raise ValueError("a source needs a url, or a note saying where it can be found — add 'url'")
        return self


class Link(Model):
    url: Url = Field(description="Address of the document.")
    title: Text = Field(description="What the link is, e.g. 'Executive summary (PDF)'.")
    kind: LinkKind = Field("report", description="What kind of document the link leads to.")


class Report(Model):
    """Where the review's own report can be read."""

    published_as: PublishedAs = Field(
        "not-known", description="What the publisher released: full report, executive summary only, ..."
    )
    links: list[Link] = Field(default_factory=list, description="Links to the report and related documents.")
    archived_url: Url | None = Field(None, description="An archived copy, for when the original link breaks.")
    links_checked: Day | None = Field(None, description="The day the links were last seen working (YYYY-MM-DD).")


class Credit(Model):
    """A person or body with a part in the review: who commissioned, chaired, wrote or presented it."""

    name: Text = Field(
        description="The name as published, e.g. 'Lord Laming' or 'Derbyshire Safeguarding Children Board'."
    )
    kind: CreditKind = Field(description="person or organisation.")
    roles: Annotated[list[CreditRole], Field(min_length=1)] = Field(
        description="One or more of: commissioned, set-up, chair, lead-reviewer, author, assessor, "
        "panel-member, published, presented, other."
    )
    description: Text | None = Field(
        None, description="Their part in words, e.g. 'independent chair of the review panel'."
    )
    sources: SourceRefs


class CauseOfDeath(Model):
    text: Text = Field(description="The cause of death exactly as published.")
    sources: SourceRefs


class Subject(Model):
    """A person the review is about: a child or an adult."""

    name: Text | None = Field(None, description="The name as published, if it was published.")
    pseudonym: Text | None = Field(None, description="The name the review used, e.g. 'Child A' or 'Polly'.")
    description: Text | None = Field(
        None,
        description=(
            'For people not named: who they are, e.g. "Laura\'s two older children, not named in our sources".'
        ),
    )
    also_known_as: list[Text] = Field(default_factory=list, description="Other published spellings or names.")
    kind: Literal["child", "adult"] = Field("child", description="'child' or 'adult'.")
    role: SubjectRole = Field(
        "subject",
        description=("subject (the person the review is about), surviving-child, affected-child or affected-adult."),
    )
    count: Annotated[int, Field(ge=1)] | None = Field(
        None, description="For a description covering several people, how many (e.g. 2 surviving children)."
    )
    age: Text | None = Field(None, description="Age at the incident as published, e.g. '21 months'.")
    age_months: Annotated[int, Field(ge=0, le=1500)] | None = Field(
        None, description="The same age in whole months, for browsing by age."
    )
    date_of_birth: Span | None = Field(None, description="Only if published.")
    outcome: Outcome = Field(
        "not-known",
        description=("died, seriously-harmed, harmed, not-harmed, present, affected or not-known."),
    )
    incident_date: Span | None = Field(None, description="Date of the death or serious harm.")
    cause_of_death: CauseOfDeath | None = Field(None, description=("Only as published, with its own sources."))
    notes: Text | None = Field(None, description="Anything else about this person that the sources give.")
    sources: SourceRefs

    @model_validator(mode="after")
    def _named(self):
        if not (self.name or self.pseudonym or self.description):
            raise ValueError(
                "a subject needs a name, a pseudonym or a description — add 'name', 'pseudonym' or 'description'"
            )
        return self

    @property
    def display_name(self) -> str:
        return self.name or self.pseudonym or self.description or ""


class Event(Model):
    date: Span = Field(description="When it happened, as precise as the source says.")
    text: Text = Field(description="What happened, in one or two sentences.")
    sources: SourceRefs


class Finding(Model):
    id: Slug = Field(description="Stable id within the review, e.g. 'f1'. Never change it once published.")
    text: Text = Field(description="The finding in our own words.")
    themes: Themes
    sources: SourceRefs


class Status(Model):
    value: StatusValue = Field(
        "not-known",
        description=(
            "not-known, accepted, in-progress, implemented or not-accepted. Any value but not-known "
            "needs the `date` it was reported and a link to the `evidence`."
        ),
    )
    date: Span | None = Field(None, description="When the status was reported.")
    evidence: Url | None = Field(None, description="A link to the evidence for the status.")
    note: Text | None = Field(None, description="What the evidence says.")

    @model_validator(mode="after")
    def _evidenced(self):
        if self.value != "not-known":
            missing = [name for name in ("date", "evidence") if getattr(self, name) is None]
            if missing:
                raise ValueError(
                    f"a status of '{self.value}' needs its {' and '.join(missing)} — add "
                    + " and ".join(f"'{m}'" for m in missing)
                    + " (when the status was reported, and a link to the report)"
                )
        return self


class LearningPoint(Model):
    """A lesson the review drew that was not a formal recommendation."""

    id: Slug = Field(
        description="Stable id within the review, e.g. 'l1'; not the id of a finding or "
        "recommendation. Never change it once published."
    )
    text: Text = Field(description="The lesson in our own words.")
    themes: Annotated[
        list[Slug],
        Field(min_length=1, description=("Theme ids from the theme vocabulary (reviews/_themes.yaml): at least one.")),
    ]
    sources: SourceRefs


class RecommendationGroup(Model):
    """A chapter, section or agency the report grouped its recommendations under."""

    id: Slug = Field(description="A short id, unique in the review, that recommendations name in `group`.")
    title: Text = Field(description="The group's heading, e.g. \"Children's social care\".")
    kind: GroupKind = Field("other", description="chapter, section, agency, theme or other.")
    addressed_to: list[Text] = Field(default_factory=list, description="Agencies or bodies the group is made to.")
    recommendations_made: Annotated[int, Field(ge=0)] | None = Field(
        None, description="How many recommendations the report made in this group, if known."
    )
    sources: OptionalSourceRefs  # needed only where the group states a fact, such as a count


class Recommendation(Model):
    id: Slug = Field(description="Stable id within the review, e.g. 'r1'. Never change it once published.")
    group: Slug | None = Field(None, description="The id of its group in `recommendation_groups`.")
    text: Text = Field(description="The recommendation in our own words.")
    addressed_to: list[Text] = Field(default_factory=list, description="Agencies or bodies it was made to.")
    timescale: Text | None = Field(None, description="The timescale as published, e.g. 'within three months'.")
    due: Span | None = Field(None, description="When it was due, if the report gives a date.")
    themes: Themes
    status: Status = Field(default_factory=Status, description="Implementation status, with evidence.")
    sources: SourceRefs


class LegalPerson(Model):
    """Someone a legal or coronial outcome concerns."""

    name: Text | None = Field(
        None, description="The name as published; leave out for someone who must not be identified."
    )
    description: Text | None = Field(
        None, description='Their relation to the child or the case, e.g. "Poppi\'s father".'
    )

    @model_validator(mode="after")
    def _described(self):
        if not (self.name or self.description):
            raise ValueError(
                "a person needs a name or a description — add 'description' (their relation "
                "to the child), and 'name' if it was published"
            )
        return self


class Contested(Model):
    text: Text = Field(description="Who denies or contests the finding, and how, in our own words.")
    sources: SourceRefs


class LegalOutcome(Model):
    """A charge decision, trial, plea, sentence, appeal, family court finding or inquest."""

    kind: LegalKind = Field(
        description=("charge-decision, trial, plea, sentence, appeal, family-court-fact-finding, inquest or other.")
    )
    date: Span | None = Field(None, description="Date of the decision, verdict, finding or conclusion.")
    body: Text | None = Field(None, description="The court, coroner, police force or prosecutor.")
    people: list[LegalPerson] = Field(default_factory=list, description="Who it concerns.")
    outcome: LegalResult = Field(
        description=("convicted, acquitted, not-charged, finding-made, inquest-conclusion or other.")
    )
    offence: Text | None = Field(None, description="What they were convicted or acquitted of, or charged with.")
    standard_of_proof: StandardOfProof | None = Field(
        None,
        description=(
            "beyond-reasonable-doubt, balance-of-probabilities or not-stated; required for a "
            "family-court-fact-finding or an inquest."
        ),
    )
    text: Text = Field(description="The outcome in words, our own.")
    contested: Contested | None = Field(None, description="If the finding is denied or contested: by whom and how.")
    sources: SourceRefs

    @property
    def criminal(self) -> bool:
        """Whether the people in it may be called defendants: a trial, plea, sentence or appeal,
        or a conviction or acquittal. Never a charge decision, family court or inquest."""
        return self.kind in ("trial", "plea", "sentence", "appeal") or self.outcome in ("convicted", "acquitted")


class Response(Model):
    date: Span | None = Field(None, description="When the response was made.")
    by: Text = Field(description="Who responded.")
    text: Text = Field(description="What they said or did, in our own words.")
    sources: SourceRefs


class Disputed(Model):
    topic: Text = Field(description="The fact the sources disagree on.")
    text: Text = Field(description="What each source says.")
    sources: SourceRefs


class FamilyView(Model):
    by: Text = Field(description='Who said it, e.g. "Logan\'s father".')
    date: Span | None = Field(None, description="When they said it.")
    text: Text = Field(description="What they said about the review, in our own words or a short marked quotation.")
    sources: SourceRefs


class FamilyInvolvement(Model):
    """How the family took part in the review, and what they said about it."""

    participation: Participation = Field(
        "not-known",
        description=("took-part, partly, declined, not-invited or not-known."),
    )
    text: Text | None = Field(None, description="How the family took part, in our own words.")
    views: list[FamilyView] = Field(default_factory=list, description="What family members said about the review.")
    sources: SourceRefs


class ComponentReview(Model):
    """One of several reviews gathered in one entry, e.g. a first and a second review of one case."""

    title: Text = Field(description="The title of this review as published.")
    credits: list[Credit] = Field(
        default_factory=list, description=("Who commissioned, chaired, wrote or published it, each with its roles.")
    )
    commissioned: Span | None = Field(None, description="When it was commissioned.")
    published: Span | None = Field(None, description="When it (or its executive summary) was first published.")
    published_as: PublishedAs = Field("not-known", description="What was first published.")
    text: Text | None = Field(None, description="What sets this review apart: its remit, how it was judged.")
    sources: SourceRefs


class Review(Model):
    """One published review: its facts, chronology, findings and recommendations."""

    id: Slug = Field(description="The review's permanent id; must equal the file name without .yaml.")
    title: Text = Field(
        description="The review's title as published; for an entry that gathers several reviews, a title naming them."
    )
    short_title: Text | None = Field(None, description="A short name for listings, e.g. the child's name.")
    review_types: Annotated[list[ReviewType], Field(min_length=1)] = Field(
        description="One or more review types; a joint review lists each."
    )
    nation: Nation = Field(description="england, wales, scotland, northern-ireland or united-kingdom.")
    areas: Annotated[list[Text], Field(min_length=1)] = Field(
        description="Local authority areas or places the review covers."
    )
    credits: Annotated[list[Credit], Field(min_length=1)] = Field(
        description=(
            "Who commissioned, set up, chaired, wrote, published and presented the review: people and "
            "organisations, each with its roles."
        )
    )
    published: Span = Field(description="Publication date of the review.")
    period_reviewed: Span | None = Field(None, description="The period the review examined, as a range.")
    scope: Text | None = Field(
        None,
        description="What the review covers, where it is not a single case: "
        "a theme, a group of cases, an evidence base.",
    )
    cases_reviewed: Annotated[int, Field(ge=0)] | None = Field(
        None, description="For a thematic or multi-case review, how many cases it examined."
    )
    component_reviews: list[ComponentReview] = Field(
        default_factory=list,
        description=(
            "Where one entry gathers several reviews of the same case (a first and a second review, a "
            "local review folded into a national one), each of them."
        ),
    )
    report: Report = Field(default_factory=Report, description="Where the report can be read.")
    content_note: Text = Field(description="A short note on the distressing content, shown before the summary.")
    summary: Text = Field(
        description="What happened and what the review found, in our own words. "
        "Paragraphs are separated by a blank line; no other formatting."
    )
    subjects: list[Subject] = Field(default_factory=list, description="The children and adults the review is about.")
    timeline: list[Event] = Field(default_factory=list, description="Dated events, earliest first.")
    findings: list[Finding] = Field(default_factory=list, description="The review's findings.")
    learning_points: list[LearningPoint] = Field(
        default_factory=list, description=("Lessons the review drew that were not formal recommendations.")
    )
    recommendation_groups: list[RecommendationGroup] = Field(
        default_factory=list,
        description=("The chapters, sections or agencies the report grouped its recommendations under, if any."),
    )
    recommendations: list[Recommendation] = Field(default_factory=list, description="The review's recommendations.")
    recommendations_made: Annotated[int, Field(ge=0)] | None = Field(
        None, description="How many recommendations the review made, if known."
    )
    recommendations_note: Text | None = Field(
        None, description="Say here when the recommendations' text was not available."
    )
    legal_outcomes: list[LegalOutcome] = Field(
        default_factory=list,
        description=(
            "Charge decisions, trials, pleas, sentences, appeals, family court findings and inquests, as reported."
        ),
    )
    family_involvement: FamilyInvolvement | None = Field(
        None, description=("How the family took part in the review, and what they said about it.")
    )
    agencies: list[Text] = Field(default_factory=list, description="Agencies involved with the family.")
    responses: list[Response] = Field(default_factory=list, description="Responses to the review.")
    disputed: list[Disputed] = Field(default_factory=list, description="Facts the sources disagree on.")
    see_also: list[Slug] = Field(default_factory=list, description="Ids of other reviews of the same case.")
    redirect_from: list[Slug] = Field(
        default_factory=list,
        description=("Former ids of this review. Each old address keeps working and leads to this page."),
    )
    sources: Annotated[list[Source], Field(min_length=1)] = Field(
        description="Every source the facts in this file come from."
    )

    @property
    def name(self) -> str:
        return self.short_title or self.title

    @property
    def criminal_outcome(self) -> str:
        """The review's key in CRIMINAL_OUTCOMES, derived from its legal outcomes."""
        found = {o.outcome for o in self.legal_outcomes}
        if "convicted" in found:
            return "conviction"
        if "acquitted" in found:
            return "acquittal-only"
        if "not-charged" in found:
            return "no-one-charged"
        return "none-recorded"

    @property
    def cite_credits(self) -> list[Credit]:
        """Whom "Cite this page" names: the people credited as author; if none, as lead reviewer;
        if none, the organisations that published it; if none, whoever commissioned it."""
        for kinds, role in (
            (("person",), "author"),
            (("person",), "lead-reviewer"),
            (("organisation",), "published"),
            (("organisation", "person"), "commissioned"),
        ):
            found = [c for c in self.credits if c.kind in kinds and role in c.roles]
            if found:
                return found
        return []

    @property
    def outcomes(self) -> list[Outcome]:
        """Outcomes for the people the review is about (role 'subject')."""
        return sorted({s.outcome for s in self.subjects if s.role == "subject"})


class Theme(Model):
    id: Slug = Field(description="Permanent id, used in review files and in the URL.")
    label: Text = Field(description="The preferred term.")
    category: ThemeCategory = Field(description="harm, child, family, practice or system.")
    definition: Text = Field(description="One sentence, in our own words.")
    synonyms: list[Text] = Field(default_factory=list, description="Other terms that mean this theme.")
    non_preferred: list[Text] = Field(default_factory=list, description="Terms to avoid that mean this theme.")
    related: list[Slug] = Field(default_factory=list, description="Ids of related themes.")


class Vocabulary(Model):
    themes: Annotated[list[Theme], Field(min_length=1)]


class Verified(Model):
    """Where a support service's details were checked, and when."""

    url: Url = Field(description="The organisation's own page that gives the number.")
    date: Day = Field(description="The day the number was last checked there (YYYY-MM-DD).")
    note: Text | None = Field(None, description="How it was checked, if not by visiting the page.")


class SupportLink(Model):
    name: Text
    text: Text
    url: Url | None = None
    phone: Text | None = None
    checked: Verified | None = Field(
        None, description=("The organisation's own page giving the phone number, and the day it was checked there.")
    )


class Support(Model):
    heading: Text
    intro: Text
    services: Annotated[list[SupportLink], Field(min_length=1)]


ITEM_REF_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*#[a-z0-9]+(?:-[a-z0-9]+)*$"
# The form is checked with the pairs' other rules (generator/judgements.py), so that one
# mistyped reference does not hide the problems of the other pairs.
ItemRef = Annotated[
    str,
    WithJsonSchema({"type": "string", "pattern": ITEM_REF_PATTERN}),
    Field(
        description=(
            "A finding, recommendation or learning point: the review's id, '#', and the item's id, "
            "as in the address of its place on the review page, e.g. 'daniel-pelka-coventry-scr-2013#f2'."
        )
    ),
]


class JudgedPair(Model):
    """Two items from different reviews that a person read and judged."""

    a: ItemRef
    b: ItemRef
    same: bool = Field(
        description=(
            "true: they make substantially the same point, so the site links them; false: they do "
            "not, so the site never shows them as similar or groups them together."
        )
    )
    why: Text = Field(description="One line on why, written after reading both items.")


class Judgements(Model):
    """Pairs of items that editors judged by reading both (reviews/_pairs.yaml)."""

    pairs: list[JudgedPair] = Field(default_factory=list)


def today() -> dt.date:
    return dt.date.today()

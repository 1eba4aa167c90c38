"""Open data, made alongside the pages: the reviews as JSON and CSV, the vocabulary, and
the JSON Schema, under ``docs/data/`` so MkDocs publishes them at ``/data/``.

These are data files, written with the json and csv modules; pages and feeds are
shaped in templates (:mod:`generator.render`).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable

from .index import Index
from .model import (
    CRIMINAL_OUTCOMES,
    LEGAL_KINDS,
    LEGAL_OUTCOMES,
    NATIONS,
    OUTCOMES,
    PARTICIPATION,
    REVIEW_TYPES,
    STANDARDS_OF_PROOF,
    STATUSES,
    SUBJECT_ROLES,
    Review,
)
from .routes import Routes, data_file, item_anchor
from .schema import schema_text
from .sitedata import SiteData


def _json(value, indent: int | None = 2) -> str:
    separators = None if indent else (",", ":")
    return json.dumps(value, ensure_ascii=False, indent=indent, separators=separators) + "\n"


def _cell(value):
    """A CSV cell. Text that a spreadsheet would run as a formula (starting with = + - @ or a
    control character) is prefixed with an apostrophe, as OWASP advises for CSV files."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def _csv(header: list[str], rows) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows([_cell(v) for v in row] for row in rows)
    return out.getvalue()


def data_files(data: SiteData) -> dict[str, Callable[[], str]]:
    """Every open data file, as ``{path relative to docs/: function that makes its text}``,
    so that they can be made alongside the pages (see :func:`generator.render.render_site`)."""
    index, links = data.index, data.routes
    reviews = sorted(index.reviews, key=lambda r: r.id)
    return {
        data_file("reviews.json"): lambda: _json([r.model_dump(mode="json") for r in reviews], indent=None),
        data_file("themes.json"): lambda: _json([t.model_dump(mode="json") for t in index.themes]),
        data_file("review.schema.json"): schema_text,
        data_file("reviews.csv"): lambda: _reviews_csv(index, links, reviews),
        data_file("findings.csv"): lambda: _items_csv(links, reviews, "finding"),
        data_file("learning_points.csv"): lambda: _items_csv(links, reviews, "learning-point"),
        data_file("recommendations.csv"): lambda: _recommendations_csv(links, reviews),
        data_file("recommendation_groups.csv"): lambda: _groups_csv(reviews),
        data_file("legal_outcomes.csv"): lambda: _legal_outcomes_csv(reviews),
        data_file("subjects.csv"): lambda: _subjects_csv(reviews),
    }


def _items_csv(links: Routes, reviews: list[Review], kind: str) -> str:
    """Findings or learning points, one a row."""
    items = "findings" if kind == "finding" else "learning_points"
    return _csv(
        ["review_id", f"{kind.replace('-', '_')}_id", "number", "text", "themes", "permalink"],
        (
            [r.id, i.id, n, i.text, "; ".join(i.themes), links.permalink(r.id, item_anchor(kind, i.id))]
            for r in reviews
            for n, i in enumerate(getattr(r, items), 1)
        ),
    )


def _recommendations_csv(links: Routes, reviews: list[Review]) -> str:
    return _csv(
        [
            "review_id",
            "recommendation_id",
            "number",
            "text",
            "addressed_to",
            "themes",
            "status",
            "status_date",
            "status_evidence",
            "permalink",
            "group",
            "group_title",
            "timescale",
            "due",
        ],
        (
            [
                r.id,
                rec.id,
                n,
                rec.text,
                "; ".join(rec.addressed_to),
                "; ".join(rec.themes),
                STATUSES[rec.status.value],
                _iso(rec.status.date),
                rec.status.evidence or "",
                links.permalink(r.id, item_anchor("recommendation", rec.id)),
                rec.group or "",
                _group_titles(r).get(rec.group or "", ""),
                rec.timescale or "",
                _iso(rec.due),
            ]
            for r in reviews
            for n, rec in enumerate(r.recommendations, 1)
        ),
    )


def _groups_csv(reviews: list[Review]) -> str:
    return _csv(
        [
            "review_id",
            "group_id",
            "title",
            "kind",
            "addressed_to",
            "recommendations_made",
            "recommendations_recorded",
        ],
        (
            [
                r.id,
                g.id,
                g.title,
                g.kind,
                "; ".join(g.addressed_to),
                "" if g.recommendations_made is None else g.recommendations_made,
                sum(rec.group == g.id for rec in r.recommendations),
            ]
            for r in reviews
            for g in r.recommendation_groups
        ),
    )


def _legal_outcomes_csv(reviews: list[Review]) -> str:
    return _csv(
        [
            "review_id",
            "number",
            "kind",
            "date",
            "body",
            "people",
            "outcome",
            "offence",
            "standard_of_proof",
            "text",
            "contested",
        ],
        (
            [
                r.id,
                n,
                LEGAL_KINDS[o.kind],
                _iso(o.date),
                o.body or "",
                "; ".join(_person(p) for p in o.people),
                LEGAL_OUTCOMES[o.outcome],
                o.offence or "",
                STANDARDS_OF_PROOF[o.standard_of_proof] if o.standard_of_proof else "",
                o.text,
                o.contested.text if o.contested else "",
            ]
            for r in reviews
            for n, o in enumerate(r.legal_outcomes, 1)
        ),
    )


def _subjects_csv(reviews: list[Review]) -> str:
    return _csv(
        [
            "review_id",
            "name",
            "pseudonym",
            "description",
            "kind",
            "role",
            "count",
            "age",
            "outcome",
            "incident_date",
            "cause_of_death",
        ],
        (
            [
                r.id,
                s.name or "",
                s.pseudonym or "",
                s.description or "",
                s.kind,
                SUBJECT_ROLES[s.role],
                "" if s.count is None else s.count,
                s.age or "",
                OUTCOMES[s.outcome],
                _iso(s.incident_date),
                s.cause_of_death.text if s.cause_of_death else "",
            ]
            for r in reviews
            for s in r.subjects
        ),
    )


def _reviews_csv(index: Index, links: Routes, reviews: list[Review]) -> str:
    return _csv(
        [
            "id",
            "title",
            "short_title",
            "review_types",
            "nation",
            "areas",
            "credits",
            "published",
            "subjects",
            "outcomes",
            "findings",
            "recommendations",
            "recommendations_made",
            "themes",
            "permalink",
            "learning_points",
            "criminal_outcome",
            "family_participation",
        ],
        (
            [
                r.id,
                r.title,
                r.short_title or "",
                "; ".join(REVIEW_TYPES[t] for t in r.review_types),
                NATIONS[r.nation],
                "; ".join(r.areas),
                _credits(r.credits),
                r.published.iso(),
                "; ".join(s.display_name for s in r.subjects),
                "; ".join(OUTCOMES[o] for o in r.outcomes),
                len(r.findings),
                len(r.recommendations),
                "" if r.recommendations_made is None else r.recommendations_made,
                "; ".join(t.id for t in index.review_themes[r.id]),
                links.permalink(r.id),
                len(r.learning_points),
                CRIMINAL_OUTCOMES[r.criminal_outcome],
                PARTICIPATION[r.family_involvement.participation] if r.family_involvement else "",
            ]
            for r in reviews
        ),
    )


def _credits(credits) -> str:
    """``Lord Laming (chair, author); Department of Health (commissioned)``."""
    return "; ".join(f"{c.name} ({', '.join(c.roles)})" for c in credits)


def _iso(span) -> str:
    return span.iso() if span else ""


def _group_titles(review) -> dict[str, str]:
    return {g.id: g.title for g in review.recommendation_groups}


def _person(person) -> str:
    """A person a legal outcome concerns: ``Name (description)``, or the description alone."""
    if person.name and person.description:
        return f"{person.name} ({person.description})"
    return person.name or person.description or ""

"""Open data, made alongside the pages: the reviews as JSON and CSV, the vocabulary, and
the JSON Schema, under ``docs/data/`` so MkDocs publishes them at ``/data/``.

These are data files, written with the json and csv modules; pages and feeds are
shaped in templates (:mod:`generator.render`).
"""
from __future__ import annotations

import csv
import io
import json

from .index import Index
from .model import NATIONS, OUTCOMES, REVIEW_TYPES, STATUSES
from .render import SiteInfo
from .schema import schema_text

DATA = "data"


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


def permalink(site: SiteInfo, review_id: str, anchor: str = "") -> str:
    return f"{site.url}reviews/{review_id}/" + (f"#{anchor}" if anchor else "")


def data_files(index: Index, site: SiteInfo) -> dict:
    """Every open data file, as ``{path relative to docs/: function that makes its text}``,
    so that they can be made alongside the pages (see :func:`generator.render.render_site`)."""
    reviews = sorted(index.reviews, key=lambda r: r.id)
    return {
        f"{DATA}/reviews.json": lambda: _json([r.model_dump(mode="json") for r in reviews], indent=None),
        f"{DATA}/themes.json": lambda: _json([t.model_dump(mode="json") for t in index.themes]),
        f"{DATA}/review.schema.json": schema_text,
        f"{DATA}/reviews.csv": lambda: _reviews_csv(index, site, reviews),
        f"{DATA}/findings.csv": lambda: _csv(
            ["review_id", "finding_id", "number", "text", "themes", "permalink"],
            ([r.id, f.id, n, f.text, "; ".join(f.themes), permalink(site, r.id, f"finding-{f.id}")]
             for r in reviews for n, f in enumerate(r.findings, 1))),
        f"{DATA}/recommendations.csv": lambda: _csv(
            ["review_id", "recommendation_id", "number", "text", "addressed_to", "themes", "status",
             "status_date", "status_evidence", "permalink"],
            ([r.id, rec.id, n, rec.text, "; ".join(rec.addressed_to), "; ".join(rec.themes),
              STATUSES[rec.status.value], rec.status.date.iso() if rec.status.date else "",
              rec.status.evidence or "", permalink(site, r.id, f"recommendation-{rec.id}")]
             for r in reviews for n, rec in enumerate(r.recommendations, 1))),
    }


def _reviews_csv(index: Index, site: SiteInfo, reviews) -> str:
    return _csv(
        ["id", "title", "short_title", "review_types", "nation", "areas", "credits", "published",
         "subjects", "outcomes", "findings", "recommendations", "recommendations_made", "themes", "permalink"],
        ([r.id, r.title, r.short_title or "", "; ".join(REVIEW_TYPES[t] for t in r.review_types), NATIONS[r.nation],
          "; ".join(r.areas), _credits(r.credits), r.published.iso(),
          "; ".join(s.display_name for s in r.subjects), "; ".join(OUTCOMES[o] for o in r.outcomes),
          len(r.findings), len(r.recommendations),
          "" if r.recommendations_made is None else r.recommendations_made,
          "; ".join(t.id for t in index.review_themes[r.id]), permalink(site, r.id)] for r in reviews))


def _credits(credits) -> str:
    """``Lord Laming (chair, author); Department of Health (commissioned)``."""
    return "; ".join(f"{c.name} ({', '.join(c.roles)})" for c in credits)

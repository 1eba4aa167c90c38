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


def _json(value) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2, sort_keys=False) + "\n"


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


def export_data(index: Index, site: SiteInfo) -> dict[str, str]:
    """Every open data file, as ``{path relative to docs/: text}``."""
    reviews = sorted(index.reviews, key=lambda r: r.id)
    files = {
        f"{DATA}/reviews.json": _json([r.model_dump(mode="json") for r in reviews]),
        f"{DATA}/themes.json": _json([t.model_dump(mode="json") for t in index.themes]),
        f"{DATA}/review.schema.json": schema_text(),
    }
    files[f"{DATA}/reviews.csv"] = _csv(
        ["id", "title", "short_title", "review_types", "nation", "areas", "commissioned_by", "published",
         "subjects", "outcomes", "findings", "recommendations", "recommendations_made", "themes", "permalink"],
        ([r.id, r.title, r.short_title or "", "; ".join(REVIEW_TYPES[t] for t in r.review_types), NATIONS[r.nation],
          "; ".join(r.areas), "; ".join(r.commissioned_by), r.published.iso(),
          "; ".join(s.display_name for s in r.subjects), "; ".join(OUTCOMES[o] for o in r.outcomes),
          len(r.findings), len(r.recommendations),
          "" if r.recommendations_made is None else r.recommendations_made,
          "; ".join(t.id for t in index.review_themes[r.id]), permalink(site, r.id)] for r in reviews))
    files[f"{DATA}/findings.csv"] = _csv(
        ["review_id", "finding_id", "number", "text", "themes", "permalink"],
        ([r.id, f.id, n, f.text, "; ".join(f.themes), permalink(site, r.id, f"finding-{f.id}")]
         for r in reviews for n, f in enumerate(r.findings, 1)))
    files[f"{DATA}/recommendations.csv"] = _csv(
        ["review_id", "recommendation_id", "number", "text", "addressed_to", "themes", "status", "status_date",
         "status_evidence", "permalink"],
        ([r.id, rec.id, n, rec.text, "; ".join(rec.addressed_to), "; ".join(rec.themes), STATUSES[rec.status.value],
          rec.status.date.iso() if rec.status.date else "", rec.status.evidence or "",
          permalink(site, r.id, f"recommendation-{rec.id}")]
         for r in reviews for n, rec in enumerate(r.recommendations, 1)))
    return files

"""``python -m generator new``: a new review file that passes ``check`` as it is.

The file is made from a template (``templates/new_review.yaml.j2``) with the id worked
out from the area, the review type and the year, and every field an editor should
fill in present with a comment.
"""
from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from .dates import DateSpan
from .errors import SourceError
from .index import slugify
from .model import REVIEW_TYPES

TYPE_SHORT = {
    "serious-case-review": "scr", "child-safeguarding-practice-review": "cspr",
    "national-child-safeguarding-practice-review": "national-review", "significant-case-review": "sicr",
    "learning-review": "learning-review", "child-practice-review-concise": "cpr",
    "child-practice-review-extended": "cpr", "single-unified-safeguarding-review": "susr",
    "case-management-review": "cmr", "domestic-homicide-review": "dhr", "safeguarding-adults-review": "sar",
    "thematic-review": "thematic-review", "public-inquiry": "inquiry", "other-review": "review",
}


def _yaml_string(value: str) -> str:
    """A double-quoted YAML scalar holding exactly ``value``."""
    escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t")
    return f'"{escaped}"'


def new_review(folder: Path, *, title: str, review_type: str, area: str, published: str,
               nation: str = "england", name: str | None = None) -> Path:
    """Write a new review file into ``folder``; refuse to overwrite one."""
    if review_type not in REVIEW_TYPES:
        raise SourceError("(command line)", 1, 1, "--type", f"'{review_type}' is not a review type",
                          "use one of: " + ", ".join(REVIEW_TYPES))
    try:
        date = DateSpan.parse(published)
    except ValueError as exc:
        raise SourceError("(command line)", 1, 1, "--published", str(exc).split(" — ")[0],
                          "write YYYY-MM-DD") from None
    review_id = "-".join(part for part in [slugify(name) if name else "", slugify(area),
                                           TYPE_SHORT[review_type], str(date.year)] if part)
    path = folder / f"{review_id}.yaml"
    if path.exists():
        raise SourceError(str(path), 1, 1, "id", f"a review with the id '{review_id}' already exists",
                          "edit that file, or pass --name to tell the two apart")
    env = Environment(loader=FileSystemLoader(str(Path(__file__).parent / "templates")),
                      undefined=StrictUndefined, keep_trailing_newline=True)
    env.filters["q"] = _yaml_string
    text = env.get_template("new_review.yaml.j2").render(
        id=review_id, title=title, review_type=review_type, area=area, published=date.iso(),
        nation=nation, short_title=name)
    folder.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path

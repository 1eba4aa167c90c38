"""``python -m generator new``: a new review file that passes ``check`` as it is.

The file is made from a template (``templates/new_review.yaml.j2``) with the id worked
out by :func:`review_id` (names, areas, review types and year) unless the editor gives
one, and every field an editor should fill in present with a comment.
"""

from __future__ import annotations

import re
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from .dates import DateSpan
from .errors import SourceError
from .model import NATIONS, REVIEW_TYPES, SLUG_PATTERN
from .slugs import slugify

TYPE_SHORT = {
    "serious-case-review": "scr",
    "child-safeguarding-practice-review": "cspr",
    "national-child-safeguarding-practice-review": "national-review",
    "significant-case-review": "sicr",
    "learning-review": "learning-review",
    "child-practice-review-concise": "cpr",
    "child-practice-review-extended": "cpr",
    "single-unified-safeguarding-review": "susr",
    "case-management-review": "cmr",
    "domestic-homicide-review": "dhr",
    "safeguarding-adults-review": "sar",
    "thematic-review": "thematic-review",
    "public-inquiry": "inquiry",
    "other-review": "review",
}


def _yaml_string(value: str) -> str:
    """A double-quoted YAML scalar holding exactly ``value``."""
    escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t")
    return f'"{escaped}"'


def review_id(names: list[str], areas: list[str], review_types: list[str], year: int) -> str:
    """The id rule for a new review: the names of the people it is about, then its areas,
    then the short form of each review type, then the publication year, in lower case joined
    by hyphens; for example ``child-q-cwm-test-cpr-2022``. An editor can choose another
    with ``--id``."""
    shorts = list(dict.fromkeys(TYPE_SHORT[t] for t in review_types))
    return "-".join(part for part in [*map(slugify, names), *map(slugify, areas), *shorts, str(year)] if part)


def _file_text(**fields) -> str:
    """The new file, from ``templates/new_review.yaml.j2``."""
    env = Environment(
        loader=FileSystemLoader(str(Path(__file__).parent / "templates")),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
    )
    env.filters["q"] = _yaml_string
    return env.get_template("new_review.yaml.j2").render(**fields)


def new_review(
    folder: Path,
    *,
    title: str,
    review_types: list[str],
    areas: list[str],
    published: str,
    nation: str,
    names: list[str] | None = None,
    review_id_override: str | None = None,
) -> Path:
    """Write a new review file into ``folder``; refuse to overwrite one."""
    names = list(names or [])

    def fail(option: str, message: str, hint: str):
        return SourceError("(command line)", 1, 1, option, message, hint)

    for review_type in review_types:
        if review_type not in REVIEW_TYPES:
            raise fail("--type", f"'{review_type}' is not a review type", "use one of: " + ", ".join(REVIEW_TYPES))
    if nation not in NATIONS:
        raise fail("--nation", f"'{nation}' is not a nation", "use one of: " + ", ".join(NATIONS))
    try:
        date = DateSpan.parse(published)
    except ValueError as exc:
        raise fail("--published", str(exc).split(" — ")[0], "write YYYY-MM-DD") from None
    new_id = review_id_override or review_id(names, areas, list(dict.fromkeys(review_types)), date.year)
    if not re.fullmatch(SLUG_PATTERN, new_id):
        raise fail(
            "--id",
            f"'{new_id}' is not a valid id",
            "use lower-case letters, digits and single hyphens, for example 'child-q-cwm-test-cpr-2022'",
        )
    path = folder / f"{new_id}.yaml"
    if path.exists():
        raise SourceError(
            str(path),
            1,
            1,
            "id",
            f"a review with the id '{new_id}' already exists",
            "edit that file, or pass --name or --id to tell the two apart",
        )
    text = _file_text(
        id=new_id,
        title=title,
        review_types=list(dict.fromkeys(review_types)),
        areas=areas,
        published=date.iso(),
        nation=nation,
        names=names,
        short_title=" and ".join(names),
    )
    folder.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path

"""The checks within one review file that field types cannot express.

They read the file's plain data (:class:`generator.load.Loaded`), not the model, so
that they run on every part of a file that can be read, even when other parts of it
are invalid: a misspelt field does not hide an unknown theme or an uncited source.
Each rule is a small function returning the problems it finds; :func:`review_rules`
runs them all.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from .dates import DateSpan
from .errors import SourceError
from .load import Loaded, dotted
from .model import NEEDS_STANDARD_OF_PROOF, SLUG_PATTERN, today

LINK_CHECK_MAX_AGE = dt.timedelta(days=365)
SCHEMA_LINE = "# yaml-language-server: $schema="
# Names the generator gives its own pages next to reviews' and themes' pages: an id
# equal to one would take that page's address.
RESERVED_IDS = frozenset({"index", "page"})
# Fields holding a date that cannot be in the future (a due date can be).
PAST_DATES = frozenset({"published", "date", "incident_date", "date_of_birth", "links_checked", "commissioned"})
_SLUG = re.compile(SLUG_PATTERN)
_TODO = re.compile(r"\bTODO\b")


@dataclass(frozen=True)
class ThemeTerms:
    """The vocabulary as the rules need it: theme ids, and every term -> its theme id."""

    ids: frozenset[str] = frozenset()
    terms: dict[str, str] = field(default_factory=dict)

    def preferred(self, written: str) -> str | None:
        """The theme an editor meant by a term, a label or a phrase, if there is one."""
        folded = written.strip().casefold()
        for key in (folded, folded.replace("-", " "), folded.replace(" ", "-")):
            if key in self.terms:
                return self.terms[key]
        return None


def suggest(word: str, options) -> str:
    close = difflib.get_close_matches(word, list(options), n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else ""


def _list(data, key: str) -> list:
    value = data.get(key) if isinstance(data, dict) else None
    return value if isinstance(value, list) else []


def _dicts(data, key: str) -> Iterator[tuple[int, dict]]:
    return ((i, item) for i, item in enumerate(_list(data, key)) if isinstance(item, dict))


def span(value) -> DateSpan | None:
    """A date as typed, if it is one (a wrong one is the schema's to report)."""
    try:
        return DateSpan.parse(value) if isinstance(value, str) else None
    except ValueError:
        return None


def walk(data, path=()) -> Iterator[tuple[tuple, object]]:
    """Every (path, value) below ``data``, parents before children."""
    yield path, data
    if isinstance(data, dict):
        for key, value in data.items():
            yield from walk(value, path + (key,))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from walk(value, path + (i,))


def id_rules(loaded: Loaded, stem: str) -> list[SourceError]:
    review_id = loaded.data.get("id")
    if not isinstance(review_id, str):
        return []
    out = []
    if review_id != stem and _SLUG.match(review_id):  # a malformed id: the schema says so
        out.append(
            loaded.error(
                ("id",),
                f"the id '{review_id}' does not match the file name '{stem}.yaml'",
                f"rename the file to '{review_id}.yaml' or set id: {stem}",
            )
        )
    if review_id in RESERVED_IDS:
        out.append(
            loaded.error(
                ("id",),
                f"'{review_id}' is a name the site uses for its own pages",
                "choose another id, for example one naming the area and the year",
            )
        )
    for i, old in enumerate(_list(loaded.data, "redirect_from")):
        if old in RESERVED_IDS:
            out.append(
                loaded.error(
                    ("redirect_from", i),
                    f"'{old}' is a name the site uses for its own pages",
                    "remove it: no review ever had this address",
                )
            )
    return out


def date_rules(loaded: Loaded) -> list[SourceError]:
    out = []
    now = today()
    for path, value in walk(loaded.data):
        if path and path[-1] in PAST_DATES and (when := span(value)) and when.first_day > now:
            out.append(loaded.error(path, f"the date {when.iso()} is in the future", "check the year"))
    data = loaded.data
    published = span(data.get("published"))
    period = span(data.get("period_reviewed"))
    if published and period and period.first_day > published.last_day:
        out.append(
            loaded.error(
                ("period_reviewed",), "the period reviewed starts after the publication date", "check both dates"
            )
        )
    for i, subject in _dicts(data, "subjects"):
        out += _subject_dates(loaded, i, subject, published)
    previous = None
    for i, event in _dicts(data, "timeline"):
        when = span(event.get("date"))
        if when and previous and when.last_day < previous.first_day:
            out.append(
                loaded.error(
                    ("timeline", i, "date"),
                    f"{when.iso()} comes before the previous event's date {previous.iso()}",
                    "list timeline events earliest first",
                )
            )
        previous = when or previous
    report = data.get("report")
    checked = span(report.get("links_checked")) if isinstance(report, dict) else None
    if checked and now - checked.last_day > LINK_CHECK_MAX_AGE:
        out.append(
            loaded.error(
                ("report", "links_checked"),
                f"the links were last checked on {checked.iso()}, over a year ago",
                "open each link, then set links_checked to today's date",
                level="warning",
            )
        )
    return out


def _subject_dates(loaded: Loaded, i: int, subject: dict, published: DateSpan | None) -> list[SourceError]:
    out = []
    dates = {name: span(subject.get(name)) for name in ("incident_date", "date_of_birth")}
    for name, when in dates.items():
        if when and published and when.first_day > published.last_day:
            out.append(
                loaded.error(
                    ("subjects", i, name),
                    f"the {name.replace('_', ' ')} {when.iso()} is after the publication date {published.iso()}",
                    "check both dates",
                )
            )
    incident, born = dates["incident_date"], dates["date_of_birth"]
    if incident and born and incident.last_day < born.first_day:
        out.append(
            loaded.error(
                ("subjects", i, "incident_date"), "the incident date is before the date of birth", "check both dates"
            )
        )
    return out


def duplicate_id_rules(loaded: Loaded) -> list[SourceError]:
    """Every list of entries with ids (findings, recommendations, sources...) has each id once."""
    out = []
    for key in loaded.data:
        seen: dict[str, int] = {}
        for i, item in _dicts(loaded.data, key):
            item_id = item.get("id")
            if not isinstance(item_id, str):
                continue
            if item_id in seen:
                out.append(
                    loaded.error(
                        (key, i, "id"),
                        f"duplicate id '{item_id}' (also {key}[{seen[item_id]}])",
                        "give each entry its own id",
                    )
                )
            seen.setdefault(item_id, i)
    return out


def learning_point_id_rules(loaded: Loaded) -> list[SourceError]:
    """A learning point's id is not also a finding's or a recommendation's (they share the page's anchors)."""
    taken = {
        item.get("id"): kind
        for key, kind in (("findings", "finding"), ("recommendations", "recommendation"))
        for _, item in _dicts(loaded.data, key)
    }
    return [
        loaded.error(
            ("learning_points", i, "id"),
            f"the id '{point['id']}' is also the id of a {taken[point['id']]}",
            "give each learning point its own id, for example 'l1', 'l2'",
        )
        for i, point in _dicts(loaded.data, "learning_points")
        if isinstance(point.get("id"), str) and point["id"] in taken
    ]


def recommendation_group_rules(loaded: Loaded) -> list[SourceError]:
    """A recommendation's `group` names a group listed in `recommendation_groups`."""
    groups = [g.get("id") for _, g in _dicts(loaded.data, "recommendation_groups")]
    return [
        loaded.error(
            ("recommendations", i, "group"),
            f"no recommendation group has the id '{rec['group']}'",
            suggest(rec["group"], [g for g in groups if isinstance(g, str)])
            or "add the group under 'recommendation_groups', or use the id of a listed group",
        )
        for i, rec in _dicts(loaded.data, "recommendations")
        if isinstance(rec.get("group"), str) and rec["group"] not in groups
    ]


_A_KIND = {"family-court-fact-finding": "a family court fact-finding", "inquest": "an inquest"}


def standard_of_proof_rules(loaded: Loaded) -> list[SourceError]:
    """A family court finding or an inquest says its standard of proof."""
    return [
        SourceError(
            loaded.file,
            *loaded.where(("legal_outcomes", i)),
            dotted(("legal_outcomes", i, "standard_of_proof")),
            f"{_A_KIND[outcome['kind']]} needs its standard of proof",
            "add standard_of_proof: balance-of-probabilities, beyond-reasonable-doubt, or "
            "not-stated when the sources do not say",
        )
        for i, outcome in _dicts(loaded.data, "legal_outcomes")
        if outcome.get("kind") in NEEDS_STANDARD_OF_PROOF and outcome.get("standard_of_proof") is None
    ]


def theme_rules(loaded: Loaded, themes: ThemeTerms | None) -> list[SourceError]:
    """Every theme on an item is a theme of the vocabulary, listed once."""
    out = []
    for key in loaded.data:
        for i, item in _dicts(loaded.data, key):
            seen: dict[str, int] = {}
            for j, theme in enumerate(_list(item, "themes")):
                if not isinstance(theme, str):
                    continue
                where = (key, i, "themes", j)
                if theme in seen:
                    out.append(
                        loaded.error(
                            where,
                            f"the theme '{theme}' is listed twice (also themes[{seen[theme]}])",
                            "remove one of the two",
                        )
                    )
                seen.setdefault(theme, j)
                out += _unknown_theme(loaded, where, theme, themes)
    return out


def _unknown_theme(loaded: Loaded, where: tuple, theme: str, themes: ThemeTerms | None) -> list[SourceError]:
    if themes is None:  # no vocabulary to check against: only the form of an id
        if _SLUG.match(theme):
            return []
        return [
            loaded.error(
                where,
                f"'{theme}' is not a theme id",
                "use lower-case letters, digits and single hyphens, as in reviews/_themes.yaml",
            )
        ]
    if theme in themes.ids:
        return []
    preferred = themes.preferred(theme)
    if preferred:
        hint = f"'{theme}' is another term for the theme '{preferred}': use '{preferred}'"
    else:
        hint = (
            suggest(theme, themes.ids)
            or _phrase_hint(theme, themes)
            or "use a theme id from reviews/_themes.yaml, or add a theme there"
        )
    return [loaded.error(where, f"unknown theme '{theme}'", hint)]


def _phrase_hint(theme: str, themes: ThemeTerms) -> str:
    """For a theme written as words: the theme whose label or synonym is closest."""
    close = difflib.get_close_matches(theme.casefold(), list(themes.terms), n=1, cutoff=0.6)
    if not close:
        return ""
    return (
        f"'{theme}' looks like '{close[0]}', a term for the theme '{themes.terms[close[0]]}': use "
        f"'{themes.terms[close[0]]}'"
    )


def _ref_paths(data, path=()):
    """Paths of every source reference (``...sources[i]``) below the top level."""
    for where, value in walk(data, path):
        if len(where) >= 3 and where[-2] == "sources" and isinstance(where[-1], int) and isinstance(value, str):
            yield where, value


def citation_rules(loaded: Loaded) -> list[SourceError]:
    """Every cited source is listed, and every listed source is cited or says what it supports."""
    out = []
    listed = [(i, s) for i, s in _dicts(loaded.data, "sources") if isinstance(s.get("id"), str)]
    source_ids = [s["id"] for _, s in listed]
    refs = list(_ref_paths(loaded.data))
    cited = {ref for _, ref in refs}
    for i, source in listed:
        if source["id"] not in cited and not source.get("supports"):
            out.append(
                loaded.error(
                    ("sources", i, "id"),
                    f"the source '{source['id']}' is not cited by any field",
                    "cite it in the 'sources' of the items it supports, or list the fields it "
                    "supports under 'supports' (for example [summary, published])",
                )
            )
    if "sources" not in loaded.data or not isinstance(loaded.data["sources"], list):
        return out  # no list to check references against: the schema reports it
    for path, ref in refs:
        if ref not in source_ids:
            hint = suggest(ref, source_ids) or "add it under 'sources', or cite a listed source"
            out.append(loaded.error(path, f"cites the source '{ref}', which is not listed in 'sources'", hint))
    return out


def text_rules(loaded: Loaded, todo_level: str) -> list[SourceError]:
    """The schema line, and placeholders left in the text."""
    out = []
    if not loaded.text.startswith(SCHEMA_LINE):
        out.append(
            SourceError(
                loaded.file,
                1,
                1,
                "",
                "the first line is not the schema line",
                "add '# yaml-language-server: $schema=../docs/schema/review.schema.json' "
                "as line 1, so editors get autocomplete",
                "warning",
            )
        )
    for path, value in walk(loaded.data):
        if isinstance(value, str) and _TODO.search(value):
            out.append(
                loaded.error(
                    path,
                    "still holds a TODO placeholder",
                    "replace the TODO text with what the source says",
                    level=todo_level,
                )
            )
    return out


def review_rules(loaded: Loaded, stem: str, themes: ThemeTerms | None, todo_level: str = "error") -> list[SourceError]:
    """Every rule on one review file's data (a mapping)."""
    return [
        *id_rules(loaded, stem),
        *date_rules(loaded),
        *duplicate_id_rules(loaded),
        *learning_point_id_rules(loaded),
        *recommendation_group_rules(loaded),
        *standard_of_proof_rules(loaded),
        *theme_rules(loaded, themes),
        *citation_rules(loaded),
        *text_rules(loaded, todo_level),
    ]

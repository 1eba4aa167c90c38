"""Stage 2, validate: check loaded files against the model and against each other.

Every problem in every file is collected (not just the first) as a :class:`SourceError`
with the line it concerns. What passes comes out as typed model objects.
"""
from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import typing
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from .errors import CheckFailed, SourceError
from .load import Loaded, dotted, load_file
from .model import NEEDS_STANDARD_OF_PROOF, REPLACED_FIELDS, Review, Support, Vocabulary, today
from .workers import fork_map

VOCABULARY_FILE = "_themes.yaml"
SUPPORT_FILE = "_support.yaml"
LINK_CHECK_MAX_AGE = dt.timedelta(days=365)


@dataclass
class Checked:
    """The outcome of a check: valid objects, and every problem found."""

    reviews: list[Review] = field(default_factory=list)
    vocabulary: Vocabulary | None = None
    support: Support | None = None
    problems: list[SourceError] = field(default_factory=list)
    files: int = 0

    @property
    def errors(self) -> list[SourceError]:
        return [p for p in self.problems if p.level == "error"]

    @property
    def warnings(self) -> list[SourceError]:
        return [p for p in self.problems if p.level == "warning"]


def _suggest(word: str, options) -> str:
    close = difflib.get_close_matches(word, list(options), n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else ""


def _message(err: dict[str, Any]) -> tuple[str, str]:
    kind, ctx = err["type"], err.get("ctx") or {}
    if kind == "missing":
        return "required field is missing", "add it (see the editors' guide for an example)"
    if kind == "literal_error":
        return (f"'{err['input']}' is not one of the allowed values",
                f"use one of: {ctx.get('expected', '')}")
    if kind in ("string_type",):
        return "must be text", "write the text on the same line after the colon, or quote it"
    if kind in ("list_type",):
        return "must be a list", "write each entry on its own line, starting with '- '"
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return "must be a group of fields", "indent the fields under this key"
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return f"'{err['input']}' is not a whole number", "write digits only, for example 9"
    if kind in ("greater_than_equal", "less_than_equal"):
        return err["msg"].lower(), "check the number"
    if kind == "too_short":
        return "must not be empty", "add at least one entry"
    if kind == "value_error":
        text = str(ctx.get("error", err["msg"]))
        what, _, hint = text.partition(" — ")
        return what, hint
    return err["msg"], ""


def model_errors(loaded: Loaded, exc: ValidationError, model: type[BaseModel]) -> list[SourceError]:
    """Turn pydantic's errors into located :class:`SourceError` s."""
    problems = []
    errors = exc.errors(include_url=False)
    replaced = _replaced_fields(errors)
    for err in errors:
        path = tuple(err["loc"])
        if err["type"] == "extra_forbidden" and path[-1] in REPLACED_FIELDS:
            problems.append(loaded.error(path, f"`{path[-1]}` was replaced by `{REPLACED_FIELDS[path[-1]]}` "
                                         "in format 2", "see docs/editors.md", key=True))
            continue
        if err["type"] == "missing" and path in replaced:
            continue  # reported once, at the old field that it replaces
        if err["type"] == "extra_forbidden":
            parent_fields = _fields_at(model, path[:-1])
            hint = _suggest(str(path[-1]), parent_fields) or (
                "remove it, or check the editors' guide for the field names")
            problems.append(loaded.error(path, f"unknown field '{path[-1]}'", hint, key=True))
            continue
        message, hint = _message(err)
        if err["type"] == "missing":
            problems.append(SourceError(loaded.file, *loaded.where(path[:-1]),
                                        dotted(path), message, hint))
        else:
            problems.append(loaded.error(path, message, hint))
    return problems


def _replaced_fields(errors) -> set[tuple]:
    """Paths of new fields reported missing only because the file uses the old field of format 1."""
    return {tuple(err["loc"][:-1]) + (REPLACED_FIELDS[err["loc"][-1]],) for err in errors
            if err["type"] == "extra_forbidden" and err["loc"][-1] in REPLACED_FIELDS}


def _fields_at(model: type[BaseModel], path: tuple) -> list[str]:
    """Field names of the sub-model found at ``path`` inside ``model``."""
    current: Any = model
    for part in path:
        if isinstance(part, int):
            continue
        info = current.model_fields.get(part) if hasattr(current, "model_fields") else None
        if info is None:
            return []
        current = _inner_model(info.annotation)
        if current is None:
            return []
    return list(getattr(current, "model_fields", {}))


def _inner_model(annotation):
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _inner_model(arg)
        if found is not None:
            return found
    return None


def _parse(loaded: Loaded, model: type[BaseModel], problems: list[SourceError]):
    if not isinstance(loaded.data, dict):
        problems.append(SourceError(loaded.file, *loaded.where(()), "", "the top level must be a set of fields (a mapping)",
                                    "start the file with 'id: ...' and the other fields, each on its own line"))
        return None
    try:
        return model.model_validate(loaded.data)
    except ValidationError as exc:
        problems.extend(model_errors(loaded, exc, model))
        return None


def _review_rules(review: Review, loaded: Loaded, stem: str) -> list[SourceError]:
    """Checks within one review that the field types cannot express."""
    out: list[SourceError] = []
    err = loaded.error
    if review.id != stem:
        out.append(err(("id",), f"the id '{review.id}' does not match the file name '{stem}.yaml'",
                       f"rename the file to '{review.id}.yaml' or set id: {stem}"))
    now = today()

    def future(path, span):
        if span is not None and span.first_day > now:
            out.append(err(path, f"the date {span.iso()} is in the future", "check the year"))

    future(("published",), review.published)
    if review.period_reviewed and review.period_reviewed.first_day > review.published.last_day:
        out.append(err(("period_reviewed",), "the period reviewed starts after the publication date",
                       "check both dates"))
    for i, subject in enumerate(review.subjects):
        for name in ("incident_date", "date_of_birth"):
            span = getattr(subject, name)
            future(("subjects", i, name), span)
            if span and span.first_day > review.published.last_day:
                out.append(err(("subjects", i, name),
                               f"the {name.replace('_', ' ')} {span.iso()} is after the publication date "
                               f"{review.published.iso()}", "check both dates"))
        if subject.incident_date and subject.date_of_birth and \
                subject.incident_date.last_day < subject.date_of_birth.first_day:
            out.append(err(("subjects", i, "incident_date"), "the incident date is before the date of birth",
                           "check both dates"))
    previous = None
    for i, event in enumerate(review.timeline):
        future(("timeline", i, "date"), event.date)
        if previous and event.date.last_day < previous.first_day:
            out.append(err(("timeline", i, "date"),
                           f"{event.date.iso()} comes before the previous event's date {previous.iso()}",
                           "list timeline events earliest first"))
        previous = event.date
    for key in ("legal_outcomes", "responses"):
        for i, item in enumerate(getattr(review, key)):
            future((key, i, "date"), item.date)
    if review.report.links_checked:
        checked = review.report.links_checked
        future(("report", "links_checked"), checked)
        if now - checked.last_day > LINK_CHECK_MAX_AGE:
            out.append(err(("report", "links_checked"), f"the links were last checked on {checked.iso()}, "
                           "over a year ago", "open each link, then set links_checked to today's date",
                           level="warning"))

    for key in ("findings", "learning_points", "recommendation_groups", "recommendations", "sources"):
        seen: dict[str, int] = {}
        for i, item in enumerate(getattr(review, key)):
            if item.id in seen:
                out.append(err((key, i, "id"), f"duplicate id '{item.id}' (also {key}[{seen[item.id]}])",
                               "give each entry its own id"))
            seen.setdefault(item.id, i)
    first_line = loaded.text.split("\n", 1)[0] if loaded.text else ""
    if not first_line.startswith("# yaml-language-server: $schema="):
        out.append(SourceError(loaded.file, 1, 1, "", "the first line is not the schema line",
                               "add '# yaml-language-server: $schema=../docs/schema/review.schema.json' "
                               "as line 1, so editors get autocomplete", "warning"))
    if "TODO:" in (loaded.text or ""):
        line = loaded.text[: loaded.text.index("TODO:")].count("\n") + 1
        out.append(SourceError(loaded.file, line, 1, "", "the file still holds a TODO placeholder",
                               "replace every TODO text before publishing", "warning"))
    out.extend(_learning_point_id_rules(review, loaded))
    out.extend(_recommendation_group_rules(review, loaded))
    out.extend(_standard_of_proof_rules(review, loaded))
    source_ids = [s.id for s in review.sources]
    data = loaded.data
    refs = [(path, _get(data, path)) for path in _ref_paths(data)]
    cited = {ref for _, ref in refs}
    for i, source in enumerate(review.sources):
        if source.id not in cited and not source.supports:
            out.append(err(("sources", i, "id"), f"the source '{source.id}' is not cited by any field",
                           "cite it in the 'sources' of the items it supports, or list the fields it "
                           "supports under 'supports' (for example [summary, published])"))
    for i, component in enumerate(review.component_reviews):
        future(("component_reviews", i, "published"), component.published)
    for path, ref in refs:
        if ref not in source_ids:
            hint = _suggest(ref, source_ids) or "add it under 'sources', or cite a listed source"
            out.append(err(path, f"cites the source '{ref}', which is not listed in 'sources'", hint))
    return out


def _learning_point_id_rules(review: Review, loaded: Loaded) -> list[SourceError]:
    """A learning point's id is not also a finding's or a recommendation's (they share the page's anchors)."""
    taken = {f.id: "finding" for f in review.findings} | {r.id: "recommendation" for r in review.recommendations}
    return [loaded.error(("learning_points", i, "id"), f"the id '{point.id}' is also the id of a {taken[point.id]}",
                         "give each learning point its own id, for example 'l1', 'l2'")
            for i, point in enumerate(review.learning_points) if point.id in taken]


def _recommendation_group_rules(review: Review, loaded: Loaded) -> list[SourceError]:
    """A recommendation's `group` names a group listed in `recommendation_groups`."""
    groups = [g.id for g in review.recommendation_groups]
    return [loaded.error(("recommendations", i, "group"), f"no recommendation group has the id '{rec.group}'",
                         _suggest(rec.group, groups) or "add the group under 'recommendation_groups', "
                         "or use the id of a listed group")
            for i, rec in enumerate(review.recommendations) if rec.group is not None and rec.group not in groups]


_A_KIND = {"family-court-fact-finding": "a family court fact-finding", "inquest": "an inquest"}


def _standard_of_proof_rules(review: Review, loaded: Loaded) -> list[SourceError]:
    """A family court finding or an inquest says its standard of proof."""
    return [SourceError(loaded.file, *loaded.where(("legal_outcomes", i)), dotted(("legal_outcomes", i, "standard_of_proof")),
                        f"{_A_KIND[outcome.kind]} needs its standard of proof",
                        "add standard_of_proof: balance-of-probabilities, beyond-reasonable-doubt, or "
                        "not-stated when the sources do not say")
            for i, outcome in enumerate(review.legal_outcomes)
            if outcome.kind in NEEDS_STANDARD_OF_PROOF and outcome.standard_of_proof is None]


def _ref_paths(data, path=()):
    """Paths of every source reference (``...sources[i]``) below the top level."""
    if isinstance(data, dict):
        for key, value in data.items():
            if key == "sources" and path and isinstance(value, list):
                for i, item in enumerate(value):
                    if isinstance(item, str):
                        yield path + (key, i)
            else:
                yield from _ref_paths(value, path + (key,))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from _ref_paths(value, path + (i,))


def _get(data, path):
    for part in path:
        data = data[part]
    return data


def _theme_rules(vocab: Vocabulary, loaded: Loaded) -> list[SourceError]:
    out = []
    ids = Counter(t.id for t in vocab.themes)
    terms: dict[str, str] = {}
    for i, theme in enumerate(vocab.themes):
        if ids[theme.id] > 1:
            out.append(loaded.error(("themes", i, "id"), f"duplicate theme id '{theme.id}'", "give each theme its own id"))
        for j, rel in enumerate(theme.related):
            if rel not in ids:
                out.append(loaded.error(("themes", i, "related", j), f"unknown theme '{rel}'",
                                        _suggest(rel, ids) or "use the id of a theme in this file"))
        for key in ("label", "synonyms", "non_preferred"):
            values = [theme.label] if key == "label" else getattr(theme, key)
            for j, term in enumerate(values):
                norm = term.casefold()
                if terms.get(norm, theme.id) != theme.id:
                    where = ("themes", i, key) if key == "label" else ("themes", i, key, j)
                    out.append(loaded.error(where, f"the term '{term}' is also used by the theme '{terms[norm]}'",
                                            "a term may point to one theme only"))
                terms.setdefault(norm, theme.id)
    return out


def theme_resolver(vocab: Vocabulary) -> dict[str, str]:
    """Every label, synonym and non-preferred term (case-folded) -> the preferred theme id."""
    out = {}
    for theme in vocab.themes:
        for term in [theme.label, theme.id, *theme.synonyms, *theme.non_preferred]:
            out.setdefault(term.casefold(), theme.id)
            out.setdefault(term.casefold().replace(" ", "-"), theme.id)
    return out


def _cross_rules(reviews: list[tuple[Review, Path]], vocab: Vocabulary | None, locate) -> list[SourceError]:
    """Checks across files. ``locate(review, path)`` gives a review's loaded file, read only
    when a problem needs its line numbers."""
    out = []
    first_path: dict[str, tuple[Review, Path]] = {}
    redirects: dict[str, str] = {}
    theme_ids = {t.id for t in vocab.themes} if vocab else None
    terms = theme_resolver(vocab) if vocab else {}
    for review, path in reviews:
        if review.id in first_path:
            other = locate(*first_path[review.id]).file
            out.append(locate(review, path).error(("id",), f"the review id '{review.id}' is also used by {other}",
                                                  "give each review its own id and file name"))
        first_path.setdefault(review.id, (review, path))
    for review, path in reviews:
        def err(where, message, hint):
            out.append(locate(review, path).error(where, message, hint))

        for i, old in enumerate(review.redirect_from):
            if old in first_path:
                err(("redirect_from", i), f"'{old}' is the id of a review that exists",
                    "a redirect may only name an id that is no longer used")
            elif old in redirects:
                err(("redirect_from", i), f"'{old}' already redirects to '{redirects[old]}'",
                    "an old id can lead to one review only")
            redirects.setdefault(old, review.id)
        for i, other in enumerate(review.see_also):
            if other not in first_path:
                err(("see_also", i), f"no review has the id '{other}'",
                    _suggest(other, first_path) or "use the id (file name) of another review")
            elif other == review.id:
                err(("see_also", i), "a review cannot refer to itself", "remove this entry")
        if theme_ids is None:
            continue
        for key in ("findings", "learning_points", "recommendations"):
            for i, item in enumerate(getattr(review, key)):
                for j, theme in enumerate(item.themes):
                    if theme in theme_ids:
                        continue
                    preferred = terms.get(theme.casefold()) or terms.get(theme.replace("-", " ").casefold())
                    if preferred:
                        hint = f"'{theme}' is another term for the theme '{preferred}': use '{preferred}'"
                    else:
                        hint = _suggest(theme, theme_ids) or "use a theme id from reviews/_themes.yaml, or add a theme there"
                    err((key, i, "themes", j), f"unknown theme '{theme}'", hint)
    return out


def _display(path: Path, root: Path | None) -> str:
    try:
        return str(path.resolve().relative_to(root.resolve())) if root else str(path)
    except ValueError:
        return str(path)


def review_files(folder: Path) -> list[Path]:
    """The review files in a folder: every *.yaml not starting with an underscore."""
    return sorted(p for p in folder.glob("*.yaml") if not p.name.startswith("_"))


def check(paths: list[Path], *, root: Path | None = None, vocabulary: Path | None = None,
          support: Path | None = None, cache: dict | None = None) -> Checked:
    """Load and validate review files (and the vocabulary), collecting every problem.

    ``cache``, if given, maps a review file's digest to its already-validated model and
    problems; files whose bytes are unchanged skip loading and validation. The caller
    owns the mapping (see :mod:`generator.cache`); it is updated in place.
    """
    result = Checked()
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(review_files(path))
            if vocabulary is None and (path / VOCABULARY_FILE).exists():
                vocabulary = path / VOCABULARY_FILE
            if support is None and (path / SUPPORT_FILE).exists():
                support = path / SUPPORT_FILE
        elif path.name == VOCABULARY_FILE:
            vocabulary = path
        elif path.name == SUPPORT_FILE:
            support = path
        else:
            files.append(path)

    def parse(path: Path, model):
        result.files += 1
        try:
            loaded = load_file(path, _display(path, root))
        except CheckFailed as exc:
            result.problems.extend(exc.problems)
            return None, None
        return _parse(loaded, model, result.problems), loaded

    if vocabulary is not None:
        result.vocabulary, loaded = parse(vocabulary, Vocabulary)
        if result.vocabulary:
            result.problems.extend(_theme_rules(result.vocabulary, loaded))
    if support is not None:
        result.support, _ = parse(support, Support)
    valid: list[tuple[Review, Path]] = []
    located: dict[Path, Loaded] = {}
    keys = {path: file_key(path, _display(path, root)) for path in files} if cache is not None else {}
    todo = [path for path in files if keys.get(path) not in (cache or {})]

    def check_file(path: Path) -> tuple[Review | None, list[SourceError]]:
        problems: list[SourceError] = []
        try:
            loaded = load_file(path, _display(path, root))
        except CheckFailed as exc:
            return None, exc.problems
        review = _parse(loaded, Review, problems)
        if review is not None:
            problems.extend(_review_rules(review, loaded, path.stem))
        return review, problems

    fresh = dict(zip(todo, fork_map(check_file, todo, min_items=300)))
    for path in files:
        result.files += 1
        if path in fresh:
            review, problems = fresh[path]
            if cache is not None and review is not None and not any(p.level == "error" for p in problems):
                cache[keys[path]] = (review, problems)
        else:
            review, problems = cache[keys[path]]
        result.problems.extend(problems)
        if review is not None and not any(p.level == "error" for p in problems):
            valid.append((review, path))

    def locate(review: Review, path: Path) -> Loaded:
        """A review's loaded file, for line numbers: read again (once) only when a
        cross-file problem is found, as checked files are not kept in memory."""
        if path not in located:
            located[path] = load_file(path, _display(path, root))
        return located[path]

    result.problems.extend(_cross_rules(valid, result.vocabulary, locate))
    result.reviews = sorted((r for r, _ in valid), key=lambda r: r.id)
    result.problems.sort(key=lambda p: (p.file, p.line, p.column))
    return result


def file_key(path: Path, display: str) -> str:
    """What a cached check of a review file depends on: its bytes, its name, and today."""
    digest = hashlib.sha256(path.read_bytes())
    digest.update(f"\0{display}\0{today().isoformat()}".encode())
    return digest.hexdigest()

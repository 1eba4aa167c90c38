"""Stage 2, validate: check loaded files against the model and against each other.

Every problem in every file is collected (not just the first) as a :class:`SourceError`
with the line it concerns, in one run: the schema (:mod:`generator.model`), the rules
within a file (:mod:`generator.rules`, which read every part of a file that can be
read, even when other parts are invalid) and the rules across files. Problems are
listed in file and line order. What passes comes out as typed model objects.
"""

from __future__ import annotations

import hashlib
import typing
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from .errors import CheckFailed, SourceError
from .judgements import PAIRS_FILE, Pair, resolve
from .load import Loaded, dotted, load_file, not_regular, read_bytes
from .model import REPLACED_FIELDS, Judgements, Review, Support, Vocabulary, today
from .outputs import address
from .routes import facet_page
from .rules import LINK_CHECK_MAX_AGE, RESERVED_IDS, ThemeTerms, review_rules, suggest
from .slugs import slugify
from .workers import WorkerFailed, fork_map

VOCABULARY_FILE = "_themes.yaml"
SUPPORT_FILE = "_support.yaml"
SUFFIX = ".yaml"
TODO_LEVELS = ("error", "warning")  # a TODO placeholder: an error, or (in the preview) a warning


@dataclass
class Checked:
    """The outcome of a check: valid objects, and every problem found."""

    reviews: list[Review] = field(default_factory=list)
    vocabulary: Vocabulary | None = None
    support: Support | None = None
    pairs: list[Pair] = field(default_factory=list)  # editors' judged pairs (reviews/_pairs.yaml)
    problems: list[SourceError] = field(default_factory=list)
    files: int = 0

    @property
    def errors(self) -> list[SourceError]:
        return [p for p in self.problems if p.level == "error"]

    @property
    def warnings(self) -> list[SourceError]:
        return [p for p in self.problems if p.level == "warning"]


# Lists every item must fill in, with what to say when one is missing or empty.
_REQUIRED_LISTS = {
    "sources": (
        "cites no source",
        "list the id of at least one source it comes from, for example sources: [report]; every fact must be cited",
    ),
    "themes": ("has no theme", "add at least one theme id from reviews/_themes.yaml, for example themes: [neglect]"),
}


def _message(err: ErrorDetails) -> tuple[str, str]:
    kind, ctx, loc = err["type"], err.get("ctx") or {}, err["loc"]
    if kind in ("missing", "too_short") and len(loc) > 1 and loc[-1] in _REQUIRED_LISTS:
        return _REQUIRED_LISTS[loc[-1]]
    if kind == "missing":
        return "required field is missing", "add it (see the editors' guide for an example)"
    if kind == "literal_error":
        return (f"'{err['input']}' is not one of the allowed values", f"use one of: {ctx.get('expected', '')}")
    if kind in ("string_type",):
        return "must be text", "write the text on the same line after the colon, or quote it"
    if kind in ("list_type",):
        return "must be a list", "write each entry on its own line, starting with '- '"
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return "must be a group of fields", "indent the fields under this key"
    if kind in ("int_parsing", "int_type", "int_from_float", "int_parsing_size"):
        shown = str(err["input"])
        shown = shown if len(shown) <= 20 else shown[:20] + "…"
        return f"'{shown}' is not a whole number this field can hold", "write digits only, for example 9"
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        return err["msg"].lower(), "check the number in the source"
    if kind == "too_short":
        return "must not be empty", "add at least one entry"
    if kind == "value_error":
        text = str(ctx.get("error", err["msg"]))
        what, _, hint = text.partition(" — ")
        return what, hint or "see the editors' guide for what this field holds"
    return err["msg"], "see the editors' guide for what this field holds"


def model_errors(loaded: Loaded, exc: ValidationError, model: type[BaseModel]) -> list[SourceError]:
    """Turn pydantic's errors into located :class:`SourceError` s."""
    problems = []
    errors = exc.errors(include_url=False)
    replaced = _replaced_fields(errors)
    for err in errors:
        path = tuple(err["loc"])
        if any(path[:n] in loaded.flagged for n in range(len(path) + 1)):
            continue  # the loader has already said what is wrong there
        if err["type"] == "extra_forbidden" and path[-1] in REPLACED_FIELDS:
            problems.append(
                loaded.error(
                    path,
                    f"`{path[-1]}` was replaced by `{REPLACED_FIELDS[path[-1]]}` in format 2",
                    "see docs/editors.md",
                    key=True,
                )
            )
            continue
        if err["type"] == "missing" and path in replaced:
            continue  # reported once, at the old field that it replaces
        if err["type"] == "extra_forbidden":
            parent_fields = _fields_at(model, path[:-1])
            hint = suggest(str(path[-1]), parent_fields) or (
                "remove it, or check the editors' guide for the field names"
            )
            problems.append(loaded.error(path, f"unknown field '{path[-1]}'", hint, key=True))
            continue
        message, hint = _message(err)
        if err["type"] == "missing":
            problems.append(SourceError(loaded.file, *loaded.where(path[:-1]), dotted(path), message, hint))
        else:
            problems.append(loaded.error(path, message, hint))
    return problems


def _replaced_fields(errors) -> set[tuple]:
    """Paths of new fields reported missing only because the file uses the old field of format 1."""
    return {
        tuple(err["loc"][:-1]) + (REPLACED_FIELDS[err["loc"][-1]],)
        for err in errors
        if err["type"] == "extra_forbidden" and err["loc"][-1] in REPLACED_FIELDS
    }


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
        problems.append(
            SourceError(
                loaded.file,
                *loaded.where(()),
                "",
                "the top level must be a set of fields (a mapping)",
                "start the file with 'id: ...' and the other fields, each on its own line",
            )
        )
        return None
    try:
        return model.model_validate(loaded.data)
    except ValidationError as exc:
        problems.extend(model_errors(loaded, exc, model))
        return None


Placed = tuple[str, int, int]  # a value as typed, and its line and column


@dataclass(frozen=True)
class FileRefs:
    """What the rules across files need from one review file: the values it names
    other reviews and browse pages by, each with its place."""

    file: str
    id: Placed | None = None
    redirect_from: tuple[Placed, ...] = ()
    see_also: tuple[Placed, ...] = ()
    areas: tuple[Placed, ...] = ()

    @classmethod
    def of(cls, loaded: Loaded) -> FileRefs:
        data = loaded.data if isinstance(loaded.data, dict) else {}

        def placed(path) -> Placed | None:
            value: Any = data
            for part in path:
                if isinstance(value, dict):
                    value = value.get(part)
                elif isinstance(value, list) and isinstance(part, int) and part < len(value):
                    value = value[part]
                else:
                    value = None
            return (value, *loaded.where(path)) if isinstance(value, str) else None

        def each(key) -> tuple[Placed, ...]:
            found = data.get(key)
            values = found if isinstance(found, list) else []
            return tuple(p for i in range(len(values)) if (p := placed((key, i))) is not None)

        return cls(loaded.file, placed(("id",)), each("redirect_from"), each("see_also"), each("areas"))

    def error(self, where: Placed, field_path: str, message: str, hint: str) -> SourceError:
        return SourceError(self.file, where[1], where[2], field_path, message, hint)


class FileResult(NamedTuple):
    """The outcome of checking one review file: plain values, so that it crosses process
    boundaries and is kept in the cache as it is."""

    review: Review | None
    problems: tuple[SourceError, ...]
    refs: FileRefs


@dataclass(frozen=True)
class FileCheck:
    """How each review file is checked: the same for every file of a run."""

    root: Path | None = None
    themes: ThemeTerms | None = None
    todo_level: str = "error"

    def __call__(self, path: Path) -> FileResult:
        display = _display(path, self.root)
        try:
            return self._check(path, display)
        except Exception as exc:  # a bug must not stop the check of the other files
            return FileResult(
                None,
                (
                    SourceError(
                        display,
                        1,
                        1,
                        "",
                        f"the checker failed on this file ({type(exc).__name__}: {exc})",
                        "this is a fault in the generator: please report it with this file",
                    ),
                ),
                FileRefs(display),
            )

    def _check(self, path: Path, display: str) -> FileResult:
        problem = not_regular(path, display)
        if problem:
            return FileResult(None, (problem,), FileRefs(display))
        if path.suffix != SUFFIX:
            return FileResult(
                None,
                (
                    SourceError(
                        display,
                        1,
                        1,
                        "",
                        f"a review file's name must end in '{SUFFIX}'",
                        f"rename it to '{path.stem}{SUFFIX}'",
                    ),
                ),
                FileRefs(display),
            )
        try:
            loaded = load_file(path, display, strict=False)
        except CheckFailed as exc:
            return FileResult(None, tuple(exc.problems), FileRefs(display))
        problems = list(loaded.problems)
        review = _parse(loaded, Review, problems)
        if isinstance(loaded.data, dict):
            problems += review_rules(loaded, path.stem, self.themes, self.todo_level)
        if any(p.level == "error" for p in problems):
            review = None
        return FileResult(review, tuple(problems), FileRefs.of(loaded))


def _theme_rules(vocab: Vocabulary, loaded: Loaded) -> list[SourceError]:
    out = []
    ids = Counter(t.id for t in vocab.themes)
    terms: dict[str, str] = {}
    for i, theme in enumerate(vocab.themes):
        if ids[theme.id] > 1:
            out.append(
                loaded.error(("themes", i, "id"), f"duplicate theme id '{theme.id}'", "give each theme its own id")
            )
        if theme.id in RESERVED_IDS:
            out.append(
                loaded.error(
                    ("themes", i, "id"), f"'{theme.id}' is a name the site uses for its own pages", "choose another id"
                )
            )
        for j, rel in enumerate(theme.related):
            if rel not in ids:
                out.append(
                    loaded.error(
                        ("themes", i, "related", j),
                        f"unknown theme '{rel}'",
                        suggest(rel, ids) or "use the id of a theme in this file",
                    )
                )
        for key in ("label", "synonyms", "non_preferred"):
            values = [theme.label] if key == "label" else getattr(theme, key)
            for j, term in enumerate(values):
                norm = term.casefold()
                if terms.get(norm, theme.id) != theme.id:
                    where = ("themes", i, key) if key == "label" else ("themes", i, key, j)
                    out.append(
                        loaded.error(
                            where,
                            f"the term '{term}' is also used by the theme '{terms[norm]}'",
                            "a term may point to one theme only",
                        )
                    )
                terms.setdefault(norm, theme.id)
    return out


def _support_rules(support: Support, loaded: Loaded) -> list[SourceError]:
    """Every phone number on the site is checked against its organisation's own page, at
    least once a year."""
    out = []
    for i, service in enumerate(support.services):
        if service.phone is None:
            continue
        if service.checked is None:
            out.append(
                loaded.error(
                    ("services", i, "phone"),
                    f"the number for {service.name} cites no page",
                    "add 'checked' with the organisation's own page giving the number "
                    "('url') and the day you checked it there ('date')",
                    level="warning",
                )
            )
        elif today() - service.checked.date.first_day > LINK_CHECK_MAX_AGE:
            out.append(
                loaded.error(
                    ("services", i, "checked", "date"),
                    f"the number for {service.name} was last checked over a year ago",
                    "check it on the organisation's page and update 'date'",
                    level="warning",
                )
            )
    return out


def theme_resolver(vocab: Vocabulary) -> dict[str, str]:
    """Every label, synonym and non-preferred term (case-folded) -> the preferred theme id."""
    out: dict[str, str] = {}
    for theme in vocab.themes:
        for term in [theme.label, theme.id, *theme.synonyms, *theme.non_preferred]:
            out.setdefault(term.casefold(), theme.id)
            out.setdefault(term.casefold().replace(" ", "-"), theme.id)
    return out


def theme_terms(vocab: Vocabulary | None) -> ThemeTerms | None:
    if vocab is None:
        return None
    return ThemeTerms(frozenset(t.id for t in vocab.themes), theme_resolver(vocab))


def _id_rules(files: list[FileRefs]) -> tuple[list[SourceError], dict[str, FileRefs]]:
    """Each review id is used by one file. Returns the problems and the files by id."""
    out: list[SourceError] = []
    first: dict[str, FileRefs] = {}
    for refs in files:
        if refs.id is None:
            continue
        review_id = refs.id[0]
        if review_id in first:
            out.append(
                refs.error(
                    refs.id,
                    "id",
                    f"the review id '{review_id}' is also used by {first[review_id].file}",
                    "give each review its own id and file name",
                )
            )
        first.setdefault(review_id, refs)
    return out, first


def _reference_rules(files: list[FileRefs], by_id: dict[str, FileRefs]) -> list[SourceError]:
    """``see_also`` names reviews that exist; ``redirect_from`` names ids no longer used."""
    out: list[SourceError] = []
    redirects: dict[str, str | None] = {}
    for refs in files:
        own = refs.id[0] if refs.id else None
        for i, old in enumerate(refs.redirect_from):
            where = f"redirect_from[{i}]"
            if old[0] in by_id:
                out.append(
                    refs.error(
                        old,
                        where,
                        f"'{old[0]}' is the id of a review that exists",
                        "a redirect may only name an id that is no longer used",
                    )
                )
            elif old[0] in redirects:
                out.append(
                    refs.error(
                        old,
                        where,
                        f"'{old[0]}' already redirects to '{redirects[old[0]]}'",
                        "an old id can lead to one review only",
                    )
                )
            redirects.setdefault(old[0], own)
        for i, other in enumerate(refs.see_also):
            where = f"see_also[{i}]"
            if other[0] not in by_id:
                out.append(
                    refs.error(
                        other,
                        where,
                        f"no review has the id '{other[0]}'",
                        suggest(other[0], by_id) or "use the id (file name) of another review",
                    )
                )
            elif other[0] == own:
                out.append(refs.error(other, where, "a review cannot refer to itself", "remove this entry"))
    return out


def _area_rules(files: list[FileRefs]) -> list[SourceError]:
    """Each area has a browse page of its own: two names may not share its address."""
    out: list[SourceError] = []
    named: dict[str, tuple[str, str]] = {}
    for refs in files:
        for i, area in enumerate(refs.areas):
            slug = slugify(area[0])
            if slug in RESERVED_IDS or (slug == "x" and area[0].strip().casefold() != "x"):
                out.append(
                    refs.error(
                        area,
                        f"areas[{i}]",
                        f"the area '{area[0]}' gives no usable address ('{slug}')",
                        "write the area's name in letters",
                    )
                )
                continue
            first = named.setdefault(slug, (area[0], f"{refs.file}:{area[1]}"))
            if first[0] != area[0]:
                out.append(
                    refs.error(
                        area,
                        f"areas[{i}]",
                        f"the area '{area[0]}' has the same address as "
                        f"'{first[0]}' in {first[1]} ({address(facet_page('area', slug))})",
                        f"if it is the same place, write it exactly as '{first[0]}'",
                    )
                )
    return out


def cross_rules(files: list[FileRefs]) -> list[SourceError]:
    """The rules across review files."""
    out, by_id = _id_rules(files)
    return out + _reference_rules(files, by_id) + _area_rules(files)


def _display(path: Path, root: Path | None) -> str:
    try:
        return str(path.absolute().relative_to(root.absolute())) if root else str(path)
    except ValueError:
        return str(path)


def review_files(folder: Path) -> list[Path]:
    """The review files in a folder: every entry whose name ends in .yaml (or looks as if it
    should: .yml, .YAML), except those starting with an underscore or a dot. Whether each
    is a regular file is for the check to say."""
    try:
        entries = list(folder.iterdir())
    except OSError:
        return []
    return sorted(p for p in entries if p.suffix.lower() in (".yaml", ".yml") and not p.name.startswith(("_", ".")))


def _sort_paths(paths: list[Path], vocabulary: Path | None, support: Path | None, pairs: Path | None = None):
    """Review files, the vocabulary, the support file and the judged pairs among the paths given."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir() and not path.is_symlink():
            files.extend(review_files(path))
            if vocabulary is None and (path / VOCABULARY_FILE).exists():
                vocabulary = path / VOCABULARY_FILE
            if support is None and (path / SUPPORT_FILE).exists():
                support = path / SUPPORT_FILE
            if pairs is None and (path / PAIRS_FILE).exists():
                pairs = path / PAIRS_FILE
        elif path.name == VOCABULARY_FILE:
            vocabulary = path
        elif path.name == SUPPORT_FILE:
            support = path
        elif path.name == PAIRS_FILE:
            pairs = path
        else:
            files.append(path)
    return files, vocabulary, support, pairs


def _check_reviews(
    files: list[Path], checker: FileCheck, cache: dict[str, FileResult] | None, result: Checked
) -> list[FileResult]:
    """Every review file's result, from the cache where its bytes are unchanged, the
    others checked on every core. Valid files' results are added to the cache."""
    extra = f"{checker.themes and sorted(checker.themes.terms.items())}\0{checker.todo_level}"
    known: dict[str, FileResult] = {} if cache is None else cache
    keys = {path: file_key(path, _display(path, checker.root), extra) for path in files} if cache is not None else {}
    cached = {path: known[key] for path, key in keys.items() if key is not None and key in known}
    todo = [path for path in files if path not in cached]
    try:
        fresh = dict(zip(todo, fork_map(checker, todo, min_items=300)))
    except WorkerFailed as exc:
        result.problems.append(
            SourceError(
                _display(todo[0], checker.root),
                1,
                1,
                "",
                f"the check stopped: {exc}",
                "run the check again; if it stops again, report it with this message",
            )
        )
        return []
    for path, outcome in fresh.items():
        key = keys.get(path)
        if key is not None and outcome.review is not None:
            known[key] = outcome
    return [cached[path] if path in cached else fresh[path] for path in files]


def check(
    paths: list[Path],
    *,
    root: Path | None = None,
    vocabulary: Path | None = None,
    support: Path | None = None,
    cache: dict[str, FileResult] | None = None,
    todo_level: str = "error",
) -> Checked:
    """Load and validate review files (and the vocabulary), collecting every problem.

    ``cache``, if given, maps a review file's digest to its result; files whose bytes
    are unchanged skip loading and validation. The caller owns the mapping (see
    :mod:`generator.cache`); it is updated in place. ``todo_level`` is "warning" for the
    preview, where a TODO placeholder may stand for a while; "error" everywhere else.
    """
    if todo_level not in TODO_LEVELS:
        raise ValueError(f"todo_level must be one of {TODO_LEVELS}")
    result = Checked()
    files, vocabulary, support, pairs = _sort_paths(paths, vocabulary, support)

    def parse(path: Path, model):
        result.files += 1
        try:
            loaded = load_file(path, _display(path, root), strict=False)
        except CheckFailed as exc:
            result.problems.extend(exc.problems)
            return None, None
        result.problems.extend(loaded.problems)
        return _parse(loaded, model, result.problems), loaded

    if vocabulary is not None:
        result.vocabulary, loaded = parse(vocabulary, Vocabulary)
        if result.vocabulary:
            result.problems.extend(_theme_rules(result.vocabulary, loaded))
    if support is not None:
        result.support, loaded = parse(support, Support)
        if result.support:
            result.problems.extend(_support_rules(result.support, loaded))
    checker = FileCheck(root, theme_terms(result.vocabulary), todo_level)
    outcomes = _check_reviews(files, checker, cache, result)
    result.files += len(files)
    for outcome in outcomes:
        result.problems.extend(outcome.problems)
    result.problems.extend(cross_rules([o.refs for o in outcomes]))
    result.reviews = sorted((o.review for o in outcomes if o.review is not None), key=lambda r: r.id)
    if pairs is not None:
        judgements, loaded = parse(pairs, Judgements)
        if judgements is not None:
            result.pairs, found = resolve(judgements, loaded, result.reviews)
            result.problems.extend(found)
    result.problems.sort(key=lambda p: (p.file, p.line, p.column))
    return result


def file_key(path: Path, display: str, extra: str = "") -> str | None:
    """What a cached check of a review file depends on: its bytes, its name, today, and
    ``extra`` (the vocabulary and settings); None if it cannot be read (the check says why)."""
    try:
        digest = hashlib.sha256(read_bytes(path, display))
    except CheckFailed:
        return None
    digest.update(f"\0{display}\0{today().isoformat()}\0{extra}".encode())
    return digest.hexdigest()

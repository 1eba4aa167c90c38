"""The site's configuration: ``mkdocs.yml`` read by MkDocs' own loader.

MkDocs reads the file (:func:`mkdocs.config.load_config`), so ``!ENV`` tags, ``INHERIT``
and every check MkDocs makes apply exactly as in ``mkdocs build``. What the generator
takes from it is a :class:`SiteInfo`: the site's name and address, and the repository
and branch the "Edit this entry" links point at. ``site_url`` and ``extra.repository``
are required; a missing or bad value, or anything MkDocs refuses, is a
:class:`~generator.errors.SourceError` at its line of ``mkdocs.yml`` (line 1 when the
key is absent), never a traceback and never an empty configuration.

Loading it costs MkDocs about a second (it imports the theme and the Markdown
extensions), so the outcome is kept in ``.cache/config.json``, keyed by everything it
depends on: the bytes of every file MkDocs read (``mkdocs.yml`` and what it inherits),
the values of the environment variables those files name, and the generator's code. A run
whose configuration has not changed reads it from there in about a millisecond.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from .errors import CheckFailed, SourceError

DEFAULT_BRANCH = "main"
PUBLISHING = 'see README.md, "Publishing your own copy"'
_BRANCH = re.compile(r"[A-Za-z0-9._][A-Za-z0-9._/-]*")
_WORD = re.compile(rb"[A-Za-z_][A-Za-z0-9_]*")
_LOADED = re.compile(r"Loading (?:inherited )?configuration file: (.+)$")
_CONFIG_VALUE = re.compile(r"Config value '([^']+)': (.*)$", re.S)


@dataclass(frozen=True)
class SiteInfo:
    """What the generated pages need from the configuration."""

    name: str
    url: str  # site_url, ending in "/"
    repo_url: str  # extra.repository, without a trailing "/"
    edit_base: str  # where "Edit this entry" links start: {repo_url}/edit/{branch}/


def site_info(config_file: Path, cache_dir: Path) -> SiteInfo:
    """The configuration in ``config_file``; raises :class:`CheckFailed` with every
    problem found, each at its line of the file."""
    return _cached(config_file, cache_dir)[0]


def config_key(config_file: Path, cache_dir: Path) -> str:
    """A digest of everything the configuration depends on, which changes whenever what
    MkDocs reads from it may have changed (an inherited file, an ``!ENV`` variable)."""
    try:
        return _cached(config_file, cache_dir)[1]
    except CheckFailed:  # the run that needs the configuration reports its problems
        return "invalid " + _key([config_file])


def _cached(config_file: Path, cache_dir: Path) -> tuple[SiteInfo, str]:
    record_file = cache_dir / "config.json"
    try:
        record = json.loads(record_file.read_text(encoding="utf-8"))
        key = _key([Path(p) for p in record["files"]])
        if record["key"] == key and record["config"] == str(config_file.absolute()):
            return SiteInfo(**record["site"]), key
    except (OSError, ValueError, KeyError, TypeError):
        pass
    site, files = _load(config_file)
    key = _key(files)
    record = {"key": key, "config": str(config_file.absolute()), "files": [str(p) for p in files], "site": asdict(site)}
    try:
        from .files import atomic_write

        atomic_write(record_file, json.dumps(record).encode())
    except OSError:  # a read-only checkout: the next run loads the configuration again
        pass
    return site, key


def _key(files: list[Path]) -> str:
    """A digest of what a loaded configuration depends on (see the module's docstring)."""
    from .cache import code_version

    digest = hashlib.sha256(code_version(templates=False).encode())
    for path in files:
        try:
            data = path.read_bytes()
        except OSError:
            data = b"missing"
        digest.update(f"{path}\0{len(data)}\0".encode() + data)
        names = sorted({word.decode() for word in _WORD.findall(data)} & set(os.environ))
        digest.update(json.dumps({name: os.environ[name] for name in names}).encode())
    return digest.hexdigest()


class _Kept(logging.Handler):
    """Keeps MkDocs' log records while it loads the configuration."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@contextmanager
def _mkdocs_log() -> Iterator[_Kept]:
    """MkDocs' messages while it loads the configuration, kept from the terminal.

    ``load_config`` reports problems by logging them (and, with no handler set up, Python
    would print them itself); here they are collected and turned into located errors. It
    does not change the working folder. The ``mkdocs`` logger is put back as it was.
    """
    logger = logging.getLogger("mkdocs")
    kept = _Kept()
    saved = (logger.handlers[:], logger.level, logger.propagate)
    logger.handlers[:] = [kept]
    logger.setLevel(logging.DEBUG)  # the names of the files it reads come as debug messages
    logger.propagate = False
    try:
        yield kept
    finally:
        logger.handlers[:], logger.level, logger.propagate = saved[0], saved[1], saved[2]


def _load(config_file: Path) -> tuple[SiteInfo, list[Path]]:
    """Load with MkDocs; the site information and the files MkDocs read."""
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    where = _Where.of(config_file)
    with _mkdocs_log() as log:
        try:
            config = load_config(str(config_file))
        except MkDocsException as exc:
            problems = [where.at(*found) for found in _reported(log.records)]
            raise CheckFailed(problems or [where.refused(exc)]) from None
        except Exception as exc:  # a theme or an extension that fails to load: said, not a traceback
            raise CheckFailed([where.at("", f"MkDocs could not read it: {exc}")]) from None
    files = [Path(m.group(1)) for r in log.records if (m := _LOADED.search(r.getMessage()))]
    return _site(config.site_name, config.site_url, config.extra, where), files or [config_file]


def _reported(records: list[logging.LogRecord]) -> Iterator[tuple[str, str]]:
    """The keys and messages of the problems MkDocs logged."""
    for record in records:
        found = _CONFIG_VALUE.match(record.getMessage())
        if record.levelno >= logging.WARNING and found:
            yield found.group(1), found.group(2).strip()


def _site(name: str, url: str | None, extra: object, where: _Where) -> SiteInfo:
    """The site information, once its required values are checked."""
    extra = extra if isinstance(extra, Mapping) else {}
    problems = []
    scheme = urlsplit(url or "").scheme
    if not url or scheme not in ("http", "https"):
        problems.append(
            where.at(
                "site_url",
                f"the site's address is {'missing' if not url else repr(url) + ', not an http(s) address'}",
                f"set it to the address the site is published at, e.g. https://example.org/reviews/ ({PUBLISHING})",
            )
        )
    repo = extra.get("repository")
    parts = urlsplit(repo) if isinstance(repo, str) else None
    if not parts or parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        problems.append(
            where.at(
                "extra.repository",
                f"the repository's address is {'missing' if repo is None else repr(repo) + ', not a web address'}",
                "set it to the web address of the repository holding reviews/, e.g. "
                f"https://github.com/you/case-review-learning ({PUBLISHING})",
            )
        )
    branch = extra.get("repository_branch", DEFAULT_BRANCH)
    if not isinstance(branch, str) or not _BRANCH.fullmatch(branch) or ".." in branch:
        problems.append(
            where.at(
                "extra.repository_branch",
                f"{branch!r} is not a branch name",
                f"write the branch the edit links open, e.g. {DEFAULT_BRANCH} (or leave it out for {DEFAULT_BRANCH})",
            )
        )
    if problems:
        raise CheckFailed(problems)
    assert url is not None and isinstance(repo, str)  # checked above
    repo = repo.rstrip("/")
    return SiteInfo(
        name=str(name), url=url if url.endswith("/") else url + "/", repo_url=repo, edit_base=f"{repo}/edit/{branch}/"
    )


@dataclass(frozen=True)
class _Where:
    """Places in the configuration file, to locate its problems."""

    file: str
    lines: dict[str, int]

    @classmethod
    def of(cls, config_file: Path) -> _Where:
        try:
            node = yaml.compose(config_file.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
        except (OSError, UnicodeDecodeError, yaml.YAMLError):
            node = None
        lines: dict[str, int] = {}
        _key_lines(node, "", lines)
        return cls(config_file.name, lines)

    def at(self, key: str, message: str, hint: str = "") -> SourceError:
        return SourceError(self.file, self.lines.get(key, 1), 1, key, message, hint)

    def refused(self, exc: Exception) -> SourceError:
        """What MkDocs said when it could not read the file at all."""
        syntax = exc.__context__ if isinstance(exc.__context__, yaml.MarkedYAMLError) else None
        mark = syntax.problem_mark if syntax is not None else None
        if mark is not None and syntax is not None:
            message = f"not valid YAML: {syntax.problem}"
            return SourceError(self.file, mark.line + 1, mark.column + 1, "", message, "correct the YAML there")
        message = " ".join(str(exc).split()) or type(exc).__name__
        return SourceError(self.file, 1, 1, "", message, "correct the file (or restore it from the repository)")


def _key_lines(node: yaml.Node | None, prefix: str, lines: dict[str, int]) -> None:
    """The line of every key of the file's mappings, as dotted paths (``extra.repository``)."""
    if not isinstance(node, yaml.MappingNode):
        return
    for key, value in node.value:
        if isinstance(key, yaml.ScalarNode):
            path = f"{prefix}{key.value}"
            lines.setdefault(path, key.start_mark.line + 1)
            _key_lines(value, path + ".", lines)

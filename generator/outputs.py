"""One page per address: the paths the generator plans under ``docs/`` never share the
address MkDocs serves them at.

With MkDocs' directory URLs, ``x/y.md`` and ``x/y/index.md`` are both served at
``x/y/``, as is a plain ``x/y/index.html``; two such files would have one silently
replace the other. The check refuses names that take the generator's own pages
(:data:`generator.rules.RESERVED_IDS`) before this point; :func:`check_plan` is what
stops any clash that still gets here, before anything is written.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable

from .errors import CheckFailed, SourceError


def address(path: str) -> str:
    """The address (relative to the site) MkDocs serves a file of ``docs/`` at."""
    if path.endswith(".md"):
        stem = path[: -len(".md")]
        if posixpath.basename(stem) in ("index", "README"):
            stem = posixpath.dirname(stem)
        return f"{stem}/" if stem else ""
    if posixpath.basename(path) == "index.html":
        folder = posixpath.dirname(path)
        return f"{folder}/" if folder else ""
    return path


def check_plan(paths: Iterable[str]) -> None:
    """Raise :class:`CheckFailed` if two planned files have one address."""
    first: dict[str, str] = {}
    problems = []
    for path in paths:
        where = address(path)
        if where in first:
            problems.append(
                SourceError(
                    f"docs/{path}",
                    1,
                    1,
                    "",
                    f"two pages are planned for the address /{where} (also docs/{first[where]})",
                    "an id or a name takes the address of another page: rename one of them",
                )
            )
        first.setdefault(where, path)
    if problems:
        raise CheckFailed(problems)

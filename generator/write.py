"""Stage 6, write: put generated pages on disk, touching only what changed.

The generator owns a fixed set of paths under ``docs/`` (the folders and files that
:mod:`generator.routes` puts its pages in: :func:`is_owned`). A write
compares each page with what is on disk and writes only the ones whose bytes differ
(each atomically, through a temporary file and a rename), removes generated files
that are no longer produced, and never touches anything outside the owned paths.
It returns a :class:`Written` that can undo itself, so a later failing step (the
MkDocs build) leaves ``docs/`` as it was.
"""

from __future__ import annotations

import contextlib
import stat
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from . import routes
from .files import atomic_write, signature, stats


@dataclass
class Written:
    root: Path
    written: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: int = 0
    previous: dict[str, bytes | None] = field(default_factory=dict)
    paths: list[str] = field(default_factory=list)  # every page produced, changed or not

    def rollback(self) -> None:
        """Put every file this write changed back as it was."""
        for rel, content in self.previous.items():
            path = self.root / rel
            if content is None:
                path.unlink(missing_ok=True)
            else:
                atomic_write(path, content)
        _prune_empty_dirs(self.root)


def owned_files(root: Path) -> set[str]:
    """Generated files currently on disk, as paths relative to ``root``."""
    return set(owned_stats(root))


def owned_stats(root: Path) -> dict[str, list[int]]:
    """The :func:`~generator.files.signature` of every generated file on disk, by its path
    relative to ``root``: one walk of the generator's folders."""
    found = {}
    for name in routes.owned_files():
        with contextlib.suppress(FileNotFoundError):
            st = (root / name).stat()
            if stat.S_ISREG(st.st_mode):
                found[name] = signature(st)
    for folder in routes.owned_folders():
        found.update((folder + "/" + rel, value) for rel, value in stats(root / folder).items())
    return found


def is_owned(rel: str) -> bool:
    """Whether a path under docs/ is the generator's (everything below its folders, including
    redirect pages, and its single files)."""
    return rel in routes.owned_files() or rel.split("/", 1)[0] in routes.owned_folders()


def _prune_empty_dirs(root: Path) -> None:
    for folder in routes.owned_folders():
        base = root / folder
        if not base.is_dir():
            continue
        for path in sorted(base.rglob("*"), key=lambda p: len(p.parts), reverse=True):
            if path.is_dir() and not any(path.iterdir()):
                path.rmdir()


def write_pages(root: Path, pages: Mapping[str, str] | Iterable[tuple[str, str]]) -> Written:
    """Make the owned part of ``root`` hold exactly ``pages``, writing only what changed.

    ``pages`` maps paths (relative to ``root``) to text, or is an iterable of (path, text)
    pairs, which is written as it comes so that a large site is never held in memory
    whole. If anything goes wrong on the way, what was written is undone.
    """
    result = Written(root)
    existing = owned_files(root)
    produced: set[str] = set()
    try:
        for rel, text in pages.items() if isinstance(pages, Mapping) else pages:
            if not is_owned(rel) or ".." in rel.split("/"):
                raise ValueError(f"refusing to write outside the generated paths: {rel}")
            produced.add(rel)
            path = root / rel
            content = text.encode("utf-8")
            old = path.read_bytes() if rel in existing else None
            if old == content:
                result.unchanged += 1
                continue
            result.previous[rel] = old
            atomic_write(path, content)
            result.written.append(rel)
        for rel in sorted(existing - produced):
            path = root / rel
            result.previous[rel] = path.read_bytes()
            path.unlink()
            result.removed.append(rel)
    except BaseException:
        result.rollback()
        raise
    result.paths = sorted(produced)
    if result.removed:
        _prune_empty_dirs(root)
    return result

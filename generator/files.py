"""Writing files safely: a file is replaced whole or not at all."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO


def atomic_write(path: Path, content: bytes | Callable[[BinaryIO], object]) -> None:
    """Replace ``path`` whole, through a temporary file and a rename. ``content`` is bytes,
    or a function that writes to the open binary file (to stream large data)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=path.suffix)
    try:
        with os.fdopen(fd, "wb") as handle:
            if callable(content):
                content(handle)
            else:
                handle.write(content)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def walk(folder: Path, skip: Callable[[str], bool] = lambda rel: False) -> Iterator[tuple[str, os.DirEntry[str]]]:
    """Every regular file below ``folder``, as its path relative to ``folder`` and its
    entry, leaving out the paths ``skip`` names (and, for a folder, all below it). One
    ``scandir`` per folder: at thousands of files a third of the time of ``rglob``."""
    stack = [("", str(folder))]
    while stack:
        prefix, path = stack.pop()
        try:
            entries = list(os.scandir(path))
        except (FileNotFoundError, NotADirectoryError):
            continue
        for entry in entries:
            rel = prefix + entry.name
            if skip(rel):
                continue
            if entry.is_dir(follow_symlinks=False):
                stack.append((rel + "/", entry.path))
            elif entry.is_file():
                yield rel, entry


def signature(st: os.stat_result) -> list[int]:
    """What a file's stat says of whether it changed: its size and modification time (ns).
    The one form every record of files on disk uses, so that two records compare equal."""
    return [st.st_size, st.st_mtime_ns]


def stats(folder: Path, skip: Callable[[str], bool] = lambda rel: False) -> dict[str, list[int]]:
    """The :func:`signature` of every regular file below ``folder`` (see :func:`walk`)."""
    return {rel: signature(entry.stat()) for rel, entry in walk(folder, skip)}

"""The built ``site/`` folder: replaced whole, never missing, and known to be up to date.

A build goes into ``.site-new/``. Once it is complete it is renamed ``.site-ready/`` (a
complete site waiting to be swapped in), then exchanged with ``site/`` in one atomic
step where the system allows it (Linux ``renameat2``), otherwise by two renames. At any
moment the project holds a complete site: ``site/``, or, if a run was killed between the
two renames, ``.site-ready/`` or ``.site-old/``, which :func:`recover` puts back before
anything else is done. The last good site is never deleted before the new one is in place.

:func:`stamp` digests everything a build reads (the generated pages, the hand-written
pages, the overrides, the configuration, the tools' versions and the sitemap's date);
when it and the files in ``site/`` are as the last build left them, there is nothing
to build. When only pages changed, the build starts from a copy of ``site/`` and rebuilds
just those (see :mod:`generator.incremental`).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import hashlib
import json
import os
import shutil
from collections.abc import Callable
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from .config import config_key
from .files import atomic_write, stats, walk
from .write import is_owned

_RENAME_EXCHANGE = 2  # linux/fs.h


def _exchange(a: Path, b: Path) -> bool:
    """Swap two existing paths in one atomic step; False where the system cannot."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd = -100
    return renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), _RENAME_EXCHANGE) == 0


def _swap(project) -> None:
    """Put ``.site-ready/`` in the place of ``site/``; the old site is removed only after."""
    site, ready, old = project.site, project.site_ready, project.site_old
    if site.is_dir() and _exchange(ready, site):
        shutil.rmtree(ready)  # now the old site
        return
    if site.exists():
        shutil.rmtree(old, ignore_errors=True)  # safe: site/ is still there
        site.rename(old)
    ready.rename(site)
    shutil.rmtree(old, ignore_errors=True)


def recover(project) -> None:
    """Finish or undo a swap that a killed run left half done, then clear leftovers."""
    if project.site_ready.is_dir():
        _swap(project)  # a complete build that was not yet in place
    if not project.site.exists() and project.site_old.is_dir():
        project.site_old.rename(project.site)
    shutil.rmtree(project.site_new, ignore_errors=True)
    if project.site.exists():
        shutil.rmtree(project.site_old, ignore_errors=True)


def swap_in(project, fresh: Path) -> None:
    """Replace ``site/`` with the complete build in ``fresh``."""
    fresh.rename(project.site_ready)
    _swap(project)


def _versions() -> str:
    out = []
    for name in ("mkdocs", "mkdocs-material", "pagefind", "pagefind-bin"):
        try:
            out.append(f"{name}={version(name)}")
        except PackageNotFoundError:
            out.append(f"{name}=-")
    return " ".join(out)


def _files(folder: Path, skip: Callable[[str], bool] = lambda rel: False) -> list[tuple[str, Path]]:
    """Every regular file below ``folder`` (see :func:`generator.files.walk`), in name order."""
    return sorted((rel, Path(entry.path)) for rel, entry in walk(folder, skip))


def config_digest(project) -> str:
    """A digest of what every page's HTML depends on: the configuration, the overrides
    and the tools' versions."""
    digest = hashlib.sha256(_versions().encode() + b"\0")
    digest.update(config_key(project.config, project.cache).encode())  # with what !ENV and INHERIT bring
    for rel, path in [("mkdocs.yml", project.config)] + [
        ("overrides/" + rel, path) for rel, path in _files(project.root / "overrides")
    ]:
        digest.update(rel.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def stamp(project, generated_outputs: dict, env: dict) -> str:
    """A digest of every input of ``mkdocs build`` and the search index."""
    digest = hashlib.sha256(f"{config_digest(project)}\0{env.get('SOURCE_DATE_EPOCH', '')}\0".encode())
    digest.update(json.dumps(generated_outputs, sort_keys=True).encode())
    # The hand-written pages; the generated ones are in generated_outputs (and not walked:
    # at thousands of reviews that costs a large part of a run with nothing to do).
    for rel, path in _files(project.docs, skip=is_owned):
        digest.update(rel.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def record(project) -> dict:
    """What the last build left: its stamp, its configuration's digest, the pages in
    ``docs/`` it read, and whether ``site/`` is still as it left it (``intact``)."""
    try:
        found = json.loads(project.site_record.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    found["intact"] = project.site.is_dir() and found.pop("files", None) == stats(project.site)
    return found


def remember(project, digest: str, config: str, docs: list[str], epoch: str | None) -> None:
    atomic_write(
        project.site_record,
        json.dumps(
            {"stamp": digest, "config": config, "docs": docs, "epoch": epoch, "files": stats(project.site)}
        ).encode(),
    )


def forget(project) -> None:
    project.site_record.unlink(missing_ok=True)

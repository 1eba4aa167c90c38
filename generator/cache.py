"""What the generator remembers between runs, in the git-ignored ``.cache/`` folder.

* Validated reviews, keyed by each file's digest, so an unchanged file is not parsed
  and validated again (see :func:`generator.validate.check`).
* The similarity of findings and recommendations across reviews, keyed by what it was
  computed from (see :func:`generator.recurrence.recurrence`).
* The digest of every input of the last successful generation, with the size and
  modification time of every page it wrote: when nothing has changed and the pages on
  disk are intact, a run has nothing to do.

Everything is keyed by the generator's own code, so a change to it starts afresh.
Deleting ``.cache/`` is always safe.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import pickle
from functools import lru_cache
from pathlib import Path

from .errors import CheckFailed
from .files import atomic_write, signature
from .load import read_bytes

PACKAGE = Path(__file__).resolve().parent


@lru_cache(maxsize=2)
def code_version(templates: bool = True) -> str:
    """A digest of the generator's code and (unless ``templates`` is false) its templates.
    What templates cannot change (checking a file, comparing items, reading the
    configuration) is keyed without them, so that editing a template leaves those cached."""
    suffixes = (".py", ".j2") if templates else (".py",)
    digest = hashlib.sha256()
    for path in sorted(PACKAGE.rglob("*")):
        if path.is_file() and path.suffix in suffixes:
            digest.update(path.relative_to(PACKAGE).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def inputs_digest(files: list[Path], extra: str = "") -> str:
    """A digest of the given files' names and bytes, the code, today's date and ``extra``."""
    digest = hashlib.sha256(f"{code_version()}\0{dt.date.today().isoformat()}\0{extra}".encode())
    for path in sorted(files):
        digest.update(str(path).encode() + b"\0" + _content(path) + b"\0")
    return digest.hexdigest()


def _content(path: Path) -> bytes:
    """A file's bytes; for anything that is not a regular file of a readable size (a
    link, a pipe, a folder: the check reports it), what it is, never what it points to."""
    try:
        return read_bytes(path, str(path))
    except CheckFailed as exc:
        try:
            info = path.lstat()
            return f"{exc.problems[0].message}\0{info.st_mode}\0{info.st_size}\0{info.st_mtime_ns}".encode()
        except OSError:
            return b"missing"


class RunCache:
    def __init__(self, folder: Path):
        self.folder = folder
        self._state = folder / "generated.json"

    def load(self, name: str, key: str):
        """What :meth:`store` kept under ``name`` for ``key``, or None."""
        try:
            with (self.folder / f"{name}-{key}.pickle").open("rb") as handle:
                return pickle.load(handle)
        except Exception:  # a missing, old or damaged cache is simply rebuilt
            return None

    def store(self, name: str, key: str, value) -> None:
        """Keep ``value`` under ``name`` for ``key``, replacing what was kept for other keys."""
        path = self.folder / f"{name}-{key}.pickle"
        for stale in self.folder.glob(f"{name}-*.pickle"):
            if stale != path:
                stale.unlink(missing_ok=True)
        # Streamed into the file: no second copy in memory.
        atomic_write(path, lambda handle: pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL))

    def reviews(self) -> dict:
        """Validated reviews, by file digest (see :func:`generator.validate.check`)."""
        data = self.load("reviews", code_version(templates=False))
        return data if isinstance(data, dict) else {}

    def save_reviews(self, entries: dict) -> None:
        self.store("reviews", code_version(templates=False), entries)

    def state(self) -> dict | None:
        try:
            return json.loads(self._state.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None

    def save_state(self, state: dict) -> None:
        atomic_write(self._state, json.dumps(state).encode("utf-8"))


def file_stats(root: Path, paths) -> dict[str, list[int]]:
    """The :func:`~generator.files.signature` of each of ``paths`` below ``root``."""
    return {rel: signature((root / rel).stat()) for rel in paths}

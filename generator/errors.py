"""The one error type of the generator: a problem in a source file, with its place.

Every stage reports bad input as :class:`SourceError`. It carries the file, line and
column, the field path, what is wrong and what to do, so the command line can print
it in compiler style (``file:line:col: field: message — hint``) and never a traceback.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SourceError(Exception):
    """A problem found in an editor's file. ``level`` is "error" or "warning"."""

    file: str
    line: int
    column: int
    field: str
    message: str
    hint: str = ""
    level: str = "error"

    def __reduce__(self):
        # A plain value across process boundaries (workers, the cache): rebuilt from its
        # fields, not from Exception's empty ``args``.
        return (SourceError, (self.file, self.line, self.column, self.field, self.message, self.hint, self.level))

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}:{self.column}"
        field = f" {self.field}:" if self.field else ""
        hint = f" — {self.hint}" if self.hint else ""
        label = " warning:" if self.level == "warning" else ""
        return shown(f"{where}:{label}{field} {self.message}{hint}")

    def github_annotation(self) -> str:
        """The same problem in GitHub Actions' workflow-command format."""
        text = str(self).split(": ", 1)[-1].replace("%", "%25").replace("\n", "%0A")
        kind = "warning" if self.level == "warning" else "error"
        return f"::{kind} file={self.file},line={self.line},col={self.column}::{text}"


def shown(text: str) -> str:
    """``text`` with every invisible or control character written as ``\\uXXXX``, so a
    message quoting an editor's value cannot hide or reorder what a terminal shows."""
    return "".join(ch if ch.isprintable() else f"\\u{ord(ch):04x}" for ch in text)


class CheckFailed(Exception):
    """Raised by a stage that found errors; holds every problem, not just the first."""

    def __init__(self, problems: list[SourceError]):
        super().__init__(f"{len(problems)} problem(s)")
        self.problems = problems

"""Stage 1, load: read a YAML file into plain data, remembering where every value stood.

The file is parsed as a stream of YAML events (libyaml when available) and assembled
here, so that the loader, not YAML's implicit typing, decides what a value is:

* every scalar stays the exact text the editor typed (``no``, ``1e3``, ``2014-05-01``
  and ``12:30`` remain strings; the model decides which fields are numbers or dates);
  only an unquoted empty value, ``~`` or ``null`` becomes ``None``;
* duplicate keys are errors, never "last one wins";
* anchors, aliases and custom tags are refused, so no file can expand without bound;
* a BOM is accepted; other encodings than UTF-8, and files over ``MAX_BYTES``, are refused.
"""

from __future__ import annotations

import errno
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import CheckFailed, SourceError

MAX_BYTES = 512 * 1024
MAX_DEPTH = 20  # levels of nesting; a review file needs five or six
Path_ = tuple  # a path into the data: keys and list indexes

_CLoader = getattr(yaml, "CSafeLoader", None)  # libyaml, when PyYAML was built with it
_NULLS = {"", "~", "null", "Null", "NULL"}
_PLAIN_TAGS = {None, "!", "tag:yaml.org,2002:str", "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"}


@dataclass
class Loaded:
    """A file's data, and the 1-based (line, column) of every value and key in it."""

    file: str
    data: Any
    text: str = ""
    positions: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    key_positions: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    problems: list[SourceError] = field(default_factory=list)  # found while reading, the file read on
    flagged: set[Path_] = field(default_factory=set)  # where those problems are: nothing more to say there

    def where(self, path: Path_, key: bool = False) -> tuple[int, int]:
        """The place of ``path``, or of its nearest ancestor that exists."""
        path = tuple(path)
        table = self.key_positions if key else self.positions
        while path:
            if path in table:
                return table[path]
            if path in self.positions:
                return self.positions[path]
            path = path[:-1]
        return self.positions.get((), (1, 1))

    def error(
        self, path: Path_, message: str, hint: str = "", *, key: bool = False, level: str = "error"
    ) -> SourceError:
        line, col = self.where(path, key=key)
        return SourceError(self.file, line, col, dotted(path), message, hint, level)


def dotted(path: Path_) -> str:
    """``('findings', 2, 'themes')`` -> ``findings[2].themes``."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _mark(event) -> tuple[int, int]:
    return event.start_mark.line + 1, event.start_mark.column + 1


class _Builder:
    """Assembles parser events into plain data. Problems that leave the rest of the file
    readable (a duplicate key, an anchor, a tag) are collected and the file is read on;
    only what stops the parser (bad syntax, nesting deeper than ``MAX_DEPTH``) ends it."""

    def __init__(self, file: str, events):
        self.file = file
        self.events = events
        self.loaded = Loaded(file, None)

    def fail(self, pos, message, hint=""):
        raise CheckFailed([*self.loaded.problems, SourceError(self.file, pos[0], pos[1], "", message, hint)])

    def note(self, pos, message, hint, path=(), flag=None):
        """Record a problem and read on. ``flag`` is the path of a value now said to be
        wrong, so that the schema adds nothing about it."""
        self.loaded.problems.append(SourceError(self.file, pos[0], pos[1], dotted(path), message, hint))
        if flag is not None:
            self.loaded.flagged.add(flag)

    def next(self):
        return next(self.events)

    def node(self, event, path):
        pos = _mark(event)
        if len(path) >= MAX_DEPTH:
            self.fail(
                pos,
                f"the values are nested more than {MAX_DEPTH} levels deep",
                "a review file needs only a few levels: check the brackets and the indentation here",
            )
        self.loaded.positions[path] = pos
        if isinstance(event, yaml.AliasEvent):
            self.note(
                pos,
                f"alias '*{event.anchor}' is not allowed",
                "write the value out in full; anchors and aliases are not supported",
                flag=path,
            )
            return None
        if getattr(event, "anchor", None):
            self.note(
                pos,
                f"anchor '&{event.anchor}' is not allowed",
                "remove the anchor; anchors and aliases are not supported",
            )
        tag = getattr(event, "tag", None)
        if tag not in _PLAIN_TAGS:
            self.note(
                pos,
                f"the tag '{tag}' is not allowed",
                "remove it; values are read as plain text and the schema gives their type",
                flag=path,
            )
        if isinstance(event, yaml.ScalarEvent):
            plain = not event.style and tag is None  # libyaml gives "" for plain, PyYAML None
            if plain and event.value in _NULLS:
                return None
            return event.value
        if isinstance(event, yaml.SequenceStartEvent):
            items = []
            while not isinstance(ev := self.next(), yaml.SequenceEndEvent):
                items.append(self.node(ev, path + (len(items),)))
            return items
        if isinstance(event, yaml.MappingStartEvent):
            return self.mapping(path)
        self.fail(pos, "unexpected YAML content", "fix the YAML syntax here")  # pragma: no cover

    def mapping(self, path) -> dict[str, Any]:
        mapping: dict[str, Any] = {}
        while not isinstance(ev := self.next(), yaml.MappingEndEvent):
            kpos = _mark(ev)
            if not isinstance(ev, yaml.ScalarEvent) or ev.value in ("",) or ev.anchor:
                self.node(ev, path + ("?",))  # read past it
                self.node(self.next(), path + ("?",))
                self.note(kpos, "a key must be a plain name", "write the key as a word followed by a colon")
                continue
            key = ev.value
            if key in mapping:
                first = self.loaded.key_positions[path + (key,)][0]
                self.note(
                    kpos,
                    f"duplicate key '{key}' (first given on line {first})",
                    "keep one of the two; YAML would silently drop the first",
                    path + (key,),
                )
                self.node(self.next(), path + (f"{key} (line {kpos[0]})",))  # checked, not kept
                continue
            self.loaded.key_positions[path + (key,)] = kpos
            mapping[key] = self.node(self.next(), path + (key,))
        return mapping

    def document(self):
        ev = self.next()
        assert isinstance(ev, yaml.StreamStartEvent)
        ev = self.next()
        if isinstance(ev, yaml.StreamEndEvent):
            self.fail((1, 1), "the file is empty", "start from a file made by 'python -m generator new'")
        data = self.node(self.next(), ())
        self.next()  # DocumentEndEvent
        ev = self.next()
        if not isinstance(ev, yaml.StreamEndEvent):
            self.fail(
                _mark(ev),
                "the file holds more than one YAML document",
                "remove the '---' line and everything after it, or merge the documents",
            )
        self.loaded.data = data
        return self.loaded


def _decode(raw: bytes, file: str) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        col = exc.start - (before.rfind(b"\n") + 1) + 1
        raise CheckFailed(
            [
                SourceError(
                    file,
                    line,
                    col,
                    "",
                    f"the file is not UTF-8 (byte 0x{raw[exc.start]:02x})",
                    "save the file with UTF-8 encoding",
                )
            ]
        ) from None


# Characters the YAML reader refuses anywhere in a file: C0 controls but tab, line feed
# and carriage return; DEL; C1 controls (including NEL, which YAML would take for a line
# break); and the non-characters U+FFFE and U+FFFF.
_UNREADABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
_SHOWN_AT_MOST = 20


def _unreadable_characters(text: str, file: str) -> list[SourceError]:
    """Every character the parser would refuse, each at its real line and column."""
    out = []
    for match in _UNREADABLE.finditer(text):
        line = text.count("\n", 0, match.start()) + 1
        col = match.start() - (text.rfind("\n", 0, match.start()) + 1) + 1
        name = "a NUL character" if match.group() == "\x00" else f"the invisible character U+{ord(match.group()):04X}"
        out.append(
            SourceError(
                file,
                line,
                col,
                "",
                f"the file contains {name}",
                "delete it (it may have come from a copy and paste) and save the file as plain UTF-8 text",
            )
        )
        if len(out) == _SHOWN_AT_MOST:
            break
    return out


def _syntax_hint(problem: str, context: str, bad_line: str, col: int) -> tuple[str, str]:
    """What went wrong in words an editor knows, and how to fix it."""
    before = bad_line[: max(col - 1, 0)]
    value = before.split(": ", 1)[1] if ": " in before.lstrip("- ") else ""
    if "\t" in bad_line[:col] and ("cannot start any token" in problem or "tab" in problem):
        return "a tab character is used for indentation", "indent with spaces, never tabs"
    if "mapping values are not allowed" in problem and value.strip():
        return (
            "a colon followed by a space inside text",
            "put the whole text in quotes (\"...\"), or write '>-' after the field's colon and the "
            "text on the next lines, indented",
        )
    if "mapping values are not allowed" in problem or "expected key" in problem or "expected '-' indicator" in problem:
        if value.lstrip()[:1] in ("'", '"'):
            return ("text follows the closing quote", "put the whole text inside the quotes, or remove the quotes")
        return (
            "this line is not indented like the lines around it",
            "indent it with the same number of spaces as the other fields of its group",
        )
    if "could not find expected ':'" in problem:
        return (
            "a line here is neither a field ('name: value') nor the continuation of the text above",
            "add the missing colon, or indent the continued text further than its field",
        )
    if _unclosed_quote(problem, context):
        return ("the quote opened here is never closed", "end the text with the same quote mark it starts with")
    if "escape" in problem:
        return (
            problem,
            "write the character itself instead of the escape, or remove it; "
            "in double quotes, write a backslash as \\\\",
        )
    return problem, "fix the YAML syntax at this place"


def _unclosed_quote(problem: str, context: str) -> bool:
    return "quoted scalar" in context and "end of stream" in problem


def _syntax_error(exc: yaml.MarkedYAMLError, text: str, file: str) -> SourceError:
    context = exc.context or ""
    problem = exc.problem or "invalid YAML"
    mark = exc.context_mark if _unclosed_quote(problem, context) else (exc.problem_mark or exc.context_mark)
    line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    lines = text.splitlines()
    bad_line = lines[line - 1] if 0 < line <= len(lines) else ""
    problem, hint = _syntax_hint(problem, context, bad_line, col)
    return SourceError(file, line, col, "", f"YAML syntax error: {problem}", hint)


def load_text(text: str, file: str, *, strict: bool = True) -> Loaded:
    """Parse YAML text into a :class:`Loaded`; raise :class:`CheckFailed` on bad YAML.

    With ``strict=False``, problems that leave the file readable (a duplicate key, an
    anchor) are in ``Loaded.problems`` instead, so the rest can be checked as well."""
    unreadable = _unreadable_characters(text, file)
    if unreadable:
        raise CheckFailed(unreadable)
    events = yaml.parse(text, Loader=_CLoader or yaml.SafeLoader)
    builder = _Builder(file, iter(events))
    builder.loaded.text = text
    try:
        loaded = builder.document()
    except yaml.MarkedYAMLError as exc:
        raise CheckFailed([*builder.loaded.problems, _syntax_error(exc, text, file)]) from None
    except yaml.YAMLError as exc:
        raise CheckFailed(
            [*builder.loaded.problems, SourceError(file, 1, 1, "", f"YAML error: {exc}", "fix the YAML syntax")]
        ) from None
    if strict and loaded.problems:
        raise CheckFailed(loaded.problems)
    return loaded


def _kind(mode: int) -> str:
    if stat.S_ISLNK(mode):
        return "a symbolic link"
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a regular file"


def not_regular(path: Path, file: str) -> SourceError | None:
    """Why ``path`` (not followed if it is a link) is not a regular file, or None."""
    try:
        mode = path.lstat().st_mode
    except OSError as exc:
        return SourceError(
            file, 1, 1, "", f"cannot read the file: {exc.strerror}", "check that the file exists and is readable"
        )
    if stat.S_ISREG(mode):
        return None
    return SourceError(
        file,
        1,
        1,
        "",
        f"is {_kind(mode)}, not a file",
        "only regular files are read: put the review file itself here, not a link or anything else",
    )


def read_bytes(path: Path, file: str, limit: int = MAX_BYTES) -> bytes:
    """The bytes of a regular file, never following a link, never blocking on a pipe or
    a device, and never reading more than ``limit`` bytes; else :class:`CheckFailed`."""
    problem = not_regular(path, file)
    if problem:
        raise CheckFailed([problem])
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        what = "is a symbolic link, not a file" if exc.errno == errno.ELOOP else f"cannot read the file: {exc.strerror}"
        raise CheckFailed(
            [
                SourceError(
                    file, 1, 1, "", what, "check that the file exists and is readable (only regular files are read)"
                )
            ]
        ) from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):  # replaced since it was looked at
            raise CheckFailed(
                [SourceError(file, 1, 1, "", f"is {_kind(info.st_mode)}, not a file", "only regular files are read")]
            )
        if info.st_size > limit:
            raise _too_large(file, info.st_size, limit)
        chunks, size = [], 0
        while size <= limit and (chunk := os.read(fd, min(1 << 16, limit + 1 - size))):
            chunks.append(chunk)
            size += len(chunk)
    except OSError as exc:
        raise CheckFailed(
            [SourceError(file, 1, 1, "", f"cannot read the file: {exc.strerror}", "check that the file is readable")]
        ) from None
    finally:
        os.close(fd)
    if size > limit:
        raise _too_large(file, size, limit)
    return b"".join(chunks)


def _too_large(file: str, size: int, limit: int) -> CheckFailed:
    return CheckFailed(
        [
            SourceError(
                file,
                1,
                1,
                "",
                f"the file is {size // 1024} KiB, over the {limit // 1024} KiB limit",
                "a review file holds a summary, not the report; shorten long texts",
            )
        ]
    )


def load_file(path: Path, display: str | None = None, *, strict: bool = True) -> Loaded:
    """Read and parse one YAML file. ``display`` is the name used in messages."""
    file = display or str(path)
    return load_text(_decode(read_bytes(path, file), file), file, strict=strict)

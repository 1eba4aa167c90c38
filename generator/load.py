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

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import CheckFailed, SourceError

MAX_BYTES = 512 * 1024
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

    def error(self, path: Path_, message: str, hint: str = "", *, key: bool = False,
              level: str = "error") -> SourceError:
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
    def __init__(self, file: str, events):
        self.file = file
        self.events = events
        self.loaded = Loaded(file, None)

    def fail(self, pos, message, hint=""):
        raise CheckFailed([SourceError(self.file, pos[0], pos[1], "", message, hint)])

    def next(self):
        return next(self.events)

    def node(self, event, path):
        pos = _mark(event)
        if isinstance(event, yaml.AliasEvent):
            self.fail(pos, f"alias '*{event.anchor}' is not allowed",
                      "write the value out in full; anchors and aliases are not supported")
        if getattr(event, "anchor", None):
            self.fail(pos, f"anchor '&{event.anchor}' is not allowed",
                      "remove the anchor; anchors and aliases are not supported")
        tag = getattr(event, "tag", None)
        if tag not in _PLAIN_TAGS:
            self.fail(pos, f"the tag '{tag}' is not allowed",
                      "remove it; values are read as plain text and the schema gives their type")
        self.loaded.positions[path] = pos
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
            mapping: dict[str, Any] = {}
            while not isinstance(ev := self.next(), yaml.MappingEndEvent):
                kpos = _mark(ev)
                if not isinstance(ev, yaml.ScalarEvent) or ev.value in ("",) or ev.anchor:
                    self.fail(kpos, "a key must be a plain name", "write the key as a word followed by a colon")
                key = ev.value
                if key in mapping:
                    first = self.loaded.key_positions[path + (key,)][0]
                    raise CheckFailed([SourceError(
                        self.file, kpos[0], kpos[1], dotted(path + (key,)),
                        f"duplicate key '{key}' (first given on line {first})",
                        "keep one of the two; YAML would silently drop the first")])
                self.loaded.key_positions[path + (key,)] = kpos
                mapping[key] = self.node(self.next(), path + (key,))
            return mapping
        self.fail(pos, "unexpected YAML content")  # pragma: no cover - parser guarantees shape

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
            self.fail(_mark(ev), "the file holds more than one YAML document",
                      "remove the '---' line and everything after it, or merge the documents")
        self.loaded.data = data
        return self.loaded


def _decode(raw: bytes, file: str) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        col = exc.start - (before.rfind(b"\n") + 1) + 1
        raise CheckFailed([SourceError(
            file, line, col, "", f"the file is not UTF-8 (byte 0x{raw[exc.start]:02x})",
            "save the file with UTF-8 encoding")]) from None


def load_text(text: str, file: str) -> Loaded:
    """Parse YAML text into a :class:`Loaded`; raise :class:`CheckFailed` on bad YAML."""
    if "\x00" in text:
        raise CheckFailed([SourceError(file, 1, 1, "", "the file contains a NUL character",
                                       "save it as plain UTF-8 text")])
    events = yaml.parse(text, Loader=_CLoader or yaml.SafeLoader)
    builder = _Builder(file, iter(events))
    builder.loaded.text = text
    try:
        return builder.document()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = exc.problem or "invalid YAML"
        hint = "fix the YAML syntax at this place"
        lines = text.splitlines()
        bad_line = lines[line - 1] if 0 < line <= len(lines) else ""
        if "\t" in bad_line or "'\\t'" in problem:
            problem, hint = "a tab character is used for indentation", "indent with spaces, never tabs"
        raise CheckFailed([SourceError(file, line, col, "", f"YAML syntax error: {problem}", hint)]) from None
    except yaml.YAMLError as exc:
        raise CheckFailed([SourceError(file, 1, 1, "", f"YAML error: {exc}",
                                       "fix the YAML syntax")]) from None


def load_file(path: Path, display: str | None = None) -> Loaded:
    """Read and parse one YAML file. ``display`` is the name used in messages."""
    file = display or str(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise CheckFailed([SourceError(file, 1, 1, "", f"cannot read the file: {exc.strerror}",
                                       "check that the file exists and is readable")]) from None
    if len(raw) > MAX_BYTES:
        raise CheckFailed([SourceError(
            file, 1, 1, "", f"the file is {len(raw) // 1024} KiB, over the {MAX_BYTES // 1024} KiB limit",
            "a review file holds a summary, not the report; shorten long texts")])
    return load_text(_decode(raw, file), file)

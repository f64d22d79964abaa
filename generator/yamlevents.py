"""PyYAML's parser events → plain data and the position of every key and value.

Nothing here recurses: open sequences and mappings sit on an explicit stack, so no input can
overflow the interpreter's stack, and every limit is checked on the event that crosses it.
An alias is expanded by sharing the anchored value and copying its positions, after its
whole size has been counted, so an alias bomb is refused before it is expanded.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import NoReturn

import yaml
from yaml.events import (
    AliasEvent,
    DocumentStartEvent,
    Event,
    MappingStartEvent,
    ScalarEvent,
    SequenceStartEvent,
    StreamEndEvent,
)

from generator.errors import Location, PlaybookError, Problem

MAX_VALUES = 200_000
MAX_DEPTH = 40

PathKey = tuple[str | int, ...]
# (line, column), counted from 1. Plain tuples, because every value of every file gets one and
# most are never asked for; a Location is made only for a position that is reported.
Position = tuple[int, int]
Built = tuple[object, dict[PathKey, Position], dict[PathKey, Position]]

_TAG = "tag:yaml.org,2002:"
_STR, _SEQ, _MAP = f"{_TAG}str", f"{_TAG}seq", f"{_TAG}map"
_NOUNS = {"int": "a whole number", "float": "a number", "bool": "true or false", "null": "empty"}
_SCALAR_TAGS = {f"{_TAG}{name}" for name in ("str", *_NOUNS)}
# Plain scalars resolve as in yaml.SafeLoader, except that a date stays text (the models check
# dates, with better messages) and `=`, `!` or `<<` as a value are text too; `<<` as a key merges.
_RESOLVERS = {first: tuple((tag, regexp) for tag, regexp in resolvers if tag in _SCALAR_TAGS)
              for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()}

# What an open frame is, and where the next event goes.
_SEQUENCE, _MAPPING, _VOID, _MERGES = "sequence", "mapping", "void", "merges"
_VALUE, _KEY, _IGNORE, _SOURCE = "value", "key", "ignore", "source"
# A mapping's `key` between a key and its value: the key's text, or one of these, which no text
# can be: skip the value (its key was refused), or read it as the sources of a `<<` merge.
_SKIP, _MERGE = object(), object()

_KEY_NOT_TEXT = "a key must be plain text, not a list or mapping; write one name and a colon, such as `title:`"


@dataclass(frozen=True, slots=True)
class _Anchor:
    """What `&name` marked: its value, size, and where its positions are in the log."""

    value: object
    text: str | None = None  # a scalar's text, so that `*name` can also be a key
    count: int = 1
    position: Position | None = None  # a scalar's own position
    start: int = 0  # a collection's positions are log[start:end], under a path of length `root`
    end: int = 0
    root: int = 0


class _Frame:
    """An open sequence or mapping; or a `<<` list; or content read only to be skipped (void)."""

    __slots__ = ("kind", "path", "value", "key", "anchor", "count", "log", "merges", "merge_line", "is_key")

    def __init__(self, kind: str, path: PathKey, value: dict | list | None, anchor: str | None = None):
        self.kind = kind
        self.path = path
        self.value = value
        self.key: str | object | None = None
        self.anchor = anchor
        self.count = 0
        self.log = -1
        self.merges: list[_Anchor] | None = None
        self.merge_line = 0
        self.is_key = False


def _position(event: Event) -> Position:
    mark = event.start_mark
    assert mark is not None  # the parser marks every event; only hand-made ones lack it
    return mark.line + 1, mark.column + 1


class EventBuilder:
    """Reads one document's events from a PyYAML loader into data, positions and problems."""

    def __init__(self, shown: str, loader: yaml.SafeLoader):
        self.shown = shown
        self.loader = loader
        self.values: dict[PathKey, Position] = {}
        self.keys: dict[PathKey, Position] = {}
        self.anchors: dict[str, _Anchor] = {}
        # While an anchored collection is open, every position is also logged, so `*name` can copy them.
        self.log: list[tuple[PathKey, Position, bool]] = []
        self.anchoring = 0
        self.count = 0
        self.problems: list[Problem] = []
        self.stack: list[_Frame] = []
        self.root: object = None

    def build(self) -> Built | None:
        """The document's data and positions; None for an empty file; PlaybookError for problems."""
        get_event = self.loader.get_event
        get_event()  # the stream's start
        if isinstance(get_event(), StreamEndEvent):
            return None
        self.read_root(get_event)
        get_event()  # the document's end
        event = get_event()
        if isinstance(event, DocumentStartEvent):
            # libyaml's Mark, which the stubs keep apart from PyYAML's, prints the same in the error.
            raise yaml.composer.ComposerError(context="expected a single document in the stream",
                                              problem="but found another document",
                                              problem_mark=event.start_mark)  # type: ignore[arg-type]
        if self.problems:
            raise PlaybookError(self.problems)
        return self.root, self.values, self.keys

    def read_root(self, get_event: Callable[[], Event]) -> None:
        stack = self.stack
        while True:
            event = get_event()
            if isinstance(event, ScalarEvent):
                self.scalar(event)
            elif isinstance(event, (MappingStartEvent, SequenceStartEvent)):
                self.start(event, isinstance(event, MappingStartEvent))
            elif isinstance(event, AliasEvent):
                self.alias(event)
            else:
                self.end()
            if not stack:
                return

    def slot(self) -> tuple[str, PathKey]:
        """Where the next value goes: its role, and its path when it is kept."""
        if not self.stack:
            return _VALUE, ()
        top = self.stack[-1]
        if top.kind is _SEQUENCE:
            return _VALUE, top.path + (len(top.value),)  # type: ignore[arg-type]
        if top.kind is _MAPPING:
            key = top.key
            if isinstance(key, str):
                return _VALUE, top.path + (key,)
            if key is None:
                return _KEY, top.path
            return (_IGNORE, ()) if key is _SKIP else (_SOURCE, ())
        return (_IGNORE, ()) if top.kind is _VOID else (_SOURCE, ())

    def put(self, value: object) -> None:
        """Hand a finished value to the open collection; a mapping then waits for its next key."""
        if not self.stack:
            self.root = value
            return
        top = self.stack[-1]
        if top.kind is _SEQUENCE:
            top.value.append(value)  # type: ignore[union-attr]
        elif top.kind is _MAPPING:
            if isinstance(top.key, str):  # not _SKIP or _MERGE
                top.value[top.key] = value  # type: ignore[index,call-overload]
            top.key = None

    def scalar(self, event: ScalarEvent) -> None:
        self.tally(1)
        mode, path = self.slot()
        position = _position(event)
        text = event.value
        value: object = None
        if mode is _KEY:
            self.key(text, position, merge=text == "<<" and event.tag is None and event.implicit[0])
            value = text
        elif mode is _VALUE:
            value = self.scalar_value(event, position)
            self.note(path, position)
            self.put(value)
        else:
            if mode is _SOURCE:
                self.problems.append(self.merge_problem(position, f"`{text}`"))
            self.put(None)
        if event.anchor is not None:
            self.anchors[event.anchor] = _Anchor(value, text, position=position)

    def scalar_value(self, event: ScalarEvent, position: Position) -> object:
        tag, text = event.tag, event.value
        if tag is None or tag == "!":
            if not event.implicit[0]:  # quoted, or a `|` block
                return text
            tag = next((tag for tag, regexp in _RESOLVERS.get(text[:1], ()) if regexp.match(text)), _STR)
        if tag == _STR:
            return text
        if tag not in _SCALAR_TAGS:
            self.problems.append(self.tag_problem(tag, position))
            return None
        try:
            return self.loader.yaml_constructors[tag](self.loader, yaml.ScalarNode(tag, text))
        except (yaml.constructor.ConstructorError, ValueError, KeyError):
            name = tag.removeprefix(_TAG)
            self.problems.append(Problem(Location(self.shown, *position), f"`{text}` is not {_NOUNS[name]}, as its "
                                         f"tag `!!{name}` says; remove the tag or correct the value"))
            return None

    def key(self, text: str, position: Position, *, merge: bool = False) -> None:
        top = self.stack[-1]
        if merge:
            if top.merges is not None:
                self.problems.append(self.duplicate_problem("<<", position, top.merge_line))
                top.key = _SKIP
            else:
                top.merges, top.merge_line, top.key = [], position[0], _MERGE
            return
        path = top.path + (text,)
        if text in top.value:  # type: ignore[operator]
            self.problems.append(self.duplicate_problem(text, position, self.keys[path][0]))
            top.key = _SKIP
            return
        self.keys[path] = position
        if self.anchoring:
            self.log.append((path, position, True))
        top.key = text

    def start(self, event: MappingStartEvent | SequenceStartEvent, is_mapping: bool) -> None:
        position = _position(event)
        if len(self.stack) > MAX_DEPTH:
            raise PlaybookError([Problem(Location(self.shown, *position),
                                         f"the data is nested more than {MAX_DEPTH} levels deep")])
        self.tally(1)
        mode, path = self.slot()
        if mode is _VALUE and event.tag not in (None, "!", _MAP if is_mapping else _SEQ):
            self.problems.append(self.tag_problem(event.tag, position))
            self.note(path, position)
        elif mode is _VALUE:
            self.open(_Frame(_MAPPING if is_mapping else _SEQUENCE, path, {} if is_mapping else [], event.anchor),
                      position)
            return
        elif mode is _KEY:
            self.problems.append(Problem(Location(self.shown, *position), _KEY_NOT_TEXT))
        elif mode is _SOURCE:
            if not is_mapping and self.stack[-1].kind is _MAPPING:
                self.stack.append(_Frame(_MERGES, (), None, event.anchor))
                return
            self.problems.append(self.merge_problem(position, "a list or mapping written out here"))
        void = _Frame(_VOID, (), None, event.anchor)
        void.is_key = mode is _KEY
        self.stack.append(void)

    def open(self, frame: _Frame, position: Position) -> None:
        if frame.anchor is not None:
            frame.count, frame.log = self.count - 1, len(self.log)
            self.anchoring += 1
        self.note(frame.path, position)
        self.stack.append(frame)

    def end(self) -> None:
        frame = self.stack.pop()
        value = frame.value
        if frame.merges:
            value = self.merged(frame)
        if frame.anchor is not None:
            self.anchors[frame.anchor] = self.anchor_of(frame, value)
        if frame.is_key:
            self.stack[-1].key = _SKIP  # the value of a key that is not text is skipped too
        else:
            self.put(value)

    def anchor_of(self, frame: _Frame, value: object) -> _Anchor:
        if frame.log < 0:  # a `<<` list or skipped content: nothing to copy
            return _Anchor(None)
        self.anchoring -= 1
        return _Anchor(value, count=self.count - frame.count, start=frame.log, end=len(self.log), root=len(frame.path))

    def alias(self, event: AliasEvent) -> None:
        assert event.anchor is not None  # `*name`: an alias always has its name
        anchor = self.anchors.get(event.anchor)
        if anchor is None:
            self.refuse_alias(event)
        mode, path = self.slot()
        position = _position(event)
        if mode is _KEY:
            if anchor.text is not None:
                self.key(anchor.text, position)
            else:
                self.problems.append(Problem(Location(self.shown, *position), _KEY_NOT_TEXT))
                self.stack[-1].key = _SKIP
            return
        if mode is _VALUE:
            self.tally(anchor.count)
            self.copy(anchor, path)
            self.put(anchor.value)
            return
        if mode is _SOURCE:
            target = self.stack[-1] if self.stack[-1].kind is _MAPPING else self.stack[-2]
            if isinstance(anchor.value, dict):
                self.tally(anchor.count)
                target.merges.append(anchor)  # type: ignore[union-attr]  # a `<<` frame has its list
            else:
                self.problems.append(self.merge_problem(position, f"`*{event.anchor}`, which is not a mapping"))
        self.put(None)

    def refuse_alias(self, event: AliasEvent) -> NoReturn:
        if any(frame.anchor == event.anchor for frame in self.stack):
            raise PlaybookError([Problem(Location(self.shown, *_position(event)), f"`*{event.anchor}` is inside the "
                                         f"`&{event.anchor}` it refers to; data cannot contain itself")])
        raise yaml.composer.ComposerError(problem=f"found undefined alias {event.anchor!r}",
                                          problem_mark=event.start_mark)  # type: ignore[arg-type]

    def merged(self, frame: _Frame) -> dict[str, object]:
        """YAML's merge: keys written in the mapping win, then the first `<<` source that has the key."""
        explicit: dict[str, object] = frame.value  # type: ignore[assignment]
        merged: dict[str, object] = {}
        for anchor in frame.merges or ():
            source: dict[str, object] = anchor.value  # type: ignore[assignment]
            taken = {key for key in source if key not in explicit and key not in merged}
            merged.update((key, value) for key, value in source.items() if key in taken)
            self.copy(anchor, frame.path, taken)
        merged.update(explicit)
        return merged

    def copy(self, anchor: _Anchor, path: PathKey, only: set[str] | None = None) -> None:
        """Give `path` the positions the anchored value had; with `only`, just those keys of a mapping."""
        if anchor.position is not None:
            self.note(path, anchor.position)
            return
        log, cut, logging = self.log, anchor.root, self.anchoring > 0
        for index in range(anchor.start, anchor.end):
            old, position, is_key = log[index]
            if only is not None and (len(old) == cut or old[cut] not in only):
                continue
            new = path + old[cut:]
            (self.keys if is_key else self.values)[new] = position
            if logging:
                log.append((new, position, is_key))

    def note(self, path: PathKey, position: Position) -> None:
        self.values[path] = position
        if self.anchoring:
            self.log.append((path, position, False))

    def tally(self, count: int) -> None:
        self.count += count
        if self.count > MAX_VALUES:
            raise PlaybookError([Problem(Location(self.shown), f"the file holds more than {MAX_VALUES:,} values; "
                                         "check for `*alias` references that repeat content")])

    def tag_problem(self, tag: str, position: Position) -> Problem:
        return Problem(Location(self.shown, *position),
                       f"the YAML tag `{tag.replace(_TAG, '!!')}` is not allowed; write plain values")

    def duplicate_problem(self, key: str, position: Position, first_line: int) -> Problem:
        return Problem(Location(self.shown, *position), f"duplicate key `{key}` (first at line {first_line}); "
                       "YAML would silently keep only the last value", field=key)

    def merge_problem(self, position: Position, found: str) -> Problem:
        return Problem(Location(self.shown, *position), "`<<` must be followed by `*name` of a mapping (a group of "
                       "`key: value` lines marked `&name`), or a list of them such as `[*base, *extra]`; "
                       f"found {found}")

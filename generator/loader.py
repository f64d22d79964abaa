"""YAML text → plain data, with the line and column of every key and value.

PyYAML's own constructors keep the last of two equal keys and lose the positions, so we
compose the node tree and build the data ourselves. Only safe scalar types are made.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from generator.errors import Location, PlaybookError, Problem

MAX_BYTES = 2 * 1024 * 1024
MAX_VALUES = 200_000
MAX_DEPTH = 40

PathKey = tuple[str | int, ...]
# (line, column), counted from 1. Plain tuples, because every node of every file gets one and
# most are never asked for; a Location is made only for a position that is reported.
Position = tuple[int, int]

_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_BaseLoader):  # type: ignore[misc,valid-type]
    """Safe loading, minus implicit timestamps: the models check dates, with better messages."""

    yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }


# Plain YAML values only: str, int, float, bool, null, lists, mappings. Anything like
# `!!python/object` is refused before it is constructed.
_STANDARD_TAG = "tag:yaml.org,2002:"
_BRACKETS = re.compile(r"[\[\]{}]")
_STR_TAG = f"{_STANDARD_TAG}str"
_SAFE_TAGS = {f"{_STANDARD_TAG}{name}" for name in ("str", "int", "float", "bool", "null", "seq", "map", "merge")}

_SYNTAX_HINTS = {
    "mapping values are not allowed": "a value contains ': ' - put the whole value in quotes",
    "could not find expected ':'": "a key is missing its ':' or the indentation is off",
    "found undefined alias": "`*name` needs an anchor `&name` earlier in the file",
    "expected <block end>, but found": "this line's indentation does not match the lines above it",
    "found unexpected end of stream": "a quote or bracket is opened but never closed",
    "another document": "the file holds more than one document; remove the extra `---`",
    "expected a single document": "the file holds more than one document; remove the extra `---`",
}


@dataclass(frozen=True)
class Document:
    """One YAML file as plain data, with where each key and value stands."""

    path: str
    data: object
    values: dict[PathKey, Position] = field(repr=False)
    keys: dict[PathKey, Position] = field(repr=False)

    def locate(self, path: PathKey, *, key: bool = False) -> Location:
        """The position of the value at `path`, or of its nearest parent that has one."""
        table = self.keys if key and path in self.keys else self.values
        for end in range(len(path), -1, -1):
            if path[:end] in table:
                return Location(self.path, *table[path[:end]])
        return Location(self.path)


def load_directory(root: Path, shown_from: Path) -> tuple[list[Document], list[Problem]]:
    """Load every YAML file under `root`; problems from all files come back together."""
    documents: list[Document] = []
    problems: list[Problem] = []
    for path in sorted(_yaml_files(root)):
        try:
            documents.append(load_document(path, shown_as(path, shown_from)))
        except PlaybookError as error:
            problems.extend(error.problems)
    return documents, problems


def shown_as(path: Path, shown_from: Path) -> str:
    """The path as people should see it: relative to the project when it is inside it."""
    try:
        return Path(os.path.relpath(path, shown_from)).as_posix() if path.is_relative_to(shown_from) else str(path)
    except ValueError:
        return str(path)


def load_document(path: Path, shown: str) -> Document:
    """Read one YAML file; raise PlaybookError with a clear message if it cannot be used."""
    text = _read_text(path, shown)
    _refuse_deep_flow(text, shown)
    try:
        loader = _Loader(text)
        try:
            node = loader.get_single_node()
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as error:
        raise PlaybookError([_syntax_problem(error, text, shown)]) from None
    except yaml.YAMLError as error:
        raise PlaybookError([Problem(Location(shown), f"YAML could not be read: {error}")]) from None
    if node is None:
        raise PlaybookError([Problem(Location(shown), "the file is empty; it needs at least one `key: value`")])
    return _Builder(shown, loader).document(node)


def _yaml_files(root: Path) -> Iterator[Path]:
    for pattern in ("*.yml", "*.yaml"):
        yield from (p for p in root.rglob(pattern) if p.is_file() and not p.name.startswith("."))


def _read_text(path: Path, shown: str) -> str:
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise _problem(shown, 1, 1, f"the file is {size / 1048576:.1f} MB; content files may be at most {MAX_BYTES // 1048576} MB")
        raw = path.read_bytes()
    except OSError as error:
        raise _problem(shown, 1, 1, f"the file cannot be read: {error.strerror}") from None
    if b"\0" in raw[:8192]:
        raise _problem(shown, 1, 1, "this is a binary file, not YAML text; save it as plain text (UTF-8)")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line, column = _position_of(raw, error.start)
        byte = raw[error.start : error.start + 1].hex()
        raise _problem(shown, line, column, f"byte 0x{byte} is not UTF-8; save the file as UTF-8 text") from None


def _refuse_deep_flow(text: str, shown: str) -> None:
    """Refuse `[[[[...` nested past MAX_DEPTH before libyaml's recursive composer can overflow the stack.

    Indented nesting cannot get that deep within MAX_BYTES, so only brackets are counted.
    """
    depth = 0
    for match in _BRACKETS.finditer(text):
        depth = depth + 1 if match[0] in "[{" else max(depth - 1, 0)
        if depth > MAX_DEPTH:
            line, column = _position_of(text[: match.start()].encode("utf-8"), match.start())
            raise _problem(shown, line, column, f"the data is nested more than {MAX_DEPTH} levels deep")


def _position_of(raw: bytes, offset: int) -> tuple[int, int]:
    before = raw[:offset]
    line_start = before.rfind(b"\n") + 1
    return before.count(b"\n") + 1, len(before[line_start:].decode("utf-8", "replace")) + 1


def _problem(shown: str, line: int, column: int, message: str) -> PlaybookError:
    return PlaybookError([Problem(Location(shown, line, column), message)])


def _syntax_problem(error: yaml.MarkedYAMLError, text: str, shown: str) -> Problem:
    mark = error.problem_mark or error.context_mark
    line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    tab = _first_indenting_tab(text)
    if tab:
        return Problem(Location(shown, *tab), "a tab is used for indentation; YAML needs spaces here")
    problem = (error.problem or error.context or "the YAML is malformed").strip()
    hint = next((h for key, h in _SYNTAX_HINTS.items() if key in problem), "")
    return Problem(Location(shown, line, column), f"YAML syntax error: {problem}" + (f" ({hint})" if hint else ""))


def _first_indenting_tab(text: str) -> tuple[int, int] | None:
    for number, line in enumerate(text.splitlines(), start=1):
        indent = line[: len(line) - len(line.lstrip(" \t"))]
        if "\t" in indent:
            return number, indent.index("\t") + 1
    return None


class _Builder:
    """Turns a composed node tree into dicts, lists and scalars, noting positions."""

    def __init__(self, shown: str, loader: _Loader):
        self.shown = shown
        self.loader = loader
        self.values: dict[PathKey, Position] = {}
        self.keys: dict[PathKey, Position] = {}
        self.count = 0
        self.problems: list[Problem] = []

    def document(self, node: yaml.Node) -> Document:
        data = self.build(node, (), 0)
        if self.problems:
            raise PlaybookError(self.problems)
        return Document(self.shown, data, self.values, self.keys)

    def where(self, node: yaml.Node) -> Location:
        return Location(self.shown, *self.position(node))

    @staticmethod
    def position(node: yaml.Node) -> Position:
        mark = node.start_mark
        return mark.line + 1, mark.column + 1

    def build(self, node: yaml.Node, path: PathKey, depth: int) -> object:
        self.count += 1
        if self.count > MAX_VALUES:
            raise _problem(self.shown, 1, 1, f"the file holds more than {MAX_VALUES:,} values; "
                           "check for `*alias` references that repeat content")
        if depth > MAX_DEPTH:
            raise PlaybookError([Problem(self.where(node), f"the data is nested more than {MAX_DEPTH} levels deep")])
        if path not in self.values:
            self.values[path] = self.position(node)
        if node.tag not in _SAFE_TAGS:
            shown = node.tag.replace(_STANDARD_TAG, "!!")
            self.problems.append(Problem(self.where(node), f"the YAML tag `{shown}` is not allowed; write plain values"))
            return None
        if isinstance(node, yaml.MappingNode):
            return self.mapping(node, path, depth)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, (*path, i), depth + 1) for i, item in enumerate(node.value)]
        return self.scalar(node)

    def mapping(self, node: yaml.MappingNode, path: PathKey, depth: int) -> dict[str, object]:
        self.loader.flatten_mapping(node)
        result: dict[str, object] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                self.problems.append(Problem(self.where(key_node), "a key must be plain text, not a list or "
                                             "mapping; write one name and a colon, such as `title:`"))
                continue
            key = str(key_node.value)
            if key in result:
                first_line, _ = self.keys[(*path, key)]
                self.problems.append(Problem(self.where(key_node), f"duplicate key `{key}` (first at line {first_line}); "
                                             "YAML would silently keep only the last value", field=key))
                continue
            self.keys[(*path, key)] = self.position(key_node)
            result[key] = self.build(value_node, (*path, key), depth + 1)
        return result

    def scalar(self, node: yaml.Node) -> object:
        if node.tag == _STR_TAG:
            return node.value
        try:
            return self.loader.construct_object(node, deep=True)
        except (yaml.constructor.ConstructorError, ValueError) as error:
            self.problems.append(Problem(self.where(node), f"`{node.value}` cannot be read as {node.tag.rsplit(':', 1)[-1]}"
                                         f": {error}"))
            return None

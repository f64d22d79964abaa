"""YAML text → plain data, with the line and column of every key and value.

The data is built straight from the parser's events, with an explicit stack, instead of
from PyYAML's composed node tree: libyaml's composer recurses once per level, so 30,000
nested `- ` crash the interpreter before any check of ours could run. On events, every limit
(nesting depth, number of values with aliases expanded) is checked on the event that
crosses it. Building the data ourselves also lets a key written twice be an error (PyYAML
keeps the last one) and keeps the position of every key and value.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from generator.errors import Location, PlaybookError, Problem
from generator.yamlevents import MAX_DEPTH, MAX_VALUES, Built, EventBuilder, PathKey, Position

__all__ = ["MAX_BYTES", "MAX_DEPTH", "MAX_VALUES", "Document", "PathKey", "Position", "load_directory",
           "load_document", "shown_as", "yaml_files"]

MAX_BYTES = 2 * 1024 * 1024

# Suffixes of files that look like YAML, in any case: a story saved as `.YML` must be reported,
# not silently left out.
YAML_SUFFIXES = (".yml", ".yaml")

_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
# How libyaml words its own nesting limit, which it reaches before ours can be checked.
_LIBYAML_DEPTH = "exceeded maximum nesting depth"
# YAML forbids these characters anywhere in a file; the same set as PyYAML's reader.
_NOT_PRINTABLE = re.compile("[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")

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
    for path in yaml_files(root):
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
    try:
        built = _build(text, shown, _BaseLoader)
    except yaml.MarkedYAMLError as error:
        if _LIBYAML_DEPTH not in str(error.problem):
            raise PlaybookError([_syntax_problem(error, text, shown)]) from None
        # libyaml (in PyYAML 6.0.4's wheels) stops at 1,000 levels while it scans ahead, before
        # any event reaches our own, lower limit. PyYAML's pure-Python parser has no such limit,
        # so reading the file again with it reports the place where our limit is crossed.
        try:
            built = _build(text, shown, yaml.SafeLoader)
        except yaml.MarkedYAMLError as again:
            raise PlaybookError([_syntax_problem(again, text, shown)]) from None
    if built is None:
        raise PlaybookError([Problem(Location(shown), "the file is empty; it needs at least one `key: value`")])
    data, values, keys = built
    return Document(shown, data, values, keys)


def _build(text: str, shown: str, loader_class: type[yaml.SafeLoader]) -> Built | None:
    """Data and positions from one parser; a syntax error is left to the caller, which may retry."""
    loader = loader_class(text)
    try:
        return EventBuilder(shown, loader).build()
    except yaml.MarkedYAMLError:
        raise
    except yaml.reader.ReaderError:
        raise PlaybookError([_unprintable_problem(text, shown)]) from None
    except yaml.YAMLError as error:
        raise PlaybookError([Problem(Location(shown), f"YAML could not be read: {error}")]) from None
    finally:
        loader.dispose()


def yaml_files(root: Path) -> list[Path]:
    """Every YAML file under `root`, in a stable order; hidden files are left alone."""
    return sorted(p for p in root.rglob("*")
                  if p.suffix.lower() in YAML_SUFFIXES and not p.name.startswith(".") and p.is_file())


def _read_text(path: Path, shown: str) -> str:
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise _problem(shown, 1, 1, f"the file is {size / 1048576:.1f} MB; content files may be at most "
                           f"{MAX_BYTES // 1048576} MB")
        raw = path.read_bytes()
    except OSError as error:
        raise _problem(shown, 1, 1, f"the file cannot be read: {error.strerror}") from None
    if b"\0" in raw[:8192]:
        raise _problem(shown, 1, 1, "this is a binary file, not YAML text; save it as plain text (UTF-8)")
    try:
        return decode_utf8(raw)
    except NotUtf8 as error:
        raise _problem(shown, error.line, error.column, f"byte 0x{error.byte} is not UTF-8; save the file as UTF-8 "
                       "text") from None


class NotUtf8(ValueError):
    """Text that is not UTF-8, with where its first bad byte stands, for a message that names the place."""

    def __init__(self, line: int, column: int, byte: str):
        super().__init__(f"{line}:{column}: byte 0x{byte} is not UTF-8")
        self.line, self.column, self.byte = line, column, byte


def decode_utf8(raw: bytes) -> str:
    """UTF-8 text (a leading BOM dropped), or NotUtf8 at its first bad byte; content files and docs pages alike."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise NotUtf8(*_position_of(raw, error.start), raw[error.start : error.start + 1].hex()) from None


def _position_of(raw: bytes, offset: int) -> tuple[int, int]:
    before = raw[:offset]
    line_start = before.rfind(b"\n") + 1
    return before.count(b"\n") + 1, len(before[line_start:].decode("utf-8", "replace")) + 1


def _problem(shown: str, line: int, column: int, message: str) -> PlaybookError:
    return PlaybookError([Problem(Location(shown, line, column), message)])


def _unprintable_problem(text: str, shown: str) -> Problem:
    """The parser refused a control character; find it ourselves, as its error has no line."""
    found = _NOT_PRINTABLE.search(text)
    if not found:
        return Problem(Location(shown), "the file holds a character YAML does not allow; save it as plain text (UTF-8)")
    offset = found.start()
    where = Location(shown, text.count("\n", 0, offset) + 1, offset - text.rfind("\n", 0, offset))
    if found[0] == "\0":
        return Problem(where, "a NUL byte (0x00) is here, which YAML text may not hold; delete it, or save the "
                              "file as plain text (UTF-8)")
    return Problem(where, f"the invisible control character U+{ord(found[0]):04X} is here, which YAML text may "
                          "not hold; delete it")


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

"""Images come only from this site: a picture from another host is a validation error.

A page that loads an image from elsewhere tells that host who reads the page and when, and
shows whatever the host serves that day. So every Markdown field (inline `![alt](url)`,
reference-style `![alt][ref]`, raw `<img src>` and `{: src=...}` attributes) and every
story's `image.src` must name a file of the site itself, a path under docs/.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, get_args, get_origin

from pydantic import BaseModel

from generator import models as m
from generator.errors import Location, Problem
from generator.loader import PathKey
from generator.messages import field_label

if TYPE_CHECKING:
    from generator.validate import Entry

_MARKDOWN = get_args(m.Markdown)[1:]
# Any scheme (http:, ftp:, data:, javascript:, C:) or a host-relative `//host` (browsers read `\` as `/`).
_FOREIGN = re.compile(r"^(?:[a-z][a-z0-9+.\-]*:|[/\\]{2})", re.I)
_ATTRIBUTE = re.compile(r"""(?<![\w-])(?:src|srcset|poster)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>}]+))""", re.I)
_DEFINITION = re.compile(r"^ {0,3}\[([^\]]+)\]:[ \t]*<?([^\s>]+)", re.M)
_URL_END = re.compile(r"[\s)>]")
# Browsers drop tabs and newlines anywhere in a URL and control characters and spaces before it.
_INVISIBLE = re.compile(r"[\t\n\r]")
_LEADING = re.compile(r"^[\x00-\x20<]+")
_MARKDOWN_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
_EXAMPLE = "images/first-pair.jpg"


@dataclass(frozen=True)
class _Image:
    """A foreign image URL at `offset` in a field's text."""

    offset: int
    url: str


def check_images(entries: Iterable[Entry], project_dir: Path | None) -> list[Problem]:
    """Every image in Markdown and every `image.src` must be a path on this site."""
    entries = list(entries)
    fields = [(entry, path, text) for entry in entries for path, text in markdown_values(entry.record)]
    # Python-Markdown resolves `![alt][ref]` across the whole page, and a hub page joins many records.
    labels = {label for _, _, text in fields if "![" in text for label in _image_labels(text)}
    sources = _Sources(project_dir)
    problems = [_problem(entry, path, text, image, sources) for entry, path, text in fields
                for image in foreign_images(text, labels)]
    for entry in entries:
        image = getattr(entry.record, "image", None)
        if isinstance(image, m.Image) and is_foreign(image.src):
            problems.append(_problem(entry, ("image", "src"), image.src, _Image(0, image.src), sources))
    return problems


def is_foreign(url: str) -> bool:
    """Whether a browser would fetch `url` from another host, after the clean-ups browsers and Markdown do."""
    raw = _LEADING.sub("", _INVISIBLE.sub("", html.unescape(url)))
    # Markdown undoes `\/`, an HTML attribute does not: foreign in either reading is foreign.
    return bool(_FOREIGN.match(raw) or _FOREIGN.match(_LEADING.sub("", _MARKDOWN_ESCAPE.sub(r"\1", raw))))


def foreign_images(text: str, labels: set[str]) -> Iterator[_Image]:
    """Images in one Markdown text that would load from another host; `labels` are the references used as images."""
    if "![" not in text and "=" not in text and "]:" not in text:
        return
    for start in (match.start() for match in re.finditer(r"!\[", text)):
        url_at = _inline_url(text, start)
        if url_at is not None:
            url = _URL_END.split(text[url_at:], maxsplit=1)[0]
            if is_foreign(url):
                yield _Image(url_at, url)
    for match in _ATTRIBUTE.finditer(text):
        group = next(i for i in (1, 2, 3) if match[i] is not None)
        yield from _foreign_in_attribute(match[group], match.start(group))
    for match in _DEFINITION.finditer(text):
        if _label(match[1]) in labels and is_foreign(match[2]):
            yield _Image(match.start(2), match[2])


def markdown_values(model: BaseModel, path: PathKey = ()) -> Iterator[tuple[PathKey, str]]:
    """Every Markdown field of a record and of the models inside it, with its path."""
    for name, markdown in _fields(type(model)):
        yield from _values(getattr(model, name), markdown, (*path, name))


def _values(value: object, markdown: bool, path: PathKey) -> Iterator[tuple[PathKey, str]]:
    if isinstance(value, str):
        if markdown:
            yield path, value
    elif isinstance(value, BaseModel):
        yield from markdown_values(value, path)
    elif isinstance(value, (list, tuple)):
        for i, item in enumerate(value):
            yield from _values(item, markdown, (*path, i))


@cache
def _fields(model: type[BaseModel]) -> tuple[tuple[str, bool], ...]:
    """Each field that is Markdown, or holds models that have some; worked out once per model."""
    fields = ((name, _is_markdown(info.annotation, tuple(info.metadata)), info.annotation)
              for name, info in model.model_fields.items())
    return tuple((name, markdown) for name, markdown, annotation in fields if markdown or _holds_models(annotation))


def _is_markdown(annotation: object, metadata: tuple[object, ...] = ()) -> bool:
    if metadata and all(item in metadata for item in _MARKDOWN):
        return True
    if get_origin(annotation) is Annotated:
        return get_args(annotation)[1:] == _MARKDOWN
    return any(_is_markdown(arg) for arg in get_args(annotation))  # list[Markdown], Markdown | None


def _holds_models(annotation: object) -> bool:
    """Whether the field holds a model with Markdown somewhere inside."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return bool(_fields(annotation))
    return any(_holds_models(arg) for arg in get_args(annotation))  # list[Benefit], Contact | None


def _inline_url(text: str, start: int) -> int | None:
    """Where the URL of an inline image `![alt](url)` starts, or None for a reference-style image."""
    end = _closing_bracket(text, start + 2)
    if end < 0 or not text.startswith("(", end + 1):
        return None
    at = end + 2
    while at < len(text) and text[at] in " \t\n":
        at += 1
    return at + 1 if text.startswith("<", at) else at


def _image_labels(text: str) -> Iterator[str]:
    """The reference labels that images may use: `![alt][ref]`, `![alt][]` and `![ref]`; both, when unsure."""
    for match in re.finditer(r"!\[", text):
        end = _closing_bracket(text, match.end())
        if end < 0:
            continue
        yield _label(text[match.end() : end])
        after = re.match(r"\s?\[([^\]]*)\]", text[end + 1 :])
        if after:
            yield _label(after[1])


def _closing_bracket(text: str, at: int) -> int:
    """The `]` that closes the `[` just before `at`, counting nested brackets and skipping escapes."""
    depth = 1
    while at < len(text):
        char = text[at]
        if char == "\\":
            at += 1
        elif char == "[":
            depth += 1
        elif char == "]":
            depth -= 1
            if depth == 0:
                return at
        at += 1
    return -1


def _foreign_in_attribute(value: str, at: int) -> Iterator[_Image]:
    """A `src` value, or each URL of a `srcset` list (`a.png 1x, https://x/b.png 2x`)."""
    parts = [value, *(part.split()[0] for part in value.split(",") if part.split())]
    for part in dict.fromkeys(parts):
        if is_foreign(part):
            yield _Image(at + value.find(part), part.strip())
            return


def _label(text: str) -> str:
    return " ".join(text.split()).lower()


def _problem(entry: Entry, path: PathKey, text: str, image: _Image, sources: _Sources) -> Problem:
    shown = image.url if len(image.url) <= 60 else image.url[:57] + "..."
    where = sources.locate(entry, path, text, image)
    message = (f"the image `{shown}` is not on this site, and images come only from this site; put the image "
               f"under docs/ and use its path, such as `{_EXAMPLE}`")
    return Problem(where, message, field=field_label((*entry.path, *path), entry.document.data))


class _Sources:
    """The YAML text behind each document, read only when an image must be placed inside a block."""

    def __init__(self, project_dir: Path | None):
        self.project_dir = project_dir
        self.texts: dict[str, str | None] = {}

    def locate(self, entry: Entry, path: PathKey, text: str, image: _Image) -> Location:
        """The URL's own line and column if it can be found in the file, else the field's position."""
        field = entry.locate(*path)
        source = self._text(entry.document.path)
        if source is None or image.url not in source:
            return field
        lines = source.splitlines(keepends=True)
        start = sum(len(line) for line in lines[: field.line - 1]) + field.column - 1
        # The n-th copy of the URL in the field is the n-th copy in the file after the field starts.
        found = start - 1
        for _ in range(text[: image.offset].count(image.url) + 1):
            found = source.find(image.url, found + 1)
            if found < 0:
                return field
        line_start = source.rfind("\n", 0, found) + 1
        return Location(field.path, source.count("\n", 0, found) + 1, found - line_start + 1)

    def _text(self, shown: str) -> str | None:
        if shown not in self.texts:
            try:
                self.texts[shown] = (Path(self.project_dir or ".") / shown).read_text(encoding="utf-8-sig")
            except (OSError, UnicodeDecodeError):
                self.texts[shown] = None
        return self.texts[shown]

"""Example text that `playbook new` writes, still unchanged in a published record, is an error.

The examples are read from the very templates `playbook new` renders, so they cannot drift from
what the command writes: each new-*.yml.j2 is rendered twice, with two different sets of neutral
arguments, and the text that comes out the same both times, in a field where people write prose
(Text or Markdown), is the example to replace. Titles, ids, dates and roles come from the
arguments; choices such as `level: should` are valid answers, not examples.
"""

from __future__ import annotations

import datetime as dt
import functools
import types
import typing
from collections.abc import Iterator
from dataclasses import dataclass

import yaml
from pydantic import BaseModel
from pydantic.fields import FieldInfo

from generator import models as m
from generator.errors import Problem
from generator.kinds import Kind
from generator.loader import Document, PathKey
from generator.messages import field_label
from generator.render import make_environment
from generator.starters import STARTERS, kind_of, render_starter

ANY = "*"  # any item of a list, in a field's path
# Two sets of arguments that share nothing, so whatever the arguments put into a record differs.
_NEUTRAL = (("Alpha", dt.date(2001, 2, 3), ["first-role"]), ("Beta", dt.date(2002, 4, 5), ["second-role"]))
_PROSE_CHECKS = (m.one_line, m.unix_lines)  # the validators that mark models.Text and models.Markdown


@dataclass(frozen=True)
class Example:
    """One field's example text in a kind's template, by the field's path (`agenda`, `*`, `title`)."""

    path: tuple[str, ...]
    text: str
    word: str
    """The word after `playbook new` that writes it."""
    hint: str
    """What the field wants, from its description, for the message."""


def placeholder_problems(kind: Kind, record: m.Record, document: Document, path: PathKey) -> list[Problem]:
    """One error per field of a published record whose text is still its template's example.

    A draft story keeps its examples without complaint: it is work in progress, and never built.
    """
    if isinstance(record, m.Story) and record.status != "published":
        return []
    data = _at(document.data, path)
    return [Problem(document.locate((*path, *where)), f"`{field_label(where, data)}` still holds the example text "
                    f"from `playbook new {example.word}`; write your own: {example.hint}",
                    field=field_label((*path, *where), document.data))
            for example in examples().get(kind.name, ()) for where in _matches(data, example)]


@functools.cache
def examples() -> dict[str, tuple[Example, ...]]:
    """Every kind's example texts, by kind name; read once per process.

    Only the built-in templates are read. A site that overrides a new-*.yml.j2 in its templates
    folder (`--templates`) writes its own examples, which this check does not know; the built-in
    ones are what most records start from, and what the README shows.
    """
    environment = make_environment()
    found: dict[str, tuple[Example, ...]] = {}
    for word in STARTERS:
        kind = kind_of(word)
        first, second = (_record(render_starter(environment, word, title, day, roles), kind)
                         for title, day, roles in _NEUTRAL)
        fixed = set(_texts(first)) & set(_texts(second))
        found[kind.name] = tuple(Example(where, text, word, _hint(info)) for where, text in sorted(fixed)
                                 if (info := _field(kind.model, where)) and _is_prose(info))
    return found


def _record(text: str, kind: Kind) -> object:
    """The one record a template writes: a whole story file, or the one item of a list."""
    data = yaml.safe_load(text)  # our own template, so PyYAML's plain loader is enough
    return data if kind.folder else data[0]


def _texts(data: object, where: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], str]]:
    """Every text in the data with its path, list positions written as `*`, its spacing evened out."""
    if isinstance(data, str):
        yield where, _even(data)
    elif isinstance(data, dict):
        for key, value in data.items():
            yield from _texts(value, (*where, str(key)))
    elif isinstance(data, list):
        for item in data:
            yield from _texts(item, (*where, ANY))


def _even(text: str) -> str:
    """Text compared as words: an example re-wrapped or re-indented is still the example."""
    return " ".join(text.split())


def _matches(data: object, example: Example) -> Iterator[tuple[str | int, ...]]:
    """Where in one record's data the example still stands, with real list positions."""
    def walk(value: object, rest: tuple[str, ...], where: tuple[str | int, ...]) -> Iterator[tuple[str | int, ...]]:
        if not rest:
            if isinstance(value, str) and _even(value) == example.text:
                yield where
        elif rest[0] == ANY and isinstance(value, list):
            for i, item in enumerate(value):
                yield from walk(item, rest[1:], (*where, i))
        elif isinstance(value, dict) and rest[0] in value:
            yield from walk(value[rest[0]], rest[1:], (*where, rest[0]))

    return walk(data, example.path, ())


def _at(data: object, path: PathKey) -> object:
    for part in path:
        data = data[part]  # type: ignore[index]
    return data


def _field(model: type[BaseModel], where: tuple[str, ...]) -> FieldInfo | None:
    """The model's field at a path of names and `*`, through lists and nested models."""
    info: FieldInfo | None = None
    current: type[BaseModel] | None = model
    for part in where:
        if part == ANY:
            continue
        info = current.model_fields.get(part) if current else None
        if info is None:
            return None
        current = _inner_model(info.annotation)
    return info


def _inner_model(annotation: object) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    return next((found for arg in typing.get_args(annotation) if (found := _inner_model(arg))), None)


def _is_prose(info: FieldInfo) -> bool:
    """A Text or Markdown field, alone, optional or in a list: words someone must write themselves."""
    return _prose_marks(info.metadata) or _prose_annotation(info.annotation)


def _prose_annotation(annotation: object) -> bool:
    if typing.get_origin(annotation) is typing.Annotated:
        return _prose_marks(annotation.__metadata__)  # type: ignore[attr-defined]
    if typing.get_origin(annotation) in (list, typing.Union, types.UnionType):
        return any(_prose_annotation(arg) for arg in typing.get_args(annotation))
    return False


def _prose_marks(metadata: typing.Iterable[object]) -> bool:
    return any(getattr(mark, "func", None) in _PROSE_CHECKS for mark in metadata)


def _hint(info: FieldInfo) -> str:
    """`The answer (Markdown).` → `the answer, in Markdown`: what the field asks for, as the end of a sentence."""
    text = (info.description or "your own text").rstrip(".").replace(" (Markdown)", ", in Markdown")
    return text[0].lower() + text[1:]

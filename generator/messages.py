"""Pydantic's validation errors, rewritten for people who edit YAML, not Python.

Errors are translated by pydantic's stable `type` code, never by matching its English text.
"""

from __future__ import annotations

import difflib
import re
import types
import typing
from collections.abc import Iterable

from pydantic import BaseModel
from pydantic_core import ErrorDetails

from generator.models import EMAIL_PATTERN, INTERVAL, SLUG_PATTERN, WEB_ADDRESS_PATTERN


def closest(word: str, choices: Iterable[str]) -> str | None:
    """The choice nearest to `word`, if one is near enough to be what was meant."""
    close = difflib.get_close_matches(word, sorted(set(choices)), n=1, cutoff=0.6)
    return close[0] if close else None


def suggest(word: str, choices: Iterable[str]) -> str:
    """`; did you mean `x`?` when one choice is close to `word`, else nothing."""
    match = closest(word, choices)
    return f"; did you mean `{match}`?" if match else ""


def field_label(loc: tuple[str | int, ...], data: object) -> str:
    """`rules[meet-monthly].level`: list items are named by their id where they have one."""
    label = ""
    for part in loc:
        if isinstance(part, int):
            item_id = _id_of(data, part)
            label += f"[{item_id or part + 1}]"
            data = data[part] if isinstance(data, list) and part < len(data) else None
        else:
            label += f".{part}" if label else part
            data = data.get(part) if isinstance(data, dict) else None
    return label


def describe(error: ErrorDetails, model: type[BaseModel]) -> str:
    """One sentence saying what is wrong with the value and what would be right."""
    kind, ctx, given = error["type"], error.get("ctx", {}), error.get("input")
    loc = tuple(error["loc"])
    if kind == "missing":
        return f"`{loc[-1]}` is required but missing{_purpose(model, loc)}"
    if kind == "extra_forbidden":
        return f"unknown field `{loc[-1]}`" + (suggest(str(loc[-1]), fields_at(model, loc[:-1])) or
                                                f"; allowed here: {', '.join(sorted(fields_at(model, loc[:-1])))}")
    if kind == "literal_error":
        expected = ctx.get("expected", "")
        options = [o.strip(" '") for o in expected.replace(" or ", ", ").split(",")]
        return f"`{given}` is not allowed; use {expected}" + suggest(str(given), options)
    if kind in _TEMPLATES:
        return _TEMPLATES[kind].format(given=given, **ctx)
    if kind == "string_pattern_mismatch":
        return _pattern_message(given, ctx.get("pattern", ""))
    if kind in {"date_from_datetime_parsing", "date_parsing", "date_type", "date_from_datetime_inexact"}:
        return f"`{given}` is not a valid date; write it as YYYY-MM-DD, such as 2025-03-14"
    if kind in {"datetime_from_date_parsing", "datetime_parsing", "datetime_type"}:
        return f"`{given}` is not a valid date and time; write it as YYYY-MM-DD HH:MM, such as 2026-09-15 10:00"
    if kind in {"string_type"}:
        return f"expected text, got {_kind_of(given)}; put the value in quotes"
    return error["msg"]


_TEMPLATES = {
    "int_type": "expected a whole number, got `{given}`",
    "int_parsing": "expected a whole number, got `{given}`",
    "int_from_float": "expected a whole number, got `{given}`",
    "bool_type": "expected true or false, got `{given}`",
    "bool_parsing": "expected true or false, got `{given}`",
    "greater_than_equal": "must be at least {ge}, got {given}",
    "less_than_equal": "must be at most {le}, got {given}",
    "too_short": "needs at least {min_length} item(s), has {actual_length}",
    "too_long": "may have at most {max_length} items, has {actual_length}",
    "string_too_short": "must not be empty",
    "string_too_long": "is too long: at most {max_length} characters",
    "list_type": "expected a list (lines starting with `- `)",
    "model_type": "expected a group of `key: value` lines",
    "model_attributes_type": "expected a group of `key: value` lines",
    "dict_type": "expected a group of `key: value` lines",
    # models.local_time sees only the parsed value; show the time as the YAML has it.
    "datetime_has_zone": "`{given}` names a time zone; write the local time as YYYY-MM-DD HH:MM and set the zone "
                         "once, as `time_zone` in program.yml",
}


def _pattern_message(given: object, pattern: str) -> str:
    if pattern == SLUG_PATTERN:
        return f"`{given}` is not a valid id; use lower-case letters, digits and single dashes, such as `senior-leader`"
    if pattern == INTERVAL.pattern:
        return f"`{given}` is not a review interval; write it as `6 months` or `1 year`"
    if pattern == EMAIL_PATTERN:
        return f"`{given}` is not one e-mail address; write it as `name@example.com`"
    if pattern == WEB_ADDRESS_PATTERN:
        return f"`{given}` is not a web address; write it in full, starting with `https://`"
    return f"`{given}` does not have the expected form"


def _kind_of(value: object) -> str:
    if isinstance(value, bool):
        return f"`{str(value).lower()}` (true/false)"
    if isinstance(value, (int, float)):
        return f"the number `{value}`"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a group of `key: value` lines"
    return "nothing" if value is None else f"`{value}`"


def _id_of(data: object, index: int) -> str | None:
    if isinstance(data, list) and index < len(data) and isinstance(data[index], dict):
        item_id = data[index].get("id")
        return item_id if isinstance(item_id, str) else None
    return None


def _model_at(model: type[BaseModel], loc: tuple[str | int, ...]) -> type[BaseModel] | None:
    current: type[BaseModel] | None = model
    for part in loc:
        if current is None:
            return None
        if isinstance(part, int):
            continue
        info = current.model_fields.get(part)
        current = _inner_model(info.annotation) if info else None
    return current


def _inner_model(annotation: object) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    origin = typing.get_origin(annotation)
    if origin in (list, tuple, typing.Union, types.UnionType, typing.Annotated):
        for arg in typing.get_args(annotation):
            found = _inner_model(arg)
            if found:
                return found
    return None


def fields_at(model: type[BaseModel], loc: tuple[str | int, ...]) -> set[str]:
    found = _model_at(model, loc)
    return set(found.model_fields) if found else set()


def _purpose(model: type[BaseModel], loc: tuple[str | int, ...]) -> str:
    parent = _model_at(model, loc[:-1])
    info = parent.model_fields.get(str(loc[-1])) if parent else None
    if info and info.description:
        # `The answer (Markdown).` → ` (the answer, in Markdown)`: no parentheses inside parentheses.
        text = re.sub(r" \((.*)\)$", r", \1", info.description.rstrip("."))
        text = text.replace(", Markdown", ", in Markdown")
        return f" ({text[0].lower()}{text[1:]})"
    return ""

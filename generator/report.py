"""Problems written out where people look: one line each, GitHub annotations, or JSON for tools."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Literal

from generator.errors import Problem, summarize

Format = Literal["text", "github", "json"]


def format_problems(problems: Sequence[Problem], style: Format) -> str:
    """Every problem in one of the three forms; text ends with the `N errors in M files` summary."""
    if style == "json":
        return json.dumps([_as_dict(p) for p in problems], indent=2, ensure_ascii=False)
    if style == "github":
        return "\n".join(_annotation(p) for p in problems)
    return "\n".join([*(str(p) for p in problems), summarize(list(problems))] if problems else [])


def _as_dict(problem: Problem) -> dict[str, object]:
    where = problem.location
    return {"file": where.path, "line": where.line, "column": where.column, "field": problem.field,
            "message": problem.message, "severity": problem.severity}


def _annotation(problem: Problem) -> str:
    """`::error file=…,line=…,col=…,title=…::message`, escaped as the Actions runner expects."""
    where = problem.location
    title = f"{problem.field}" if problem.field else "playbook"
    properties = f"file={_property(where.path)},line={where.line},col={where.column},title={_property(title)}"
    return f"::{problem.severity} {properties}::{_data(problem.message)}"


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")

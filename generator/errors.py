"""Problems found in content, written for the people who edit the YAML."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Location:
    """A place in a content file; line and column count from 1, as editors do."""

    path: str
    line: int = 1
    column: int = 1

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the content, tied to the line it is on."""

    location: Location
    message: str
    field: str = ""
    severity: Severity = "error"

    def __str__(self) -> str:
        label = f"{self.field}: " if self.field else ""
        prefix = "warning: " if self.severity == "warning" else ""
        return f"{self.location}: {prefix}{label}{self.message}"


class PlaybookError(Exception):
    """The content has problems; carries every one of them, not just the first."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = sorted(problems, key=lambda p: (p.location, p.message))
        super().__init__(self.report())

    @property
    def summary(self) -> str:
        return summarize(self.problems)

    def report(self) -> str:
        return "\n".join([*(str(p) for p in self.problems), self.summary])


class InternalError(Exception):
    """A bug in the generator, not a mistake in the content."""


def summarize(problems: list[Problem]) -> str:
    """Say how many problems there are and across how many files, as `3 errors in 2 files`."""
    errors = [p for p in problems if p.severity == "error"]
    counted = errors or problems
    noun = "error" if errors else "warning"
    files = {p.location.path for p in counted}
    return f"{_plural(len(counted), noun)} in {_plural(len(files), 'file')}"


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"

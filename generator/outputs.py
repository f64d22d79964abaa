"""What an output is: a function `(playbook, options) -> files`, and the files it makes.

The site is the concatenation of every function in `generator.site.OUTPUTS`; a new output
(a JSON API, a PDF) is one new module with one such function, added to that list.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, Protocol, TypeVar, cast

from generator.errors import Location
from generator.kinds import Rank
from generator.models import Playbook, Story

T = TypeVar("T")


class Memo:
    """What the earlier builds of one live-preview session made, one part per stage that reuses its work.

    A one-off build has no memo and redoes everything; `mkdocs serve` keeps one for its whole
    session, so that a build after a save redoes only what the save reaches.
    """

    def __init__(self) -> None:
        self._parts: dict[type, object] = {}

    def part(self, kind: type[T]) -> T:
        """This memo's part of type `kind`, made empty on first use."""
        if kind not in self._parts:
            self._parts[kind] = kind()
        return cast(T, self._parts[kind])


@dataclass(frozen=True)
class Options:
    """How to build: for which day and audience, at which address, with which templates."""

    today: dt.date
    drafts: bool = False
    site_url: str | None = None
    directory_urls: bool = True
    audience: Literal["internal", "external"] = "internal"
    templates: Path | None = None
    """A folder of templates that override the built-in ones by file name."""
    processes: int = field(default=1, compare=False)
    """How many processes may check files and render pages; more than one never changes what a build makes."""
    stream_pages: bool = field(default=False, compare=False)
    """Render the pages in a worker process while the caller goes on: for MkDocs, which converts them one
    by one many times slower than they are rendered. A page's Markdown is then waited for when read."""
    memo: Memo | None = field(default=None, compare=False, repr=False)
    """The live preview's memory of its earlier builds; it never changes what a build makes."""

    def stories(self, playbook: Playbook) -> tuple[Story, ...]:
        """The posts this build shows: published ones, and drafts only in a preview."""
        return tuple(s for s in playbook.stories if self.drafts or s.status == "published")


class Deferred(Protocol):
    """Text a worker process is still making (`parallel.Pending`); `result()` waits for it."""

    def result(self) -> str: ...


@dataclass(frozen=True)
class Page:
    """One generated Markdown page and the YAML it came from."""

    path: str
    title: str
    body: str | Deferred
    """The page's Markdown, or, in a build that renders pages beside MkDocs' own work, the handle to it."""
    source: Location | None = None
    rank: Rank = "page"

    @property
    def markdown(self) -> str:
        return self.body if isinstance(self.body, str) else self.body.result()


@dataclass(frozen=True)
class Asset:
    """A generated file that is not a page, such as a feed or the calendar."""

    path: str
    content: bytes


Output = Page | Asset
OutputFunction = Callable[[Playbook, Options], Iterable[Output]]

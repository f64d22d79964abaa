"""What an output is: a function `(playbook, options) -> files`, and the files it makes.

The site is the concatenation of every function in `generator.site.OUTPUTS`; a new output
(a JSON API, a PDF) is one new module with one such function, added to that list.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from generator.errors import Location
from generator.models import Playbook, Story


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

    def stories(self, playbook: Playbook) -> tuple[Story, ...]:
        """The posts this build shows: published ones, and drafts only in a preview."""
        return tuple(s for s in playbook.stories if self.drafts or s.status == "published")


@dataclass(frozen=True)
class Page:
    """One generated Markdown page and the YAML it came from."""

    path: str
    title: str
    markdown: str
    source: Location | None = None


@dataclass(frozen=True)
class Asset:
    """A generated file that is not a page, such as a feed or the calendar."""

    path: str
    content: bytes


Output = Page | Asset
OutputFunction = Callable[[Playbook, Options], Iterable[Output]]

"""The one build every entry point runs (load → validate → select → outputs), for the plugin and the CLI alike.

Warnings travel with the result, and one rule decides what they mean: in a strict run
(`mkdocs build --strict`, `playbook ... --strict`) any warning fails it; otherwise they are
shown and the run goes on.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from generator import urls
from generator.audience import Selection, select_audience
from generator.errors import PlaybookError, Problem
from generator.models import Playbook
from generator.nav import NavItem
from generator.outputs import Options, Page
from generator.render import plural, text
from generator.site import Site, build_site
from generator.validate import FileMemo, load_playbook


@dataclass(frozen=True)
class Checked:
    """The playbook as this build's audience sees it, with the warnings validation found."""

    selection: Selection
    warnings: tuple[Problem, ...]

    @property
    def playbook(self) -> Playbook:
        return self.selection.playbook


@dataclass(frozen=True)
class Build:
    """A rendered site with what the build should tell the person running it."""

    site: Site
    warnings: tuple[Problem, ...]
    summary: str
    playbook: Playbook | None = None


def check_playbook(content: Path, project: Path, options: Options) -> Checked:
    """Load, check and select the playbook under `content`; raise PlaybookError with every problem."""
    memo = options.memo.part(FileMemo) if options.memo else None
    playbook, warnings = load_playbook(content, project, options.today, memo, options.processes)
    return Checked(select_audience(playbook, options.audience, options.today), tuple(warnings))


def build_playbook(content: Path, project: Path, options: Options) -> Build:
    """The whole pipeline: every output of the checked playbook, and the build's one-line summary."""
    with collector_paused():
        checked = check_playbook(content, project, options)
        site = build_site(checked.playbook, options)
        return Build(site, checked.warnings, summarize_build(checked.selection, site, options), checked.playbook)


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """No cyclic garbage collection while the pipeline runs.

    The pipeline keeps nearly everything it makes (the models, the page plans) until it returns,
    so each full collection walked all of it again for nothing: at 10,000 stories checking the
    files took 6.3 s with the collector and 4.5 s without (bench/results.md). Garbage in cycles
    waits until the end, which costs little memory: the pipeline makes almost none.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def fails(warnings: tuple[Problem, ...] | list[Problem], strict: bool) -> bool:
    """The strictness rule, shared with `mkdocs build --strict`: in a strict run, any warning fails it."""
    return strict and bool(warnings)


def summarize_build(selection: Selection, site: Site, options: Options) -> str:
    """One line that accounts for every post, so nothing is ever left out silently."""
    stories = selection.playbook.stories
    published = sum(1 for s in stories if s.status == "published")
    shown = "shown in this preview" if options.drafts else "left out"
    reasons = ", ".join(f"{reason}: {count}" for reason, count in sorted(selection.excluded.items()))
    excluded = sum(selection.excluded.values())
    return (f"Playbook ({options.audience}): {plural(len(site.pages), 'page')} generated; "
            f"{plural(published, 'post')} published, {len(stories) - published} draft ({shown}), "
            f"{excluded} excluded" + (f" ({reasons})" if reasons else ""))


def problems_page(error: PlaybookError) -> Page:
    """The page the live preview shows while the playbook has problems, left out of search."""
    lines = "\n".join(f"- {text(problem)}" for problem in error.problems)
    return Page(urls.PROBLEMS, "Problems", f"---\nsearch:\n  exclude: true\n---\n\n# The playbook has problems\n\n"
                f"{error.summary}. Fix them and save; this page then shows the page you were on again.\n\n{lines}\n")


def nav_for_mkdocs(site: Site, hand_written: list[str]) -> list:
    """The generated navigation in mkdocs.yml's form, with hand-written pages after it.

    This is where our plain-text titles become the HTML text MkDocs expects: a title MkDocs takes
    from a page's first heading is HTML (`&lt;` stays `&lt;`), and Material prints titles in the
    nav, tabs, header, footer and search index without escaping them. Pages outside the nav get
    their title from the heading, which the templates escape with `text`.
    """
    generated = {page.path for page in site.pages}
    extra: list[NavItem] = [(None, path) for path in sorted(hand_written) if path not in generated]
    return [_nav_entry(item) for item in [*site.nav, *extra]]


def _nav_entry(item: NavItem) -> object:
    title, target = item
    value = [_nav_entry(child) for child in target] if isinstance(target, list) else target
    return value if title is None else {text(title): value}

"""The theme's half of a full build on a second core: a forked worker renders part of the pages.

MkDocs renders every page through the theme's templates one after the other, and with Material
that costs about as much as converting the Markdown did (bench/findings.md). Once the last
`on_env` handler has run, every page's HTML, the nav and the Jinja environment are final, so a
worker forked then renders its share of the pages exactly as MkDocs does (MkDocs' own
`_build_page`: the context, every plugin's page_context and post_page events, the template) and
writes them. MkDocs goes on with the rest. For the worker's pages it renders an empty template:
every plugin's page_context event still runs in this process, where the search plugin collects
its index, but nothing is written over the worker's file.

What the worker logs comes back and is logged here, so `--strict` counts its warnings; the
first error stops the build as one in MkDocs' own loop would.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator, Sequence
from fractions import Fraction
from typing import Any

# MkDocs' own page build, private but fixed: pyproject.toml takes MkDocs below 2, and 1.6 is the last 1.x. Calling it
# is what keeps a page the worker writes byte for byte the page MkDocs would write.
from mkdocs.commands.build import _build_page
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation

from generator import parallel
from generator.preview import worker_stopped

# An empty template in generator/theme/: what this process renders for a page the worker has written.
ELSEWHERE = "playbook-rendered-elsewhere.html"
# A page costs about 8 ms through Material's templates, and a fork a few tens of ms, so from a few
# dozen pages on the worker saves time; the sample playbook has about 70.
SPLIT_FROM = 40
# The worker's share of the pages. This process still runs every plugin's page_context for the worker's
# pages (the search plugin indexes them there), so it gets fewer pages to render in full.
SHARE = Fraction(4, 7)


class ThemeWorker:
    """A worker rendering its share of `pages` while MkDocs renders the rest; `join` waits for it."""

    def __init__(self, pages: Sequence[File], config: MkDocsConfig, nav: Navigation, env: Any) -> None:
        mine = _share(pages, SHARE)

        def render(file: File) -> tuple[list[logging.LogRecord], str | None]:
            return _render(file, config, pages, nav, env)

        # Forked here, so it sees each page's own template.
        self._handles = parallel.streamed(render, mine, setup=lambda: _index_elsewhere(config))
        for file in mine:
            assert file.page is not None
            file.page.meta["template"] = ELSEWHERE
        self._quiet = QuietCopies(config, {file.src_uri for file in mine})
        self._quieted = self._quiet.handlers()
        for handler in self._quieted:
            handler.addFilter(self._quiet)

    @classmethod
    def start(cls, files: Files, config: MkDocsConfig, nav: Navigation | None, env: Any) -> ThemeWorker | None:
        """The worker, if this build is worth one and can have it."""
        pages = files.documentation_pages(inclusion=InclusionLevel.is_included)
        if nav is None or len(pages) < SPLIT_FROM or not parallel.can_fork():
            return None
        return cls(pages, config, nav, env)

    def join(self) -> None:
        """Wait for every page, log what the worker logged, and raise its first error as a PluginError."""
        try:
            for handle in self._handles:
                try:
                    records, error = handle.result()
                except parallel.WorkerStopped as stopped:
                    raise worker_stopped(stopped) from None
                for record in records:
                    logging.getLogger(record.name).handle(record)
                if error:
                    raise PluginError(error)
        finally:
            self.close()

    def close(self) -> None:
        """Stop the worker if it is still at work (a failed build) and stop quieting MkDocs."""
        for handler in self._quieted:
            handler.removeFilter(self._quiet)
        parallel.stop_streams()


class QuietCopies(logging.Filter):
    """Nothing this process logs while it renders a page the worker has written: the worker ran the same
    events for that page and sends what they logged, which is then logged once (and MkDocs' note that it
    skipped an empty page is not true of it)."""

    def __init__(self, config: MkDocsConfig, src_uris: set[str]) -> None:
        super().__init__()
        self.config, self.src_uris = config, src_uris

    def filter(self, record: logging.LogRecord) -> bool:
        page = self.config._current_page  # set by MkDocs while it builds a page
        return page is None or page.file.src_uri not in self.src_uris

    def handlers(self) -> list[logging.Handler]:
        """The handlers that show or count a build's messages (MkDocs' console and --strict's counter)."""
        return [*logging.getLogger("mkdocs").handlers, *logging.getLogger().handlers]


def _share(pages: Sequence[File], share: Fraction) -> list[File]:
    """`share` of the pages, spread evenly over them: neighbours cost alike, so both processes go at one pace."""
    return [page for index, page in enumerate(pages) if (index + 1) * share // 1 > index * share // 1]


def _index_elsewhere(config: MkDocsConfig) -> None:
    """In the worker: no search entries. This process indexes every page, the worker's too, in its own
    page_context events, so what the worker's copy of the search plugin collected would be thrown away with it
    (0.4 ms a page, a sixth of the worker's time). The plugin's page_context still runs there, as it also
    changes the page's HTML."""
    for plugin in config.plugins.values():
        index = getattr(plugin, "search_index", None)
        if index is not None and callable(getattr(index, "add_entry_from_context", None)):
            index.add_entry_from_context = _no_entry


def _no_entry(page: Any) -> None:
    pass


def _render(file: File, config: MkDocsConfig, pages: Sequence[File], nav: Navigation,
            env: Any) -> tuple[list[logging.LogRecord], str | None]:
    """In the worker: one page rendered and written as MkDocs would, with what it logged, and its error."""
    assert file.page is not None
    with _captured_logs() as records:
        try:
            _build_page(file.page, config, pages, nav, env, excluded=file.inclusion.is_excluded())
        except Exception as error:  # MkDocs has logged "Error building page ..." already, as in its own loop
            return records, getattr(error, "message", None) or str(error)
    return records, None


@contextlib.contextmanager
def _captured_logs() -> Iterator[list[logging.LogRecord]]:
    """Every record logged meanwhile, held back instead of shown, with its arguments merged into its text so
    it can travel to the build's own process."""
    records: list[logging.LogRecord] = []

    class Capture(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            record.msg, record.args, record.exc_info, record.exc_text = record.getMessage(), None, None, None
            records.append(record)

    root, mkdocs = logging.getLogger(), logging.getLogger("mkdocs")
    kept = root.handlers, mkdocs.handlers, mkdocs.propagate
    root.handlers, mkdocs.handlers, mkdocs.propagate = [Capture()], [], True
    try:
        yield records
    finally:
        root.handlers, mkdocs.handlers, mkdocs.propagate = kept

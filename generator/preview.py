"""The live preview (`mkdocs serve --dirty`): rebuild only the pages a save changed, and still serve
exactly what a clean build would.

MkDocs' dirty mode skips every page whose file it believes unmodified, and leaves the rest
to the plugins: on its own it would keep stale navigation, a search index of the rebuilt
pages only, and the pages of deleted records. `Preview` closes each of those gaps:

- a generated page is rebuilt when its Markdown, title or source line changed, and every page
  is rebuilt when something all pages show changed (the navigation, mkdocs.yml, the theme);
- hand-written pages are always rebuilt: there are few, and their titles feed the navigation;
- a page whose Markdown names a page that came or went is rebuilt, for its link;
- the search index keeps each page's entries from the build that last rendered it;
- files the site no longer has are deleted from the served folder;
- a failed build keeps serving the last good site, and every page shows the problems.

Like plugin.py, this module is MkDocs glue; the pipeline itself knows nothing of it.
"""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import jinja2
import jinja2.bccache
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation

from generator import parallel, urls
from generator.errors import InternalError, Location, PlaybookError
from generator.outputs import Memo, Page
from generator.publish import problems_page
from generator.site import Site

log = logging.getLogger(__name__)
FileKey = tuple[str | bytes, str, Location | None]
# MkDocs warns on every dirty build that its navigation may be inaccurate; with this module it is not.
DIRTY_WARNING = "A 'dirty' build is being performed"


class PreviewFile(File):
    """A generated file that MkDocs rebuilds (a page) or writes (a feed) in a dirty build only when the
    preview says it changed."""

    changed = True

    @classmethod
    def made(cls, config: MkDocsConfig, path: str, content: str | bytes) -> PreviewFile:
        file = cls.generated(config, path, content=content)
        assert isinstance(file, cls)
        return file

    def is_modified(self) -> bool:
        return self.changed


class StreamedPage(PreviewFile):
    """A generated page whose Markdown a worker process may still be rendering (`parallel.streamed`).

    MkDocs reads a file's text only through `_content`, when it converts the page, so that is where
    the page waits for its Markdown: the pages are rendered while MkDocs converts the ones before.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self._page: Page | None = None
        self._text: str | bytes | None = None
        super().__init__(*args, **kwargs)

    @classmethod
    def of(cls, config: MkDocsConfig, page: Page) -> StreamedPage:
        file = cls.generated(config, page.path, content="")
        assert isinstance(file, cls)
        file._page = page
        return file

    @property  # File declares `_content` as a plain field; here it is computed
    def _content(self) -> str | bytes | None:
        if self._page is not None:
            try:
                self._text = self._page.markdown
            except InternalError as error:
                raise template_failed(error) from None
            except parallel.WorkerStopped as stopped:
                raise worker_stopped(stopped) from None
            self._page = None
        return self._text

    @_content.setter
    def _content(self, value: str | bytes | None) -> None:
        self._page, self._text = None, value


def worker_stopped(error: parallel.WorkerStopped) -> PluginError:
    """The one line a build gives when its second process was killed; the last good site stays."""
    return PluginError(f"The build's second process ended before it was done ({error}); nothing was published")


def template_failed(error: InternalError) -> PluginError:
    """The one line a build gives for a broken template, wherever the page was rendered."""
    return PluginError(f"A template failed, not the content: {error}")


class CompiledTemplates(jinja2.BytecodeCache):
    """The theme's templates compiled once per session: MkDocs makes a new Jinja environment for every
    build, and compiling Material's templates again costs more than a page edit. Jinja checks each
    entry against the template's source, so an edited template is compiled afresh."""

    def __init__(self) -> None:
        self.codes: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if bucket.key in self.codes:
            bucket.bytecode_from_string(self.codes[bucket.key])

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.codes[bucket.key] = bucket.bytecode_to_string()


class Preview:
    """What one `mkdocs serve` session remembers between its builds."""

    def __init__(self, dirty: bool) -> None:
        self.memo = Memo()
        self.templates = CompiledTemplates()
        self.dirty = dirty
        self.problems: PlaybookError | None = None
        self.good: Site | None = None
        """The last site built without problems; a failed build keeps showing it."""
        self._pages: dict[str, FileKey] = {}
        self._basis: object = None
        self._entries: dict[str, list[dict[str, Any]]] = {}
        self._outputs: set[str] = set()
        self._built: set[str] = set()
        self._order: list[str] = []
        self._contents: dict[str, str] = {}

    def site_to_show(self, site: Site | None, problems: PlaybookError | None) -> Site:
        """This build's site, or the last good one with the problems page added while there are problems."""
        self.problems = problems
        if site is not None:
            self.good = site
            return site
        assert self.good is not None and problems is not None, "the first build fails the server instead"
        return Site((*self.good.pages, problems_page(problems)), self.good.nav, self.good.assets)

    def mark_changes(self, files: Files, site: Site, generated: list[PreviewFile], config: MkDocsConfig,
                     search: object | None, theme_dirs: list[str]) -> None:
        """Tell MkDocs which pages to rebuild; without --dirty or a known search index, that is all of them.

        `theme_dirs` are the theme folders a person may edit during the session (the installed
        theme's own files do not change while it runs).
        """
        written = [page for page in files.documentation_pages() if not isinstance(page, PreviewFile)]
        # A hand-written page's title and front matter show in every page's navigation.
        basis = (repr(config.nav), _config_text(config), _stamp(theme_dirs),
                 _stamp(page.abs_src_path for page in written if page.abs_src_path), config.site_url)
        keys: dict[str, FileKey] = {page.path: (page.markdown, page.title, page.source) for page in site.pages}
        keys.update({asset.path: (asset.content, "", None) for asset in site.assets})
        everything = not self.dirty or search is None or basis != self._basis
        came_or_went = {_stem(path) for path in set(keys) ^ set(self._pages)}
        for file in generated:
            path = file.src_uri
            file.changed = everything or keys[path] != self._pages.get(path) or _names(keys[path][0], came_or_went)
        for page in written:
            _backdate(page.abs_dest_path)  # always rebuilt, so that its title is known to the navigation
        self._basis, self._pages = basis, keys
        if everything:
            self._entries = {}

    def read_unchanged(self, nav: Navigation, config: MkDocsConfig) -> None:
        """The navigation shows other pages' front matter (icons, status): read it for pages not rebuilt."""
        for page in nav.pages:
            if not page.file.is_modified():
                page.read_source(config)

    def remove_stale(self, files: Files, site_dir: str) -> None:
        """Delete what the last build wrote that this one no longer has, as a clean build would not have it."""
        outputs = {file.dest_uri for file in files}
        for dest in self._outputs - outputs:
            _remove(Path(site_dir), dest)
        self._outputs = outputs
        # A page's own URL, as the search index names it: the home page's is '' where its file's is './'.
        self._order = [file.page.url for file in files.documentation_pages(inclusion=InclusionLevel.is_in_serve)
                       if file.page]
        self._built = set()

    def contents(self, files: Files) -> dict[str, str]:
        """Every page's HTML: this build's where it rendered the page, the last build's where it did not."""
        self._contents = {f.src_uri: f.page.content if f.page.content is not None else self._contents.get(f.src_uri, "")
                          for f in files.documentation_pages() if f.page}
        return self._contents

    def page_built(self, url: str) -> None:
        self._built.add(url)

    def complete_search_index(self, search: Any) -> None:
        """Every page's entries, in page order: the fresh ones of rebuilt pages, the kept ones of the rest."""
        index = getattr(search, "search_index", None)
        if index is None:
            return
        fresh: dict[str, list[dict[str, Any]]] = {url: [] for url in self._built}
        for entry in index.entries:
            fresh.setdefault(entry["location"].partition("#")[0], []).append(entry)
        self._entries = {url: fresh[url] if url in fresh else self._entries.get(url, []) for url in self._order}
        index.entries = [entry for url in self._order for entry in self._entries[url]]
        search.search_index_prev = None  # its own merge of dirty builds assumes one page was rebuilt

    def serve(self, app: Callable[..., Iterable[bytes]], mount_path: str,
              directory_urls: bool) -> Callable[..., Iterable[bytes]]:
        """The live server's app, showing the problems page in place of any page while there are problems."""
        problems_url = mount_path + urls.page_url(urls.PROBLEMS, directory_urls)

        def serve_request(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
            path = environ.get("PATH_INFO", "")
            if self.problems and path.startswith(mount_path) and _is_page(path):
                environ = {**environ, "PATH_INFO": problems_url}
            return app(environ, start_response)

        return serve_request


def search_plugin(config: MkDocsConfig) -> object | None:
    """Material's search plugin, whose index the preview completes; None for any other."""
    for plugin in config.plugins.values():
        index = getattr(plugin, "search_index", None)
        if type(plugin).__module__.startswith("material.plugins.search") and isinstance(
                getattr(index, "entries", None), list):
            return plugin
    return None


class QuietDirtyWarning(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith(DIRTY_WARNING)


def _is_page(path: str) -> bool:
    last = path.rpartition("/")[2]
    return last == "" or last.endswith(".html") or "." not in last


def _names(content: str | bytes, stems: set[str]) -> bool:
    """Whether a page's Markdown may link to one of the pages named by `stems` (feeds link to none)."""
    return isinstance(content, str) and any(stem in content for stem in stems)


def _stem(path: str) -> str:
    """What a link to the page at `path` must contain: `roles/mentor.md` → `mentor`, `a/b/index.md` → `b`."""
    parts = path.removesuffix(".md").split("/")
    return parts[-2] if parts[-1] == "index" and len(parts) > 1 else parts[-1]


def _config_text(config: MkDocsConfig) -> bytes:
    try:
        return Path(config.config_file_path).read_bytes()
    except OSError:
        return b""


def _stamp(paths: Iterable[str]) -> tuple[tuple[str, int, int], ...]:
    """Path, modification time and size of each file, and of every file in each folder."""
    stamp = []
    for path in paths:
        found = [os.path.join(root, name) for root, _, names in os.walk(path) for name in names] \
            if os.path.isdir(path) else [path]
        for name in found:
            status = os.stat(name)
            stamp.append((name, status.st_mtime_ns, status.st_size))
    return tuple(stamp)


def _backdate(path: str) -> None:
    with contextlib.suppress(FileNotFoundError):
        os.utime(path, ns=(0, 0))


def _remove(site_dir: Path, dest: str) -> None:
    """Delete one output file, and the folders it leaves empty."""
    target = site_dir / dest
    target.unlink(missing_ok=True)
    for folder in target.parents:
        if folder == site_dir or not folder.is_relative_to(site_dir) or any(folder.iterdir()):
            break
        folder.rmdir()

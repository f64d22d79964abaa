"""MkDocs glue: each event handler only calls the pipeline's plain functions.

Only this module and the two it calls for MkDocs' own objects (preview.py, theme_worker.py) import
MkDocs, so the core also runs under any other engine (tests/test_layout.py).
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import os
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, cast

from jinja2 import Environment
from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils import CountHandler
from mkdocs.utils.meta import get_data
from mkdocs.utils.templates import TemplateContext

from generator import editor, parallel
from generator.audience import Audience
from generator.brand import BrandError, brand_from_palette
from generator.errors import InternalError, Location, PlaybookError
from generator.feeds import feed_links
from generator.loader import NotUtf8, decode_utf8
from generator.markup import repair_theme_html
from generator.nav import places
from generator.output import OutputError, Staging
from generator.outputs import Options, Rank
from generator.preview import Preview, PreviewFile, QuietDirtyWarning, StreamedPage, search_plugin, template_failed
from generator.publish import build_playbook, nav_for_mkdocs
from generator.sanitize import Sanitizer, rename_toc_anchors, sanitize_html
from generator.site import Site
from generator.sources import repository_name, source_url
from generator.static import unused_static_files
from generator.theme_worker import ThemeWorker
from generator.urls import EDITOR, STYLESHEET

if TYPE_CHECKING:  # importing it loads watchdog, which only `mkdocs serve` needs
    from mkdocs.livereload import LiveReloadServer

log = get_plugin_logger(__name__)
THEME = Path(__file__).parent / "theme"
# Material's search weights (`search` front matter) for each rank of page (kinds.Rank).
SEARCH: dict[Rank, dict[str, object]] = {"role": {"boost": 3}, "record": {"boost": 2}, "listing": {"boost": 0.5},
                                         "hidden": {"exclude": True}}


class PlaybookConfig(base.Config):
    content = c.Type(str, default="playbook")
    """Folder of the playbook's YAML, relative to mkdocs.yml."""

    templates = c.Type(str, default="templates")
    """Folder of templates that override the built-in ones by file name, relative to mkdocs.yml."""

    drafts = c.Choice(("preview", "always", "never"), default="preview")
    """Show `status: draft` posts: only under `mkdocs serve` (preview), always, or never."""

    audience = c.Choice(("internal", "external"), default="internal")
    """Which site to build: the intranet (everything) or the external site (external records only)."""

    public_repo_url = c.Optional(c.URL())
    """The public repository the external site's header links to. Without it the external site names no
    repository: `repo_url` and `repo_name` point at the internal Git host and are left out of that build."""

    public_repo_name = c.Optional(c.Type(str))
    """The name shown beside that link, such as `northwind/mentoring-playbook` (default: the URL's path)."""

    public_edit_uri = c.Optional(c.Type(str))
    """The edit path inside `public_repo_url`, such as `edit/main/docs/`. Without it the external site has
    no "Edit this page" buttons."""

    web_editor = c.Optional(c.Type(str))
    """Folder of the web editor's files (Decap CMS's browser bundle, `make editor`), relative to mkdocs.yml.
    With it the internal site has the editor at /admin/; the external site never does."""

    web_editor_backend = c.Optional(c.Choice(editor.BACKENDS))
    """The Git host `repo_url` is on, when its address does not say: gitlab, github or gitea."""

    web_editor_app_id = c.Type(str, default="")
    """The OAuth application's id the Git host gave the editor (GitLab, Gitea), so people log in there."""

    public_files = c.ListOfItems(c.Type(str), default=[])
    """Files under docs/ the external site publishes although no page uses them, such as `CNAME`.
    Every other file there reaches the external site only when one of its pages links to it or shows it."""


class PlaybookPlugin(BasePlugin[PlaybookConfig]):
    def __init__(self) -> None:
        self.serving = False
        self.preview: Preview | None = None
        self.site: Site | None = None
        self.summary = ""
        self.generated: set[str] = set()
        self.sources: dict[str, Location] = {}
        self.ranks: dict[str, Rank] = {}
        self.staging: Staging | None = None
        self.warnings: CountHandler | None = None
        self.sanitizer: Sanitizer | None = None
        self.brand_css = ""
        self.nav: Navigation | None = None
        self.theme_worker: ThemeWorker | None = None

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # Defining on_startup also keeps this one instance across `serve` rebuilds.
        self.serving = command == "serve"
        if self.serving:
            self.preview = Preview(dirty)
            if dirty:
                logging.getLogger("mkdocs.commands.build").addFilter(QuietDirtyWarning())

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        if not self.serving:  # `mkdocs serve` builds into a temporary folder of its own
            self.stage_site(config)
        project = Path(config.config_file_path).resolve().parent
        content, templates = project / self.config.content, project / self.config.templates
        config.watch.extend(str(path) for path in (content, templates) if path.is_dir())
        if self.config.audience == "external":
            self.use_public_repository(config)
        config.extra_css.insert(0, STYLESHEET)
        try:  # colour codes in theme.palette become Material's `custom` colours, checked for contrast
            brand = brand_from_palette(config.theme.get("palette"))
        except BrandError as error:
            raise PluginError(str(error)) from None
        self.brand_css = brand.css
        if brand.css:
            config.theme["palette"] = brand.palette
        config.theme.dirs.insert(1 if config.theme.custom_dir else 0, str(THEME))
        drafts = self.config.drafts == "always" or (self.config.drafts == "preview" and self.serving)
        options = Options(today=dt.date.today(), drafts=drafts, site_url=config.site_url,
                          directory_urls=config.use_directory_urls, audience=cast(Audience, self.config.audience),
                          templates=templates, memo=self.preview.memo if self.preview else None,
                          processes=1 if self.preview else 2, stream_pages=not self.preview)
        try:
            build = build_playbook(content, project, options)
        except PlaybookError as error:
            if not (self.preview and self.preview.good):
                raise PluginError(f"The playbook has problems:\n{error.report()}") from None
            # The live preview keeps serving the last good site and shows the list on every page until it is fixed.
            log.error("The playbook has problems; the preview shows them until they are fixed:\n%s", error.report())
            self.site, self.summary = self.preview.site_to_show(None, error), f"Playbook: {error.summary}"
            return config
        except InternalError as error:
            raise template_failed(error) from None
        for warning in build.warnings:
            log.warning(str(warning))
        self.site = self.preview.site_to_show(build.site, None) if self.preview else build.site
        self.summary = build.summary
        return config

    def use_public_repository(self, config: MkDocsConfig) -> None:
        """The external site names and edits only a public repository; the internal Git host stays unnamed."""
        url = self.config.public_repo_url
        config.repo_url = url
        config.repo_name = (self.config.public_repo_name or repository_name(url)) if url else None
        config.edit_uri = self.config.public_edit_uri if url else None
        config.edit_uri_template = None

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        site: Site = self.site  # type: ignore[assignment]
        if self.config.audience == "external":
            for file in hand_written_internal(files):
                files.remove(file)
        self.generated = {page.path for page in site.pages}
        self.sources = {page.path: page.source for page in site.pages if page.source}
        self.ranks = {page.path: page.rank for page in site.pages}
        generated = []
        for page in site.pages:
            if files.get_file_from_path(page.path):
                raise PluginError(f"docs/{page.path} is written by hand, but the playbook generates that page; "
                                  "rename or remove the hand-written file")
            generated.append(PreviewFile.made(config, page.path, page.markdown) if self.preview
                             else StreamedPage.of(config, page))
            files.append(generated[-1])
        for asset in site.assets:
            generated.append(PreviewFile.made(config, asset.path, asset.content))
            files.append(generated[-1])
        stylesheet = Path(__file__).parent / STYLESHEET
        files.append(File.generated(config, STYLESHEET, content=stylesheet.read_text(encoding="utf-8") + self.brand_css)
                     if self.brand_css else File.generated(config, STYLESHEET, abs_src_path=str(stylesheet)))
        if self.config.web_editor and self.config.audience == "internal":
            for file in self.editor_files(config):
                files.append(file)
        if config.nav is None:
            config.nav = nav_for_mkdocs(site, [f.src_uri for f in files.documentation_pages()])
            # Stories are left out of the nav on purpose; listing thousands of them helps nobody.
            config.validation.nav.omitted_files = logging.DEBUG
        # A preview renders a few pages again; a full build cleans its many on the second core.
        self.sanitizer = None if self.preview else Sanitizer()
        if self.preview:
            editable = [folder for folder in (config.theme.custom_dir, str(THEME)) if folder]
            self.preview.mark_changes(files, site, generated, config, search_plugin(config), editable)
        # MkDocs holds the pages from here on. Letting go of the models means the garbage collector
        # does not walk them on every full collection for the rest of the build (bench/results.md).
        self.site = None
        return files

    def editor_files(self, config: MkDocsConfig) -> list[File]:
        """admin/: the CMS's page, its configuration and file formats made from the models, and the CMS."""
        project = Path(config.config_file_path).resolve().parent  # the repository's root, as Decap names paths
        bundle = project / str(self.config.web_editor)
        if not (bundle / editor.SCRIPT).is_file():
            raise PluginError(f"the web editor's files are not in {bundle}; run `make editor` to fetch them, "
                              "or remove `web_editor` from mkdocs.yml")
        try:
            repository = editor.Repository.from_mkdocs(config.repo_url, config.edit_uri,
                                                       self.config.web_editor_backend, self.config.web_editor_app_id)
        except editor.EditorError as error:
            raise PluginError(f"mkdocs.yml: {error}") from None
        docs = Path(os.path.relpath(Path(config.docs_dir).resolve(), project)).as_posix()
        made = editor.admin_files(repository, config.site_name, Path(self.config.content).as_posix(), docs)
        scripts = [(path.relative_to(bundle).as_posix(), path) for path in sorted(bundle.rglob("*.js"))]
        return [*(File.generated(config, f"{EDITOR}{name}", content=text) for name, text in made.items()),
                File.generated(config, f"{EDITOR}{editor.FORMAT.name}", abs_src_path=str(editor.FORMAT)),
                *(File.generated(config, f"{EDITOR}{name}", abs_src_path=str(path)) for name, path in scripts)]

    def on_nav(self, nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation:
        if self.preview:
            self.preview.read_unchanged(nav, config)
        place_in_sections(nav, files)
        self.nav = nav
        return nav

    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        search = SEARCH.get(self.ranks.get(page.file.src_uri, "page"))
        if search:  # a template override's own front matter wins
            page.meta.setdefault("search", search)
        return markdown

    @event_priority(100)  # before anything else reads the pages' HTML
    def _sanitized_pages(self, env: Environment, *, config: MkDocsConfig, files: Files) -> Environment:
        sanitizer, self.sanitizer = self.sanitizer, None
        if sanitizer:
            for src_uri, html in sanitizer.results().items():
                page = files.src_uris[src_uri].page
                assert page is not None
                page.content = html
        return env

    def _finish_env(self, env: Environment, *, config: MkDocsConfig, files: Files) -> Environment:
        # The theme override's <link rel=alternate> tags, on every page and the 404 page alike.
        env.globals["playbook_feeds"] = functools.partial(feed_links, config.site_url)
        # Every page is rendered to HTML by now, and static files are copied only after this event.
        if self.config.audience == "external":
            contents = self.preview.contents(files) if self.preview else {}
            for file in internal_static_files(files, config, self.config.public_files, contents):
                files.remove(file)
        if self.preview:
            self.preview.remove_stale(files, config.site_dir)
            env.bytecode_cache = self.preview.templates
        return env

    @event_priority(-100)  # last: from here on the pages, the nav and the environment are final
    def _start_theme_worker(self, env: Environment, *, config: MkDocsConfig, files: Files) -> Environment:
        if not self.preview:
            self.theme_worker = ThemeWorker.start(files, config, self.nav, env)
        return env

    on_env = CombinedEvent(_sanitized_pages, _finish_env, _start_theme_worker)

    def on_page_context(self, context: TemplateContext, *, page: Page, config: MkDocsConfig,
                        nav: Navigation) -> TemplateContext:
        if self.preview:
            self.preview.page_built(page.url)
        source = self.sources.get(page.file.src_uri)
        if source:
            page.edit_url = source_url(config.repo_url, config.edit_uri, Path(config.docs_dir).name, source)
        return context

    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        if page.file.src_uri not in self.generated:
            return html
        rename_toc_anchors(page.toc)  # the sanitizer renames headings' ids that the theme owns
        if self.sanitizer is None:
            return sanitize_html(html)
        # Until on_env puts the cleaned HTML in its place, nothing is written and no page rendered.
        self.sanitizer.add(page.file.src_uri, html)
        return html

    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        return repair_theme_html(output)

    def on_post_template(self, output_content: str, *, template_name: str, config: MkDocsConfig) -> str:
        return repair_theme_html(output_content) if template_name.endswith(".html") else output_content

    @event_priority(100)  # first: the worker's pages, and what it logged, belong to the build before anything ends it
    def _join_theme_worker(self, *, config: MkDocsConfig) -> None:
        worker, self.theme_worker = self.theme_worker, None
        if worker:
            worker.join()

    @event_priority(50)  # before the search plugin writes its index
    def _complete_search_index(self, *, config: MkDocsConfig) -> None:
        if self.preview:
            self.preview.complete_search_index(search_plugin(config))

    @event_priority(-100)  # last, after the search plugin has written its index
    def _publish(self, *, config: MkDocsConfig) -> None:
        log.info(self.summary)
        staging, self.staging = self.staging, None
        if staging is None:
            return
        config.site_dir = str(staging.target)  # `mkdocs gh-deploy` reads it after the build
        # MkDocs aborts a --strict build with warnings only after this event, so the check is made here.
        if config.strict and self.warnings and self.warnings.get_counts():
            staging.discard()
            log.info("The build failed in strict mode; %s is left as it was", staging.target)
            return
        try:
            staging.publish()
        except OutputError as error:
            staging.discard()
            raise PluginError(str(error)) from None

    on_post_build = CombinedEvent(_join_theme_worker, _complete_search_index, _publish)

    def on_serve(self, server: LiveReloadServer, *, config: MkDocsConfig, builder: object) -> LiveReloadServer:
        app = server.get_app()
        if self.preview and app:
            server.set_app(self.preview.serve(app, server.mount_path, config.use_directory_urls))
        return server

    def on_build_error(self, *, error: Exception) -> None:
        if self.theme_worker:
            self.theme_worker.close()
            self.theme_worker = None
        parallel.stop_streams()
        if self.sanitizer:
            self.sanitizer.close()
            self.sanitizer = None
        if self.staging:
            self.staging.discard()
            self.staging = None

    def stage_site(self, config: MkDocsConfig) -> None:
        """Build into a fresh folder beside site_dir; on_post_build swaps it in only if the build succeeded."""
        try:
            self.staging = Staging.beside(Path(config.site_dir))
        except OutputError as error:
            raise PluginError(str(error)) from None
        config.site_dir = str(self.staging.fresh)
        # The counter MkDocs' build() attaches in strict mode and reads after on_post_build (mkdocs<2).
        counters = [h for h in logging.getLogger("mkdocs").handlers if isinstance(h, CountHandler)]
        self.warnings = counters[-1] if counters else None


def place_in_sections(nav: Navigation, files: Files) -> None:
    """Give each page outside the nav the section of the nav page it sits with (`nav.places`).

    MkDocs marks a page's section active while it renders the page, so the section's tab, sidebar
    and breadcrumb (`navigation.path`) show on stories and tag pages too. Listing them in the nav
    instead would put thousands of entries on every page.
    """
    in_nav = {page.file.src_uri: page for page in nav.pages}
    outside = {file.src_uri: file.page for file in files.documentation_pages() if file.page}
    for path, home in places(outside, in_nav).items():
        outside[path].parent = in_nav[home].parent


def hand_written_internal(files: Files) -> list[File]:
    """Hand-written pages are internal unless their front matter says `audience: external`."""
    internal = []
    for file in files.documentation_pages():
        if file.generated_by is None:
            _, meta = get_data(read_page(file))
            if meta.get("audience") != "external":
                internal.append(file)
    return internal


def internal_static_files(files: Files, config: MkDocsConfig, public: list[str],
                          contents: Mapping[str, str]) -> list[File]:
    """Static files from docs/ that no page of this build uses, nor the configuration itself.

    `contents` holds the HTML of pages a preview build did not render again, from the build that did.
    """
    docs = Path(config.docs_dir)
    static = {f.src_uri: f.url for f in files if f.generated_by is None and not f.is_documentation_page()
              and f.abs_src_path and Path(f.abs_src_path).is_relative_to(docs)}
    keep = {*config.extra_css, *(str(script) for script in config.extra_javascript), *config.extra_templates,
            *(config.theme.get(name) or "" for name in ("logo", "favicon")), *public}
    pages = [(f.page.url, f.page.content or contents.get(f.src_uri, "")) for f in files.documentation_pages() if f.page]
    unused = unused_static_files(pages, static, keep, config.site_url)
    return [file for src in unused if (file := files.get_file_from_path(src))]


def read_page(file: File) -> str:
    """A hand-written page's text; a page that is not UTF-8 is one error line naming it, not a traceback."""
    try:
        return decode_utf8(Path(file.abs_src_path).read_bytes())  # type: ignore[arg-type]
    except NotUtf8 as error:
        raise PluginError(f"docs/{file.src_uri}:{error.line}: byte 0x{error.byte} is not UTF-8; save the page as "
                          "UTF-8 text") from None

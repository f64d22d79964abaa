"""Which pages the site has, each from its kind's row in the registry, rendered through Jinja.

Every kind with records gets its list page; a kind with a page per record gets those too.
The program has the home page and its overview; the posts have the hub (generator/stories.py).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import jinja2

from generator import kinds, parallel, urls
from generator.context import BrowsePage, Common, HubPage, ListPage, RecordPage, common, variables
from generator.errors import Location
from generator.models import Audience, Playbook, Story
from generator.outputs import Deferred, Options, Page, Rank
from generator.render import BUILTIN_TEMPLATES, make_environment, render_template
from generator.stories import Hub, collect_hubs
from generator.tracing import Recorder, Trace


@dataclass(frozen=True)
class PageSpec:
    """A page to render: where, with which template and title, from which YAML, and its own variables."""

    path: str
    template: str
    title: str
    source: Location | None
    context: dict[str, object]
    rank: Rank = "page"


def render_pages(playbook: Playbook, options: Options) -> Iterator[Page]:
    """The output that makes every Markdown page."""
    stories = options.stories(playbook)
    specs = list(plan_pages(playbook, stories, options.audience))
    shared = common(playbook, stories, options.today, options.site_url, frozenset(spec.path for spec in specs))
    if options.memo:
        yield from options.memo.part(PageMemo).render(specs, shared, options)
        return
    environment = make_environment(options.templates)
    for spec, markdown in zip(specs, render_all(environment, specs, shared, options), strict=True):
        yield Page(spec.path, spec.title, markdown, spec.source, spec.rank)


def render_page(environment: jinja2.Environment, spec: PageSpec, shared: Common) -> str:
    return render_template(environment, spec.template, **variables(shared, page_path=spec.path, **spec.context))


def render_all(environment: jinja2.Environment, specs: list[PageSpec], shared: Common,
               options: Options) -> Sequence[str | Deferred]:
    """Every page's Markdown, in order. With two processes a forked worker renders every other page, or,
    when the pages are streamed, all of them while this process goes on."""
    def render(spec: PageSpec) -> str:
        return render_page(environment, spec, shared)

    if options.stream_pages and options.processes > 1 and len(specs) >= parallel.PARALLEL_FROM and parallel.can_fork():
        return parallel.streamed(render, specs)
    return parallel.interleaved(render, specs, options.processes)


@dataclass(frozen=True)
class Rendered:
    spec: PageSpec
    trace: Trace
    markdown: str


# The shared objects through which a template reaches records beyond its own page's (tracing.py).
TRACED = ("q", "playbook", "site_pages")
# A page's own variables that are traced rather than compared whole: a hub page reads a few facts of
# its hub (title, size, page count), not every post in it.
TRACED_OWN = ("hub",)


class PageMemo:
    """Each page's Markdown from the last build, with what it was made from.

    A page is rendered again when its plan changed (title, source, its own records), when
    anything it read through the shared objects would now read differently, or when what
    every page depends on changed: the templates, the options or the program.
    """

    def __init__(self) -> None:
        self.basis: object = None
        self.environment: jinja2.Environment | None = None
        self.pages: dict[str, Rendered] = {}
        self.rendered: list[str] = []
        """The pages the last build rendered; it reused the rest."""

    def render(self, specs: list[PageSpec], shared: Common, options: Options) -> Iterator[Page]:
        basis = (options, shared.program, template_stamp(options.templates))
        if basis != self.basis or self.environment is None:
            self.basis, self.pages, self.environment = basis, {}, make_environment(options.templates)
        sources = {name: getattr(shared, name) for name in TRACED}
        answers: dict[tuple[object, ...], object] = {}
        kept: dict[str, Rendered] = {}
        self.rendered = []
        for spec in specs:
            page = self.pages.get(spec.path)
            if page is None or _compared(page.spec) != _compared(spec) or \
                    not page.trace.holds({**sources, **_traced_own(spec)}, answers):
                page = self._render(spec, shared)
            kept[spec.path] = page
            yield Page(spec.path, spec.title, page.markdown, spec.source, spec.rank)
        self.pages = kept

    def _render(self, spec: PageSpec, shared: Common) -> Rendered:
        assert self.environment is not None
        trace = Trace()
        names = variables(shared, page_path=spec.path, **spec.context)
        names.update({name: Recorder(names[name], name, trace) for name in (*TRACED, *_traced_own(spec))})
        self.rendered.append(spec.path)
        return Rendered(spec, trace, render_template(self.environment, spec.template, **names))


def _traced_own(spec: PageSpec) -> dict[str, object]:
    return {name: spec.context[name] for name in TRACED_OWN if name in spec.context}


def _compared(spec: PageSpec) -> tuple[object, ...]:
    """What of a page's plan is compared whole between builds: all but its traced variables."""
    own = {name: value for name, value in spec.context.items() if name not in TRACED_OWN}
    return spec.path, spec.template, spec.title, spec.source, own


def template_stamp(override_dir: Path | None) -> tuple[tuple[str, int, int], ...]:
    """Every template file's path, size and modification time: any edit to a template changes it."""
    folders = [BUILTIN_TEMPLATES, *([override_dir] if override_dir and override_dir.is_dir() else [])]
    return tuple((str(path), status.st_mtime_ns, status.st_size) for folder in folders
                 for path in sorted(folder.rglob("*")) if (status := path.stat()) and path.is_file())


MATCHING_TITLE = "How pairs are matched"
# The intranet's home page serves people in the program; the public site's speaks to candidates.
HOME_TEMPLATES: dict[Audience, str] = {"internal": "home.md.j2", "external": "candidates.md.j2"}


def plan_pages(playbook: Playbook, stories: tuple[Story, ...], audience: Audience = "internal") -> Iterator[PageSpec]:
    program = playbook.program
    yield PageSpec(urls.HOME, HOME_TEMPLATES[audience], program.name, program.source, {})
    yield PageSpec(urls.PROGRAM, "program.md.j2", "Program overview", _file_of(program.source), {})
    if program.matching:
        yield PageSpec(urls.MATCHING, "matching.md.j2", MATCHING_TITLE, _file_of(program.source),
                       {"matching": program.matching})
    for kind in kinds.collections():
        records = playbook.collections.get(kind.name, ())
        if records and kind.list_page and kind.list_template:
            yield PageSpec(kind.list_page, kind.list_template, kind.list_title, _file_of(records[0].source),
                           variables(ListPage(records)), kind.list_rank)
    for kind in kinds.collections():
        if kind.record_template and kind is not kinds.STORIES:
            for record in playbook.collections.get(kind.name, ()):
                yield PageSpec(urls.of(record), kind.record_template, record.title, record.source,
                               variables(RecordPage(record), **{kind.noun: record}), kind.record_rank)
    yield from _story_pages(playbook, stories)


def _file_of(location: Location | None) -> Location | None:
    """A page built from a whole file links to the file's top, not to its first record."""
    return Location(location.path) if location else None


def _story_pages(playbook: Playbook, stories: tuple[Story, ...]) -> Iterator[PageSpec]:
    if not stories:
        return
    hubs = collect_hubs(stories, playbook.roles, playbook.collections.get("tags", ()))
    for hub in hubs:
        yield from _hub_pages(hub)
    yield PageSpec(urls.BROWSE, "browse.md.j2", "Browse stories", None, variables(BrowsePage(hubs[1:])))
    template = kinds.STORIES.record_template
    assert template, "the stories' registry row names their page template"
    for story in stories:
        yield PageSpec(urls.of(story), template, story.title, story.source,
                       variables(RecordPage(story), story=story))


def _hub_pages(hub: Hub) -> Iterator[PageSpec]:
    for number in range(1, hub.page_count + 1):
        yield PageSpec(hub.page_path(number), "hub.md.j2", hub.title, None,
                       variables(HubPage(hub, number, hub.page(number))), "listing" if number == 1 else "hidden")

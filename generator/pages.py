"""Which pages the site has, each from its kind's row in the registry, rendered through Jinja.

Every kind with records gets its list page; a kind with a page per record gets those too.
The program has the home page and its overview; the posts have the hub (generator/stories.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import jinja2

from generator import kinds, urls
from generator.context import BrowsePage, Common, HubPage, ListPage, RecordPage, common, variables
from generator.errors import Location
from generator.models import Playbook, Story
from generator.outputs import Options, Page
from generator.render import make_environment, render_template
from generator.stories import Hub, collect_hubs


@dataclass(frozen=True)
class PageSpec:
    """A page to render: where, with which template and title, from which YAML, and its own variables."""

    path: str
    template: str
    title: str
    source: Location | None
    context: dict[str, object]


def render_pages(playbook: Playbook, options: Options) -> Iterator[Page]:
    """The output that makes every Markdown page."""
    stories = options.stories(playbook)
    specs = list(plan_pages(playbook, stories))
    shared = common(playbook, stories, options.today, options.site_url, frozenset(spec.path for spec in specs))
    environment = make_environment(options.templates)
    for spec in specs:
        yield Page(spec.path, spec.title, render_page(environment, spec, shared), spec.source)


def render_page(environment: jinja2.Environment, spec: PageSpec, shared: Common) -> str:
    return render_template(environment, spec.template, **variables(shared, page_path=spec.path, **spec.context))


def plan_pages(playbook: Playbook, stories: tuple[Story, ...]) -> Iterator[PageSpec]:
    program = playbook.program
    yield PageSpec(urls.HOME, "home.md.j2", program.name, program.source, {})
    yield PageSpec(urls.PROGRAM, "program.md.j2", "Program overview", _file_of(program.source), {})
    for kind in kinds.collections():
        records = playbook.collections.get(kind.name, ())
        if records and kind.list_page and kind.list_template:
            yield PageSpec(kind.list_page, kind.list_template, kind.list_title, _file_of(records[0].source),
                           variables(ListPage(records)))
    for kind in kinds.collections():
        if kind.record_template and kind is not kinds.STORIES:
            for record in playbook.collections.get(kind.name, ()):
                yield PageSpec(urls.of(record), kind.record_template, record.title, record.source,
                               variables(RecordPage(record), **{kind.noun: record}))
    yield from _story_pages(playbook, stories)


def _file_of(location: Location | None) -> Location | None:
    """A page built from a whole file links to the file's top, not to its first record."""
    return Location(location.path) if location else None


def _story_pages(playbook: Playbook, stories: tuple[Story, ...]) -> Iterator[PageSpec]:
    if not stories:
        return
    hubs = collect_hubs(stories, playbook.roles)
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
                       variables(HubPage(hub, number, hub.page(number))))

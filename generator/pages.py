"""Which pages the site has, what each is built from, and the navigation that reaches them.

Only hub pages enter the navigation: every page renders the whole nav, so a nav entry per
story would make the build grow with the square of the number of stories.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Literal

import jinja2

from generator.errors import Location
from generator.feeds import build_feeds, feed_paths
from generator.ics import CALENDAR_PATH, build_calendar, occurrences
from generator.models import Playbook, Story
from generator.render import render_template
from generator.stories import KIND_TITLES, Hub, collect_hubs, index_by_tag, related_stories, story_path, tag_label

NavItem = tuple[str | None, "str | list[NavItem]"]
LATEST = 5


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


@dataclass(frozen=True)
class Site:
    pages: tuple[Page, ...]
    nav: list[NavItem]
    assets: tuple[Asset, ...] = ()


@dataclass(frozen=True)
class Options:
    today: dt.date
    drafts: bool = False
    site_url: str | None = None
    directory_urls: bool = True
    audience: Literal["internal", "external"] = "internal"


@dataclass(frozen=True)
class _Spec:
    path: str
    template: str
    title: str
    source: Location | None
    context: dict[str, object] = field(default_factory=dict)


class Paths:
    """Where each kind of record's page lives; templates link through this, never by hand."""

    role = staticmethod(lambda role_id: f"roles/{role_id}.md")
    rule = staticmethod(lambda rule_id: f"rules/{rule_id}.md")
    meeting = staticmethod(lambda meeting_id: f"meetings/{meeting_id}.md")
    story = staticmethod(story_path)
    tag = staticmethod(lambda tag: f"stories/tags/{tag}.md")
    year = staticmethod(lambda year: f"stories/years/{year}.md")
    kind = staticmethod(lambda kind: f"stories/kinds/{kind}.md")
    role_stories = staticmethod(lambda role_id: f"stories/roles/{role_id}.md")
    browse = "stories/browse.md"


def page_url(path: str, directory_urls: bool = True) -> str:
    """The URL path of a generated page, relative to the site root, as MkDocs will publish it."""
    stem = path[: -len(".md")]
    if not directory_urls:
        return stem + ".html"
    if stem == "index" or stem.endswith("/index"):
        return stem[: -len("index")]
    return stem + "/"


def build_site(playbook: Playbook, environment: jinja2.Environment, options: Options) -> Site:
    """Render every page of the site from the playbook."""
    stories = tuple(s for s in playbook.stories if options.drafts or s.status == "published")
    specs = list(plan_pages(playbook, stories))
    common = {"site_pages": {spec.path for spec in specs}, "playbook": playbook, "program": playbook.program, "today": options.today, "paths": Paths,
              "tag_label": tag_label, "kind_titles": KIND_TITLES, "site_url": options.site_url,
              "feed_paths": feed_paths, "calendar_path": CALENDAR_PATH}
    pages = tuple(
        Page(spec.path, spec.title, render_template(environment, spec.template, page_path=spec.path, **common,
                                                    **spec.context), spec.source)
        for spec in specs
    )
    return Site(pages, navigation(playbook, {spec.path for spec in specs}), build_assets(playbook, stories, options))


def build_assets(playbook: Playbook, stories: tuple[Story, ...], options: Options) -> tuple[Asset, ...]:
    """Feeds need absolute links, so they are made only when the site's URL is known."""
    assets = []
    if options.site_url:
        site_url = options.site_url.rstrip("/") + "/"
        for feed in build_feeds(stories, playbook.program, site_url, lambda p: page_url(p, options.directory_urls)):
            assets += [Asset(feed.atom_path, feed.atom), Asset(feed.rss_path, feed.rss)]
    if playbook.events:
        assets.append(Asset(CALENDAR_PATH, build_calendar(playbook.events, playbook.program, options.today)))
    return tuple(assets)


def plan_pages(playbook: Playbook, stories: tuple[Story, ...]) -> Iterator[_Spec]:
    program = playbook.program
    yield _Spec("index.md", "home.md.j2", program.name, program.source, {"latest": stories[:LATEST]})
    yield _Spec("program.md", "program.md.j2", "Program overview", _file_of(program.source))
    if playbook.events:
        yield _Spec("calendar.md", "calendar.md.j2", "Calendar", _file_of(playbook.events[0].source),
                    {"events": [(event, occurrences(event)) for event in playbook.events]})
    for path, template, title, records in _collections(playbook):
        if records:
            yield _Spec(path, template, title, _file_of(records[0].source), {"records": records})
    for role in playbook.roles:
        yield _Spec(Paths.role(role.id), "role.md.j2", role.title, role.source, {"role": role,
                    "stories": [s for s in stories if role.id in s.roles][:LATEST]})
    for rule in playbook.rules:
        yield _Spec(Paths.rule(rule.id), "rule.md.j2", rule.title, rule.source, {"rule": rule})
    for meeting in playbook.meetings:
        yield _Spec(Paths.meeting(meeting.id), "meeting.md.j2", meeting.title, meeting.source, {"meeting": meeting})
    yield from _story_pages(playbook, stories)


def _file_of(location: Location | None) -> Location | None:
    """A page built from a whole file links to the file's top, not to its first record."""
    return Location(location.path) if location else None


def _collections(playbook: Playbook) -> list[tuple[str, str, str, tuple]]:
    return [
        ("methods.md", "methods.md.j2", "Culture methods", playbook.methods),
        ("implementation.md", "implementation.md.j2", "Implementation", playbook.steps),
        ("timeline.md", "timeline.md.j2", "Timeline", playbook.phases),
        ("roles/index.md", "roles.md.j2", "Roles", playbook.roles),
        ("rules/index.md", "rules.md.j2", "Rules", playbook.rules),
        ("meetings/index.md", "meetings.md.j2", "Meeting guides", playbook.meetings),
        ("pitfalls.md", "pitfalls.md.j2", "Pitfalls", playbook.pitfalls),
        ("metrics.md", "metrics.md.j2", "Metrics", playbook.metrics),
        ("faq.md", "faq.md.j2", "FAQ", playbook.questions),
    ]


def _story_pages(playbook: Playbook, stories: tuple[Story, ...]) -> Iterator[_Spec]:
    if not stories:
        return
    hubs = collect_hubs(stories, playbook.roles)
    for hub in hubs:
        yield from _hub_pages(hub)
    yield _Spec(Paths.browse, "browse.md.j2", "Browse stories", None, {"hubs": hubs[1:]})
    by_tag = index_by_tag(stories)
    for story in stories:
        yield _Spec(story_path(story), "story.md.j2", story.title, story.source,
                    {"story": story, "related": related_stories(story, by_tag)})


def _hub_pages(hub: Hub) -> Iterator[_Spec]:
    for number in range(1, hub.page_count + 1):
        yield _Spec(hub.page_path(number), "hub.md.j2", hub.title, None,
                    {"hub": hub, "number": number, "stories": hub.page(number)})


def navigation(playbook: Playbook, paths: set[str]) -> list[NavItem]:
    """The site's navigation, with only the pages that exist."""
    def keep(items: list[NavItem]) -> list[NavItem]:
        return [item for item in items if isinstance(item[1], list) or item[1] in paths]

    sections: list[NavItem] = [
        ("Home", "index.md"),
        ("Program", keep([("Overview", "program.md"), ("Culture methods", "methods.md"),
                          ("Implementation", "implementation.md"), ("Timeline", "timeline.md"),
                          ("Calendar", "calendar.md")])),
        ("Roles", keep([("All roles", "roles/index.md"), *((r.title, Paths.role(r.id)) for r in playbook.roles)])),
        ("Rules", "rules/index.md"),
        ("Meetings", keep([("All meeting guides", "meetings/index.md"), *((m.title, Paths.meeting(m.id)) for m in playbook.meetings)])),
        ("Pitfalls", "pitfalls.md"),
        ("Metrics", "metrics.md"),
        ("FAQ", "faq.md"),
        ("Stories", keep([("Latest", "stories/index.md"), ("Browse by topic", Paths.browse)])),
    ]
    return [item for item in keep(sections) if not isinstance(item[1], list) or item[1]]

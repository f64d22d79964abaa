"""What page templates receive: every name, typed and documented here, and the queries they ask.

Every page gets the fields of `Common`; each kind of page adds the fields of its own class
below. Questions about the records ("which rules bind this role?") are answered by `Queries`
in Python, so a template only lays out what it is given and an override copies no logic.
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import types
from dataclasses import dataclass, fields
from typing import Any

from generator import urls
from generator.health import HealthReport, health_report
from generator.ics import occurrences, upcoming
from generator.models import Event, Meeting, Pitfall, Playbook, Preparation, Program, Rule, Story, Tag
from generator.stories import KIND_TITLES, Hub, index_by_tag, reading_minutes, related_stories, tag_label, tag_labels

LATEST = 5
UPCOMING = 3
GLUES = (("hard", "Hard glue"), ("soft", "Soft glue"))
FACETS = (("kinds", "By kind"), ("tags", "By topic"), ("roles", "By role"), ("years", "By year"))


@dataclass(frozen=True)
class Ask:
    """Someone who takes questions by e-mail: the program's mailbox, or a person who gives an address."""

    label: str
    """The link's text: the person's name, or the mailbox's address."""
    email: str
    title: str = ""
    """A person's job title; empty for the mailbox."""
    about: str = ""
    """What to ask them about, when program.yml says."""
    channel: str = ""
    """The chat channel that goes with the mailbox."""


@dataclass(frozen=True)
class Queries:
    """Questions templates ask about the playbook of this build."""

    playbook: Playbook
    stories: tuple[Story, ...]
    """The posts this build shows, newest first (drafts only in a preview)."""
    today: dt.date

    def latest(self, count: int = LATEST, besides: Story | None = None) -> tuple[Story, ...]:
        """The newest posts; `besides` leaves out one already shown, such as the featured post."""
        return tuple(itertools.islice((story for story in self.stories if story is not besides), count))

    def stories_about(self, role_id: str, count: int = LATEST) -> list[Story]:
        """The newest posts about a role."""
        return [story for story in self.stories if role_id in story.roles][:count]

    def related(self, story: Story) -> list[Story]:
        return related_stories(story, self._by_tag)

    @functools.cached_property
    def _by_tag(self) -> dict[str, list[Story]]:
        return index_by_tag(self.stories)

    def upcoming(self, count: int = UPCOMING) -> list[tuple[Event, dt.datetime]]:
        """The next few events from today, each at its next date, soonest first."""
        return upcoming(self.playbook.events, self.today, count)

    def dates(self, event: Event) -> list[dt.datetime]:
        """The first few dates of an event."""
        return occurrences(event)

    def reading_minutes(self, story: Story) -> int:
        return reading_minutes(story)

    def featured(self) -> Story | None:
        """The newest post marked `featured: true`, for the home page."""
        return next((story for story in self.stories if story.featured), None)

    def post_label(self, story: Story) -> str:
        """What a card or a post's page calls it: `Success story`, `Pair update`, `Announcement`."""
        return "Success story" if story.kind == "story" else KIND_TITLES[story.kind].removesuffix("s")

    def contacts(self) -> list[Ask]:
        """Who to ask, mailbox first. The external site's program has already lost every contact
        not marked external (generator/audience.py), so this never offers an internal address there."""
        program = self.playbook.program
        asks = []
        if program.contact:
            contact = program.contact
            asks.append(Ask(contact.email, contact.email, about=contact.ask_about or "",
                            channel=contact.channel or ""))
        for person in (program.coordinator, program.sponsor):
            if person and person.email:
                asks.append(Ask(person.name, person.email, person.title, person.ask_about or ""))
        return asks

    def tag_label(self, tag_id: str) -> str:
        """The tag's label from tags.yml, such as `Customer insight`; without tags.yml, its id spelt out."""
        return tag_label(tag_id, self._tag_labels)

    def tag(self, tag_id: str) -> Tag | None:
        """The tag's record in tags.yml, for its description; None in a playbook without one."""
        return next((tag for tag in self.playbook.collections.get("tags", ()) if tag.id == tag_id), None)

    @functools.cached_property
    def _tag_labels(self) -> dict[str, str]:
        return tag_labels(self.playbook.collections.get("tags", ()))

    def health(self) -> HealthReport:
        """Each metric's figures across cohorts, its verdict and charts, with small groups hidden (health.py)."""
        return health_report(self.playbook)

    def role_title(self, role_id: str) -> str:
        return self.playbook.role(role_id).title

    def rule_title(self, rule_id: str) -> str:
        return self.playbook.rule(rule_id).title

    def record(self, kind_name: str, key: str) -> Any:
        """The record of a kind by its id, such as the form a policy names."""
        return next(record for record in self.playbook.collections[kind_name] if record.id == key)

    def forms_for_rule(self, rule_id: str) -> list[Any]:
        """The forms a rule calls for, such as the pair charter, in file order."""
        return [form for form in self.playbook.collections.get("forms", ()) if rule_id in form.rules]

    def rules_binding(self, role_id: str) -> list[Rule]:
        """The rules that apply to a role, in file order."""
        return [rule for rule in self.playbook.rules if role_id in rule.applies_to]

    def preparations(self, role_id: str) -> list[tuple[Meeting, Preparation]]:
        """What a role prepares, meeting by meeting."""
        return [(meeting, prep) for meeting in self.playbook.meetings for prep in meeting.preparation
                if prep.role == role_id]

    def pitfalls_for(self, role_id: str) -> list[Pitfall]:
        """The pitfalls a role should act on."""
        return [pitfall for pitfall in self.playbook.pitfalls if role_id in pitfall.roles]

    def pitfalls_guarded_by(self, rule_id: str) -> list[Pitfall]:
        return [pitfall for pitfall in self.playbook.pitfalls if rule_id in pitfall.rules]

    def must_rules(self) -> list[Rule]:
        return [rule for rule in self.playbook.rules if rule.level == "must"]

    def rules_by_glue(self, rules: tuple[Rule, ...]) -> list[tuple[str, list[Rule]]]:
        """(heading, rules) for hard glue, then soft glue, leaving out a glue no rule has."""
        groups = [(title, [rule for rule in rules if rule.glue == glue]) for glue, title in GLUES]
        return [(title, group) for title, group in groups if group]

    def hub_groups(self, hubs: list[Hub]) -> list[tuple[str, list[tuple[str, Hub]]]]:
        """(heading, [(label, hub)]) per facet, for the browse page."""
        groups = [(title, [(self.hub_label(hub), hub) for hub in hubs if hub.facet == facet])
                  for facet, title in FACETS]
        return [(title, group) for title, group in groups if group]

    def hub_label(self, hub: Hub) -> str:
        if hub.facet == "kinds":
            return KIND_TITLES[hub.key]
        if hub.facet == "tags":
            return self.tag_label(hub.key)
        return self.role_title(hub.key) if hub.facet == "roles" else hub.key


@dataclass(frozen=True)
class Common:
    """What every page template receives."""

    page_path: str
    """This page's path, such as `roles/mentor.md`; the `rel` filter links from it."""
    playbook: Playbook
    """The records this build shows, by kind: `playbook.roles`, `playbook.stories`, ..."""
    program: Program
    today: dt.date
    site_url: str | None
    """The site's address, when known; feeds exist only then."""
    site_pages: frozenset[str]
    """Every page path this build generates, to link only to pages that exist."""
    q: Queries
    urls: types.ModuleType
    """The URL authority (generator/urls.py): `urls.of(record)`, `urls.to("roles", id)`, `urls.hub(...)`."""
    kind_titles: dict[str, str]
    """Titles of the kinds of post: `story` → `Success stories`."""


@dataclass(frozen=True)
class ListPage:
    records: tuple[Any, ...]
    """Every record of the page's kind, in file order."""


@dataclass(frozen=True)
class RecordPage:
    """A page of one record: the record is also given under its kind's noun (`role`, `rule`, `meeting`)."""

    record: Any


@dataclass(frozen=True)
class HubPage:
    hub: Hub
    number: int
    """Which page of the hub this is, from 1."""
    stories: tuple[Story, ...]
    """The posts on this page."""


@dataclass(frozen=True)
class BrowsePage:
    hubs: list[Hub]
    """Every hub but the full list, by facet."""


def variables(*parts: object, **more: object) -> dict[str, object]:
    """The names a template sees: the fields of each part (shallow, no copies), then `more`."""
    names: dict[str, object] = {}
    for part in parts:
        names.update({f.name: getattr(part, f.name) for f in fields(part)})  # type: ignore[arg-type]
    return {**names, **more}


def common(playbook: Playbook, stories: tuple[Story, ...], today: dt.date, site_url: str | None,
           site_pages: frozenset[str]) -> Common:
    return Common("", playbook, playbook.program, today, site_url, site_pages, Queries(playbook, stories, today), urls,
                  KIND_TITLES)

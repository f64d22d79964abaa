"""Which records a build may show: everything on the intranet, only external records outside.

The external site is cut down before anything is rendered, so no page, card, link, feed,
search entry or sitemap URL can carry an internal record: there is nothing to leak from.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from generator.errors import Location, PlaybookError, Problem
from generator.models import Playbook, Program, Record, Story

Audience = Literal["internal", "external"]
COLLECTIONS = ("roles", "rules", "methods", "steps", "phases", "meetings", "pitfalls", "metrics", "questions",
               "events")
# The program's people and channels: each is published only when it says `audience: external`.
CONTACTS = ("sponsor", "coordinator", "contact")


@dataclass(frozen=True)
class Selection:
    """The playbook as one audience sees it, and how many posts were left out and why."""

    playbook: Playbook
    excluded: Counter[str]


def select_audience(playbook: Playbook, audience: Audience, today: dt.date) -> Selection:
    """Keep what `audience` may see; raise if an external record points at an internal one."""
    if audience == "internal":
        return Selection(playbook, Counter())
    problems = _program_problems(playbook)
    kept = {name: tuple(r for r in getattr(playbook, name) if r.audience == "external") for name in COLLECTIONS}
    excluded: Counter[str] = Counter()
    stories = []
    for story in playbook.stories:
        reason = _story_exclusion(story, today)
        if reason:
            excluded[reason] += 1
        else:
            stories.append(story)
    selected = dataclasses.replace(playbook, program=_public_program(playbook.program), **kept,
                                   stories=tuple(stories))
    problems += list(_dangling_references(selected))
    if problems:
        raise PlaybookError(problems)
    return Selection(selected, excluded)


def check_external_site(playbook: Playbook, today: dt.date) -> None:
    """Raise what would stop the external build, when the program publishes one; `validate` calls this so
    that what it accepts builds on both sites, not only on the intranet."""
    if playbook.program.audience == "external":
        select_audience(playbook, "external", today)


def _program_problems(playbook: Playbook) -> list[Problem]:
    if playbook.program.audience == "external":
        return []
    return [Problem(_where(playbook.program), "the external site needs the program itself to be external; "
                    "add `audience: external` to program.yml", field="audience")]


def _public_program(program: Program) -> Program:
    """The program without its internal contacts, so no template can show an e-mail or channel by mistake."""
    contacts = {name: getattr(program, name) for name in CONTACTS}
    cut = {name: None for name, contact in contacts.items() if contact and contact.audience != "external"}
    return program.model_copy(update=cut) if cut else program  # model_copy keeps the source location


def _story_exclusion(story: Story, today: dt.date) -> str | None:
    if story.audience != "external":
        return "audience"
    if not all(person.may_be_named(today) for person in story.people):
        return "consent"
    return None


def _dangling_references(playbook: Playbook) -> Iterator[Problem]:
    roles = {role.id for role in playbook.roles}
    rules = {rule.id for rule in playbook.rules}
    for record, field, target, kind in _references(playbook):
        known = roles if kind == "role" else rules
        if target not in known:
            yield Problem(_where(record), f"the external {_name(record)} links to the internal {kind} `{target}`, which "
                          f"the external site leaves out; make that {kind} external too, or remove the link", field=field)


def _references(playbook: Playbook) -> Iterator[tuple[Record, str, str, str]]:
    for role in playbook.roles:
        if role.escalate_to:
            yield role, "escalate_to", role.escalate_to, "role"
    for rule in playbook.rules:
        yield from ((rule, "applies_to", role, "role") for role in rule.applies_to)
        yield rule, "owner", rule.owner, "role"
    for step in playbook.steps:
        yield step, "owner", step.owner, "role"
    for meeting in playbook.meetings:
        yield from ((meeting, "preparation", prep.role, "role") for prep in meeting.preparation)
    for pitfall in playbook.pitfalls:
        yield from ((pitfall, "rules", rule, "rule") for rule in pitfall.rules)
        yield from ((pitfall, "roles", role, "role") for role in pitfall.roles)
    for metric in playbook.metrics:
        yield metric, "owner", metric.owner, "role"
    for story in playbook.stories:
        yield from ((story, "roles", role, "role") for role in story.roles)


def _name(record: Record) -> str:
    key = record.slug if isinstance(record, Story) else getattr(record, "id", "")
    return f"{type(record).__name__.lower()} `{key}`"


def _where(record: Record) -> Location:
    return record.source or Location("playbook")

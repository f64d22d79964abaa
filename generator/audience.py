"""Which records a build may show: everything on the intranet, only external records outside.

The external site is cut down before anything is rendered, so no page, card, link, feed,
search entry or sitemap URL can carry an internal record: there is nothing to leak from.
Each kind's rule comes from its row in the registry (generator/kinds.py).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass
from typing import Literal

from generator import kinds
from generator.errors import Location, PlaybookError, Problem
from generator.models import Playbook, Program, Record
from generator.references import left_out_targets

Audience = Literal["internal", "external"]
# The program's people, its channels and its matching page: each is published only when it says
# `audience: external`.
SECTIONS = ("sponsor", "coordinator", "contact", "matching")


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
    kept: dict[str, tuple[Record, ...]] = {}
    excluded: Counter[str] = Counter()
    for kind in kinds.collections():
        records = []
        for record in playbook.collections.get(kind.name, ()):
            reason = kind.exclude(record, today)
            if reason is None:
                records.append(record)
            elif kind is kinds.STORIES:  # the build's summary accounts for every post
                excluded[reason] += 1
        kept[kind.name] = tuple(records)
    kept_records = {id(record) for records in kept.values() for record in records}
    public = _public_program(playbook.program)
    links = tuple(link for link in playbook.links if id(link.record) in kept_records
                  or link.record is playbook.program and _section_kept(public, link.field))
    selected = dataclasses.replace(playbook, program=public, collections=kept, links=links)
    known = {name: {kinds.by_name(name).key_of(r) for r in records} for name, records in kept.items()}
    # A kind with no records at all, such as tags without a tags.yml, names nothing that could be left out.
    checked = [link for link in links if link.shown and playbook.collections.get(link.target)]
    problems += left_out_targets(checked, known, _name, {kind.name: kind.noun for kind in kinds.KINDS})
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
    return [Problem(playbook.program.source or Location("playbook"), "the external site needs the program itself "
                    "to be external; add `audience: external` to program.yml", field="audience")]


def _public_program(program: Program) -> Program:
    """The program without its internal contacts, so no template can show an e-mail or channel by mistake,
    and without its matching page unless that is external too."""
    sections = {name: getattr(program, name) for name in SECTIONS}
    cut = {name: None for name, section in sections.items() if section and section.audience != "external"}
    return program.model_copy(update=cut) if cut else program  # model_copy keeps the source location


def _section_kept(public: Program, field: str) -> bool:
    """Whether the part of the program a link sits in (`matching.rules[1]` → `matching`) is published."""
    return getattr(public, re.split(r"[.\[]", field, maxsplit=1)[0], None) is not None


def _name(record: Record) -> str:
    kind = kinds.of(record)
    return f"{kind.noun} `{kind.key_of(record)}`"

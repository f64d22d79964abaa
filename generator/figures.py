"""Figures the data holds, printed into prose where it names them: `{months}`, `{event.cohort-kickoff}`.

Prose that restates a figure (the session is 45 minutes, the kick-off is on 15 September) drifts
from the record that holds it as soon as one of them is edited. A token prints the record's value
instead, so the two cannot disagree. Tokens are replaced once, after validation, in every text
field of every record; the values are numbers and dates this module formats, never a writer's text,
so nothing a token prints can carry markup. `{{ ... }}` is never a token: it stays literal text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from pydantic import BaseModel

from generator import models as m
from generator.errors import Location
from generator.messages import suggest
from generator.render import long_date

TOKEN = re.compile(r"(?<!\{)\{([a-z_]+(?:\.[a-z0-9]+(?:-[a-z0-9]+)*)?)\}(?!\})")
CADENCE = {"monthly": "once a month", "fortnightly": "once a fortnight", "weekly": "once a week"}
# Meetings in one month at each cadence: a year has 52 weeks, so a month 52/12 of them.
PER_MONTH = {"monthly": 1.0, "fortnightly": 26 / 12, "weekly": 52 / 12}
# The figures each named record offers, by the token's first part.
RECORD_FIGURES = {"event": "events", "metric": "metrics", "meeting": "meetings"}
# The kinds the figures come from: with one of them failed, no figure can be trusted.
FIGURE_KINDS = ("program", *RECORD_FIGURES.values())
PathKey = tuple[str | int, ...]


def figure_table(program: m.Program, events: Sequence[m.Event], metrics: Sequence[m.Metric],
                 meetings: Sequence[m.Meeting]) -> dict[str, str]:
    """Every token this playbook can print, with the text it prints."""
    table = {
        "months": str(program.duration_months),
        "sessions": str(round(program.duration_months * PER_MONTH[program.meeting_cadence])),
        "session_minutes": str(program.session_minutes),
        "cadence": CADENCE[program.meeting_cadence],
    }
    if program.cohort_start:
        table["cohort_start"] = f"{program.cohort_start:%B %Y}"
        table["cohort_end"] = f"{m.add_months(program.cohort_start, program.duration_months):%B %Y}"
    table.update({f"event.{event.id}": long_date(event.start.date()) for event in events})
    table.update({f"metric.{metric.id}": goal_text(metric) for metric in metrics if metric.goal is not None})
    table.update({f"meeting.{meeting.id}": str(meeting.duration_minutes) for meeting in meetings})
    return table


def goal_text(metric: m.Metric) -> str:
    """A metric's goal as prose names it: `85%`, `4.0`, `12`."""
    assert metric.goal is not None
    if metric.unit == "percent":
        return f"{metric.goal:g}%"
    return f"{metric.goal:.1f}" if metric.unit == "score" else f"{metric.goal:g}"


def tokens_in(record: BaseModel) -> Iterator[tuple[PathKey, str]]:
    """Every token in a record's text fields, with the path of the field it is in."""
    for path, text in _texts(record, ()):
        for match in TOKEN.finditer(text):
            yield path, match[1]


def figure_link(record: m.Record, name: str, location: Location, label: str) -> m.Link | None:
    """The link a token that names a record makes, such as `{event.kick-off}`; None for a program figure. The
    reference check then reports an unknown id, and the external site refuses an external record that prints
    an internal one's figure."""
    head, _, key = name.partition(".")
    return m.Link(record, label, RECORD_FIGURES[head], key, location) if head in RECORD_FIGURES and key else None


def unknown_figure(name: str, table: Mapping[str, str]) -> str:
    """Why `{name}` prints nothing, and what would."""
    head, _, key = name.partition(".")
    if head in RECORD_FIGURES and key:
        known = [f"{{{token}}}" for token in table if token.startswith(head + ".")]
        what = f"{head} with a `goal`" if head == "metric" else head
        listed = f"; known: {', '.join(f'`{token}`' for token in known)}" if known else \
            f"; {RECORD_FIGURES[head]}.yml has no {RECORD_FIGURES[head] if head != 'metric' else what}"
        return f"`{{{name}}}` names no {what}" + (suggest(f"{{{name}}}", known) or listed)
    if name in ("cohort_start", "cohort_end"):
        return f"`{{{name}}}` needs the program's `cohort_start`; add it to program.yml, such as `cohort_start: " \
               "2026-09-15`"
    plain = sorted(token for token in table if "." not in token) + [f"{head}.ID" for head in RECORD_FIGURES]
    return f"unknown figure `{{{name}}}`" + (suggest(f"{{{name}}}", [f"{{{token}}}" for token in table]) or
                                             "; figures are " + ", ".join(f"`{{{token}}}`" for token in plain))


def resolve_figures(record: Any, table: Mapping[str, str]) -> Any:
    """The record with every token in its text replaced; the same object when it has none."""
    if isinstance(record, str):
        return TOKEN.sub(lambda match: table.get(match[1], match[0]), record) if "{" in record else record
    if isinstance(record, list):
        items = [resolve_figures(item, table) for item in record]
        return record if all(new is old for new, old in zip(items, record, strict=True)) else items
    if isinstance(record, BaseModel):
        changed = {name: new for name in type(record).model_fields
                   if (new := resolve_figures(old := getattr(record, name), table)) is not old}
        # model_copy keeps private state: a record's source location and a story's file name.
        return record.model_copy(update=changed) if changed else record
    return record


def date_schedule(record: Any, events: Mapping[str, m.Event]) -> Any:
    """A policy whose schedule names events, with each such message dated by its event.

    Pages then print `date` alone, whether a message was dated by an event or by a day of its own.
    """
    if not isinstance(record, m.Policy) or all(item.event is None for item in record.schedule):
        return record
    schedule = [item.model_copy(update={"date": events[item.event].start.date()}) if item.event else item
                for item in record.schedule]
    return record.model_copy(update={"schedule": schedule})


def _texts(value: object, path: PathKey) -> Iterator[tuple[PathKey, str]]:
    if isinstance(value, str):
        if "{" in value:
            yield path, value
    elif isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            yield from _texts(item, (*path, index))
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from _texts(getattr(value, name), (*path, name))

"""The program's own rules about time, checked across files: what a calendar and a timeline must agree on.

Phases run in order within the cohort's months; an event named to a phase falls within that phase's
months, counted from the program's `cohort_start`; an event that must follow another does; the regular
session's agenda lasts as long as the program says a session does; and every figure token in the prose
names a figure the data holds (generator/figures.py).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from generator import models as m
from generator.errors import Problem
from generator.figures import RECORD_FIGURES, unknown_figure
from generator.render import long_date

if TYPE_CHECKING:
    from generator.validate import Entry, Token

Entries = Mapping[str, Sequence["Entry"]]


def check_invariants(entries: Entries, failed: set[str], tokens: Sequence[Token],
                     table: Mapping[str, str] | None) -> list[Problem]:
    """Every invariant whose records all validated; a failed file has already said what is wrong. `table` is the
    figures the playbook prints (figures.figure_table), None when a file they come from failed."""
    problems: list[Problem] = []
    program: m.Program | None = _records(entries, "program")[0] if entries["program"] and "program" not in failed \
        else None
    if "phases" not in failed:
        problems += _phase_order(entries["phases"], program)
    if program is not None and not failed & {"phases", "events"}:
        problems += _event_phases(entries["events"], entries["phases"], program)
    if "events" not in failed:
        problems += _event_order(entries["events"])
    if program is not None and "meetings" not in failed:
        problems += _session_length(entries["meetings"], program)
    if table is not None:
        problems += _figure_problems(entries, table, tokens)
    return problems


def _records(entries: Entries, name: str) -> list[Any]:
    """The records of one kind, as their own models: the registry, not the type checker, knows which."""
    return records_of(entries[name])


def records_of(items: Sequence[Entry]) -> list[Any]:
    """Validated records, as their own models (a kind's model is the registry's to know, not the type checker's)."""
    return [entry.record for entry in items]


def _phase_order(phases: Sequence[Entry], program: m.Program | None) -> Iterator[Problem]:
    previous: Entry | None = None
    for entry in phases:
        phase: m.Phase = entry.record  # type: ignore[assignment]
        if previous and phase.start_month < previous.record.end_month:  # type: ignore[attr-defined]
            yield Problem(entry.locate("start_month"), f"starts in month {phase.start_month}, before the phase "
                          f"`{previous.record.id}` ends (month {previous.record.end_month}); phases run in "  # type: ignore[attr-defined]
                          "order, so start it then or later", field=entry.label("start_month"))
        if program and phase.end_month > program.duration_months:
            yield Problem(entry.locate("end_month"), f"ends in month {phase.end_month}, after the cohort's "
                          f"{program.duration_months} months (`duration_months` in program.yml); end it by month "
                          f"{program.duration_months}", field=entry.label("end_month"))
        previous = entry


def _event_phases(events: Sequence[Entry], phases: Sequence[Entry], program: m.Program) -> Iterator[Problem]:
    by_id: dict[str, m.Phase] = {phase.id: phase for phase in records_of(phases)}
    for entry in events:
        event: m.Event = entry.record  # type: ignore[assignment]
        phase = by_id.get(event.phase or "")
        if phase is None:  # no phase, or an unknown one, which the reference check reports
            continue
        if program.cohort_start is None:
            yield Problem(entry.locate("phase"), "names a phase, whose months count from the cohort's first day; add "
                          "`cohort_start` to program.yml, such as `cohort_start: 2026-09-15`",
                          field=entry.label("phase"))
            continue
        first = m.add_months(program.cohort_start, phase.start_month)
        end = m.add_months(program.cohort_start, phase.end_month)
        day = event.start.date()
        last_day = event.repeat_until if event.repeat != "never" and event.repeat_until else day
        if not (first <= day < end and last_day < end):
            outside, when = (day, "is on") if not first <= day < end else (last_day, "recurs until")
            yield Problem(entry.locate("start"), f"{when} {long_date(outside)}, outside its phase `{phase.id}`, which "
                          f"runs from {long_date(first)} to {long_date(end - dt.timedelta(days=1))} (months "
                          f"{phase.start_month} to {phase.end_month} from `cohort_start`); move it into those dates "
                          "or name the phase it belongs to", field=entry.label("start"))


def _event_order(events: Sequence[Entry]) -> Iterator[Problem]:
    by_id: dict[str, m.Event] = {event.id: event for event in records_of(events)}
    for entry in events:
        event: m.Event = entry.record  # type: ignore[assignment]
        for index, before_id in enumerate(event.after):
            before = by_id.get(before_id)
            if before is not None and event.start < before.end:
                yield Problem(entry.locate("after", index), f"`{event.id}` starts at {_moment(event.start)}, before "
                              f"`{before.id}` is over ({_moment(before.end)}), and must come after it; move one of "
                              "them", field=entry.label("after", index))


def _moment(when: dt.datetime) -> str:
    return f"{when:%H:%M} on {long_date(when.date())}"


def _session_length(meetings: Sequence[Entry], program: m.Program) -> Iterator[Problem]:
    for entry in meetings:
        meeting: m.Meeting = entry.record  # type: ignore[assignment]
        if meeting.kind == "regular" and meeting.duration_minutes != program.session_minutes:
            yield Problem(entry.locate("duration_minutes"), f"the regular session's agenda lasts "
                          f"{meeting.duration_minutes} minutes, but program.yml says a session lasts "
                          f"{program.session_minutes} (`session_minutes`); make them match",
                          field=entry.label("duration_minutes"))


def _figure_problems(entries: Entries, table: Mapping[str, str], tokens: Sequence[Token]) -> Iterator[Problem]:
    named = {f"{head}.{record.id}" for head, kind in RECORD_FIGURES.items() for record in _records(entries, kind)}
    for token in tokens:
        # A token naming no record at all is the reference check's to report, as `unknown event`.
        if token.name not in table and (token.name in named or token.name.partition(".")[0] not in RECORD_FIGURES):
            yield Problem(token.entry.locate(*token.path), unknown_figure(token.name, table),
                          field=token.entry.label(*token.path))

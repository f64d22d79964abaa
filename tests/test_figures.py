"""Figures the data holds are printed from it: tokens in prose, and the sample's prose restating none.

The invariants themselves (phases in order and within the cohort, events inside their phase and
after what they follow, the regular session as long as the program says, tokens that name
something) each have a case in tests/corpus with its exact message; these tests hold the token
printing and the sample to them.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import pytest
import yaml

from generator import models as m
from generator.figures import TOKEN, figure_table, resolve_figures, tokens_in
from generator.validate import load_playbook

from .sitebuild import FIXTURE, REPO, STORY

PROGRAM = {"name": "P", "tagline": "T", "purpose": "P", "objectives": ["O"], "duration_months": 9,
           "meeting_cadence": "monthly", "session_minutes": 45, "cohort_start": "2026-09-15",
           "sponsor": {"name": "S", "title": "T"}, "coordinator": {"name": "C", "title": "T"},
           "contact": {"email": "a@example.com"}}
# The files where prose speaks of the current cohort; stories and results tell of past ones in their own figures.
CURRENT = ("program.yml", "roles.yml", "rules.yml", "meetings.yml", "phases.yml", "steps.yml", "pitfalls.yml",
           "faq.yml", "events.yml", "forms.yml", "policies.yml", "methods.yml")
NUMBER_WORDS = {6: "six", 7: "seven", 8: "eight", 9: "nine", 10: "ten", 12: "twelve"}


def _program(**changes: object) -> m.Program:
    return m.Program.model_validate({**PROGRAM, **changes})


@pytest.mark.parametrize(("cadence", "months", "sessions", "phrase"), [
    ("monthly", 9, "9", "once a month"), ("fortnightly", 6, "13", "once a fortnight"),
    ("weekly", 3, "13", "once a week")])
def test_the_program_figures_follow_its_length_and_cadence(cadence: str, months: int, sessions: str, phrase: str):
    table = figure_table(_program(meeting_cadence=cadence, duration_months=months), [], [], [])
    assert (table["months"], table["sessions"], table["cadence"]) == (str(months), sessions, phrase)
    assert (table["cohort_start"], table["session_minutes"]) == ("September 2026", "45")


def test_tokens_print_everywhere_in_a_record_and_keep_its_place_and_name(tmp_path: Path):
    shutil.copytree(FIXTURE, tmp_path / "project")
    story = tmp_path / "project" / STORY
    story.write_text(story.read_text().replace("Our first pair met.", "They met {cadence} for {months} months.")
                     .replace("**learned** a lot.", "**learned** in {session_minutes} minutes; {{ months }} stays."))
    playbook, _ = load_playbook(tmp_path / "project" / "playbook", tmp_path / "project", dt.date(2026, 11, 22))
    first = playbook.stories[0]
    assert first.summary == "They met once a month for 6 months."
    assert first.body.startswith("They met and **learned** in 30 minutes; {{ months }} stays.")
    assert first.slug == "2026-01-05-first-pair" and first.source is not None and first.source.line == 1
    # The links found before printing point at the printed record, which the external site selects by identity.
    assert all(link.record is first for link in playbook.links if link.location.path.endswith(first.slug + ".yml"))


def test_resolving_leaves_a_record_without_tokens_untouched():
    role = m.Role.model_validate({"id": "r", "title": "R", "who": "W", "summary": "S", "responsibilities": ["x"],
                                  "time_commitment": "2 hours a month"})
    assert resolve_figures(role, {"months": "9"}) is role


def test_the_sample_prints_every_token_it_uses(playbook: m.Playbook):
    left = [(type(record).__name__, path) for kind in playbook.collections.values() for record in kind
            for path, _ in tokens_in(record)] + [("Program", path) for path, _ in tokens_in(playbook.program)]
    assert left == []


def test_the_sample_uses_tokens_for_the_figures_its_prose_restates():
    raw = "\n".join((REPO / "playbook" / name).read_text() for name in CURRENT)
    used = {match[1].split(".")[0] for match in TOKEN.finditer(raw)}
    assert {"months", "session_minutes", "sessions", "event", "metric", "meeting"} <= used


def test_no_prose_about_the_current_cohort_restates_a_figure_the_data_holds(playbook: m.Playbook):
    """A literal `45 minutes` or `nine months` would drift from program.yml at its next edit."""
    program = playbook.program
    months = program.duration_months
    patterns = [rf"\b{program.session_minutes}[ -]minutes?\b", rf"\b{months}[ -]months?\b",
                rf"\b{NUMBER_WORDS.get(months, months)}[ -]months?\b",
                rf"\b{NUMBER_WORDS.get(months, months)} (sessions|meetings)\b"]
    found = []
    for name in CURRENT:
        for number, line in enumerate((REPO / "playbook" / name).read_text().splitlines(), 1):
            found += [f"{name}:{number}: {line.strip()}" for pattern in patterns if re.search(pattern, line, re.I)]
    assert found == []


def test_the_sample_calendar_is_checked_against_its_timeline(playbook: m.Playbook):
    """Every one-off event names its phase, so the window check covers it; the orders the roles need are declared."""
    events = {event.id: event for event in playbook.events}
    assert all(event.phase for event in events.values() if event.repeat == "never")
    kickoff = next(e for e in events.values() if "kick" in e.id)
    assert any("induction" in before for before in kickoff.after)
    showcase = next(e for e in events.values() if "showcase" in e.id)
    assert any("closeout" in before or "close-out" in before for before in showcase.after)
    assert playbook.program.cohort_start == kickoff.start.date()


def test_the_regular_session_in_the_sample_lasts_as_long_as_the_program_says(playbook: m.Playbook):
    regular = [meeting for meeting in playbook.meetings if meeting.kind == "regular"]
    assert regular and all(meeting.duration_minutes == playbook.program.session_minutes for meeting in regular)


def test_the_objectives_print_the_metrics_goals(playbook: m.Playbook):
    raw = yaml.safe_load((REPO / "playbook" / "program.yml").read_text())
    named = {match[1].removeprefix("metric.") for objective in raw["objectives"]
             for match in TOKEN.finditer(objective) if match[1].startswith("metric.")}
    assert named, "objectives name their targets through the metrics"
    metrics = {metric.id: metric for metric in playbook.metrics}
    printed = " ".join(playbook.program.objectives)
    for metric_id in named:
        goal = metrics[metric_id].goal
        assert goal is not None and f"{goal:g}" in printed


def test_a_changed_session_length_reaches_every_sentence_that_names_it(tmp_path: Path):
    project = tmp_path / "project"
    shutil.copytree(REPO / "playbook", project / "playbook")
    program = project / "playbook" / "program.yml"
    program.write_text(program.read_text().replace("session_minutes: 45", "session_minutes: 50"))
    meetings = project / "playbook" / "meetings.yml"
    data = yaml.safe_load(meetings.read_text())
    regular = next(meeting for meeting in data["meetings"] if meeting["kind"] == "regular")
    regular["duration_minutes"] = 50
    regular["agenda"][0]["minutes"] += 5
    meetings.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    playbook, _ = load_playbook(project / "playbook", project, dt.date(2026, 12, 5))
    raw = "\n".join(path.read_text() for path in (project / "playbook").glob("*.yml"))
    assert raw.count("{session_minutes}") > 3
    texts = " ".join(record.model_dump_json() for kind in playbook.collections.values() for record in kind)
    assert "{session_minutes}" not in texts and texts.count("50") >= raw.count("{session_minutes}")

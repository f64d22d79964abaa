"""Which rules are due for review (generator/review.py), grouped by the role that owns them, without a build."""

from __future__ import annotations

import datetime as dt

from generator.models import Playbook, Program, Role, Rule
from generator.review import reviews_due

TODAY = dt.date(2026, 11, 22)
CONTACT = {"name": "Cy", "title": "Lead"}
PROGRAM = Program.model_validate({
    "name": "Two-Way Mentoring", "tagline": "Pairs learn.", "purpose": "Why.", "objectives": ["Learn"],
    "duration_months": 9, "meeting_cadence": "monthly", "session_minutes": 45, "sponsor": CONTACT,
    "coordinator": CONTACT, "contact": {"email": "program@example.com"}})


def _role(role_id: str, title: str) -> Role:
    return Role.model_validate({"id": role_id, "title": title, "who": "Someone.", "summary": "S.",
                                "responsibilities": ["Turn up"], "time_commitment": "2 hours"})


def _rule(rule_id: str, owner: str, last_reviewed: str, every: str = "6 months") -> Rule:
    return Rule.model_validate({"id": rule_id, "title": "T", "statement": "S.", "level": "must", "glue": "hard",
                                "rationale": "R.", "applies_to": [owner], "owner": owner,
                                "last_reviewed": last_reviewed, "review_every": every})


def _due(rules: tuple[Rule, ...], within: int = 30) -> list[tuple[str, list[tuple[str, bool]]]]:
    roles = (_role("mentor", "Reverse mentor"), _role("leader", "Senior leader"))
    playbook = Playbook(program=PROGRAM, collections={"roles": roles, "rules": rules})
    return [(owner, [(d.rule.id, d.overdue) for d in items]) for owner, items in reviews_due(playbook, TODAY, within).items()]


def test_overdue_and_soon_due_rules_are_grouped_by_owner_title_soonest_first():
    rules = (
        _rule("due-in-30-days", "mentor", "2026-06-22"),  # next review 2026-12-22: the last day within 30 days
        _rule("due-in-31-days", "mentor", "2026-06-23"),
        _rule("overdue-by-a-year", "mentor", "2024-11-22", every="1 year"),  # next review 2025-11-22
        _rule("due-today", "leader", "2026-05-22"),  # due today is not yet overdue
        _rule("overdue-by-a-day", "leader", "2026-05-21"),
    )
    assert _due(rules) == [
        ("Reverse mentor", [("overdue-by-a-year", True), ("due-in-30-days", False)]),
        ("Senior leader", [("overdue-by-a-day", True), ("due-today", False)]),
    ]


def test_rules_due_on_the_same_day_are_ordered_by_id():
    rules = (_rule("b-rule", "mentor", "2026-01-01"), _rule("a-rule", "mentor", "2026-01-01"))
    assert _due(rules) == [("Reverse mentor", [("a-rule", True), ("b-rule", True)])]


def test_a_horizon_of_zero_days_lists_only_what_is_due_by_today():
    rules = (_rule("due-today", "mentor", "2026-05-22"), _rule("due-tomorrow", "mentor", "2026-05-23"))
    assert _due(rules, within=0) == [("Reverse mentor", [("due-today", False)])]


def test_nothing_due_is_an_empty_report():
    assert _due((_rule("fresh", "mentor", "2026-11-01"),)) == []

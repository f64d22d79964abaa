"""When an event happens (generator/ics.py `occurrences`), the dates the calendar page lists, without a build."""

from __future__ import annotations

import datetime as dt

import pytest

from generator.ics import occurrences
from generator.models import Event


def _event(start: str, repeat: str = "never", repeat_until: str | None = None) -> Event:
    data = {"id": "pair-session", "title": "Pair session", "description": "Pairs meet.", "start": start,
            "duration_minutes": 45, "repeat": repeat}
    return Event.model_validate(data if repeat_until is None else {**data, "repeat_until": repeat_until})


def _days(moments: list[dt.datetime]) -> list[str]:
    return [moment.strftime("%Y-%m-%d %H:%M") for moment in moments]


def test_a_one_off_event_happens_once_whatever_the_limit():
    assert _days(occurrences(_event("2026-09-15 10:00"), limit=12)) == ["2026-09-15 10:00"]


def test_a_weekly_event_lists_twelve_dates_a_week_apart_by_default():
    dates = _days(occurrences(_event("2026-09-15 10:00", "weekly")))
    assert len(dates) == 12
    assert dates[:3] == ["2026-09-15 10:00", "2026-09-22 10:00", "2026-09-29 10:00"]
    assert dates[-1] == "2026-12-01 10:00"  # 11 weeks on, across the ends of September, October and November


def test_a_fortnightly_event_is_two_weeks_apart():
    assert _days(occurrences(_event("2026-09-15 18:30", "fortnightly"), limit=4)) == [
        "2026-09-15 18:30", "2026-09-29 18:30", "2026-10-13 18:30", "2026-10-27 18:30"]


def test_a_monthly_event_on_the_31st_falls_on_each_months_last_day_and_comes_back_to_the_31st():
    assert _days(occurrences(_event("2026-01-31 09:00", "monthly"), limit=5)) == [
        "2026-01-31 09:00", "2026-02-28 09:00", "2026-03-31 09:00", "2026-04-30 09:00", "2026-05-31 09:00"]


def test_a_monthly_event_crosses_the_year_and_finds_a_leap_day():
    assert _days(occurrences(_event("2027-11-30 09:00", "monthly"), limit=4)) == [
        "2027-11-30 09:00", "2027-12-30 09:00", "2028-01-30 09:00", "2028-02-29 09:00"]


@pytest.mark.parametrize("until, last", [("2026-10-06", "2026-10-06 10:00"), ("2026-10-05", "2026-09-29 10:00")])
def test_repeat_until_is_the_last_day_it_may_happen(until: str, last: str):
    dates = _days(occurrences(_event("2026-09-15 10:00", "weekly", repeat_until=until)))
    assert dates[0] == "2026-09-15 10:00" and dates[-1] == last
    assert len(dates) == (4 if until == "2026-10-06" else 3)


def test_the_limit_wins_over_a_later_repeat_until():
    dates = _days(occurrences(_event("2026-09-15 10:00", "weekly", repeat_until="2027-09-15"), limit=3))
    assert dates == ["2026-09-15 10:00", "2026-09-22 10:00", "2026-09-29 10:00"]

"""A cohort's results (`results/<cohort>.yml`): the models, and the checks against metrics.yml.

Figures are aggregates the coordinator copies from surveys and the pairing ledger. Each names the
metric it measures; the checks hold it to that metric's unit and range, make a breakdown split
exactly the people of its figure (which is what lets the health page hide a small group without
the others giving it away), and make every metric with a goal report a figure or say why not.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator, Sequence
from typing import Annotated, Any, Protocol

from pydantic import Field, StringConstraints, WithJsonSchema, model_validator
from pydantic_core import PydanticCustomError

from generator.errors import Location, Problem
from generator.models import AUDIENCE_FIELD, Audience, Day, Metric, NamedByFile, Strict, Text, no_items

PERCENT = re.compile(r"^\s*(-?[0-9]+(?:\.[0-9]+)?)\s*%\s*$")
# The web editor's text box saves `4.2` as text; it means the number.
NUMBER = re.compile(r"^\s*(-?[0-9]+(?:\.[0-9]+)?)\s*$")
AMOUNT_HINT = "write a number such as `4.2`, or a percentage such as `87%`"


class Amount(Strict):
    """A figure as written: `87%` is a percentage, `4.2` or `13` a number."""

    number: float
    percent: bool

    @model_validator(mode="before")
    @classmethod
    def from_yaml(cls, value: object) -> dict[str, object]:
        if isinstance(value, str) and (match := PERCENT.match(value) or NUMBER.match(value)):
            return {"number": float(match[1]), "percent": match.re is PERCENT}
        if isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value):
            return {"number": float(value), "percent": False}
        shown = value if isinstance(value, (str, int, float)) else type(value).__name__
        raise PydanticCustomError("amount", "`{value}` is not a figure; " + AMOUNT_HINT, {"value": str(shown)})

    def __str__(self) -> str:
        return f"{self.number:g}%" if self.percent else f"{self.number:g}"


FigureValue = Annotated[Amount, WithJsonSchema({"oneOf": [
    {"type": "number"}, {"type": "string", "pattern": r"^\s*-?[0-9]+(\.[0-9]+)?\s*%?\s*$"}]}),
    Field(description="The figure: a percentage such as `87%`, or a number such as `4.2`.", examples=["87%", 4.2])]
People = Annotated[int, Field(ge=0, le=1_000_000, description="How many people the figure comes from; a figure "
                              "from fewer than `min_group_size` (program.yml) is never shown.", examples=[28])]
Month = Annotated[str, StringConstraints(pattern=r"^(19|2[0-9])[0-9]{2}-(0[1-9]|1[0-2])$"),
                  Field(description="The month, as YYYY-MM.", examples=["2025-10"])]


class Group(Strict):
    name: Text = Field(description="The group, such as `Kessling distribution centre` or `Leaders`.")
    value: FigureValue
    people: People


class Breakdown(Strict):
    by: Text = Field(description="What splits the people, such as `Site` or `Role`.", examples=["Site"])
    groups: list[Group] = Field(min_length=2, max_length=30, description="Every group, the small ones too: "
                                "together they hold all the figure's people.")


class Comparison(Strict):
    label: Text = Field(description="Who the comparison group is.", examples=["Matched colleagues who did not "
                                                                               "take part"])
    value: FigureValue
    people: People


class MonthFigure(Strict):
    month: Month
    value: FigureValue
    people: People


class Figure(Strict):
    """One metric's figure for the cohort, or why there is none."""

    metric: Annotated[str, Field(description="The `id` of the metric in metrics.yml that this figure measures.",
                                 examples=["monthly-meeting-rate"])]
    value: FigureValue | None = None
    people: People | None = None
    missing: Text | None = Field(default=None, description="Why there is no figure: when it will be measured, or "
                                 "why this cohort was not.", examples=["Measured 12 months after close-out, in "
                                                                       "November 2026"])
    note: Text | None = Field(default=None, description="What a reader should know to read the figure rightly.")
    comparison: Comparison | None = Field(default=None, description="The same measure for a comparison group.")
    breakdowns: list[Breakdown] = Field(default_factory=no_items, max_length=5,
                                        description="The figure split by site, role or another group.")
    months: list[MonthFigure] = Field(default_factory=no_items, max_length=36, description="The figure month by "
                                      "month, in order.")


class Cohort(NamedByFile):
    """One cohort's results: one file each in results/, named by the cohort, such as `2025.yml`."""

    title: Text = Field(description="The cohort's name, such as `2025 cohort`.", examples=["2025 cohort"])
    start: Day = Field(description="The day the cohort started (YYYY-MM-DD).", examples=["2025-03-17"])
    end: Day = Field(description="The day it closed (YYYY-MM-DD).", examples=["2025-11-20"])
    pairs_started: int = Field(ge=0, le=10_000, description="How many pairs started.")
    pairs_completed: int = Field(ge=0, le=10_000, description="How many pairs held their close-out meeting.")
    figures: list[Figure] = Field(min_length=1, max_length=100, description="A figure for each metric measured.")
    audience: Audience = AUDIENCE_FIELD


class Entry(Protocol):
    """A validated record with its place in the YAML (validate.Entry)."""

    @property
    def record(self) -> Any: ...

    def locate(self, *more: str | int) -> Location: ...

    def label(self, *more: str | int) -> str: ...


def check_results(metrics: Sequence[Entry], cohorts: Sequence[Entry]) -> list[Problem]:
    """Every metric's unit, scale and goal, then every cohort's figures against them."""
    problems = [problem for entry in metrics for problem in _metric_problems(entry)]
    if problems:  # figures are read by their metric's unit: one mistake there would mislead every check below
        return problems
    by_id: dict[str, Metric] = {entry.record.id: entry.record for entry in metrics}
    for entry in cohorts:
        problems += _cohort_problems(entry, by_id)
    return problems


def _problem(entry: Entry, message: str, *where: str | int) -> Problem:
    return Problem(entry.locate(*where), message, field=entry.label(*where))


def _metric_problems(entry: Entry) -> Iterator[Problem]:
    metric: Metric = entry.record
    if metric.unit == "score" and metric.scale is None:
        yield _problem(entry, "a score needs its `scale`, the lowest and the highest answer, such as `scale: [1, 5]`",
                       "unit")
    if metric.scale and metric.unit != "score":
        yield _problem(entry, "is only for `unit: score`; remove it, or set `unit: score`", "scale")
    elif metric.scale and metric.scale[0] >= metric.scale[1]:
        yield _problem(entry, f"runs from {metric.scale[0]:g} to {metric.scale[1]:g}; write the lowest answer "
                       "first, such as `[1, 5]`", "scale")
    elif metric.goal is not None and metric.unit is None:
        yield _problem(entry, "needs the metric's `unit` (percent, score or count) to be judged; add `unit`", "goal")
    elif metric.goal is not None and (wrong := _out_of_range(metric.goal, metric)):
        yield _problem(entry, wrong, "goal")
    if metric.at_risk_within is not None and metric.goal is None:
        yield _problem(entry, "has no `goal` to fall short of; add `goal`, or remove `at_risk_within`",
                       "at_risk_within")


def _range(metric: Metric) -> tuple[float, float | None]:
    if metric.unit == "percent":
        return 0, 100
    if metric.unit == "score" and metric.scale:
        return metric.scale
    return 0, None


def _out_of_range(number: float, metric: Metric) -> str:
    low, high = _range(metric)
    if metric.unit == "count" and (number < 0 or number != int(number)):
        return f"is {number:g}; a count is a whole number, 0 or more"
    if number < low or (high is not None and number > high):
        return f"is {number:g}, outside {low:g} to {high:g}, the range of metric `{metric.id}`"
    return ""


def _amount_problem(amount: Amount, metric: Metric) -> str:
    """What is wrong with a figure written for `metric`, or ""."""
    if metric.unit is None:
        return (f"cannot be read: metric `{metric.id}` has no `unit` in metrics.yml; add `unit: percent`, "
                "`unit: score` or `unit: count` there")
    if metric.unit == "percent" and not amount.percent:
        return (f"is {amount}, but metric `{metric.id}` is measured in percent; write it as a percentage, such as "
                f"`{amount.number * 100 if amount.number <= 1 else amount.number:g}%`")
    if metric.unit != "percent" and amount.percent:
        kind = "a count" if metric.unit == "count" else "a score from {:g} to {:g}".format(*_range(metric))
        return f"is `{amount}`, but metric `{metric.id}` is {kind}; write a number, without `%`"
    return _out_of_range(amount.number, metric)


def _cohort_problems(entry: Entry, metrics: dict[str, Metric]) -> Iterator[Problem]:
    cohort: Cohort = entry.record
    if cohort.end < cohort.start:
        yield _problem(entry, f"is before the cohort's `start` ({cohort.start}); a cohort ends after it starts", "end")
    if cohort.pairs_completed > cohort.pairs_started:
        yield _problem(entry, f"is {cohort.pairs_completed}, more than the {cohort.pairs_started} pairs that "
                       "started", "pairs_completed")
    first: dict[str, int] = {}
    for index, figure in enumerate(cohort.figures):
        if figure.metric in first:
            line = entry.locate("figures", first[figure.metric]).line
            yield _problem(entry, f"metric `{figure.metric}` already has a figure at line {line} of this file; give "
                           "each metric one figure", "figures", index, "metric")
            continue
        first[figure.metric] = index
        if figure.metric in metrics:  # an unknown id is reported by the reference check
            yield from _figure_problems(entry, cohort, index, metrics[figure.metric])
    yield from _coverage_problems(entry, cohort, first, metrics)


def _figure_problems(entry: Entry, cohort: Cohort, index: int, metric: Metric) -> Iterator[Problem]:
    figure = cohort.figures[index]
    at: tuple[str | int, ...] = ("figures", index)
    if figure.value is not None and figure.missing:
        yield _problem(entry, "a figure has either `value` or `missing`, not both; remove one", *at, "missing")
    elif figure.value is None and not figure.missing:
        yield _problem(entry, "has neither `value` nor `missing`; add the figure as `value`, or say in `missing` "
                       "why there is none", *at)
    if figure.value is not None and figure.people is None:
        yield _problem(entry, "needs `people`, how many people the figure comes from, so that a small group can be "
                       "hidden", *at, "value")
    for where, amount in _amounts(figure):
        if wrong := _amount_problem(amount, metric):
            yield _problem(entry, wrong, *at, *where)
    for number, breakdown in enumerate(figure.breakdowns):
        held = sum(group.people for group in breakdown.groups)
        if figure.people is not None and held != figure.people:
            yield _problem(entry, f"the groups hold {held} people, but the figure comes from {figure.people}; a "
                           "breakdown splits the same people, every group included", *at, "breakdowns", number,
                           "groups")
    first, last = f"{cohort.start:%Y-%m}", f"{cohort.end:%Y-%m}"
    for number, month in enumerate(figure.months):
        if not first <= month.month <= last:
            yield _problem(entry, f"`{month.month}` is outside the cohort, which ran from {first} to {last}", *at,
                           "months", number, "month")


def _amounts(figure: Figure) -> Iterator[tuple[tuple[str | int, ...], Amount]]:
    if figure.value is not None:
        yield ("value",), figure.value
    if figure.comparison:
        yield ("comparison", "value"), figure.comparison.value
    for number, breakdown in enumerate(figure.breakdowns):
        for group_number, group in enumerate(breakdown.groups):
            yield ("breakdowns", number, "groups", group_number, "value"), group.value
    for number, month in enumerate(figure.months):
        yield ("months", number, "value"), month.value


def _coverage_problems(entry: Entry, cohort: Cohort, given: dict[str, int],
                       metrics: dict[str, Metric]) -> Iterator[Problem]:
    """A metric with a goal is judged on the latest figure, so every cohort reports one or says why not.
    An external cohort file can name only external metrics, so only those are asked of it."""
    for metric in metrics.values():
        nameable = cohort.audience == "internal" or metric.audience == "external"
        if metric.goal is not None and nameable and metric.id not in given:
            yield _problem(entry, f"has no figure for metric `{metric.id}`, which has a goal in metrics.yml; add "
                           "one, or add it with `missing:` saying why there is none", "figures")

"""The program's health: each metric's figures across cohorts, judged against its goal, with small groups hidden.

Everything the health page, its charts and its download show comes from `health_report`, and a
figure from fewer than `min_group_size` people leaves this module only as the words "fewer than
N". A breakdown splits the same people as its figure, so hiding one small group is not enough:
the total minus the other groups would give it away. The next smallest groups are hidden too,
until the hidden ones hold at least `min_group_size` people between them.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Literal

from generator import urls
from generator.charts import Axis, BarChart, Series, render_chart
from generator.models import Metric, Playbook
from generator.outputs import Asset, Options
from generator.results import Amount, Breakdown, Cohort, Figure, Group

Verdict = Literal["on track", "at risk", "off track", "no data", "no target"]
State = Literal["shown", "small", "withheld", "missing"]
"""A figure is shown; or from too few people; or withheld, although from enough people, because the small
group beside it could otherwise be worked out; or missing from the results."""
WITHHELD = "withheld"


@dataclass(frozen=True)
class Cell:
    """One figure as it may be shown: its number, or only the words that stand in for it."""

    state: State
    text: str
    """What the page, table and download show: `87%`, `4.3`, `fewer than 5`, `withheld` or why it is missing."""
    number: float | None = None
    people: int | None = None

    @property
    def shown(self) -> bool:
        return self.state == "shown"


@dataclass(frozen=True)
class Row:
    label: str
    cell: Cell
    comparison: Cell | None = None


@dataclass(frozen=True)
class Table:
    """A set of figures with its chart: a metric across cohorts, or one cohort's figure split by group or month."""

    title: str
    heading: str
    """The first column's heading: `Cohort`, `Site`, `Month`."""
    rows: tuple[Row, ...]
    summary: str
    """The chart's findings in words, for people who do not see it and for the page's text."""
    chart: str
    """The chart as inline SVG, drawn from `rows`, so it shows nothing the table does not."""
    comparison_label: str = ""


@dataclass(frozen=True)
class MetricHealth:
    metric: Metric
    verdict: Verdict
    latest: Row | None
    """The newest cohort's figure, by which the verdict is reached."""
    tables: tuple[Table, ...]
    notes: tuple[tuple[str, str], ...] = ()
    """(cohort, note) for each cohort whose figure comes with a note."""


@dataclass(frozen=True)
class HealthReport:
    cohorts: tuple[Cohort, ...]
    """Oldest first."""
    metrics: tuple[MetricHealth, ...]
    minimum: int


def health_report(playbook: Playbook) -> HealthReport:
    """The health page's content, for the cohorts and metrics this build shows."""
    cohorts = _cohorts(playbook)
    minimum = playbook.program.min_group_size
    return HealthReport(cohorts, tuple(_metric_health(metric, cohorts, minimum) for metric in playbook.metrics),
                        minimum)


def _cohorts(playbook: Playbook) -> tuple[Cohort, ...]:
    """The cohorts this build shows, oldest first."""
    return tuple(sorted(playbook.collections.get("results", ()), key=lambda cohort: cohort.start))


def _metric_health(metric: Metric, cohorts: Sequence[Cohort], minimum: int) -> MetricHealth:
    figures = [(cohort, figure) for cohort in cohorts for figure in cohort.figures if figure.metric == metric.id]
    trend = tuple(Row(cohort.title, _cell(figure.value, figure.people, minimum, figure.missing, metric),
                      _comparison(figure, minimum, metric)) for cohort, figure in figures)
    measured = [(cohort, figure) for cohort, figure in figures if figure.value is not None]
    latest = next((row for row in reversed(trend) if row.cell.state != "missing"), None)
    tables = []
    if measured:  # the trend, then the newest measured cohort's splits; earlier ones are in the CSV
        tables.append(_table(metric, f"{metric.title} by cohort", "Cohort", trend, _comparison_label(figures)))
        tables += _splits(metric, *measured[-1], minimum)
    notes = tuple((cohort.title, figure.note) for cohort, figure in figures if figure.note)
    return MetricHealth(metric, verdict(metric, latest.cell if latest else None), latest, tuple(tables), notes)


def verdict(metric: Metric, cell: Cell | None) -> Verdict:
    """On track at the goal or better; at risk when short of it by no more than the metric's margin."""
    if metric.goal is None:
        return "no target"
    if cell is None or cell.number is None:
        return "no data"
    short = metric.goal - cell.number if metric.better == "higher" else cell.number - metric.goal
    if short <= 0:
        return "on track"
    return "at risk" if short <= metric.margin else "off track"


def _cell(amount: Amount | None, people: int | None, minimum: int, missing: str | None, metric: Metric,
          hidden: bool = False) -> Cell:
    if amount is None or people is None:
        return Cell("missing", missing or "no figure")
    if people < minimum:
        return Cell("small", f"fewer than {minimum}")
    if hidden:
        return Cell("withheld", WITHHELD)
    return Cell("shown", format_number(amount.number, metric), amount.number, people)


def _comparison(figure: Figure, minimum: int, metric: Metric) -> Cell | None:
    given = figure.comparison
    return _cell(given.value, given.people, minimum, None, metric) if given else None


def _comparison_label(figures: Sequence[tuple[Cohort, Figure]]) -> str:
    return next((figure.comparison.label for _, figure in figures if figure.comparison), "")


def format_number(number: float, metric: Metric) -> str:
    shown = f"{round(number, 1):.1f}"
    if metric.unit == "score":  # a score reads as one, 4.0 rather than 4
        return shown
    return shown.removesuffix(".0") + ("%" if metric.unit == "percent" else "")


def hidden_groups(groups: Sequence[Group], minimum: int) -> set[int]:
    """The groups a breakdown must hide: each from fewer than `minimum` people, and then the next
    smallest, until no hidden group can be worked out from the total and the groups shown."""
    hidden = {index for index, group in enumerate(groups) if group.people < minimum}
    rest = sorted((index for index in range(len(groups)) if index not in hidden), key=lambda i: groups[i].people)
    while hidden and rest and (len(hidden) < 2 or sum(groups[i].people for i in hidden) < minimum):
        hidden.add(rest.pop(0))
    return hidden


def _group_rows(breakdown: Breakdown, metric: Metric, minimum: int) -> tuple[Row, ...]:
    """A breakdown's groups as they may be shown, the page's table and the CSV alike."""
    hidden = hidden_groups(breakdown.groups, minimum)
    return tuple(Row(group.name, _cell(group.value, group.people, minimum, None, metric, index in hidden))
                 for index, group in enumerate(breakdown.groups))


def _month_rows(figure: Figure, metric: Metric, minimum: int) -> tuple[Row, ...]:
    return tuple(Row(month.month, _cell(month.value, month.people, minimum, None, metric)) for month in figure.months)


def _splits(metric: Metric, cohort: Cohort, figure: Figure, minimum: int) -> Iterator[Table]:
    for breakdown in figure.breakdowns:
        yield _table(metric, f"{metric.title} by {breakdown.by.lower()}, {cohort.title}", breakdown.by,
                     _group_rows(breakdown, metric, minimum))
    if figure.months:
        yield _table(metric, f"{metric.title} by month, {cohort.title}", "Month", _month_rows(figure, metric, minimum))


def _table(metric: Metric, title: str, heading: str, rows: tuple[Row, ...], comparison_label: str = "") -> Table:
    chart = _chart(metric, f"Bar chart: {title}", rows, comparison_label)
    return Table(title, heading, rows, _summary(metric, rows), render_chart(chart),
                 comparison_label)


def _summary(metric: Metric, rows: Sequence[Row]) -> str:
    parts = []
    for row in rows:
        compared = f" (comparison group: {row.comparison.text})" if row.comparison else ""
        parts.append(f"{row.label}: {row.cell.text}{compared}")
    goal = f"; goal {format_number(metric.goal, metric)}" if metric.goal is not None else ""
    return "; ".join(parts) + goal + "."


def _chart(metric: Metric, label: str, rows: Sequence[Row], comparison_label: str) -> BarChart:
    series = [_series("Program", [row.cell for row in rows])]
    if comparison_label:
        series.append(_series(comparison_label, [row.comparison or Cell("missing", "") for row in rows]))
    return BarChart(label, tuple(row.label for row in rows), tuple(series), _axis(metric, rows), metric.goal)


def _series(name: str, cells: Sequence[Cell]) -> Series:
    """A chart's bars drawn from the cells the table shows: a hidden figure is only ever its words."""
    return Series(name, tuple(cell.number for cell in cells), tuple("" if cell.shown else cell.text for cell in cells),
                  tuple(cell.text if cell.shown else "" for cell in cells))


def _axis(metric: Metric, rows: Sequence[Row]) -> Axis:
    if metric.unit == "percent":
        return Axis(0, 100, "%")
    if metric.unit == "score" and metric.scale:
        return Axis(*metric.scale)
    shown = [cell.number for row in rows for cell in (row.cell, row.comparison) if cell and cell.number is not None]
    return Axis(0, max([*shown, metric.goal or 0, 1]))


CSV_COLUMNS = ("cohort", "metric", "split_by", "group", "value", "people", "unit", "comparison_group",
               "comparison_value", "comparison_people", "note")


def health_files(playbook: Playbook, options: Options) -> Iterator[Asset]:
    """The output that writes the health page's figures as CSV, hidden exactly as on the page."""
    if playbook.collections.get("results"):
        yield Asset(urls.HEALTH_DATA, health_csv(playbook).encode("utf-8"))


def health_csv(playbook: Playbook) -> str:
    """Every cohort's figures, breakdowns and months, one row each, with small groups hidden."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    minimum = playbook.program.min_group_size
    metrics = {metric.id: metric for metric in playbook.metrics}
    for cohort in _cohorts(playbook):
        for figure in cohort.figures:
            writer.writerows(_csv_rows(cohort, figure, metrics[figure.metric], minimum))
    return out.getvalue()


def _csv_rows(cohort: Cohort, figure: Figure, metric: Metric, minimum: int) -> Iterator[list[str]]:
    unit = metric.unit or ""
    cell = _cell(figure.value, figure.people, minimum, figure.missing, metric)
    compared = _comparison(figure, minimum, metric)
    comparison = [figure.comparison.label, *_csv_cell(compared)] if figure.comparison and compared else ["", "", ""]
    yield [cohort.title, metric.title, "", "", *_csv_cell(cell), unit, *comparison, figure.note or figure.missing or ""]
    splits = [(breakdown.by, _group_rows(breakdown, metric, minimum)) for breakdown in figure.breakdowns]
    splits += [("Month", _month_rows(figure, metric, minimum))]
    for split_by, rows in splits:
        for row in rows:
            yield [cohort.title, metric.title, split_by, row.label, *_csv_cell(row.cell), unit, "", "", "", ""]


def _csv_cell(cell: Cell) -> list[str]:
    """Value and people: a hidden figure gives its words in place of both; a missing one leaves both empty
    (the note says why), so the columns hold only numbers and the words for hidden ones."""
    if cell.shown:
        return [f"{cell.number:g}", str(cell.people)]
    return ["", ""] if cell.state == "missing" else [cell.text, cell.text]

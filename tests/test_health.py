"""Program health: verdicts, small groups hidden (directly and against subtraction), the page and the CSV."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import shutil
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from generator.health import Cell, health_csv, health_report, hidden_groups, verdict
from generator.models import Metric
from generator.outputs import Options
from generator.publish import build_playbook
from generator.render import line
from generator.results import Amount, Group

from .sitebuild import REPO
from .test_branding import luminance, rgba

TODAY = dt.date(2026, 12, 5)


def metric(**fields: object) -> Metric:
    given = {"id": "rate", "title": "Rate", "definition": "Share.", "target": "85%", "cadence": "monthly",
             "owner": "mentor", "unit": "percent", **fields}
    return Metric.model_validate(given)


def shown(number: float) -> Cell:
    return Cell("shown", f"{number}", number, 20)


@pytest.mark.parametrize(("fields", "number", "expected"), [
    ({"goal": 85, "at_risk_within": 5}, 85, "on track"),
    ({"goal": 85, "at_risk_within": 5}, 91, "on track"),
    ({"goal": 85, "at_risk_within": 5}, 80, "at risk"),
    ({"goal": 85, "at_risk_within": 5}, 79.9, "off track"),
    ({"goal": 85}, 76.5, "at risk"),  # the default margin is a tenth of the goal
    ({"goal": 85}, 76.4, "off track"),
    ({"goal": 10, "better": "lower", "at_risk_within": 2}, 9, "on track"),
    ({"goal": 10, "better": "lower", "at_risk_within": 2}, 12, "at risk"),
    ({"goal": 10, "better": "lower", "at_risk_within": 2}, 12.5, "off track"),
    ({}, 50, "no target"),
])
def test_a_verdict_judges_the_figure_against_the_goal(fields, number, expected):
    assert verdict(metric(**fields), shown(number)) == expected


def test_no_figure_and_a_hidden_figure_give_no_data():
    judged = metric(goal=85)
    assert verdict(judged, None) == "no data"
    assert verdict(judged, Cell("small", "fewer than 5")) == "no data"


def groups(*sizes: int) -> list[Group]:
    return [Group(name=f"g{index}", value=Amount.model_validate("50%"), people=size) for index, size in enumerate(sizes)]


@pytest.mark.parametrize(("sizes", "hidden"), [
    ((6, 7, 8), set()),
    ((6, 5, 3), {1, 2}),  # 3 is too few, and the next smallest goes with it, or 6 + 5 from the total gives it away
    ((3, 1, 10), {0, 1, 2}),  # 3 + 1 hidden together would still be fewer than 5 people
    ((2, 20), {0, 1}),
    ((4, 9, 9, 30), {0, 1}),
])
def test_hidden_groups_hide_the_small_ones_and_enough_besides(sizes, hidden):
    assert hidden_groups(groups(*sizes), 5) == hidden


@given(st.lists(st.integers(min_value=0, max_value=40), min_size=2, max_size=8), st.integers(min_value=2, max_value=10))
def test_no_hidden_group_can_be_worked_out_by_subtraction(sizes, minimum):
    """Whatever is hidden is either nothing, or at least two groups holding `minimum` people between them
    (so the total minus the shown groups gives only their sum), or every group."""
    hidden = hidden_groups(groups(*sizes), minimum)
    assert {index for index, size in enumerate(sizes) if size < minimum} <= hidden
    assert not hidden or len(hidden) == len(sizes) or \
        (len(hidden) >= 2 and sum(sizes[index] for index in hidden) >= minimum)


def build(audience: str = "internal", root: Path = REPO):
    return build_playbook(root / "playbook", root, Options(today=TODAY, audience=audience))  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def sample():
    made = build()
    page = next(page for page in made.site.pages if page.path == "health/index.md")
    data = next(asset for asset in made.site.assets if asset.path == "health/results.csv")
    return made.playbook, page.markdown, data.content.decode("utf-8")


def raw(cohort: str, metric_id: str) -> dict:
    data = yaml.safe_load((REPO / "playbook" / "results" / f"{cohort}.yml").read_text())
    return next(figure for figure in data["figures"] if figure["metric"] == metric_id)


def small_and_withheld() -> tuple[dict, dict]:
    """The sample's small group and the group withheld beside it, read from the YAML itself."""
    groups = raw("2025", "mentor-retention-comparison")["breakdowns"][0]["groups"]
    small = next(group for group in groups if group["people"] < 5)
    withheld = min((group for group in groups if group["people"] >= 5), key=lambda group: group["people"])
    return small, withheld


def test_the_sample_hides_a_small_group_and_the_group_that_would_give_it_away(sample):
    playbook, page, data = sample
    small, withheld = small_and_withheld()
    rows = list(csv.DictReader(io.StringIO(data)))
    by_group = {row["group"]: row for row in rows if row["split_by"] == "Site"}
    assert (by_group[small["name"]]["value"], by_group[small["name"]]["people"]) == ("fewer than 5",) * 2
    assert (by_group[withheld["name"]]["value"], by_group[withheld["name"]]["people"]) == ("withheld",) * 2
    for hidden in (small, withheld):
        share = hidden["value"].removesuffix("%")
        assert not re.search(rf"(?<![\d.]){re.escape(share)}%?(?![\d])", page.split("mentor-retention-comparison")[1]
                             .split("\n## ")[0]), f"{hidden['name']}'s figure reaches the page"
        assert f"| {hidden['name']} | " in page
    assert f"| {small['name']} | fewer than 5 |  |" in page
    assert f"| {withheld['name']} | withheld |  |" in page


def test_every_shown_figure_in_the_csv_is_the_yaml_figure(sample):
    """What is not hidden is printed as written, so the download and the YAML cannot disagree."""
    playbook, page, data = sample
    rows = [row for row in csv.DictReader(io.StringIO(data)) if row["split_by"] == ""]
    cohorts = {cohort.title: cohort.slug for cohort in playbook.results}
    titles = {m.title: m.id for m in playbook.metrics}
    for row in rows:
        figure = raw(cohorts[row["cohort"]], titles[row["metric"]])
        if "value" in figure:
            assert row["value"] == str(figure["value"]).removesuffix("%").removesuffix(".0")
            assert row["people"] == str(figure["people"])
        else:
            assert (row["value"], row["people"], row["note"]) == ("", "", figure["missing"])


def test_the_page_has_a_verdict_chart_and_table_per_metric(sample):
    playbook, page, _ = sample
    report = health_report(playbook)
    for health in report.metrics:
        section = page.split(f"{{ #{health.metric.id} }}")[1].split("\n## ")[0]
        assert f"**Verdict:** <span class=\"playbook-verdict playbook-verdict--{health.verdict.replace(' ', '-')}\">" \
            f"{health.verdict.capitalize()}</span>" in section
        assert section.count('<svg xmlns="http://www.w3.org/2000/svg"') == len(health.tables) >= 1
        for table in health.tables:
            assert f"<figcaption><strong>{table.title}.</strong>" in section
            assert all(f"| {line(row.label)} | {line(row.cell.text)} |" in section for row in table.rows)


def test_a_hidden_newest_figure_gives_no_verdict(tmp_path):
    project = tmp_path / "project"
    shutil.copytree(REPO / "playbook", project / "playbook", ignore=shutil.ignore_patterns("stories"))
    (project / "playbook" / "stories").mkdir()
    path = project / "playbook" / "results" / "2025.yml"
    data = yaml.safe_load(path.read_text())
    figure = next(figure for figure in data["figures"] if figure["metric"] == "leaders-put-skills-to-use")
    figure["people"] = 4
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    report = health_report(build(root=project).playbook)
    health = next(health for health in report.metrics if health.metric.id == "leaders-put-skills-to-use")
    assert (health.verdict, health.latest.cell.text) == ("no data", "fewer than 5")
    assert raw("2025", "leaders-put-skills-to-use")["value"] not in health_csv(build(root=project).playbook)


def test_the_external_site_has_no_health_page_until_a_results_file_is_external(tmp_path):
    made = build("external")
    assert not [page for page in made.site.pages if page.path.startswith("health/")]
    assert not [asset for asset in made.site.assets if asset.path.startswith("health/")]
    project = tmp_path / "project"
    shutil.copytree(REPO / "playbook", project / "playbook")
    path = project / "playbook" / "results" / "2025.yml"
    data = yaml.safe_load(path.read_text())
    external = {m.id for m in build("external").playbook.metrics}
    data["figures"] = [figure for figure in data["figures"] if figure["metric"] in external]
    data["audience"] = "external"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    made = build("external", project)
    (page,) = [page for page in made.site.pages if page.path == "health/index.md"]
    assert {health.metric.id for health in health_report(made.playbook).metrics} == external
    assert "2024 pilot" not in page.markdown and "2025 cohort" in page.markdown


@pytest.mark.parametrize(("written", "number", "percent"), [
    ("87%", 87, True), ("85.4 %", 85.4, True), (4.3, 4.3, False), (13, 13, False),
    ("4.2", 4.2, False),  # the web editor's text box saves a score as text
])
def test_a_figure_is_read_as_written(written, number, percent):
    amount = Amount.model_validate(written)
    assert (amount.number, amount.percent) == (number, percent)


@pytest.mark.parametrize("written", ["about 80%", True, None, [1], float("nan")])
def test_anything_else_is_not_a_figure(written):
    with pytest.raises(ValueError, match="is not a figure; write a number such as `4.2`, or a percentage such as `87%`"):
        Amount.model_validate(written)


BARS = """() => [...document.querySelectorAll('svg.playbook-chart .chart-series-0')].map(e => getComputedStyle(e).fill)"""
PAGE = "getComputedStyle(document.body).backgroundColor"


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_chart_bars_stand_out_from_the_page_in_either_scheme(browser, served_sample, scheme):
    """WCAG's 3:1 for graphics: the bars take the scheme's link colour, never a colour fixed at build time."""
    context = browser.new_context(color_scheme=scheme)
    tab = context.new_page()
    try:
        tab.goto(served_sample + "health/", wait_until="load")
        fills = set(tab.evaluate(BARS))
        assert len(fills) == 1, fills
        bar, page = rgba(fills.pop()), rgba(tab.evaluate(PAGE))
        lighter, darker = sorted((luminance(bar[:3]), luminance(page[:3])), reverse=True)
        assert (lighter + 0.05) / (darker + 0.05) >= 3, (scheme, bar, page)
    finally:
        context.close()


def test_charts_print_in_grey_with_every_bar_and_word(browser, served_sample):
    context = browser.new_context()
    tab = context.new_page()
    try:
        tab.goto(served_sample + "health/", wait_until="load")
        on_screen = tab.evaluate(BARS)
        tab.emulate_media(media="print")
        assert tab.evaluate(BARS) == ["rgb(85, 85, 85)"] * len(on_screen) != []
        notes = tab.evaluate("[...document.querySelectorAll('svg.playbook-chart .chart-note')].map(e => e.textContent)")
        assert {"fewer than 5", "withheld"} <= set(notes)
    finally:
        context.close()

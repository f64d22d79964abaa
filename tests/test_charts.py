"""The health page's charts: inline SVG in a small fixed vocabulary, which the sanitizer keeps byte for byte."""

from __future__ import annotations

import os
import re
import stat
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from generator import charts
from generator.charts import Axis, BarChart, Series, format_value, render_chart
from generator.sanitize import sanitize_html

ROOT = Path(__file__).resolve().parent.parent
NS = "{http://www.w3.org/2000/svg}"
# The vocabulary the brief for charts allows, written out here rather than read from the code under test.
ELEMENTS = {"svg", "g", "path", "rect", "line", "text", "tspan"}
SVG_ATTRIBUTES = {"viewBox", "class", "role", "aria-label"}  # and xmlns, which the parser takes as the namespace
SHAPE_ATTRIBUTES = {"d", "x", "y", "x1", "y1", "x2", "y2", "width", "height", "transform", "class", "text-anchor",
                    "font-size"}
HOSTILE = ["</svg><script>alert(1)</script>", "$\\frac{", 'A < B & "C"', "{: #__config }", "<!-- x -->]]>"]

COHORTS = BarChart(
    "Bar chart: pairs meeting every month, by cohort",
    ("2024 pilot", "Spring 2025 cohort with a name long enough to wrap", "Autumn 2025"),
    (Series("Program", (87.0, None, 64.0), ("", "fewer than 5", "")),
     Series("Comparison group", (70.0, 55.5, None), ("", "", "withheld"))),
    Axis(0, 100, "%"),
    goal=80,
)
SCORES = BarChart("Bar chart: satisfaction by site", ("Leeds", "Lyon", "Lisbon", "Lagos"),
                  (Series("Program", (4.3, 3.0, 4.75, None)),), Axis(1, 5))


@pytest.fixture(autouse=True)
def cache_dir(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """A cache of this test's own, so no test reads a chart another one drew."""
    monkeypatch.setenv("PLAYBOOK_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache"


def _parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def _texts(svg: str) -> list[str]:
    return ["".join(element.itertext()) for element in _parse(svg).iter(f"{NS}text")]


def _shapes(svg: str, name: str) -> list[ET.Element]:
    return [element for element in _parse(svg).iter() if element.get("class") == name]


@pytest.mark.parametrize("chart", [COHORTS, SCORES], ids=["cohorts", "scores"])
def test_a_chart_is_one_line_of_svg_in_the_allowed_vocabulary(chart):
    svg = render_chart(chart)
    assert svg.startswith("<svg ") and svg.endswith("</svg>")
    assert "\n" not in svg and "\r" not in svg, "a newline could end the Markdown page's raw HTML block"
    root = _parse(svg)
    assert root.tag == f"{NS}svg"
    assert root.attrib == {"viewBox": root.get("viewBox"), "class": "playbook-chart", "role": "img",
                           "aria-label": chart.label}
    assert re.fullmatch(r"0 0 \d+(\.\d+)? \d+(\.\d+)?", root.get("viewBox", ""))
    for element in root.iter():
        assert element.tag.removeprefix(NS) in ELEMENTS
        if element is not root:
            assert set(element.attrib) <= SHAPE_ATTRIBUTES, element.attrib
    for word in (" id=", " style=", " fill=", " stroke=", "href", "clip-path", "url("):
        assert word not in svg


def test_each_value_is_a_bar_labelled_with_its_value():
    svg = render_chart(COHORTS)
    assert len(_shapes(svg, "chart-series-0")) == 2 + 1, "two bars and the legend's swatch"
    assert len(_shapes(svg, "chart-series-1")) == 2 + 1
    assert {"87%", "64%", "70%", "55.5%", "fewer than 5", "withheld", "Program", "Comparison group",
            "Goal"} <= set(_texts(svg))
    single = render_chart(SCORES)
    assert len(_shapes(single, "chart-series-0")) == 3, "one series: no legend"
    assert {"4.3", "3", "4.8"} <= set(_texts(single))
    assert not _shapes(single, "chart-goal"), "no goal, no goal line"
    assert len(_shapes(svg, "chart-goal")) == 1


def test_a_bar_is_drawn_only_where_there_is_a_value():
    chart = BarChart("x", ("a", "b", "c"), (Series("s", (None, float("nan"), 0.0)),), Axis(0, 10))
    assert len(_shapes(render_chart(chart), "chart-series-0")) == 1


@pytest.mark.parametrize(("value", "shown"), [(87, "87%"), (87.0, "87%"), (4.34, "4.3%"), (99.96, "100%"),
                                              (-0.04, "0%"), (12.25, "12.2%")])
def test_values_have_at_most_one_decimal(value, shown):
    assert format_value(value, "%") == shown


def test_long_labels_wrap_and_are_cut_short():
    svg = render_chart(COHORTS)
    texts = _texts(svg)
    assert "Spring 2025 cohort with a name long enough to wrap" not in texts
    assert "Spring 2025" in " ".join(texts), "wrapped onto lines of its own"
    huge = BarChart("x" * 10_000, ("y" * 10_000, "word " * 2_000), (Series("z" * 10_000, (1, None), ("", "n" * 10_000)),
                                                                    Series("s", (2, 3))), Axis(0, 5, "%"), goal=4)
    svg = render_chart(huge)
    assert max(len(text) for text in _texts(svg)) < 100
    assert len(svg) < 10_000 + 20_000, "the whole label is the accessible name; only the drawn text is cut"


@pytest.mark.parametrize("hostile", HOSTILE)
def test_hostile_text_comes_out_as_literal_text(hostile):
    chart = BarChart(hostile, (hostile, "b"), (Series(hostile, (None, 2.0), (hostile, "")), Series("s", (1.0, 2.0))),
                     Axis(0, 5), goal=3)
    svg = render_chart(chart)
    root = _parse(svg)
    assert root.get("aria-label") == hostile
    labels = ["".join(element.itertext()) for element in _shapes(svg, "chart-text")]
    assert labels.count(hostile) == 2, "the category and the legend"
    note = " ".join("".join(element.itertext()) for element in _shapes(svg, "chart-note"))
    assert note == hostile or note.endswith("…") and hostile.startswith(note[:-1]), "whole, or cut to fit its slot"
    assert "<script" not in svg and "<!--" not in svg
    assert {element.tag for element in root.iter()} <= {f"{NS}{name}" for name in ELEMENTS}


@pytest.mark.parametrize("text", ["", " \t\n ", "\x00\x07\x1b\x85\ufffe", "\ud800 lone surrogate", "日本語 🎉 عربي",
                                  "_starts with an underscore", "$x$ and $$", "\\", "%"])
def test_no_text_makes_rendering_fail(text):
    chart = BarChart(text, (text, text), (Series(text, (1.0, None), (text, text)), Series(text, (2.0, 3.0))),
                     Axis(0, 5, text), goal=4)
    svg = render_chart(chart)
    assert svg.startswith("<svg ") and "\n" not in svg
    _parse(svg)
    assert sanitize_html(f"<figure>{svg}</figure>") == f"<figure>{svg}</figure>"


@pytest.mark.parametrize("axis", [Axis(5, 1), Axis(0, 0), Axis(float("-inf"), float("nan"))])
def test_a_broken_axis_still_draws(axis):
    chart = BarChart("x", ("a",), (Series("s", (3.0,)),), axis, goal=float("inf"))
    assert len(_shapes(render_chart(chart), "chart-series-0")) == 1


@pytest.mark.parametrize("months", [12, 36])
def test_many_months_still_draw_one_bar_and_one_label_each(months):
    names = tuple(f"{2024 + month // 12}-{month % 12 + 1:02d}" for month in range(months))
    chart = BarChart("x", names, (Series("s", tuple(float(month % 5) for month in range(months))),), Axis(0, 5))
    svg = render_chart(chart)
    assert len(_shapes(svg, "chart-series-0")) == months
    assert set(names) <= set(_texts(svg)), "each month named whole"


def test_the_same_chart_draws_the_same_bytes(monkeypatch, tmp_path):
    first = render_chart(COHORTS)
    monkeypatch.setenv("PLAYBOOK_CACHE_DIR", str(tmp_path / "another"))
    assert render_chart(COHORTS) == first
    # In a fresh process, with other hash seeds, and with matplotlib not imported until a chart is drawn.
    code = ("import sys; from generator import charts; from tests.test_charts import COHORTS; "
            "assert 'matplotlib' not in sys.modules; sys.stdout.write(charts.render_chart(COHORTS))")
    environment = {**os.environ, "PLAYBOOK_CACHE_DIR": str(tmp_path / "third"), "PYTHONHASHSEED": "12345"}
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=environment, capture_output=True,
                            text=True, encoding="utf-8", check=True)
    assert result.stdout == first


def test_a_cached_chart_is_not_drawn_again(monkeypatch, cache_dir):
    first = render_chart(COHORTS)
    assert len(list((cache_dir / "charts").glob("*.svg"))) == 1
    monkeypatch.setattr(charts, "draw_chart", _no_drawing)
    assert render_chart(COHORTS) == first
    with pytest.raises(AssertionError, match="drawn"):
        render_chart(SCORES)


def test_a_changed_chart_is_drawn_afresh():
    other = BarChart(COHORTS.label, COHORTS.categories, COHORTS.series, COHORTS.axis, goal=60)
    assert render_chart(other) != render_chart(COHORTS)


@pytest.mark.parametrize("entry", ["", "<svg \n onload=x>", "<p>not a chart</p>", "<svg class='half'"])
def test_a_damaged_cache_entry_is_drawn_again(cache_dir, entry):
    first = render_chart(COHORTS)
    (path,) = (cache_dir / "charts").glob("*.svg")
    path.write_text(entry)
    assert render_chart(COHORTS) == first
    assert path.read_text() == first, "and written again"


def test_no_chart_cache_in_a_folder_others_can_write(monkeypatch, cache_dir):
    (cache_dir / "charts").mkdir(parents=True)
    os.chmod(cache_dir / "charts", 0o777)
    render_chart(COHORTS)
    assert list((cache_dir / "charts").iterdir()) == []
    blocked = cache_dir.parent / "file"
    blocked.write_text("")
    monkeypatch.setenv("PLAYBOOK_CACHE_DIR", str(blocked))
    assert render_chart(SCORES).startswith("<svg "), "a cache that cannot be made is no cache, not an error"


def test_a_new_cache_folder_is_ours_alone(cache_dir):
    render_chart(SCORES)
    assert stat.S_IMODE((cache_dir / "charts").stat().st_mode) & (stat.S_IWGRP | stat.S_IWOTH) == 0


@pytest.mark.parametrize("chart", [COHORTS, SCORES, BarChart(HOSTILE[2], (HOSTILE[0], HOSTILE[1]),
                                   (Series(HOSTILE[3], (1.0, None), ("", HOSTILE[2])),), Axis(0, 2, "&"))],
                         ids=["cohorts", "scores", "hostile"])
def test_the_sanitizer_keeps_a_chart_byte_for_byte(chart):
    page = f'<figure class="playbook-chart-figure">{render_chart(chart)}<figcaption>Caption</figcaption></figure>'
    assert sanitize_html(page) == page


@pytest.mark.parametrize(("hostile", "gone"), [
    ("<svg onload=alert(1)>", ["onload", "alert"]),
    ('<svg><image href="https://evil.example/x.png"/></svg>', ["image", "evil.example"]),
    ('<svg><use href="data:image/svg+xml;base64,PHN2Zz4="/></svg>', ["use", "data:"]),
    ('<svg><a href="javascript:alert(1)"><text>x</text></a></svg>', ["javascript", "href"]),
    ('<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>', ["javascript", "href"]),
    ('<svg><a xlink:href="#__config"><text>x</text></a></svg>', ["xlink", "__config"]),
    ("<svg><style>*{}</style></svg>", ["style", "*{}"]),
    ('<svg><path fill="url(https://evil.example/#p)" style="position:fixed"/></svg>',
     ["fill", "style", "evil.example", "position"]),
    ("<svg><foreignObject><img src=x onerror=alert(1)></foreignObject></svg>",
     ["foreignObject", "foreignobject", "onerror", "alert"]),
    ('<svg><animate attributeName="href" to="javascript:alert(1)"/></svg>', ["animate", "javascript", "href"]),
    ('<svg><set attributeName="href" to="javascript:alert(1)"/></svg>', ["set", "javascript"]),
    ("<svg><script>alert(1)</script></svg>", ["script", "alert"]),
    ('<svg xmlns="http://www.w3.org/1999/xhtml" width="9999" height="9999" stroke="red"></svg>',
     ["xhtml", "width", "height", "stroke"]),
    ('<svg><text text-anchor="x" font-family="evil" clip-path="url(#a)" mask="url(#b)">t</text></svg>',
     ["text-anchor", "font-family", "clip-path", "mask"]),
    ("<svg><text><tspan><title>x</title><desc>y</desc></tspan></text></svg>", ["title", "desc"]),
])
def test_the_sanitizer_strips_hostile_svg(hostile, gone):
    cleaned = sanitize_html(hostile)
    for word in gone:
        assert word not in cleaned, cleaned


def test_every_chart_class_is_styled_in_both_schemes_and_in_print():
    """A class without a rule would draw black on the dark page (SVG's default fill)."""
    css = (ROOT / "generator" / "assets" / "playbook.css").read_text()
    screen, _, printed = css.partition("@media print {\n  .md-typeset .playbook-chart")
    for name in charts.CLASSES.values():
        rules = re.findall(r"\." + name + r" \{([^}]*)\}", screen)
        assert rules, f".{name} has no rule"
        assert "var(--md-" in rules[0] or "currentcolor" in rules[0], "colours come from Material's variables"
    for name in ("chart-series-0", "chart-series-1", "chart-goal"):
        assert f".{name} {{" in printed


def _no_drawing(chart: BarChart) -> str:
    raise AssertionError(f"drawn again: {chart.label}")

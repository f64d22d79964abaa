"""The loader on its own: data, positions, merge keys and the limits that keep any input from crashing it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from generator.errors import PlaybookError
from generator.loader import MAX_DEPTH, MAX_VALUES, Document, load_document

from .sitebuild import FIXTURE


def _load(tmp_path: Path, text: str | bytes) -> Document:
    path = tmp_path / "t.yml"
    path.write_bytes(text.encode() if isinstance(text, str) else text)
    return load_document(path, "t.yml")


def _report(tmp_path: Path, text: str | bytes) -> str:
    with pytest.raises(PlaybookError) as caught:
        _load(tmp_path, text)
    return caught.value.report()


def test_keys_and_values_keep_their_line_and_column(tmp_path: Path):
    document = _load(tmp_path, "title: First\nitems:\n  - a\n  - {b: 2, c: [x, y]}\n")
    assert document.data == {"title": "First", "items": ["a", {"b": 2, "c": ["x", "y"]}]}
    assert document.values[("title",)] == (1, 8)
    assert document.values[("items", 0)] == (3, 5)
    assert document.values[("items", 1, "c", 1)] == (4, 19)
    assert document.keys[("items", 1, "c")] == (4, 12)
    assert str(document.locate(("items", 1, "missing"))) == "t.yml:4:5"


def test_scalars_resolve_as_safe_yaml_but_dates_stay_text(tmp_path: Path):
    document = _load(tmp_path, "a: 1\nb: 1.5\nc: yes\nd: ~\ne: 2026-01-05\nf: '1'\ng: !!str 2\nh: <<\n")
    assert document.data == {"a": 1, "b": 1.5, "c": True, "d": None, "e": "2026-01-05", "f": "1", "g": "2", "h": "<<"}


def test_an_alias_shares_the_value_and_the_positions_of_its_anchor(tmp_path: Path):
    document = _load(tmp_path, "a: &x [1, {k: v}]\nb: *x\n")
    assert document.data == {"a": [1, {"k": "v"}], "b": [1, {"k": "v"}]}
    assert document.values[("b", 1, "k")] == document.values[("a", 1, "k")] == (1, 15)
    assert document.keys[("b", 1, "k")] == (1, 12)


@pytest.mark.parametrize("item", ["{<<: *b, x: 2}", "{x: 2, <<: *b}", "{<<: [*b], x: 2}"])
def test_keys_written_in_the_mapping_win_over_merged_ones_in_either_order(tmp_path: Path, item: str):
    document = _load(tmp_path, f"base: &b {{x: 1, y: 1}}\nitem: {item}\n")
    assert document.data["item"] == {"x": 2, "y": 1}  # type: ignore[index]
    assert document.values[("item", "x")][0] == 2
    assert document.values[("item", "y")] == (1, 20)  # where the merged value is written


def test_the_first_of_several_merged_mappings_wins(tmp_path: Path):
    document = _load(tmp_path, "a: &a {x: 1}\nb: &b {x: 2, y: 2}\nc: {<<: [*a, *b]}\n")
    assert document.data["c"] == {"x": 1, "y": 2}  # type: ignore[index]


@pytest.mark.parametrize(("value", "column", "found"), [
    ("5", 7, "`5`"),
    ("*list", 7, "`*list`, which is not a mapping"),
    ("{x: 1}", 7, "a list or mapping written out here"),
    ("[*map, text]", 14, "`text`"),
])
def test_a_merge_key_takes_only_aliases_of_mappings(tmp_path: Path, value: str, column: int, found: str):
    report = _report(tmp_path, f"list: &list [1]\nmap: &map {{a: 1}}\nitem:\n  <<: {value}\n")
    assert report == (f"t.yml:4:{column}: `<<` must be followed by `*name` of a mapping (a group of `key: value` lines "
                      f"marked `&name`), or a list of them such as `[*base, *extra]`; found {found}\n1 error in 1 file")


def test_a_key_written_twice_is_an_error_that_names_the_first_line(tmp_path: Path):
    assert _report(tmp_path, "a: 1\nb: 2\na: 3\n").startswith(
        "t.yml:3:1: a: duplicate key `a` (first at line 1); YAML would silently keep only the last value\n")


@pytest.mark.parametrize("style", ["flow", "block"])
def test_nesting_is_allowed_to_exactly_max_depth(tmp_path: Path, style: str):
    document = _load(tmp_path, _nested(style, MAX_DEPTH))
    value = document.data["a"]  # type: ignore[index]
    for _ in range(MAX_DEPTH - 1):
        value = value[0]
    assert value == ["x"]


@pytest.mark.parametrize(("style", "column"), [("flow", 4 + MAX_DEPTH), ("block", 1 + 2 * MAX_DEPTH)])
def test_nesting_past_max_depth_is_refused_where_it_happens(tmp_path: Path, style: str, column: int):
    line = 1 if style == "flow" else 2
    assert _report(tmp_path, _nested(style, MAX_DEPTH + 1)) == (
        f"t.yml:{line}:{column}: the data is nested more than {MAX_DEPTH} levels deep\n1 error in 1 file")


def _nested(style: str, depth: int) -> str:
    """`a` holding `depth` lists, each inside the one before."""
    if style == "flow":
        return "a: " + "[" * depth + "x" + "]" * depth + "\n"
    return "a:\n" + "- " * depth + "x\n"


def test_thirty_thousand_nested_dashes_fail_with_one_line_not_a_crash(tmp_path: Path):
    project = tmp_path / "project"
    shutil.copytree(FIXTURE, project)
    (project / "playbook" / "rules.yml").write_bytes(b"rules:\n" + b"- " * 30_000 + b"x\n")
    result = subprocess.run([sys.executable, "-m", "generator.cli", "validate"], cwd=project, capture_output=True,
                            text=True, timeout=60, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    assert result.returncode == 1
    assert result.stderr == ("playbook/rules.yml:2:81: the data is nested more than 40 levels deep\n"
                             "1 error in 1 file\n")


def test_an_alias_bomb_is_refused_before_it_is_expanded(tmp_path: Path):
    lines = ["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    lines += [f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join([f'*{chr(97 + i)}'] * 10)}]" for i in range(8)]
    started = time.perf_counter()
    report = _report(tmp_path, "\n".join(lines) + "\n")
    assert time.perf_counter() - started < 5
    assert report == (f"t.yml:1:1: the file holds more than {MAX_VALUES:,} values; check for `*alias` references "
                      "that repeat content\n1 error in 1 file")


def test_an_alias_inside_its_own_anchor_is_an_error(tmp_path: Path):
    assert _report(tmp_path, "a: &a [1, *a]\n") == (
        "t.yml:1:11: `*a` is inside the `&a` it refers to; data cannot contain itself\n1 error in 1 file")


def test_a_nul_byte_after_the_first_8_kb_is_reported_where_it_is(tmp_path: Path):
    text = b"# padding line\n" * 600 + b"title: ok\nbody: one\0two\n"
    assert _report(tmp_path, text) == ("t.yml:602:10: a NUL byte (0x00) is here, which YAML text may not hold; "
                                       "delete it, or save the file as plain text (UTF-8)\n1 error in 1 file")


def test_only_plain_tags_are_allowed(tmp_path: Path):
    assert _report(tmp_path, "a: !!python/object/apply:os.system [echo]\nb: !!set {x}\n") == (
        "t.yml:1:4: the YAML tag `!!python/object/apply:os.system` is not allowed; write plain values\n"
        "t.yml:2:4: the YAML tag `!!set` is not allowed; write plain values\n2 errors in 1 file")


def test_a_second_document_is_an_error_at_its_start(tmp_path: Path):
    assert _report(tmp_path, "a: 1\n---\nb: 2\n").startswith("t.yml:2:1: YAML syntax error: but found another document")

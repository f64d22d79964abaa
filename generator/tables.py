"""CSV files read as rows of cells that keep their line and column, checked against a strict row model.

The CSV counterpart of loader.py and validate.py: a spreadsheet's mistakes are reported as
`file.csv:line:column: message`, every one in the same run. The values come from the csv module; the
positions from a scan of each record's own lines, which only has to know where a quoted cell starts.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Generic, TypeVar

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from generator.errors import Location, Problem
from generator.messages import describe, suggest

# A cell that lists several values separates them with semicolons, since commas separate the cells.
SEPARATOR = ";"
Model = TypeVar("Model", bound=BaseModel)


@dataclass(frozen=True)
class Cell:
    value: str
    location: Location


@dataclass(frozen=True)
class Row(Generic[Model]):
    """One row as its model, and where each of its cells is in the file."""

    item: Model
    cells: Mapping[str, Location]

    def at(self, column: str) -> Location:
        return self.cells[column]


@dataclass(frozen=True)
class Columns(Generic[Model]):
    """What a file's rows hold: the row model, and how its header and empty cells are read."""

    model: type[Model]
    optional: tuple[str, ...] = ()
    lists: tuple[str, ...] = ()
    """Columns of `;`-separated items: an empty cell is an empty list, not a missing value."""
    refused: Mapping[str, str] = field(default_factory=dict)
    """Columns a header may not have, each with the reason (lower case)."""
    blank_is_none: tuple[str, ...] = ()
    """Columns where an empty cell means "none", such as a manager at the top."""
    hints: Mapping[str, str] = field(default_factory=dict)
    """What a value of the column looks like, said when one does not fit its pattern."""

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(self.model.model_fields)


def read_rows(path: Path, columns: Columns[Model]) -> tuple[list[Row[Model]], list[Problem]]:
    """Every row of the file that fits the model, and a problem for each cell or row that does not."""
    table, problems = _read_table(path, columns)
    rows = []
    for cells in table:
        locations = {column: cell.location for column, cell in cells.items()}
        try:
            rows.append(Row(columns.model.model_validate(_given(cells, columns)), locations))
        except ValidationError as error:
            start = next(iter(locations.values()))
            problems += [Problem(locations.get(str(detail["loc"][0]), start), _cell_message(detail, columns))
                         for detail in error.errors(include_url=False)]
    return rows, problems


def _read_table(path: Path, columns: Columns[Model]) -> tuple[list[dict[str, Cell]], list[Problem]]:
    name = str(path)
    try:
        text = path.read_text(encoding="utf-8-sig")  # the byte-order mark spreadsheets write
    except UnicodeDecodeError:
        return [], [Problem(Location(name), "is not UTF-8 text; save it from your spreadsheet as “CSV UTF-8”")]
    records = list(_records(text, name))
    if not records:
        return [], [Problem(Location(name), f"is empty; it needs a header row: {', '.join(columns.names)}")]
    header, *body = records
    problems = _header_problems(header, name, columns)
    if problems:
        return [], problems
    names = [cell.value.strip() for cell in header]
    table: list[dict[str, Cell]] = []
    for record in body:
        if all(not cell.value.strip() for cell in record):
            continue  # a blank line, as spreadsheets leave at the end
        if len(record) != len(names):
            problems.append(Problem(record[0].location, f"this row has {len(record)} cells, the header has "
                                    f"{len(names)}; put a list of values in one cell, separated by `;`"))
            continue
        table.append(dict(zip(names, record, strict=True)))
    return table, problems


def _records(text: str, name: str) -> Iterator[list[Cell]]:
    """Each CSV record's cells with the line and column each starts at."""
    lines = text.splitlines(keepends=True)
    reader = csv.reader(iter(lines))
    first = 1
    for values in reader:
        starts = _cell_starts("".join(lines[first - 1:reader.line_num]), first)
        yield [Cell(value, Location(name, *start)) for value, start in zip(values, starts, strict=False)]
        first = reader.line_num + 1


def _cell_starts(raw: str, line: int) -> list[tuple[int, int]]:
    if '"' not in raw:  # most rows: every comma starts a cell
        column, starts = 1, []
        for cell in raw.rstrip("\r\n").split(","):
            starts.append((line, column))
            column += len(cell) + 1
        return starts
    starts, column, quoted = [(line, 1)], 1, False
    for char in raw:
        column += 1
        if char == '"':
            quoted = not quoted
        elif char == "," and not quoted:
            starts.append((line, column))
        elif char == "\n":
            line, column = line + 1, 1
    return starts


def _header_problems(header: list[Cell], name: str, columns: Columns[Model]) -> list[Problem]:
    names = [cell.value.strip() for cell in header]
    if len(names) == 1 and SEPARATOR in names[0]:
        return [Problem(Location(name), "the columns are separated by `;`; save the file as CSV with commas "
                        "(in a spreadsheet, “CSV UTF-8”)")]
    known, problems = columns.names, []
    for index, (cell, column) in enumerate(zip(header, names, strict=True)):
        if column.casefold() in columns.refused:
            reason = columns.refused[column.casefold()]
            problems.append(Problem(cell.location, f"remove the column `{column}`: {reason}"))
        elif column not in known:
            problems.append(Problem(cell.location, f"unknown column `{column}`" + (
                suggest(column, known) or f"; the columns are {', '.join(known)}")))
        elif names.index(column) != index:
            problems.append(Problem(cell.location, f"the column `{column}` is there twice"))
    missing = [column for column in known if column not in names and column not in columns.optional]
    if missing:
        problems.append(Problem(Location(name), f"missing column{'s' if len(missing) > 1 else ''} "
                                f"{', '.join(f'`{c}`' for c in missing)}; the header row needs {', '.join(known)}"))
    return problems


def _given(cells: dict[str, Cell], columns: Columns[Model]) -> dict[str, str | None]:
    """The row for the model: an empty text cell is missing, an empty list an empty list, and "none" None."""
    given: dict[str, str | None] = {}
    for column, cell in cells.items():
        value = cell.value.strip()
        if column in columns.blank_is_none:
            given[column] = value or None
        elif value or column in columns.lists:
            given[column] = value
    return given


def _cell_message(detail: ErrorDetails, columns: Columns[Model]) -> str:
    column = str(detail["loc"][0])
    if detail["type"] in {"missing", "too_short"}:
        description = columns.model.model_fields[column].description or ""
        return f"{column}: is empty; {description[0].lower()}{description[1:]}"
    if detail["type"] == "string_pattern_mismatch" and column in columns.hints:
        return f"{column}: `{detail['input']}` {columns.hints[column]}"
    return f"{column}: {describe(detail, columns.model)}"

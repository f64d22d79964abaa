"""The participants file `playbook match` reads: one row per person, checked as strictly as the YAML.

Every cell keeps its line and column, so a mistake is reported as `participants.csv:7:23: ...`, and
every problem in the file is reported in the same run. The file holds personal data: it is read here
and never copied into the playbook or the site.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints, ValidationError
from pydantic_core import ErrorDetails

from generator.errors import Location, PlaybookError, Problem
from generator.messages import describe, suggest
from generator.models import Matching, Text

PERSON_ID = r"^[A-Za-z0-9][A-Za-z0-9._-]*$"
PersonId = Annotated[str, StringConstraints(pattern=PERSON_ID, max_length=64)]
# A cell that lists several values separates them with semicolons, since commas separate the cells.
SEPARATOR = ";"


def split_list(value: object) -> object:
    """`social media; data dashboards` → the two skills, blanks dropped, each as written."""
    if not isinstance(value, str):
        return value
    return tuple(part.strip() for part in value.split(SEPARATOR) if part.strip())


Items = Annotated[tuple[Text, ...], BeforeValidator(split_list)]


def noun(role_id: str) -> str:
    """A role id as a noun in a sentence: `mentee-leader` → `mentee leader`."""
    return role_id.replace("-", " ")


def key_of(item: str) -> str:
    """How two spellings of a skill, language, site or department are found to be the same one."""
    return " ".join(item.casefold().split())


class Participant(BaseModel):
    """One row of the participants file: what matching needs to know about a person, and nothing more."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    id: PersonId = Field(description="The person's id, unique in the file, such as an employee number; "
                         "`--fix` and `--avoid` name people by it.")
    name: Text = Field(description="The person's name, for the proposal.")
    role: Text = Field(description="Their role in the program: the `mentor_role` or `leader_role` of "
                       "program.yml's `matching`, such as `reverse-mentor`.")
    department: Text = Field(description="Their department; partners come from different departments "
                             "unless `same_department: allowed`.")
    site: Text = Field(description="Where they work, such as `Leeds plant`.")
    manager_id: PersonId | None = Field(description="Their line manager's id, empty at the top; nobody is paired "
                                        "with someone above or below them in their reporting line.")
    skills_offered: Items = Field(description="What they can teach, separated by `;`.")
    skills_wanted: Items = Field(description="What they want to learn, separated by `;`.")
    languages: Items = Field(min_length=1, description="The languages they can hold a session in, separated by "
                             "`;`; partners share at least one.")
    availability: Items = Field(default=(), description="Optional: when they are free, such as `Tue am; Thu pm`, "
                                "separated by `;`; partners who both give times share at least one.")


COLUMNS = tuple(Participant.model_fields)
OPTIONAL_COLUMNS = ("availability",)
LIST_COLUMNS = ("skills_offered", "skills_wanted", "languages", "availability")
# Matching never asks for these: pairs are matched on what one can teach and the other wants to learn.
AGE_COLUMNS = frozenset({"age", "birth_year", "year_of_birth", "date_of_birth", "dob", "birthday", "born",
                         "generation", "birth_date"})


@dataclass(frozen=True)
class Row:
    """A participant and where each of their cells is in the file."""

    person: Participant
    cells: Mapping[str, Location]

    def at(self, column: str) -> Location:
        return self.cells[column]


@dataclass(frozen=True)
class Roster:
    """Everyone in the participants file, checked, split into the two sides of a pair."""

    rows: tuple[Row, ...]
    mentors: tuple[Participant, ...]
    leaders: tuple[Participant, ...]
    warnings: tuple[Problem, ...]

    def by_id(self) -> dict[str, Participant]:
        return {row.person.id: row.person for row in self.rows}


def read_roster(path: Path, matching: Matching) -> Roster:
    """Read and check the participants file; raise a PlaybookError with every problem in it."""
    table, problems = read_table(path)
    rows = []
    for cells in table:
        row, row_problems = _participant(cells)
        problems += row_problems
        if row:
            rows.append(row)
    problems += _roster_problems(rows, matching)
    if problems:
        raise PlaybookError(problems)
    mentors = tuple(sorted((r.person for r in rows if r.person.role == matching.mentor_role), key=lambda p: p.id))
    leaders = tuple(sorted((r.person for r in rows if r.person.role == matching.leader_role), key=lambda p: p.id))
    return Roster(tuple(rows), mentors, leaders, tuple(_unmet_wishes(rows, matching)))


@dataclass(frozen=True)
class Cell:
    value: str
    location: Location


def read_table(path: Path) -> tuple[list[dict[str, Cell]], list[Problem]]:
    """The file's rows as cells by column name, and the problems with its header and shape."""
    name = str(path)
    try:
        text = path.read_text(encoding="utf-8-sig")  # the byte-order mark spreadsheets write
    except UnicodeDecodeError:
        return [], [Problem(Location(name), "is not UTF-8 text; save it from your spreadsheet as “CSV UTF-8”")]
    records = list(_records(text, name))
    if not records:
        return [], [Problem(Location(name), f"is empty; it needs a header row: {', '.join(COLUMNS)}")]
    header, *body = records
    problems = _header_problems(header, name)
    if problems:
        return [], problems
    columns = [cell.value.strip() for cell in header]
    table: list[dict[str, Cell]] = []
    for record in body:
        if all(not cell.value.strip() for cell in record):
            continue  # a blank line, as spreadsheets leave at the end
        if len(record) != len(columns):
            problems.append(Problem(record[0].location, f"this row has {len(record)} cells, the header has "
                                    f"{len(columns)}; put a list of values in one cell, separated by `;`"))
            continue
        table.append(dict(zip(columns, record, strict=True)))
    return table, problems


def _records(text: str, name: str) -> Iterator[list[Cell]]:
    """Each CSV record's cells with the line and column each starts at.

    The values come from the csv module; the positions from a scan of the record's own lines, which
    only has to know where a quoted cell begins and ends.
    """
    lines = text.splitlines(keepends=True)
    reader = csv.reader(iter(lines))
    first = 1
    for values in reader:
        raw = "".join(lines[first - 1:reader.line_num])
        starts = _cell_starts(raw, first)
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


def _header_problems(header: list[Cell], name: str) -> list[Problem]:
    names = [cell.value.strip() for cell in header]
    if len(names) == 1 and SEPARATOR in names[0]:
        return [Problem(Location(name), "the columns are separated by `;`; save the file as CSV with commas "
                        "(in a spreadsheet, “CSV UTF-8”)")]
    problems = []
    for cell, column in zip(header, names, strict=True):
        if column.casefold() in AGE_COLUMNS:
            problems.append(Problem(cell.location, f"remove the column `{column}`: pairs are matched on what "
                                    "one can teach and the other wants to learn, never on age"))
        elif column not in COLUMNS:
            problems.append(Problem(cell.location, f"unknown column `{column}`" + (
                suggest(column, COLUMNS) or f"; the columns are {', '.join(COLUMNS)}")))
        elif names.count(column) > 1 and names.index(column) != header.index(cell):
            problems.append(Problem(cell.location, f"the column `{column}` is there twice"))
    missing = [column for column in COLUMNS if column not in names and column not in OPTIONAL_COLUMNS]
    if missing:
        problems.append(Problem(Location(name), f"missing column{'s' if len(missing) > 1 else ''} "
                                f"{', '.join(f'`{c}`' for c in missing)}; the header row needs {', '.join(COLUMNS)}"))
    return problems


def _participant(cells: dict[str, Cell]) -> tuple[Row | None, list[Problem]]:
    locations = {column: cell.location for column, cell in cells.items()}
    try:
        return Row(Participant.model_validate(_given(cells)), locations), []
    except ValidationError as error:
        start = next(iter(locations.values()))
        return None, [Problem(locations.get(str(detail["loc"][0]), start), _cell_message(detail))
                      for detail in error.errors(include_url=False)]


def _given(cells: dict[str, Cell]) -> dict[str, str | None]:
    """The row for the model: an empty text cell is missing, an empty list an empty list, no manager None."""
    given: dict[str, str | None] = {}
    for column, cell in cells.items():
        value = cell.value.strip()
        if column == "manager_id":
            given[column] = value or None
        elif value or column in LIST_COLUMNS:
            given[column] = value
    return given


def _cell_message(detail: ErrorDetails) -> str:
    column = str(detail["loc"][0])
    if detail["type"] in {"missing", "too_short"}:
        description = Participant.model_fields[column].description or ""
        return f"{column}: is empty; {description[0].lower()}{description[1:]}"
    if detail["type"] == "string_pattern_mismatch":
        return f"{column}: `{detail['input']}` is not an id; use letters, digits, `.`, `_` and `-`, such as " \
               "`e1042` or `ana.diaz`"
    return f"{column}: {describe(detail, Participant)}"


def _roster_problems(rows: list[Row], matching: Matching) -> list[Problem]:
    problems: list[Problem] = []
    first_line: dict[str, int] = {}
    roles = (matching.mentor_role, matching.leader_role)
    for row in rows:
        person = row.person
        if person.id in first_line:
            problems.append(Problem(row.at("id"), f"id `{person.id}` is already used on line {first_line[person.id]}"))
        first_line.setdefault(person.id, row.at("id").line)
        if person.role not in roles:
            problems.append(Problem(row.at("role"), f"role: `{person.role}` is not a role that is matched; use "
                                    f"`{roles[0]}` or `{roles[1]}`" + suggest(person.role, roles)))
        if person.manager_id == person.id:
            problems.append(Problem(row.at("manager_id"), "manager_id: a person cannot be their own manager"))
        needed = "skills_offered" if person.role == matching.mentor_role else "skills_wanted"
        if person.role in roles and not getattr(person, needed):
            problems.append(Problem(row.at(needed), f"{needed}: is empty; a {noun(person.role)} needs at least one, "
                                    "since pairs are matched on what one can teach and the other wants to learn"))
    return problems + _loops(rows)


def _loops(rows: list[Row]) -> list[Problem]:
    """A reporting line that comes back to where it started, which would hide who is above whom."""
    managers = {row.person.id: row.person.manager_id for row in rows}
    problems, reported = [], set()
    for row in rows:
        chain, current = [row.person.id], managers.get(row.person.id)
        while current in managers and current not in chain:
            chain.append(current)
            current = managers[current]
        if current is None or current not in chain:
            continue
        loop = chain[chain.index(current):]
        if len(loop) > 1 and row.person.id in loop and frozenset(loop) not in reported:
            reported.add(frozenset(loop))
            problems.append(Problem(row.at("manager_id"), "manager_id: the reporting line goes round in a circle: "
                                    + " → ".join([*loop, loop[0]])))
    return problems


def _unmet_wishes(rows: list[Row], matching: Matching) -> Iterator[Problem]:
    """A warning for each skill a person wants that nobody on the other side offers, often a spelling."""
    offered: dict[str, dict[str, str]] = {matching.mentor_role: {}, matching.leader_role: {}}
    for row in rows:
        for skill in row.person.skills_offered:
            offered[row.person.role].setdefault(key_of(skill), skill)
    other = {matching.mentor_role: matching.leader_role, matching.leader_role: matching.mentor_role}
    for row in rows:
        teachers = offered[other[row.person.role]]
        for skill in row.person.skills_wanted:
            if key_of(skill) not in teachers:
                yield Problem(row.at("skills_wanted"), f"skills_wanted: nobody who could be their partner offers "
                              f"`{skill}`" + suggest(skill, teachers.values()), severity="warning")

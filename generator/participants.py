"""The participants file `playbook match` reads: one row per person, checked as strictly as the YAML.

Every problem in the file is reported in one run, each at its cell (generator/tables.py). An org
chart may be given beside it, so that reporting lines are traced through managers who are not
participants. Both files hold personal data: they are read here and never copied into the
playbook or the site.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints

from generator.errors import PlaybookError, Problem
from generator.messages import suggest
from generator.models import Matching, Text
from generator.tables import SEPARATOR, Columns, Row, read_rows

PERSON_ID = r"^[A-Za-z0-9][A-Za-z0-9._-]*$"
PersonId = Annotated[str, StringConstraints(pattern=PERSON_ID, max_length=64)]


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


class CsvRow(BaseModel):
    """Base of a row model: an unknown column is an error, as an unknown key is in the YAML."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Participant(CsvRow):
    """One row of the participants file: what matching needs to know about a person, and nothing more."""

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


class OrgEntry(CsvRow):
    """One row of an org chart: a person and their line manager, participant or not."""

    id: PersonId = Field(description="The person's id, as the participants file gives it.")
    manager_id: PersonId | None = Field(description="Their line manager's id, empty at the top.")


# Columns neither file may have.
NOT_AGE = "pairs are matched on what one can teach and the other wants to learn, never on age"
AGE_COLUMNS = ("age", "birth_year", "year_of_birth", "date_of_birth", "dob", "birthday", "born", "generation",
               "birth_date")
ID_HINT = "is not an id; use letters, digits, `.`, `_` and `-`, such as `e1042` or `ana.diaz`"
PARTICIPANT_COLUMNS = Columns(Participant, optional=("availability",),
                              lists=("skills_offered", "skills_wanted", "languages", "availability"),
                              refused=dict.fromkeys(AGE_COLUMNS, NOT_AGE), blank_is_none=("manager_id",),
                              hints=dict.fromkeys(("id", "manager_id"), ID_HINT))
COLUMNS = PARTICIPANT_COLUMNS.names
ORG_COLUMNS = Columns(OrgEntry, refused=PARTICIPANT_COLUMNS.refused, blank_is_none=("manager_id",),
                      hints=PARTICIPANT_COLUMNS.hints)


@dataclass(frozen=True)
class Roster:
    """Everyone in the participants file, checked, split into the two sides of a pair."""

    mentors: tuple[Participant, ...]
    leaders: tuple[Participant, ...]
    managers: Mapping[str, frozenset[str]]
    """Each person's line managers: from the participants file, and from the org chart if one is given."""
    warnings: tuple[Problem, ...]


def read_roster(path: Path, matching: Matching, org: Path | None = None) -> Roster:
    """Read and check the participants file (and org chart); raise a PlaybookError with every problem."""
    rows, problems = read_rows(path, PARTICIPANT_COLUMNS)
    problems += _roster_problems(rows, matching)
    chart: list[Row[OrgEntry]] = []
    if org:
        chart, org_problems = read_rows(org, ORG_COLUMNS)
        problems += org_problems + _chart_problems(chart)
    if problems:
        raise PlaybookError(problems)
    mentors = tuple(sorted((r.item for r in rows if r.item.role == matching.mentor_role), key=lambda p: p.id))
    leaders = tuple(sorted((r.item for r in rows if r.item.role == matching.leader_role), key=lambda p: p.id))
    managers: defaultdict[str, set[str]] = defaultdict(set)
    lines = [(row.item.id, row.item.manager_id) for row in rows] + [(row.item.id, row.item.manager_id) for row in chart]
    for person, manager in lines:
        if manager:
            managers[person].add(manager)
    return Roster(mentors, leaders, {person: frozenset(above) for person, above in managers.items()},
                  tuple(_unmet_wishes(rows, matching)))


def _roster_problems(rows: list[Row[Participant]], matching: Matching) -> list[Problem]:
    problems = _chart_problems(rows)
    roles = (matching.mentor_role, matching.leader_role)
    for row in rows:
        person = row.item
        if person.role not in roles:
            problems.append(Problem(row.at("role"), f"role: `{person.role}` is not a role that is matched; use "
                                    f"`{roles[0]}` or `{roles[1]}`" + suggest(person.role, roles)))
        needed = "skills_offered" if person.role == matching.mentor_role else "skills_wanted"
        if person.role in roles and not getattr(person, needed):
            problems.append(Problem(row.at(needed), f"{needed}: is empty; a {noun(person.role)} needs at least one, "
                                    "since pairs are matched on what one can teach and the other wants to learn"))
    return problems


def _chart_problems(rows: list[Row[Participant]] | list[Row[OrgEntry]]) -> list[Problem]:
    """Ids given twice, and reporting lines that would hide who is above whom."""
    problems: list[Problem] = []
    first_line: dict[str, int] = {}
    for row in rows:
        person = row.item
        if person.id in first_line:
            problems.append(Problem(row.at("id"), f"id `{person.id}` is already used on line {first_line[person.id]}"))
        first_line.setdefault(person.id, row.at("id").line)
        if person.manager_id == person.id:
            problems.append(Problem(row.at("manager_id"), "manager_id: a person cannot be their own manager"))
    return problems + _loops(rows)


def _loops(rows: list[Row[Participant]] | list[Row[OrgEntry]]) -> list[Problem]:
    """A reporting line that comes back to where it started."""
    managers = {row.item.id: row.item.manager_id for row in rows}
    problems, reported = [], set()
    for row in rows:
        chain, current = [row.item.id], managers.get(row.item.id)
        while current in managers and current not in chain:
            chain.append(current)
            current = managers[current]
        if current is None or current not in chain:
            continue
        loop = chain[chain.index(current):]
        if len(loop) > 1 and row.item.id in loop and frozenset(loop) not in reported:
            reported.add(frozenset(loop))
            problems.append(Problem(row.at("manager_id"), "manager_id: the reporting line goes round in a circle: "
                                    + " → ".join([*loop, loop[0]])))
    return problems


def _unmet_wishes(rows: list[Row[Participant]], matching: Matching) -> Iterator[Problem]:
    """A warning for each skill a person wants that nobody on the other side offers, often a spelling."""
    offered: dict[str, dict[str, str]] = {matching.mentor_role: {}, matching.leader_role: {}}
    for row in rows:
        for skill in row.item.skills_offered:
            offered[row.item.role].setdefault(key_of(skill), skill)
    other = {matching.mentor_role: matching.leader_role, matching.leader_role: matching.mentor_role}
    for row in rows:
        teachers = offered[other[row.item.role]]
        for skill in row.item.skills_wanted:
            if key_of(skill) not in teachers:
                yield Problem(row.at("skills_wanted"), f"skills_wanted: nobody who could be their partner offers "
                              f"`{skill}`" + suggest(skill, teachers.values()), severity="warning")

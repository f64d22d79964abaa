"""Plain data → models: every file checked, then the references between files.

Every problem in every file is collected before anything fails. Cross-file checks skip a
collection that already failed, so one typo does not bring ten follow-on errors.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from pydantic import BaseModel, ValidationError

from generator import models as m
from generator.errors import Location, PlaybookError, Problem
from generator.images import check_images
from generator.loader import YAML_SUFFIXES, Document, PathKey, load_directory, shown_as
from generator.messages import closest, describe, field_label, fields_at, suggest
from generator.pages import Paths
from generator.stories import Hub, story_path

# file name → (the key its records sit under, or "" for a single record; the model)
FILES: dict[str, tuple[str, type[BaseModel]]] = {
    "program.yml": ("", m.Program),
    "roles.yml": ("roles", m.RolesFile),
    "rules.yml": ("rules", m.RulesFile),
    "methods.yml": ("methods", m.MethodsFile),
    "steps.yml": ("steps", m.StepsFile),
    "phases.yml": ("phases", m.PhasesFile),
    "meetings.yml": ("meetings", m.MeetingsFile),
    "pitfalls.yml": ("pitfalls", m.PitfallsFile),
    "metrics.yml": ("metrics", m.MetricsFile),
    "faq.yml": ("questions", m.FaqFile),
    "events.yml": ("events", m.EventsFile),
}
REQUIRED = ("program.yml", "roles.yml", "rules.yml")
STORIES = "stories"

# (collection, path to the referring value inside one record, "*" for every list item, target)
REFERENCES: tuple[tuple[str, tuple[str, ...], str], ...] = (
    ("roles", ("escalate_to",), "roles"),
    ("rules", ("applies_to", "*"), "roles"),
    ("rules", ("owner",), "roles"),
    ("steps", ("owner",), "roles"),
    ("meetings", ("preparation", "*", "role"), "roles"),
    ("pitfalls", ("rules", "*"), "rules"),
    ("pitfalls", ("roles", "*"), "roles"),
    ("metrics", ("owner",), "roles"),
    ("stories", ("roles", "*"), "roles"),
)
# Kinds whose records each get a page of their own, from the same functions pages.py uses. The
# folder's `index.md` is the generated list of them, so no record may take that page.
RECORD_PAGES = {"roles": Paths.role, "rules": Paths.rule, "meetings": Paths.meeting}
# The story list's first page and its later pages, as the story hub names them; the browse page is Paths.browse.
STORY_LIST = Hub("all", "index", "", ())
NOUNS = {"roles": "role", "rules": "rule", "methods": "method", "steps": "step", "phases": "phase",
         "meetings": "meeting", "pitfalls": "pitfall", "metrics": "metric", "questions": "question",
         "events": "event"}


@dataclass(frozen=True)
class Entry:
    """A validated record with the document and data path it came from."""

    record: m.Record
    document: Document
    path: PathKey

    def locate(self, *more: str | int) -> Location:
        return self.document.locate((*self.path, *more))


def load_playbook(content_dir: Path, project_dir: Path, today: dt.date) -> tuple[m.Playbook, list[Problem]]:
    """Read and check the whole playbook; return it with its warnings, or raise every error."""
    documents, problems = load_directory(content_dir, project_dir)
    if not content_dir.is_dir():
        raise PlaybookError([Problem(Location(str(content_dir)), "the playbook folder does not exist")])
    return validate_documents(documents, problems, content_dir, project_dir, today)


def validate_documents(
    documents: list[Document], problems: list[Problem], content_dir: Path, project_dir: Path, today: dt.date
) -> tuple[m.Playbook, list[Problem]]:
    entries: dict[str, list[Entry]] = {}
    failed = {_kind_of_path(p.location.path) for p in problems}
    root = PurePosixPath(shown_as(content_dir, project_dir))
    for document in sorted(documents, key=_canonical_order):
        kind, found = _validate_document(document, root)
        problems.extend(found)
        if found:
            failed.add(kind)
        else:
            entries.setdefault(kind, []).extend(_entries(document, kind))
    problems.extend(_missing_files(entries, failed, content_dir, project_dir))
    problems.extend(check_references(entries, failed))
    problems.extend(check_page_names(entries))
    problems.extend(check_consistency(entries, today))
    problems.extend(check_images([e for kind in entries.values() for e in kind], project_dir))
    if any(p.severity == "error" for p in problems):
        raise PlaybookError(problems)
    return _assemble(entries), problems


def _kind_of_path(shown: str) -> str:
    path = PurePosixPath(shown)
    if path.parent.name == STORIES:
        return STORIES
    return FILES[path.name][0] or "program" if path.name in FILES else "?"


def _canonical_order(document: Document) -> tuple[int, str]:
    """Collections in the order of FILES, then stories, so a duplicate id is reported on its second use."""
    kinds = [key or "program" for key, _ in FILES.values()] + [STORIES, "?"]
    return kinds.index(_kind_of_path(document.path)), document.path


def _validate_document(document: Document, root: PurePosixPath) -> tuple[str, list[Problem]]:
    path = PurePosixPath(document.path)
    inside = path.relative_to(root).parts if path.is_relative_to(root) else path.parts[-1:]
    if len(inside) == 2 and inside[0] == STORIES:
        problems = _story_name_problems(document, path)
        return STORIES, problems + _model_problems(document, m.Story)
    if len(inside) > 1:
        return "?", [_nested_file_problem(document, root, inside)]
    if path.name not in FILES:
        return "?", [_unknown_file_problem(document, path)]
    key, model = FILES[path.name]
    return key or "program", _model_problems(document, model)


def _unknown_file_problem(document: Document, path: PurePosixPath) -> Problem:
    meant = path.stem.lower() + ".yml"
    if meant in FILES:  # `rules.yaml` or `Rules.YML`: right file, wrong spelling of its name
        return Problem(Location(document.path), f"content file `{path.name}` is not read under that name; rename it "
                       f"to `{meant}`")
    hint = suggest(path.name, FILES) or f"; content files are {', '.join(FILES)} and stories/*.yml"
    return Problem(Location(document.path), f"unknown content file `{path.name}`{hint}")


def _nested_file_problem(document: Document, root: PurePosixPath, inside: tuple[str, ...]) -> Problem:
    home = root / STORIES if inside[0] == STORIES else root
    return Problem(Location(document.path), f"`{'/'.join(inside)}` is in a sub-folder, and sub-folders are not "
                   f"read; move it into `{home}/`, or out of `{root}/` if it is not content")


def _story_name_problems(document: Document, path: PurePosixPath) -> list[Problem]:
    if path.suffix == ".yml" and m.SLUG_RE.match(path.stem):
        return []
    if path.suffix.lower() in YAML_SUFFIXES and m.SLUG_RE.match(path.stem):
        return [Problem(Location(document.path), f"story file `{path.name}` is not read as a story: stories end in "
                        f"`.yml`, in lower case; rename it to `{path.stem}.yml`")]
    return [Problem(Location(document.path), f"story file name `{path.name}` must be lower-case letters, digits "
                    "and dashes ending in `.yml`, such as `2025-03-14-first-pair.yml`")]


def _model_problems(document: Document, model: type[BaseModel]) -> list[Problem]:
    try:
        model.model_validate(document.data)
    except ValidationError as error:
        details = error.errors()
        misspelt = {(tuple(d["loc"][:-1]), closest(str(d["loc"][-1]), fields_at(model, tuple(d["loc"][:-1]))))
                    for d in details if d["type"] == "extra_forbidden"}
        # A misspelt key also makes its field "missing"; the did-you-mean line already says it all.
        return [_problem(document, model, d) for d in details
                if not (d["type"] == "missing" and (tuple(d["loc"][:-1]), d["loc"][-1]) in misspelt)]
    return []


def _problem(document: Document, model: type[BaseModel], detail) -> Problem:
    loc = tuple(detail["loc"])
    where = document.locate(loc, key=detail["type"] == "extra_forbidden")
    return Problem(where, describe(detail, model), field=field_label(loc, document.data))


def _entries(document: Document, kind: str) -> list[Entry]:
    if kind == STORIES:
        story = m.Story.model_validate(document.data)
        story.named(PurePosixPath(document.path).stem)
        return [_placed(story, document, ())]
    key, model = FILES[PurePosixPath(document.path).name]
    parsed = model.model_validate(document.data)
    if not key:
        return [_placed(parsed, document, ())]
    return [_placed(record, document, (key, i)) for i, record in enumerate(getattr(parsed, key))]


def _placed(record: m.Record, document: Document, path: PathKey) -> Entry:
    record.at(document.locate(path))
    return Entry(record, document, path)


def _missing_files(entries: dict[str, list[Entry]], failed: set[str], content_dir: Path, project_dir: Path) -> list[Problem]:
    problems = []
    for name in REQUIRED:
        kind = _kind_of_path(name)
        if kind not in entries and kind not in failed:
            shown = PurePosixPath(Path(content_dir, name).relative_to(project_dir).as_posix()) \
                if content_dir.is_relative_to(project_dir) else Path(content_dir, name)
            problems.append(Problem(Location(str(shown)), f"`{name}` is missing; every playbook needs one"))
    return problems


def check_references(entries: dict[str, list[Entry]], failed: set[str]) -> list[Problem]:
    """Every id that names a role or rule must exist, and every id must be unique."""
    problems = _duplicate_ids(entries)
    known = {kind: {e.record.id for e in entries.get(kind, [])} for kind in ("roles", "rules")}  # type: ignore[attr-defined]
    for kind, pattern, target in REFERENCES:
        if target in failed or target not in entries:  # already reported: broken or missing
            continue
        for entry in entries.get(kind, []):
            for path, value in _values_at(entry.document.data, (*entry.path, *pattern)):
                if isinstance(value, str) and value not in known[target]:
                    message = f"unknown {NOUNS[target]} `{value}`" + (suggest(value, known[target]) or
                                                                     f"; known {target}: {', '.join(sorted(known[target]))}")
                    problems.append(Problem(entry.document.locate(path), message, field=field_label(path, entry.document.data)))
    return problems


def check_page_names(entries: dict[str, list[Entry]]) -> list[Problem]:
    """No record may be named so that its own page would be one the site generates for a list."""
    problems = []
    for kind, page_of in RECORD_PAGES.items():
        for entry in entries.get(kind, []):
            record_id: str = entry.record.id  # type: ignore[attr-defined]
            page = page_of(record_id)
            if PurePosixPath(page).name == "index.md":
                problems.append(Problem(entry.locate("id"), f"id `{record_id}` would make the page `{page}`, which is "
                                        f"the generated list of {kind}; choose another id",
                                        field=field_label((*entry.path, "id"), entry.document.data)))
    for entry in entries.get(STORIES, []):
        story: m.Story = entry.record  # type: ignore[assignment]
        page = story_path(story)
        taken_by = _generated_story_page(page)
        if taken_by:
            problems.append(Problem(Location(entry.document.path), f"story file name `{story.slug}.yml` would make "
                                    f"the page `{page}`, which is {taken_by}; rename the file, such as "
                                    f"`{story.date.isoformat()}-{story.slug}.yml`"))
    return problems


def _generated_story_page(path: str) -> str:
    """What the site generates at a story's page path, or "" when the path is free."""
    number = re.search(r"([0-9]+)\.md$", path)
    if path == STORY_LIST.page_path(1) or (number and path == STORY_LIST.page_path(int(number[1]))):
        return "the generated list of stories" + (f" (its page {int(number[1])})" if number else "")
    if path == Paths.browse:
        return "the generated page for browsing stories by topic"
    return ""


def _duplicate_ids(entries: dict[str, list[Entry]]) -> list[Problem]:
    seen: dict[str, tuple[str, Entry]] = {}
    problems = []
    for kind, items in entries.items():
        for entry in items:
            record_id = getattr(entry.record, "id", None)
            if record_id is None:
                continue
            if record_id in seen:
                first_kind, first = seen[record_id]
                problems.append(Problem(entry.locate("id"), f"id `{record_id}` is already used by the {NOUNS[first_kind]} at "
                                        f"{first.locate('id')}; every id must be unique", field="id"))
            else:
                seen[record_id] = (kind, entry)
    return problems


def _values_at(data: object, pattern: tuple[str | int, ...], path: PathKey = ()) -> Iterator[tuple[PathKey, object]]:
    if not pattern:
        yield path, data
        return
    head, rest = pattern[0], pattern[1:]
    if head == "*" and isinstance(data, list):
        for i, item in enumerate(data):
            yield from _values_at(item, rest, (*path, i))
    elif isinstance(data, dict) and head in data:
        yield from _values_at(data[head], rest, (*path, head))
    elif isinstance(data, list) and isinstance(head, int) and head < len(data):
        yield from _values_at(data[head], rest, (*path, head))


def check_consistency(entries: dict[str, list[Entry]], today: dt.date) -> list[Problem]:
    """Checks within one record that the models cannot express on their own."""
    problems: list[Problem] = []
    for entry in entries.get("meetings", []):
        problems.extend(_agenda_problems(entry))
    for entry in entries.get("phases", []):
        phase: m.Phase = entry.record  # type: ignore[assignment]
        if phase.end_month < phase.start_month:
            problems.append(Problem(entry.locate("end_month"), f"ends in month {phase.end_month}, before it starts "
                                    f"(month {phase.start_month}); use {phase.start_month} or later",
                                    field="end_month"))
    for entry in entries.get("events", []):
        event: m.Event = entry.record  # type: ignore[assignment]
        if event.repeat_until and event.repeat == "never":
            problems.append(Problem(entry.locate("repeat_until"), "`repeat_until` needs `repeat` (weekly, fortnightly "
                                    "or monthly); add `repeat` or remove `repeat_until`", field="repeat_until"))
    for entry in entries.get(STORIES, []):
        problems.extend(_consent_warnings(entry, today))
    return problems + _time_zone_problems(entries)


def _time_zone_problems(entries: dict[str, list[Entry]]) -> list[Problem]:
    """Event times are local times; without the program's zone no calendar app can place them."""
    programs = entries.get("program", [])
    if not programs or not entries.get("events") or programs[0].record.time_zone:  # type: ignore[attr-defined]
        return []
    return [Problem(programs[0].locate(), "is required because events.yml has events; add the zone their times "
                    "are in, such as `time_zone: Europe/Berlin`", field="time_zone")]


def _agenda_problems(entry: Entry) -> list[Problem]:
    meeting: m.Meeting = entry.record  # type: ignore[assignment]
    total = sum(block.minutes for block in meeting.agenda)
    if total == meeting.duration_minutes:
        return []
    return [Problem(entry.locate("duration_minutes"), f"the agenda adds up to {total} minutes but `duration_minutes` "
                    f"is {meeting.duration_minutes}; make them match", field="duration_minutes")]


def _consent_warnings(entry: Entry, today: dt.date) -> list[Problem]:
    story: m.Story = entry.record  # type: ignore[assignment]
    return [
        Problem(entry.locate("people", i, "consent", "expires"),
                f"consent of {person.name} expired on {person.consent.expires}; renew it, or set `granted: false` "
                "to show them by role only", field=f"people[{i + 1}].consent.expires", severity="warning")
        for i, person in enumerate(story.people)
        if person.consent.granted and person.consent.expires and person.consent.expires < today
    ]


def _assemble(entries: dict[str, list[Entry]]) -> m.Playbook:
    def records(kind: str) -> tuple:
        return tuple(e.record for e in entries.get(kind, []))

    stories = sorted(records(STORIES), key=lambda s: (s.date, s.slug), reverse=True)
    return m.Playbook(
        program=records("program")[0], roles=records("roles"), rules=records("rules"), methods=records("methods"),
        steps=records("steps"), phases=records("phases"), meetings=records("meetings"), pitfalls=records("pitfalls"),
        metrics=records("metrics"), questions=records("questions"), events=records("events"), stories=tuple(stories),
    )

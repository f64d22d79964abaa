"""Plain data → models: every file checked, then the references between files.

Every problem in every file is collected before anything fails. Cross-file checks skip a
collection that already failed, so one typo does not bring ten follow-on errors.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any, cast

from pydantic import BaseModel, ValidationError

from generator import kinds, parallel, urls
from generator import models as m
from generator.errors import Location, PlaybookError, Problem
from generator.figures import FIGURE_KINDS, date_schedule, figure_link, figure_table, resolve_figures, tokens_in
from generator.images import check_images
from generator.invariants import check_invariants, records_of
from generator.kinds import Kind
from generator.loader import YAML_SUFFIXES, Document, PathKey, load_document, shown_as, yaml_files
from generator.messages import closest, describe, field_label, fields_at, suggest
from generator.placeholders import placeholder_problems
from generator.references import find_links, unknown_targets
from generator.results import check_results

UNKNOWN = "?"


@dataclass(frozen=True)
class Entry:
    """A validated record with its kind, and the document and data path it came from."""

    kind: Kind
    record: m.Record
    document: Document
    path: PathKey

    def locate(self, *more: str | int) -> Location:
        return self.document.locate((*self.path, *more))

    def label(self, *more: str | int) -> str:
        return field_label((*self.path, *more), self.document.data)

    def locate_path(self, path: PathKey) -> Location:
        return self.locate(*path)

    def label_path(self, path: PathKey) -> str:
        return self.label(*path)


def load_playbook(content_dir: Path, project_dir: Path, today: dt.date, memo: FileMemo | None = None,
                  processes: int = 1) -> tuple[m.Playbook, list[Problem]]:
    """Read and check the whole playbook; return it with its warnings, or raise every error.

    With a memo (the live preview keeps one), a file whose size and modification time are
    unchanged since the last build is not read or checked again; the checks across files
    always run on the whole playbook. With two processes, a forked worker checks every other
    file; the checks across files run here, on what both found.
    """
    if not content_dir.is_dir():
        raise PlaybookError([Problem(Location(str(content_dir)), "the playbook folder does not exist")])
    root = PurePosixPath(shown_as(content_dir, project_dir))
    paths = list(yaml_files(content_dir))
    if memo:
        checked = [memo.get(path, functools.partial(_checked_file, path, project_dir, root)) for path in paths]
    else:
        checked = parallel.interleaved(lambda path: _checked_file(path, project_dir, root), paths, processes)
    return validate_files(checked, content_dir, project_dir, today, memo)


@dataclass(frozen=True)
class CheckedFile:
    """One YAML file read and checked on its own: its problems, or its records and their links."""

    problems: tuple[Problem, ...]
    document: Document | None = None
    """None when the file could not be read as YAML at all."""
    kind: Kind | None = None
    entries: tuple[Entry, ...] = ()
    links: tuple[m.Link, ...] = ()
    tokens: tuple[Token, ...] = ()
    """Every figure token in the file's text, found once: the live preview checks the others' again each build."""


@dataclass(frozen=True)
class Token:
    """A figure token (`{months}`) in one field of one record."""

    entry: Entry
    path: PathKey
    name: str

    def link(self) -> m.Link | None:
        return figure_link(self.entry.record, self.name, self.entry.locate_path(self.path),
                           self.entry.label_path(self.path))


class FileMemo:
    """Checked files by path, each with the size and modification time it had when it was checked."""

    def __init__(self) -> None:
        self._files: dict[Path, tuple[tuple[int, int, int], CheckedFile]] = {}
        self._table: dict[str, str] = {}
        self._printed: dict[int, tuple[m.Record, m.Record]] = {}

    def print_all(self, records: list[m.Record], table: dict[str, str],
                  events: dict[str, m.Event]) -> dict[int, m.Record]:
        """Each record with its figures printed, by the id of the record as checked: the same object as the last
        build's while the record and every figure are unchanged, since pages kept from an earlier build recognise
        a record they were given by its identity. Records gone from the playbook are forgotten."""
        if table != self._table:
            self._table, self._printed = table, {}
        self._printed = {id(record): kept if (kept := self._printed.get(id(record))) and kept[0] is record
                         else (record, _printed(record, table, events)) for record in records}
        return {key: printed for key, (_, printed) in self._printed.items()}

    def get(self, path: Path, check: Callable[[], CheckedFile]) -> CheckedFile:
        try:
            status = path.stat()
        except OSError:  # gone since the folder was listed: let the check say so
            return check()
        stamp = (status.st_mtime_ns, status.st_size, status.st_ino)
        kept = self._files.get(path)
        if kept is None or kept[0] != stamp:
            kept = self._files[path] = (stamp, check())
        return kept[1]


def _checked_file(path: Path, project_dir: Path, root: PurePosixPath) -> CheckedFile:
    try:
        document = load_document(path, shown_as(path, project_dir))
    except PlaybookError as error:
        return CheckedFile(tuple(error.problems))
    kind, problems = _validate_document(document, root)
    if problems or kind is None:
        return CheckedFile(tuple(problems), document, kind)
    entries = tuple(_entries(document, kind))
    tokens = tuple(Token(entry, path, name) for entry in entries for path, name in tokens_in(entry.record))
    links = tuple(link for entry in entries
                  for link in find_links(entry.kind, entry.record, entry.locate_path, entry.label_path))
    return CheckedFile((), document, kind, entries, links + tuple(link for t in tokens if (link := t.link())), tokens)


def validate_files(checked: list[CheckedFile], content_dir: Path, project_dir: Path,
                   today: dt.date, memo: FileMemo | None = None) -> tuple[m.Playbook, list[Problem]]:
    """The checks across files, over files that were each checked on their own."""
    problems = [problem for file in checked if file.document is None for problem in file.problems]
    entries: dict[str, list[Entry]] = {kind.name: [] for kind in kinds.KINDS}
    failed = {_kind_of_path(p.location.path) for p in problems}
    links: list[m.Link] = []
    tokens: list[Token] = []
    for file in sorted((f for f in checked if f.document), key=lambda f: _canonical_order(f.document)):  # type: ignore[arg-type]
        problems.extend(file.problems)
        if file.problems or file.kind is None:
            failed.add(file.kind.name if file.kind else UNKNOWN)
        else:
            entries[file.kind.name].extend(file.entries)
            links.extend(file.links)
            tokens.extend(file.tokens)
    present = {name for name, found in entries.items() if found}
    problems.extend(_missing_files(present, failed, content_dir, project_dir))
    problems.extend(_duplicate_ids(entries))
    problems.extend(check_references(tuple(links), entries, failed))
    problems.extend(check_page_names(entries))
    problems.extend(check_consistency(entries, today))
    table = _figure_table(entries, failed)
    problems.extend(check_invariants(entries, failed, tokens, table))
    if not failed & {"metrics", "results"}:
        problems.extend(check_results(entries["metrics"], entries["results"]))
    problems.extend(problem for items in entries.values() for e in items
                    for problem in placeholder_problems(e.kind, e.record, e.document, e.path))
    problems.extend(check_images([e for items in entries.values() for e in items], project_dir))
    if any(p.severity == "error" for p in problems):
        raise PlaybookError(problems)
    assert table is not None, "no file failed, so every file the figures come from is checked"
    return _assemble(entries, tuple(links), table, memo), problems


def _kind_of_path(shown: str) -> str:
    path = PurePosixPath(shown)
    if path.parent.name and (kind := kinds.by_file(path.parent.name + "/")):
        return kind.name
    kind = kinds.by_file(path.name)
    return kind.name if kind else UNKNOWN


def _canonical_order(document: Document) -> tuple[int, str]:
    """Kinds in the registry's order, so a duplicate id is reported on its second use."""
    names = [kind.name for kind in kinds.KINDS] + [UNKNOWN]
    return names.index(_kind_of_path(document.path)), document.path


def _validate_document(document: Document, root: PurePosixPath) -> tuple[Kind | None, list[Problem]]:
    path = PurePosixPath(document.path)
    inside = path.relative_to(root).parts if path.is_relative_to(root) else path.parts[-1:]
    folder = kinds.by_file(inside[0] + "/") if len(inside) == 2 else None
    if folder:
        problems = _record_file_name_problems(document, path, folder)
        return folder, problems or _model_problems(document, folder)
    if len(inside) > 1:
        return None, [_nested_file_problem(document, root, inside)]
    kind = kinds.by_file(path.name)
    if kind is None or kind.folder:
        return None, [_unknown_file_problem(document, path)]
    return kind, _model_problems(document, kind)


def _content_files() -> list[str]:
    return [kind.file for kind in kinds.KINDS if not kind.folder]


def _unknown_file_problem(document: Document, path: PurePosixPath) -> Problem:
    meant = path.stem.lower() + ".yml"
    if meant in _content_files():  # `rules.yaml` or `Rules.YML`: right file, wrong spelling of its name
        return Problem(Location(document.path), f"content file `{path.name}` is not read under that name; rename it "
                       f"to `{meant}`")
    folders = " and ".join(f"{kind.file}*.yml" for kind in kinds.KINDS if kind.folder)
    hint = suggest(path.name, _content_files()) or f"; content files are {', '.join(_content_files())} and {folders}"
    return Problem(Location(document.path), f"unknown content file `{path.name}`{hint}")


def _nested_file_problem(document: Document, root: PurePosixPath, inside: tuple[str, ...]) -> Problem:
    home = root / inside[0] if kinds.by_file(inside[0] + "/") else root
    return Problem(Location(document.path), f"`{'/'.join(inside)}` is in a sub-folder, and sub-folders are not "
                   f"read; move it into `{home}/`, or out of `{root}/` if it is not content")


def _record_file_name_problems(document: Document, path: PurePosixPath, kind: Kind) -> list[Problem]:
    noun = kind.noun
    if path.suffix == ".yml" and m.SLUG_RE.match(path.stem):
        return []
    if path.suffix.lower() in YAML_SUFFIXES and m.SLUG_RE.match(path.stem):
        return [Problem(Location(document.path), f"{noun} file `{path.name}` is not read as a {noun}: {kind.name} "
                        f"end in `.yml`, in lower case; rename it to `{path.stem}.yml`")]
    return [Problem(Location(document.path), f"{noun} file name `{path.name}` must be lower-case letters, digits "
                    f"and dashes ending in `.yml`, such as `{kind.files.example}`")]


def _origin(document: Document, path: PathKey, kind: Kind) -> m.Origin:
    slug = PurePosixPath(document.path).stem if kind.folder else ""
    return m.Origin(document.locate(path), slug)


def _model_problems(document: Document, kind: Kind) -> list[Problem]:
    model = kind.file_model
    try:
        model.model_validate(document.data, context=_origin(document, (), kind))
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


def _entries(document: Document, kind: Kind) -> list[Entry]:
    """The file's records, each built in one step with its place in the file (a valid file, so no errors)."""
    if kind.single or kind.folder:
        record = kind.model.model_validate(document.data, context=_origin(document, (), kind))
        return [Entry(kind, record, document, ())]
    items = document.data[kind.name]  # type: ignore[index]
    return [Entry(kind, kind.model.model_validate(item, context=_origin(document, (kind.name, i), kind)), document,
                  (kind.name, i)) for i, item in enumerate(items)]


def _missing_files(present: set[str], failed: set[str], content_dir: Path, project_dir: Path) -> list[Problem]:
    problems = []
    for kind in kinds.KINDS:
        if kind.required and kind.name not in present and kind.name not in failed:
            shown = PurePosixPath(Path(content_dir, kind.file).relative_to(project_dir).as_posix()) \
                if content_dir.is_relative_to(project_dir) else Path(content_dir, kind.file)
            problems.append(Problem(Location(str(shown)), f"`{kind.file}` is missing; every playbook needs one"))
    return problems


def check_references(links: tuple[m.Link, ...], entries: dict[str, list[Entry]], failed: set[str]) -> list[Problem]:
    """Every id a record names must exist; a kind that failed or is missing has already been reported."""
    # A required kind with no records is reported missing already; an optional one has none to name.
    known = {name: {entry.kind.key_of(entry.record) for entry in items} for name, items in entries.items()
             if name not in failed and (items or not _named_without_records(kinds.by_name(name)))}
    return unknown_targets(links, known, {kind.name: kind.noun for kind in kinds.KINDS})


def _named_without_records(kind: Kind) -> bool:
    """Whether an id of this kind may be named while the playbook has none: a required kind's missing file
    is reported on its own, and a tag is its own label until tags.yml exists."""
    return kind.required or kind.named_freely


def check_page_names(entries: dict[str, list[Entry]]) -> list[Problem]:
    """No record may be named so that its own page would be one the site generates for a list."""
    problems = []
    for kind in kinds.KINDS:
        if not kind.record_page:
            continue
        for entry in entries[kind.name]:
            taken_by = _generated_page(urls.of(entry.record), kind)
            if taken_by and kind.folder:
                slug = kind.key_of(entry.record)
                day = getattr(entry.record, "date", None)
                example = f", such as `{day.isoformat()}-{slug}.yml`" if day else ""
                problems.append(Problem(Location(entry.document.path), f"{kind.noun} file name `{slug}.yml` would "
                                        f"make the page `{urls.of(entry.record)}`, which is {taken_by}; rename the "
                                        f"file{example}"))
            elif taken_by:
                problems.append(Problem(entry.locate("id"), f"id `{kind.key_of(entry.record)}` would make the page "
                                        f"`{urls.of(entry.record)}`, which is {taken_by}; choose another id",
                                        field=entry.label("id")))
    return problems


def _generated_page(path: str, kind: Kind) -> str:
    """What the site generates at a record's page path, or "" when the path is free."""
    if path == kind.list_page or (not kind.folder and PurePosixPath(path).name == "index.md"):
        return f"the generated list of {kind.name}"
    number = re.search(r"([0-9]+)\.md$", path)
    if path == urls.hub("all") or (number and path == urls.hub("all", number=int(number[1]))):
        return "the generated list of stories" + (f" (its page {int(number[1])})" if number else "")
    if path == urls.BROWSE:
        return "the generated page for browsing stories by topic"
    return ""


def _duplicate_ids(entries: dict[str, list[Entry]]) -> list[Problem]:
    seen: dict[str, Entry] = {}
    problems = []
    for items in entries.values():
        for entry in items:
            record_id = getattr(entry.record, "id", None)
            if record_id is None:
                continue
            if record_id in seen:
                first = seen[record_id]
                problems.append(Problem(entry.locate("id"), f"id `{record_id}` is already used by the "
                                        f"{first.kind.noun} at {first.locate('id')}; every id must be unique",
                                        field="id"))
            else:
                seen[record_id] = entry
    return problems


def check_consistency(entries: dict[str, list[Entry]], today: dt.date) -> list[Problem]:
    """Checks within one record that the models cannot express on their own."""
    problems: list[Problem] = []
    for entry in entries["meetings"]:
        problems.extend(_agenda_problems(entry))
    for entry in entries["phases"]:
        phase: m.Phase = entry.record  # type: ignore[assignment]
        if phase.end_month < phase.start_month:
            problems.append(Problem(entry.locate("end_month"), f"ends in month {phase.end_month}, before it starts "
                                    f"(month {phase.start_month}); use {phase.start_month} or later",
                                    field="end_month"))
    for entry in entries["events"]:
        event: m.Event = entry.record  # type: ignore[assignment]
        if event.repeat_until and event.repeat == "never":
            problems.append(Problem(entry.locate("repeat_until"), "`repeat_until` needs `repeat` (weekly, fortnightly "
                                    "or monthly); add `repeat` or remove `repeat_until`", field="repeat_until"))
    for entry in entries["stories"]:
        problems.extend(_consent_warnings(entry, today))
    return problems + _time_zone_problems(entries)


def _time_zone_problems(entries: dict[str, list[Entry]]) -> list[Problem]:
    """Event times are local times; without the program's zone no calendar app can place them."""
    programs = entries["program"]
    if not programs or not entries["events"] or programs[0].record.time_zone:  # type: ignore[attr-defined]
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


def _printed(record: m.Record, table: dict[str, str], events: dict[str, m.Event]) -> m.Record:
    return date_schedule(resolve_figures(record, table), events)


def _figure_table(entries: dict[str, list[Entry]], failed: set[str]) -> dict[str, str] | None:
    """What each figure token prints; None when the program is missing or a file the figures come from failed."""
    if failed & set(FIGURE_KINDS) or not entries["program"]:
        return None
    program, events, metrics, meetings = (records_of(entries[name]) for name in FIGURE_KINDS)
    return figure_table(program[0], events, metrics, meetings)


def _assemble(entries: dict[str, list[Entry]], links: tuple[m.Link, ...], table: dict[str, str],
              memo: FileMemo | None) -> m.Playbook:
    """The playbook as pages show it: its figure tokens printed (generator/figures.py)."""
    program = entries["program"][0].record
    dated = {event.id: event for event in records_of(entries["events"])}
    records = [entry.record for items in entries.values() for entry in items]
    printed = memo.print_all(records, table, dated) if memo else \
        {id(record): _printed(record, table, dated) for record in records}
    collections: dict[str, tuple[Any, ...]] = {name: tuple(printed[id(e.record)] for e in items)
                                               for name, items in entries.items() if name != "program"}
    collections["stories"] = tuple(sorted(collections["stories"], key=lambda s: (s.date, s.slug), reverse=True))
    # A link names the record it is in, which the external site's selection finds by identity.
    links = tuple(link if printed[id(link.record)] is link.record else
                  dataclasses.replace(link, record=printed[id(link.record)]) for link in links)
    return m.Playbook(program=cast(m.Program, printed[id(program)]), collections=collections, links=links)

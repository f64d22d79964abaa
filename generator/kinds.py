"""The registry of kinds of record: each kind is declared once, here, and every stage reads it.

Validation finds a kind's file and model here; audience selection, its rule for the external
site; the schemas, its title; pages and nav, its pages, template and place in the navigation;
the reference checker, the fields that name other records. A new kind of record is its model
(models.py), one row in KINDS and its template: see "Adding a kind of record" in the README.
"""

from __future__ import annotations

import datetime as dt
import functools
import types
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import BaseModel, Field, create_model

from generator import models as m
from generator.results import Cohort


@dataclass(frozen=True)
class Ref:
    """A field that names a record of another kind: a path into the record, `*` for every list item."""

    path: tuple[str, ...]
    target: str
    shown: bool = True
    """Whether the page links to it; an id only checked, such as an event's phase, cannot leak a record."""


@dataclass(frozen=True)
class Nav:
    """Where a kind's list page sits in the navigation.

    Sections appear in the order their first kind has in KINDS. With `label`, the page is an entry
    inside the section; without, the section itself is the page. `records` adds each record's page.
    """

    section: str
    label: str | None = None
    records: bool = False


def not_external(record: Any, today: dt.date) -> str | None:
    """The default rule for the external site: only records marked `audience: external`."""
    return None if record.audience == "external" else "audience"


def story_exclusion(story: m.Story, today: dt.date) -> str | None:
    """A story goes outside only when external and everyone in it may be named today."""
    if story.audience != "external":
        return "audience"
    if not all(person.may_be_named(today) for person in story.people):
        return "consent"
    return None


Rank = Literal["role", "record", "page", "listing", "hidden"]
"""How a page weighs in search: a record's own page (a rule, a meeting) above the pages that mention it,
and a role's above those, since every rule and guide names the roles it binds; a page that only lists
posts or figures below them, and the further pages of a long list left out."""


@dataclass(frozen=True)
class FolderFiles:
    """How the files of a folder kind are named, for messages, the schema's title and the web editor."""

    pattern: str
    """The name's shape, such as `YYYY-MM-DD-slug.yml`."""
    example: str
    editor_slug: str
    """The name the web editor gives a new file (Decap's `slug` template)."""
    editor_summary: str
    sortable: tuple[str, ...]


STORY_FILES = FolderFiles("YYYY-MM-DD-slug.yml", "2025-03-14-first-pair.yml", "{{year}}-{{month}}-{{day}}-{{slug}}",
                          "{{date}} · {{title}}", ("date", "title"))
COHORT_FILES = FolderFiles("cohort.yml", "2025.yml", "{{slug}}", "{{start}} · {{title}}", ("start", "title"))


@dataclass(frozen=True)
class Kind:
    """One kind of record, as every stage of the pipeline needs to know it."""

    name: str
    """The collection's name: `playbook.roles` in templates, the key in the file (`roles:`)."""
    noun: str
    """One record, in messages: `unknown role `x``."""
    model: type[m.Record]
    file: str
    """The content file (`roles.yml`), or the folder of one-file records (`stories/`)."""
    schema_title: str
    """Shown by editors for the file's JSON Schema, such as `Roles`."""
    description: str = ""
    """What the file's list holds, for the JSON Schema."""
    max_records: int = 200
    required: bool = False
    single: bool = False
    """The file is one record (program.yml), not a list under `name`."""
    list_page: str | None = None
    """The page that shows every record, such as `roles/index.md`; left out when there are none."""
    list_template: str | None = None
    list_title: str = ""
    list_rank: Rank = "page"
    """How the list page weighs in search."""
    record_rank: Rank = "record"
    record_page: str | None = None
    """The page of one record, such as `roles/{id}.md`; without it a record's URL is on the list page."""
    record_template: str | None = None
    anchored: bool = False
    """The list page gives each record an anchor named by its id, such as `pitfalls.md#late-starts`."""
    nav: Nav | None = None
    references: tuple[Ref, ...] = ()
    exclude: Callable[[Any, dt.date], str | None] = field(default=not_external)
    """Why the external site leaves a record out (`audience`, `consent`), or None to keep it."""
    files: FolderFiles = STORY_FILES
    """For a folder kind, how its files are named."""
    named_freely: bool = False
    """Without a file of this kind, other records may name any id: a story's tags are then their own labels."""

    @property
    def folder(self) -> bool:
        return self.file.endswith("/")

    @property
    def schema_name(self) -> str:
        return self.file.removesuffix(".yml") if not self.folder else self.noun

    @functools.cached_property
    def file_model(self) -> type[BaseModel]:
        """The whole file's model: the record itself, or a list of records under `name`."""
        if self.single or self.folder:
            return self.model
        items = Field(min_length=1, max_length=self.max_records, description=self.description)
        # list[self.model], built at run time: a type checker cannot spell a type held in a variable.
        fields: dict[str, Any] = {self.name: (types.GenericAlias(list, (self.model,)), items)}
        return create_model(f"{self.model.__name__}File", __base__=m.Strict, **fields)

    def __reduce__(self) -> tuple[Callable[[str], Kind], tuple[str]]:
        # A file checked in a worker process comes back naming its kind; the row itself holds
        # functions and a model class made at run time, which pickle cannot carry.
        return by_name, (self.name,)

    def key_of(self, record: Any) -> str:
        """The id other records and URLs use: `id`, a story's slug, or the kind's name for a single record."""
        return record.slug if self.folder else self.name if self.single else record.id


PROGRAM = Kind("program", "program", m.Program, "program.yml", "Program", required=True, single=True,
               references=(Ref(("matching", "mentor_role"), "roles"), Ref(("matching", "leader_role"), "roles"),
                           Ref(("matching", "rules", "*"), "rules")))
# A tag's page is its hub of posts (generator/stories.py), at the address urls.hub gives it.
TAGS = Kind("tags", "tag", m.Tag, "tags.yml", "Tags", "The topics posts can be tagged with.",
            record_page="stories/tags/{id}.md", named_freely=True)
STORIES = Kind("stories", "story", m.Story, "stories/", "Story",
               references=(Ref(("roles", "*"), "roles"), Ref(("tags", "*"), "tags")),
               record_page="stories/{id}.md", record_template="story.md.j2", exclude=story_exclusion)

# In file order: collections load, and report a duplicate id, in this order.
KINDS: tuple[Kind, ...] = (
    PROGRAM,
    Kind("roles", "role", m.Role, "roles.yml", "Roles", "Every role in the program.", required=True,
         list_page="roles/index.md", list_template="roles.md.j2", list_title="Roles",
         record_page="roles/{id}.md", record_template="role.md.j2", nav=Nav("Roles", "All roles", records=True),
         record_rank="role",
         references=(Ref(("escalate_to",), "roles"),)),
    Kind("rules", "rule", m.Rule, "rules.yml", "Rules", "Every rule of the program.", max_records=500, required=True,
         list_page="rules/index.md", list_template="rules.md.j2", list_title="Rules", anchored=True,
         record_page="rules/{id}.md", record_template="rule.md.j2", nav=Nav("Rules", "All rules"),
         references=(Ref(("applies_to", "*"), "roles"), Ref(("owner",), "roles"))),
    Kind("methods", "method", m.Method, "methods.yml", "Culture methods", "The culture methods.", max_records=50,
         list_page="methods.md", list_template="methods.md.j2", list_title="Culture methods",
         nav=Nav("Program", "Culture methods")),
    Kind("steps", "step", m.Step, "steps.yml", "Implementation steps", "The implementation steps, in order.",
         max_records=50, list_page="implementation.md", list_template="implementation.md.j2",
         list_title="Implementation", nav=Nav("Program", "Implementation"), references=(Ref(("owner",), "roles"),)),
    Kind("phases", "phase", m.Phase, "phases.yml", "Timeline", "The timeline, in order.", max_records=50,
         list_page="timeline.md", list_template="timeline.md.j2", list_title="Timeline",
         nav=Nav("Program", "Timeline")),
    Kind("meetings", "meeting", m.Meeting, "meetings.yml", "Meeting guides", "The meeting guides.", max_records=50,
         list_page="meetings/index.md", list_template="meetings.md.j2", list_title="Meeting guides",
         record_page="meetings/{id}.md", record_template="meeting.md.j2",
         nav=Nav("Meetings", "All meeting guides", records=True),
         references=(Ref(("preparation", "*", "role"), "roles"),)),
    Kind("pitfalls", "pitfall", m.Pitfall, "pitfalls.yml", "Pitfalls", "What goes wrong, and the fix.",
         list_page="pitfalls.md", list_template="pitfalls.md.j2", list_title="Pitfalls", anchored=True,
         nav=Nav("Pitfalls"), references=(Ref(("rules", "*"), "rules"), Ref(("roles", "*"), "roles"))),
    Kind("metrics", "metric", m.Metric, "metrics.yml", "Metrics", "How success is measured.", max_records=100,
         list_page="metrics.md", list_template="metrics.md.j2", list_title="Metrics", anchored=True,
         nav=Nav("Metrics"), references=(Ref(("owner",), "roles"),)),
    # One file per cohort; their page is the program's health, judged against metrics.yml's goals.
    Kind("results", "cohort", Cohort, "results/", "Cohort results", max_records=100,
         # Its headings repeat the metrics' names, which a search for a role or rule should not find first.
         list_page="health/index.md", list_template="health.md.j2", list_title="Program health", list_rank="listing",
         nav=Nav("Program health"), references=(Ref(("figures", "*", "metric"), "metrics"),), files=COHORT_FILES),
    Kind("questions", "question", m.Question, "faq.yml", "FAQ", "Questions and answers.", max_records=300,
         list_page="faq.md", list_template="faq.md.j2", list_title="FAQ", anchored=True, nav=Nav("FAQ")),
    Kind("events", "event", m.Event, "events.yml", "Calendar", "The program's calendar.",
         list_page="calendar.md", list_template="calendar.md.j2", list_title="Calendar", anchored=True,
         nav=Nav("Program", "Calendar"),
         references=(Ref(("phase",), "phases", shown=False), Ref(("after", "*"), "events", shown=False))),
    Kind("policies", "policy", m.Policy, "policies.yml", "Policies", "The policies and guides HR needs in writing.",
         max_records=50, list_page="policies/index.md", list_template="policies.md.j2", list_title="Policies",
         record_page="policies/{id}.md", record_template="policy.md.j2",
         nav=Nav("Policies and forms", "All policies", records=True),
         references=(Ref(("owner",), "roles"), Ref(("rules", "*"), "rules"), Ref(("forms", "*"), "forms"),
                     Ref(("schedule", "*", "event"), "events"), Ref(("schedule", "*", "owner"), "roles"))),
    Kind("forms", "form", m.Form, "forms.yml", "Forms", "The forms the program runs on.", max_records=50,
         list_page="forms/index.md", list_template="forms.md.j2", list_title="Forms",
         record_page="forms/{id}.md", record_template="form.md.j2",
         nav=Nav("Policies and forms", "All forms", records=True),
         references=(Ref(("filled_by", "*"), "roles"), Ref(("rules", "*"), "rules"),
                     Ref(("sections", "*", "fields", "*", "metric"), "metrics"))),
    TAGS,
    STORIES,
)


def by_name(name: str) -> Kind:
    return _index().by_name[name]


def by_file(file_name: str) -> Kind | None:
    return next((kind for kind in KINDS if kind.file == file_name), None)


def of(record: object) -> Kind:
    """The kind a record belongs to, by its model."""
    return _index().by_model[type(record)]


@dataclass(frozen=True)
class _Index:
    """KINDS by name and by model. Every link and URL asks for a record's kind (30,000 times at
    1,000 stories), and a scan of the registry for each came to a noticeable share of a build."""

    kinds: tuple[Kind, ...]
    by_name: dict[str, Kind]
    by_model: dict[type, Kind]

    @classmethod
    def of(cls, kinds: tuple[Kind, ...]) -> _Index:
        # Reversed, so that of two rows with the same key the first wins, as in a scan of KINDS.
        return cls(kinds, {kind.name: kind for kind in reversed(kinds)},
                   {kind.model: kind for kind in reversed(kinds)})


_indexed: list[_Index] = []


def _index() -> _Index:
    """The index of KINDS as it is now: a test, or a site's own setup, may give KINDS a new row."""
    if not _indexed or _indexed[0].kinds is not KINDS:
        _indexed[:] = [_Index.of(KINDS)]
    return _indexed[0]


def collections() -> Iterator[Kind]:
    """Every kind but the program itself: the kinds that hold many records."""
    return (kind for kind in KINDS if not kind.single)

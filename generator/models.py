"""Pydantic models of the playbook's content: one per kind of record, strict, no I/O.

Every field has a description because the same models produce the JSON Schema that
editors use to autocomplete and check the YAML.
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import re
import zoneinfo
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    StringConstraints,
    WithJsonSchema,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from generator.errors import Location

SLUG_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
SLUG_RE = re.compile(SLUG_PATTERN)
Slug = Annotated[
    str,
    StringConstraints(pattern=SLUG_PATTERN, min_length=1, max_length=64),
    Field(description="A short id in lower case with dashes, such as `senior-leader`.", examples=["senior-leader"]),
]
RoleId = Annotated[str, Field(description="The `id` of a role in roles.yml.", examples=["reverse-mentor"])]
RuleId = Annotated[str, Field(description="The `id` of a rule in rules.yml.", examples=["meet-at-least-monthly"])]
# Invisible control characters and lone surrogates cannot be shown, fed or e-mailed.
_UNPRINTABLE_CHARS = r"\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff"
UNPRINTABLE = re.compile(f"[{_UNPRINTABLE_CHARS}]")


def printable(value: str) -> str:
    found = UNPRINTABLE.search(value)
    if found:
        raise PydanticCustomError("unprintable", "contains the invisible character U+{code}, which cannot be shown; "
                                  "delete it", {"code": f"{ord(found[0]):04X}"})
    return value


# Every character str.splitlines() breaks at that `printable` lets through: CR and LF (alone or
# as a pair), NEL and the Unicode line and paragraph separators.
LINE_BREAK = re.compile(r"\r\n|[\r\n\x85\u2028\u2029]")
FOLDED_BREAKS = re.compile(r"[ \t]*(?:\r\n|[\r\n\x85\u2028\u2029])[ \t\r\n\x85\u2028\u2029]*")
# Most values need no change, and one scan for a character that either step acts on tells so:
# far cheaper than a substitution, which rebuilds a story's body to replace each LF by an LF,
# and a second scan for unprintable characters.
NOT_ONE_LINE = re.compile(f"[{_UNPRINTABLE_CHARS}\r\n\x85\u2028\u2029]")
NOT_UNIX_LINES = re.compile(f"[{_UNPRINTABLE_CHARS}\r\x85\u2028\u2029]")


def one_line(value: str) -> str:
    """Plain text is one line: a line break (a YAML `|` block, a stray CR) becomes a space.

    A title, cell, feed entry or calendar line cannot hold a line break safely, and a CR
    that Markdown would read as a new line could start a heading there.
    """
    return printable(FOLDED_BREAKS.sub(" ", value)) if NOT_ONE_LINE.search(value) else value


def unix_lines(value: str) -> str:
    """Markdown keeps its lines, but every line ends in LF, as Markdown and our filters expect."""
    return printable(LINE_BREAK.sub("\n", value)) if NOT_UNIX_LINES.search(value) else value


Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300), AfterValidator(one_line)]
Markdown = Annotated[str, StringConstraints(min_length=1, max_length=50_000), AfterValidator(unix_lines)]

# Dates far from today are typing mistakes, and years near 9999 overflow the review and end-time sums.
FIRST_YEAR, LAST_YEAR = 1900, 2999
YEARS = f"years {FIRST_YEAR} to {LAST_YEAR}"
_YEAR_PATTERN = "(19|2[0-9])[0-9]{2}"
DATE_PATTERN = f"^{_YEAR_PATTERN}-[0-9]{{2}}-[0-9]{{2}}$"
# What events.yml holds: `2026-09-15 10:00`, local time in the program's time zone.
DATETIME_PATTERN = f"^{_YEAR_PATTERN}-[0-9]{{2}}-[0-9]{{2}}[ T][0-9]{{2}}:[0-9]{{2}}(:[0-9]{{2}})?$"


def in_range(value: dt.date) -> dt.date:
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise PydanticCustomError("date_out_of_range", f"`{{value}}` is out of range; use a date in {YEARS}",
                                  {"value": str(value), "first": FIRST_YEAR, "last": LAST_YEAR})
    return value


def local_time(value: dt.datetime) -> dt.datetime:
    """Event times are wall-clock times; the zone is the program's `time_zone`, never written per event."""
    if value.tzinfo is not None:
        raise PydanticCustomError("datetime_has_zone", "`{value}` names a time zone; write the local time as "
                                  "YYYY-MM-DD HH:MM and set the zone once, as `time_zone` in program.yml",
                                  {"value": value.isoformat()})
    in_range(value.date())
    return value.replace(microsecond=0)


Day = Annotated[dt.date, AfterValidator(in_range),
                WithJsonSchema({"type": "string", "format": "date", "pattern": DATE_PATTERN})]
LocalTime = Annotated[dt.datetime, AfterValidator(local_time),
                      WithJsonSchema({"type": "string", "pattern": DATETIME_PATTERN})]


NOT_ZONES = frozenset({"localtime", "posixrules", "Factory"})


@functools.cache
def known_time_zones() -> frozenset[str]:
    """IANA names; some systems also list their own setting or placeholders, which are no zone to publish."""
    return frozenset(zoneinfo.available_timezones()) - NOT_ZONES


@functools.cache
def _tzdata_zones() -> frozenset[str]:
    """The tzdata package's list of zones, which zoneinfo.available_timezones() also starts from.

    Reading it is one small file; the full list also opens every file under /usr/share/zoneinfo,
    about 40 ms on each build that has a time zone. A name found here is in the full list too, so
    the full list is read only for a name that is not, which is usually a mistake to report.
    """
    try:
        with resources.files("tzdata").joinpath("zones").open("r") as zones:
            return frozenset(line.strip() for line in zones if line.strip()) - NOT_ZONES
    except (ImportError, FileNotFoundError):
        return frozenset()


def is_time_zone(value: str) -> bool:
    return value in _tzdata_zones() or value in known_time_zones()


def time_zone_name(value: str) -> str:
    if not is_time_zone(value):
        close = difflib.get_close_matches(value, sorted(known_time_zones()), n=1, cutoff=0.6)
        hint = f"; did you mean `{close[0]}`?" if close else ""
        raise PydanticCustomError("time_zone_unknown", "`{value}` is not a time zone; use an IANA name such as "
                                  "`Europe/Berlin` or `America/New_York`{hint}", {"value": value, "hint": hint})
    return value


TimeZone = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64),
                     AfterValidator(time_zone_name),
                     WithJsonSchema({"type": "string", "pattern": "^[A-Za-z][A-Za-z0-9_+-]*(/[A-Za-z0-9_+-]+)*$"})]
Audience = Literal["internal", "external"]

INTERNAL: Audience = "internal"
AUDIENCE_FIELD = Field(
    default=INTERNAL,
    description="Who may see this: `internal` (the intranet only, the default) or "
    "`external` (also the public employer-branding site).",
)
# Plain groups, no Python-only `(?P<name>...)`: the same pattern goes into the JSON Schema for editors.
INTERVAL = re.compile(r"^([1-9][0-9]?) (month|months|year|years)$")


def no_items() -> list[Any]:
    """The default of a list field: a new empty list.

    Not the builtin `list`: pydantic reads a default factory's signature, and a builtin's signature
    is parsed from its text with the tokenize module, whose patterns then compile on every start-up.
    """
    return []


class Strict(BaseModel):
    """Base of every model: unknown keys are errors, so a typo never vanishes silently."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


@dataclass(frozen=True)
class Origin:
    """Where a record comes from, given to `model_validate(data, context=Origin(...))`.

    A record is finished in that one step: its place in the YAML, and a story's slug (its file
    name), are part of building it, so no record exists without them.
    """

    location: Location
    slug: str = ""


class Record(Strict):
    """A record that can be traced back to the YAML line it came from."""

    _source: Location | None = PrivateAttr(default=None)

    def model_post_init(self, context: Any, /) -> None:
        if isinstance(context, Origin):
            self._source = context.location

    @property
    def source(self) -> Location | None:
        """Where in the YAML this record starts."""
        # Read the private store directly: pydantic's __getattr__ fallback is slow on hot paths.
        return self.__pydantic_private__["_source"]  # type: ignore[index]


# One address, nothing more: it becomes a `mailto:` link, where a `?` or a second address would
# add a subject, a copy or a recipient the writer never meant.
EMAIL_PATTERN = r"^[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$"
Email = Annotated[str, StringConstraints(strip_whitespace=True, pattern=EMAIL_PATTERN, max_length=254),
                  Field(examples=["mentoring@example.com"])]
# A page on another site, such as the careers page; only web addresses, never `javascript:` or a file.
WEB_ADDRESS_PATTERN = r"""^https?://[^\s<>"'`\\]+$"""
WebAddress = Annotated[str, StringConstraints(strip_whitespace=True, pattern=WEB_ADDRESS_PATTERN, max_length=500),
                       Field(examples=["https://careers.example.com/mentoring"])]
ASK_ABOUT = Field(default=None, description="What to ask them about, shown beside the link, such as "
                  "`a problem in your pair`.")


class Contact(Strict):
    """A person or team, shown on the external site only when marked `audience: external`."""

    name: Text = Field(description="Full name, or a team name.")
    title: Text = Field(description="Job title or team, such as `Chief Operating Officer`.")
    email: Email | None = Field(default=None, description="E-mail address, if people may write.")
    ask_about: Text | None = ASK_ABOUT
    audience: Audience = AUDIENCE_FIELD


class ProgramContact(Strict):
    """Where questions go; the mailbox and the channel are published together, or not at all."""

    email: Email = Field(description="The program's shared mailbox.")
    channel: Text | None = Field(default=None, description="A chat channel, such as `#reverse-mentoring`.")
    ask_about: Text | None = ASK_ABOUT
    audience: Audience = AUDIENCE_FIELD


class Benefit(Strict):
    title: Text = Field(description="The benefit in a few words.")
    description: Markdown = Field(description="What it means for the company and the pair (Markdown).")


class Principle(Strict):
    title: Text = Field(description="The principle in a few words, such as `Pair by skill, not age`.")
    description: Markdown = Field(description="Why the program holds to it (Markdown).")


class Tag(Record):
    """A topic posts are tagged with. Once tags.yml exists, a post may use only the tags it lists, so a
    misspelt tag is an error instead of a new tag page and feed."""

    id: Slug
    label: Text = Field(description="The topic as readers see it, such as `Customer insight`.",
                        examples=["Customer insight"])
    description: Text = Field(description="What posts with this tag are about, in a sentence; shown on the "
                              "tag's page.")
    audience: Audience = AUDIENCE_FIELD


class Image(Strict):
    src: Text = Field(description="Path of the image under docs/, such as `images/first-pair.jpg`; "
                     "images from other sites are refused.")
    alt: Text = Field(description="What the image shows, for people who cannot see it.")


Points = Annotated[int, Field(ge=0, le=100)]


class Matching(Strict):
    """How `playbook match` proposes pairs; the matching page prints the same settings in words."""

    mentor_role: RoleId = Field(description="The role that teaches, as the participants file names it (a role "
                                "`id`).", examples=["reverse-mentor"])
    leader_role: RoleId = Field(description="The role that learns, as the participants file names it (a role "
                                "`id`).", examples=["mentee-leader"])
    leader_learns: Points = Field(
        default=3, description="Points for each skill the leader wants to learn that the reverse mentor offers.",
        examples=[3])
    mentor_learns: Points = Field(
        default=1, description="Points for each skill the reverse mentor wants to learn that the leader offers.",
        examples=[1])
    same_site: int = Field(
        default=0, ge=-100, le=100, description="Points when both work at the same site: more than 0 favours "
        "meeting in person, less than 0 favours pairs across sites.", examples=[1])
    shared_time: Points = Field(
        default=0, description="Points for each time slot both partners said they are free.", examples=[1])
    same_department: Literal["never", "allowed"] = Field(
        default="never", description="`never` keeps partners from one department apart; `allowed` lets them pair.")
    introduction: Markdown | None = Field(
        default=None, description="Your own words at the top of the matching page (Markdown), such as when "
        "applications close and when pairs are told.")
    rules: list[RuleId] = Field(default_factory=no_items, max_length=20,
                                description="The rules matching puts into practice (rule ids); the page links them.")
    audience: Audience = AUDIENCE_FIELD

    @model_validator(mode="after")
    def two_roles(self) -> Matching:
        if self.mentor_role == self.leader_role:
            raise PydanticCustomError("same_roles", "`mentor_role` and `leader_role` name the same role; a pair "
                                      "needs one of each")
        return self


class Program(Record):
    """The program itself: what it is for, how long it runs and who runs it."""

    name: Text = Field(description="The program's name, shown as the site title on the home page.",
                       examples=["Two-Way Mentoring"])
    tagline: Text = Field(description="One sentence that says what the program is.")
    purpose: Markdown = Field(description="Why the program exists (Markdown, a paragraph or two).")
    objectives: list[Text] = Field(min_length=1, max_length=20, description="What the program must achieve.")
    duration_months: int = Field(ge=1, le=36, description="How long one cohort runs, in months.", examples=[9])
    meeting_cadence: Literal["weekly", "fortnightly", "monthly"] = Field(
        description="How often each pair meets."
    )
    session_minutes: int = Field(ge=10, le=240, description="How long a regular session lasts, in minutes.",
                                 examples=[45])
    cohort_start: Day | None = Field(
        default=None, description=f"The day the current cohort kicks off: month 0 of the timeline, from which phases "
        f"and events are checked and dates printed (YYYY-MM-DD, {YEARS}).", examples=["2026-09-15"])
    # None only in the external site's copy, where a contact that is not external is cut.
    sponsor: Contact | None = Field(description="The senior leader who backs the program.")
    coordinator: Contact | None = Field(description="The person who runs the program day to day.")
    contact: ProgramContact | None = Field(description="Where people send questions.")
    benefits: list[Benefit] = Field(default_factory=no_items, max_length=20, description="What the company gains.")
    principles: list[Principle] = Field(
        default_factory=no_items, max_length=20, description="What the program holds to, and the myths it avoids."
    )
    time_zone: TimeZone | None = Field(
        default=None, description="The IANA time zone of every event time, such as `Europe/Berlin`; required "
        "when events.yml has events.", examples=["Europe/Berlin"])
    how_to_join: Markdown | None = Field(
        default=None, description="How a new colleague joins the program (Markdown), for the external site's "
        "home page, which speaks to candidates.")
    image: Image | None = Field(
        default=None, description="A picture across the top of both home pages, with alt text; a wide one, about "
        "three times as wide as it is high, shows best.")
    min_group_size: int = Field(
        default=5, ge=2, le=100, description="The fewest people a figure on the health page may come from: a "
        "figure from fewer, or one that could be worked out from others by subtraction, is shown as `fewer than "
        "N`, in the page, its charts and its download.", examples=[5])
    apply_url: WebAddress | None = Field(
        default=None, description="Where candidates apply, such as your careers page; the external site's home "
        "page links to it.")
    matching: Matching | None = Field(
        default=None, description="How pairs are matched: the weights `playbook match` scores a pair by, and the "
        "site's matching page.")
    audience: Audience = AUDIENCE_FIELD

    @field_validator("sponsor", "coordinator", "contact", mode="before")
    @classmethod
    def given(cls, value: object) -> object:
        """Only the external site's copy lacks a contact; in program.yml an empty one is a mistake."""
        if value is None:
            raise PydanticCustomError("contact_empty", "is empty; fill in its fields, and leave it internal (the "
                                      "default) to keep it off the public site")
        return value


class Role(Record):
    """A role someone takes in the program."""

    id: Slug
    title: Text = Field(description="The role's name, such as `Reverse mentor`.", examples=["Reverse mentor"])
    who: Text = Field(description="Who takes this role, in one sentence.")
    summary: Markdown = Field(description="What the role is about (Markdown).")
    responsibilities: list[Text] = Field(min_length=1, max_length=30, description="What the role does.")
    time_commitment: Text = Field(description="How much time the role takes, such as `2 hours a month`.",
                                  examples=["2 hours a month"])
    training: list[Text] = Field(default_factory=no_items, max_length=20, description="Training before and during.")
    first_weeks: list[Text] = Field(
        default_factory=no_items, max_length=20, description="A checklist for someone new in the role: what to do "
        "in their first weeks, in order. Shown as a printable task list on the role's page and in the welcome e-mail.")
    escalate_to: RoleId | None = Field(
        default=None, description="The role to turn to when something goes wrong (a role `id`)."
    )
    audience: Audience = AUDIENCE_FIELD


class Reviewed:
    """A record its owner must review every so often: a rule, a policy."""

    if TYPE_CHECKING:  # fields of the pydantic models this mixes into; declared there, for the schema's order
        last_reviewed: dt.date
        review_every: str

    @property
    def review_months(self) -> int:
        match = INTERVAL.match(self.review_every)
        assert match is not None  # the field's pattern guarantees it
        count = int(match[1])
        return count * 12 if match[2].startswith("year") else count

    @property
    def next_review(self) -> dt.date:
        return add_months(self.last_reviewed, self.review_months)

    def review_overdue(self, today: dt.date) -> bool:
        return self.next_review < today


class Rule(Record, Reviewed):
    """A rule of the program: what pairs and staff must or should do."""

    id: Slug
    title: Text = Field(description="The rule in a few words.", examples=["Meet at least once a month"])
    statement: Text = Field(description="The rule itself, as one sentence.")
    level: Literal["must", "should"] = Field(description="`must` is required; `should` is strongly advised.")
    glue: Literal["hard", "soft"] = Field(
        description="`hard` glue is structure (expectations, meetings); `soft` glue is attitude (trust, openness)."
    )
    rationale: Markdown = Field(description="Why the rule exists (Markdown).")
    applies_to: list[RoleId] = Field(min_length=1, max_length=20, description="The roles it binds (role ids).")
    owner: RoleId = Field(description="The role that keeps this rule up to date (a role `id`).")
    last_reviewed: Day = Field(description=f"When the owner last reviewed the rule (YYYY-MM-DD, {YEARS}).",
                                   examples=["2026-10-01"])
    review_every: Annotated[str, StringConstraints(pattern=INTERVAL.pattern)] = Field(
        description="How often it must be reviewed, such as `6 months` or `1 year`.",
        examples=["6 months", "1 year"],
    )
    audience: Audience = AUDIENCE_FIELD


class Method(Record):
    """A way the program changes the culture, beyond the pairs themselves."""

    id: Slug
    title: Text = Field(description="The method's name.")
    summary: Markdown = Field(description="What it is and why it works (Markdown).")
    practices: list[Text] = Field(min_length=1, max_length=20, description="Concrete things to do.")
    audience: Audience = AUDIENCE_FIELD


class Step(Record):
    """One step of putting the program in place."""

    id: Slug
    title: Text = Field(description="The step's name.")
    summary: Markdown = Field(description="What this step achieves (Markdown).")
    actions: list[Text] = Field(min_length=1, max_length=20, description="What to do, in order.")
    owner: RoleId = Field(description="The role that leads the step (a role `id`).")
    audience: Audience = AUDIENCE_FIELD


class Phase(Record):
    """A stretch of the program's timeline."""

    id: Slug
    title: Text = Field(description="The phase's name.")
    start_month: int = Field(ge=-12, le=36, description="Month the phase starts, counted from kick-off (0); "
                             "negative for preparation before it, such as -3.")
    end_month: int = Field(ge=-12, le=36, description="Month the phase ends.")
    goals: list[Text] = Field(min_length=1, max_length=20, description="What the phase must achieve.")
    exit_criteria: list[Text] = Field(min_length=1, max_length=20, description="How you know it is done.")
    audience: Audience = AUDIENCE_FIELD


class AgendaBlock(Strict):
    minutes: int = Field(ge=1, le=240, description="How long this block takes.", examples=[5])
    title: Text = Field(description="What happens, in a few words.")
    detail: Text | None = Field(default=None, description="How to run it, in a sentence or two.")


class Preparation(Strict):
    role: RoleId = Field(description="The role that prepares (a role `id`).")
    items: list[Text] = Field(min_length=1, max_length=20, description="What that role prepares.")


class Meeting(Record):
    """A meeting guide with a timed agenda, printable for the pair."""

    id: Slug
    title: Text = Field(description="The meeting's name.")
    kind: Literal["first", "regular", "close-out"] = Field(description="Which meeting of the cycle this is.")
    purpose: Markdown = Field(description="What the meeting is for (Markdown).")
    duration_minutes: int = Field(ge=5, le=240, description="Total length; the agenda must add up to it.")
    agenda: list[AgendaBlock] = Field(min_length=1, max_length=30, description="The timed blocks, in order.")
    preparation: list[Preparation] = Field(default_factory=no_items, max_length=10, description="Who prepares what.")
    audience: Audience = AUDIENCE_FIELD


class Pitfall(Record):
    """Something that goes wrong in mentoring pairs, and how to prevent it."""

    id: Slug
    title: Text = Field(description="The pitfall's name.")
    symptom: Text = Field(description="What people notice when it happens.")
    cause: Text = Field(description="Why it happens.")
    mitigation: Markdown = Field(description="How to prevent or fix it (Markdown).")
    rules: list[RuleId] = Field(default_factory=no_items, max_length=20, description="Rules that guard against it.")
    roles: list[RoleId] = Field(default_factory=no_items, max_length=20, description="Roles that should act.")
    audience: Audience = AUDIENCE_FIELD


class Metric(Record):
    """A measure of whether the program works."""

    id: Slug
    title: Text = Field(description="The metric's name.")
    definition: Text = Field(description="Exactly what is counted or asked.")
    target: Text = Field(description="The value the program aims for.", examples=["90 % of planned meetings held"])
    cadence: Literal["monthly", "quarterly", "per cohort", "yearly"] = Field(description="How often it is measured.")
    owner: RoleId = Field(description="The role that measures and reports it (a role `id`).")
    unit: Literal["percent", "score", "count"] | None = Field(
        default=None, description="How its figures in results/ are written: `percent` (such as `87%`), `score` (a "
        "number on the metric's `scale`, such as `4.2`) or `count` (a whole number). Needed before results name it.")
    scale: tuple[float, float] | None = Field(
        default=None, description="For a score, the lowest and highest answer, such as `[1, 5]`.", examples=[[1, 5]])
    goal: float | None = Field(
        default=None, description="The figure that means on track, in the metric's unit (`85` for 85%): the health "
        "page judges the latest figure against it. Leave it out where no target is set.", examples=[85])
    better: Literal["higher", "lower"] = Field(
        default="higher", description="Whether a `higher` (the default) or a `lower` figure is better.")
    at_risk_within: float | None = Field(
        default=None, gt=0, description="How far short of the goal a figure may fall and count as at risk rather "
        "than off track, in the metric's unit; a tenth of the goal when left out.", examples=[5])
    audience: Audience = AUDIENCE_FIELD

    @property
    def margin(self) -> float:
        """How far short of the goal is still at risk."""
        return self.at_risk_within if self.at_risk_within is not None else abs(self.goal or 0) / 10


class Question(Record):
    """A frequently asked question."""

    id: Slug
    question: Text = Field(description="The question, as people ask it.")
    answer: Markdown = Field(description="The answer (Markdown).")
    audience: Audience = AUDIENCE_FIELD


class Consent(Strict):
    granted: bool = Field(description="`true` if the person agreed to be named; `false` to show their role only.")
    date: Day = Field(description=f"When consent was given or refused (YYYY-MM-DD, {YEARS}).",
                      examples=["2026-03-01"])
    expires: Day | None = Field(default=None, description=f"When the consent ends, if it does (YYYY-MM-DD, {YEARS}).")


class Person(Strict):
    name: Text | None = Field(default=None, description="The person's name, shown only with consent; leave it out "
                              "when they refused, so that it is not kept at all.")
    role: Text = Field(description="How to describe them without their name, such as `a senior leader`.",
                       examples=["a senior leader in finance"])
    consent: Consent = Field(description="Whether they agreed to be named in this story.")

    @model_validator(mode="after")
    def name_only_with_consent(self) -> Person:
        """A refusal means the name is not kept in the YAML either: git would publish it to everyone with access."""
        if self.consent.granted and self.name is None:
            raise PydanticCustomError("name_missing", "`name` is missing; they agreed to be named, so give their name, "
                                      "or set `consent.granted: false` to show them as `role` only")
        if not self.consent.granted and self.name is not None:
            raise PydanticCustomError("name_refused", "holds a `name`, but this person refused to be named; delete "
                                      "the `name` line, since `role` is all that is shown and kept")
        return self

    def may_be_named(self, today: dt.date) -> bool:
        """Only with consent granted and not yet expired; anyone else is shown by role."""
        expires = self.consent.expires
        return self.consent.granted and (expires is None or expires >= today)

    def shown_as(self, today: dt.date) -> str:
        return self.name if self.name and self.may_be_named(today) else self.role


class NamedByFile(Record):
    """A record that is a file of its own in a folder (stories/, results/), named by that file."""

    _slug: str = PrivateAttr(default="")

    def model_post_init(self, context: Any, /) -> None:
        # Its page, feed entry and links are named by its file; a record without one has no address.
        if not isinstance(context, Origin) or not SLUG_RE.match(context.slug):
            raise ValueError(f"a {type(self).__name__} is named by its file: build it with "
                             f"{type(self).__name__}.model_validate(data, context=Origin(location, slug))")
        self._source, self._slug = context.location, context.slug

    @property
    def slug(self) -> str:
        return self.__pydantic_private__["_slug"]  # type: ignore[index]


class Story(NamedByFile):
    """A success story, a pair's update or a program announcement: one file each."""

    title: Text = Field(description="The headline.", examples=["What a delivery driver taught our board"])
    date: Day = Field(description=f"When it happened or was written (YYYY-MM-DD, {YEARS}).", examples=["2026-03-14"])
    kind: Literal["story", "update", "announcement"] = Field(
        default="story",
        description="`story` (a success story, the default), `update` (a pair's progress) or "
        "`announcement` (program news).",
    )
    summary: Text = Field(description="One or two sentences for cards, feeds and the newsletter.")
    body: Markdown = Field(description="The story itself (Markdown).")
    tags: list[Slug] = Field(default_factory=no_items, max_length=12, description="Topics, such as `social-media`: "
                             "ids from tags.yml, when the playbook has one.",
                             examples=[["social-media", "leadership"]])
    roles: list[RoleId] = Field(default_factory=no_items, max_length=10, description="Roles the story is about.")
    people: list[Person] = Field(default_factory=no_items, max_length=20, description="People in the story.")
    image: Image | None = Field(default=None, description="An optional picture, with alt text.")
    featured: bool = Field(default=False, description="`true` to show the post at the top of the home page; the "
                           "newest featured post is shown.")
    audience: Audience = AUDIENCE_FIELD
    status: Literal["published", "draft"] = Field(
        default="published", description="`draft` shows only in the live preview, never in a build."
    )


class Event(Record):
    """A program event, published on the calendar page and in the .ics feed."""

    id: Slug
    title: Text = Field(description="The event's name, such as `Cohort kick-off`.")
    description: Text = Field(description="What happens and who should come.")
    start: LocalTime = Field(description=f"When it starts, in the program's `time_zone` (YYYY-MM-DD HH:MM, {YEARS}).",
                               examples=["2026-09-15 10:00"])
    duration_minutes: int = Field(ge=5, le=1440, description="How long it lasts.")
    location: Text | None = Field(default=None, description="A room or a video-call link.")
    repeat: Literal["never", "weekly", "fortnightly", "monthly"] = Field(
        default="never", description="How often it recurs."
    )
    repeat_until: Day | None = Field(default=None, description=f"The last day a recurring event happens "
                                     f"(YYYY-MM-DD, {YEARS}).")
    phase: Slug | None = Field(default=None, description="The timeline phase it belongs to (a phase `id`); it must "
                               "fall within that phase's months, counted from the program's `cohort_start`.")
    after: list[Slug] = Field(default_factory=no_items, max_length=10, description="Events that must be over "
                              "before this one starts (event ids), such as the induction before the kick-off.")
    audience: Audience = AUDIENCE_FIELD

    @property
    def end(self) -> dt.datetime:
        return self.start + dt.timedelta(minutes=self.duration_minutes)


FieldType = Literal["text", "lines", "date", "signature", "choice", "checkbox", "scale"]
# The settings that belong to one type of field each, by the type they belong to.
FIELD_SETTINGS: dict[str, FieldType] = {"lines": "lines", "options": "choice", "scale": "scale"}


class Scale(Strict):
    """A rating scale, such as 1 (not at all) to 5 (very much)."""

    min: int = Field(ge=0, le=10, description="The lowest point, such as `1`.")
    max: int = Field(ge=1, le=10, description="The highest point, such as `5`.")
    low: Text = Field(description="What the lowest point means, such as `Not at all`.")
    high: Text = Field(description="What the highest point means, such as `Very much`.")

    @model_validator(mode="after")
    def rising(self) -> Scale:
        if self.max <= self.min:
            raise PydanticCustomError("scale_order", "`max` ({max}) must be above `min` ({min})",
                                      {"max": self.max, "min": self.min})
        return self

    @property
    def points(self) -> range:
        return range(self.min, self.max + 1)


class FormField(Strict):
    """One thing to fill in: a question, a name, a date, a signature."""

    label: Text = Field(description="The question or the field's name, such as `Your site`.")
    help: Text | None = Field(default=None, description="A hint printed under the label.")
    type: FieldType = Field(default="text", description="`text` (one line), `lines` (several), `date`, `signature`, "
                            "`choice` (tick one of `options`), `checkbox` (tick to agree) or `scale` (circle a point).")
    lines: int | None = Field(default=None, ge=1, le=12, description="For `lines`: how many blank lines (default 3).")
    options: list[Text] = Field(default_factory=no_items, max_length=12, description="For `choice`: the answers.")
    scale: Scale | None = Field(default=None, description="For `scale`: its points and what the ends mean.")
    metric: Slug | None = Field(default=None, description="The metric this answer feeds (a metric `id`).")

    @model_validator(mode="after")
    def fits_type(self) -> FormField:
        """Each type's own settings, and only its own: a stray `options:` means the type is not what was meant."""
        for name, owner in FIELD_SETTINGS.items():
            if getattr(self, name) and self.type != owner:
                raise PydanticCustomError("field_setting", "`{name}` is only for `type: {owner}`, and this field's "
                                          "type is `{type}`; remove `{name}` or set `type: {owner}`",
                                          {"name": name, "owner": owner, "type": self.type})
        if self.type == "choice" and len(self.options) < 2:
            raise PydanticCustomError("field_options", "`type: choice` needs `options`, at least two answers to tick")
        if self.type == "scale" and self.scale is None:
            raise PydanticCustomError("field_scale", "`type: scale` needs `scale`, such as `{min: 1, max: 5, low: Not "
                                      "at all, high: Very much}`")
        return self

    @property
    def blank_lines(self) -> int:
        return (self.lines or 3) if self.type == "lines" else 1


class FormSection(Strict):
    title: Text = Field(description="The section's heading, such as `About you`.")
    intro: Text | None = Field(default=None, description="A sentence printed under the heading.")
    fields: list[FormField] = Field(min_length=1, max_length=40, description="What to fill in, in order.")


class Form(Record):
    """A form the program runs on, such as the pair charter: a printable page and an editable file."""

    id: Slug
    title: Text = Field(description="The form's name, such as `Pair charter`.")
    summary: Text = Field(description="What it is, in one sentence, for the list of forms.")
    purpose: Markdown = Field(description="What it is for, who fills it in and when (Markdown).")
    filled_by: list[RoleId] = Field(min_length=1, max_length=10, description="The roles that fill it in.")
    when: Text = Field(description="When it is filled in, such as `At the first meeting`.")
    kept: Text = Field(description="Where the completed form goes and how long it is kept.")
    rules: list[RuleId] = Field(default_factory=no_items, max_length=20, description="Rules that call for it.")
    sections: list[FormSection] = Field(min_length=1, max_length=12, description="The form's parts, in order.")
    audience: Audience = AUDIENCE_FIELD


class PolicySection(Strict):
    title: Text = Field(description="The section's heading.")
    body: Markdown = Field(description="The section's text (Markdown).")


class DataItem(Strict):
    """One kind of personal data the program keeps, as a privacy notice lists it."""

    item: Text = Field(description="What is collected, such as `Your application form`.")
    purpose: Text = Field(description="Why it is collected.")
    seen_by: Text = Field(description="Who sees it.")
    kept_for: Text = Field(description="How long it is kept, and what happens then.")
    legal_basis: Text = Field(description="The legal basis for using it.")


class Dispatch(Strict):
    """One dated message of a communication plan: on an event's day, or on a date of its own."""

    event: Slug | None = Field(default=None, description="The event whose day it goes out on (an event `id`).")
    date: Day | None = Field(default=None, description=f"The day it goes out, when no event sets it (YYYY-MM-DD, "
                             f"{YEARS}).")
    message: Text = Field(description="What is said.")
    channel: Text = Field(description="Where, such as `Intranet news and team briefings`.")
    to: Text = Field(description="Who it is for.")
    owner: RoleId = Field(description="The role that sends it (a role `id`).")

    @model_validator(mode="after")
    def one_day(self) -> Dispatch:
        if (self.event is None) == (self.date is None):
            raise PydanticCustomError("dispatch_day", "give either `event` (its day is used) or `date`, not both and "
                                      "not neither")
        return self


class SupportContact(Strict):
    name: Text = Field(description="Who or what, such as `Employee Assistance Programme`.")
    detail: Text | None = Field(default=None, description="What they offer, and when.")
    contact: Text = Field(description="How to reach them.")


class Policy(Record, Reviewed):
    """A policy or guide HR needs in writing, such as the privacy notice: a page of its own."""

    id: Slug
    title: Text = Field(description="The policy's name, such as `Privacy notice`.")
    summary: Text = Field(description="What it covers, in one sentence.")
    owner: RoleId = Field(description="The role that keeps it up to date (a role `id`).")
    last_reviewed: Day = Field(description=f"When the owner last reviewed it (YYYY-MM-DD, {YEARS}).",
                               examples=["2026-10-01"])
    review_every: Annotated[str, StringConstraints(pattern=INTERVAL.pattern)] = Field(
        description="How often it must be reviewed, such as `6 months` or `1 year`.", examples=["1 year"])
    sections: list[PolicySection] = Field(min_length=1, max_length=20, description="The policy's text, by heading.")
    data: list[DataItem] = Field(default_factory=no_items, max_length=30,
                                 description="For a privacy notice: each kind of personal data, as a table.")
    schedule: list[Dispatch] = Field(default_factory=no_items, max_length=60,
                                     description="For a communication plan: the dated messages, as a table.")
    support: list[SupportContact] = Field(default_factory=no_items, max_length=20,
                                          description="Where people can get help, with how to reach them.")
    rules: list[RuleId] = Field(default_factory=no_items, max_length=20, description="Related rules.")
    forms: list[Slug] = Field(default_factory=no_items, max_length=20, description="Related forms (form ids).")
    audience: Audience = AUDIENCE_FIELD


@dataclass(frozen=True)
class Link:
    """A field of one record that names another record, and where in the YAML it is written."""

    record: Record
    field: str
    target: str
    """The kind named, such as `roles`."""
    value: str
    location: Location
    shown: bool = True
    """Whether a page links to it; the external site only refuses links it would show."""


@dataclass(frozen=True)
class Playbook:
    """The whole validated playbook, as the renderer sees it.

    `collections` has every registered kind of record by name (generator/kinds.py), so
    `playbook.roles` is the roles; stories come newest first. `links` are every reference
    between records, with their positions, for the checks that run after validation.
    """

    program: Program
    collections: Mapping[str, tuple[Any, ...]]
    links: tuple[Link, ...] = ()

    def __getattr__(self, name: str) -> tuple[Any, ...]:
        # Only called for names that are not attributes: a kind's name, or a typo that must fail.
        if name.startswith("__") or name == "collections":
            raise AttributeError(name)
        try:
            return self.collections[name]
        except KeyError:
            raise AttributeError(f"the playbook has no kind of record `{name}`") from None

    def role(self, role_id: str) -> Role:
        return next(role for role in self.collections["roles"] if role.id == role_id)

    def rule(self, rule_id: str) -> Rule:
        return next(rule for rule in self.collections["rules"] if rule.id == rule_id)


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later, or the month's last day when it is shorter."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    last = (dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)).day
    return dt.date(year, month, min(day.day, last))

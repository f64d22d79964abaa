"""Property-based: whatever lands in a YAML file, the pipeline answers with our own error or a site."""

from __future__ import annotations

import contextlib
import datetime as dt
import shutil
import tempfile
import xml.etree.ElementTree as ET
from dataclasses import replace
from pathlib import Path

import icalendar
import pytest
import yaml
from hypothesis import HealthCheck, Phase, assume, event, given, seed, settings
from hypothesis import strategies as st

from generator import models as m
from generator.errors import PlaybookError
from generator.figures import TOKEN
from generator.outputs import Options
from generator.publish import build_playbook
from generator.validate import load_playbook

from .sitebuild import FIXTURE, mkdocs_build

STORY = "stories/2026-01-05-first-pair.yml"
# How many examples each property draws comes from the Hypothesis profile (tests/conftest.py): 120 in a full
# run, fewer in `make test-fast`.
SETTINGS = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])

scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), st.text(max_size=40),
                    st.dates().map(str), st.datetimes().map(str))
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner,
                                                                                             max_size=4), max_leaves=12)


def _run_pipeline(files: dict[str, bytes], audience: str = "internal") -> None:
    with tempfile.TemporaryDirectory() as folder:
        project = Path(folder)
        shutil.copytree(FIXTURE / "playbook", project / "playbook")
        for relative, content in files.items():
            (project / "playbook" / relative).write_bytes(content)
        options = Options(today=dt.date(2026, 11, 22), site_url="https://example.com/", audience=audience)
        try:
            build_playbook(project / "playbook", project, replace(options, templates=project / "templates"))
        except PlaybookError as error:
            assert error.problems, "a PlaybookError always carries at least one problem"


@SETTINGS
@given(st.binary(max_size=400))
def test_any_bytes_as_a_rules_file(content: bytes):
    _run_pipeline({"rules.yml": content})


@SETTINGS
@given(st.text(max_size=400))
def test_any_text_as_a_story(content: str):
    _run_pipeline({STORY: content.encode("utf-8", "surrogatepass")})


@SETTINGS
@given(values)
def test_any_yaml_data_as_the_program(data: object):
    _run_pipeline({"program.yml": yaml.safe_dump(data).encode()})


def _story() -> dict:
    return yaml.safe_load((FIXTURE / "playbook" / STORY).read_text())


@SETTINGS
@given(st.sampled_from(sorted(_story()) + ["extra", "kind", "status", "audience", "image"]), values,
       st.sampled_from(["internal", "external"]))
def test_any_value_in_any_story_field(field: str, value: object, audience: str):
    story = _story()
    story[field] = value
    _run_pipeline({STORY: yaml.safe_dump(story, allow_unicode=True).encode()}, audience)


@SETTINGS
@given(st.text(min_size=1, max_size=200), st.text(min_size=1, max_size=500))
def test_any_text_in_title_and_body_renders(title: str, body: str):
    story = _story()
    story.update(title=title, body=body, summary=title)
    _run_pipeline({STORY: yaml.safe_dump(story, allow_unicode=True).encode("utf-8", "surrogatepass")})


# --- Accepted means buildable --------------------------------------------------------------------------------------
# Records of every kind at the edges of what the models accept: dates at the year bounds, text at its maximum
# length, with tabs, CR, LF, NBSP, Unicode line separators and Markdown's own characters. Whenever validation
# accepts them, every output must come out without a traceback.

# The models' own bounds: widen them and this test goes to the new edge with them.
FIRST_DAY, LAST_DAY = dt.date(m.FIRST_YEAR, 1, 1), dt.date(m.LAST_YEAR, 12, 31)
TODAY = dt.date(2026, 11, 22)
ZONES = ["UTC", "Europe/Berlin", "America/St_Johns", "Pacific/Chatham", "Australia/Lord_Howe", "Asia/Kathmandu"]
# Letters and marks of several scripts, Markdown and HTML specials, and the whitespace a YAML file can carry.
SPECIALS = "\t\r\n\u00a0\u2028\u2029\x85 #>*-+=|<&`_~{}!.:;\"'1"
characters = st.characters(categories=["L", "M", "N", "P", "S", "Zs"], exclude_characters="[]()") | \
    st.sampled_from(SPECIALS)
CHARACTER_SOUP = "".join(SPECIALS) + "é中😀"


def _sized(size: int, minimum: int = 1) -> st.SearchStrategy[str]:
    """Short text, or text exactly at the limit, always with something visible in it."""
    body = st.one_of(st.text(characters, min_size=minimum, max_size=40),
                     st.just((CHARACTER_SOUP * size)[: size - 1]))
    # Text that happens to read as a figure token (`{ab}`) names a figure, which validation checks on its own.
    return st.builds(lambda first, rest: (first + rest)[:size], st.sampled_from("aZé#>-|<&{1中"), body).filter(
        lambda text: not TOKEN.search(text))


plain = _sized(300)
markdown = st.one_of(_sized(2_000), st.just("word " * 10_000))
days = st.one_of(st.sampled_from([FIRST_DAY, LAST_DAY]), st.dates(FIRST_DAY, LAST_DAY)).map(str)
FIRST_MOMENT, LAST_MOMENT = dt.datetime.combine(FIRST_DAY, dt.time()), dt.datetime.combine(LAST_DAY, dt.time(23, 59))
moments = st.one_of(st.sampled_from([FIRST_MOMENT, LAST_MOMENT]), st.datetimes(FIRST_MOMENT, LAST_MOMENT)
                    ).map(lambda moment: moment.strftime("%Y-%m-%d %H:%M"))
audiences = st.sampled_from(["internal", "external"])
ROLES, RULES = ["role-a", "role-b"], ["rule-a", "rule-b"]


def _texts(max_size: int = 3) -> st.SearchStrategy[list[str]]:
    return st.lists(plain, min_size=1, max_size=max_size)


def _records(key: str, ids: list[str], minimum: int = 1, **fields: st.SearchStrategy) -> st.SearchStrategy[dict]:
    record = st.fixed_dictionaries(fields)
    return st.lists(record, min_size=minimum, max_size=len(ids)).map(
        lambda items: {key: [{"id": ids[i], **item} for i, item in enumerate(items)]})


def _meeting_agenda(minutes: list[int]) -> dict:
    return {"duration_minutes": sum(minutes), "agenda": [{"minutes": m, "title": "Block"} for m in minutes]}


def _phase(months: list[int]) -> dict:
    return {"start_month": min(months), "end_month": max(months)}


# Who refused to be named keeps no name in the YAML.
PERSON = st.fixed_dictionaries({"name": plain, "role": plain, "consent": st.fixed_dictionaries(
    {"granted": st.booleans(), "date": days}, optional={"expires": days})}).map(
    lambda person: person if person["consent"]["granted"] else {k: v for k, v in person.items() if k != "name"})
STORY_RECORD = st.fixed_dictionaries(
    {"title": plain, "date": days, "summary": plain, "body": markdown},
    optional={"kind": st.sampled_from(["story", "update", "announcement"]), "audience": audiences,
              "status": st.sampled_from(["published", "draft"]), "tags": st.lists(st.sampled_from(["a", "b-c"]), max_size=2,
                                                                                   unique=True),
              "roles": st.lists(st.sampled_from(ROLES), max_size=2, unique=True), "people": st.lists(PERSON, max_size=2),
              "image": st.fixed_dictionaries({"src": plain, "alt": plain})})
# Any one address the pattern takes: a mailto link must stay one link to it, whatever its characters.
emails = st.from_regex(m.EMAIL_PATTERN, fullmatch=True).filter(lambda address: len(address) <= 254)
CONTACT = st.fixed_dictionaries({"name": plain, "title": plain}, optional={"email": emails, "ask_about": plain})
PLAYBOOKS = st.fixed_dictionaries({
    "program.yml": st.fixed_dictionaries(
        {"name": plain, "tagline": plain, "purpose": markdown, "objectives": _texts(), "duration_months": st.integers(1, 36),
         "meeting_cadence": st.sampled_from(["weekly", "fortnightly", "monthly"]), "session_minutes": st.integers(10, 240),
         "sponsor": CONTACT, "coordinator": CONTACT, "time_zone": st.sampled_from(ZONES),
         "contact": st.fixed_dictionaries({"email": emails}, optional={"channel": plain, "ask_about": plain}),
         "audience": st.just("external")},
        optional={"how_to_join": markdown,
                  "apply_url": st.from_regex(m.WEB_ADDRESS_PATTERN, fullmatch=True).filter(lambda url: len(url) <= 500),
                  "benefits": st.lists(st.fixed_dictionaries({"title": plain, "description": markdown}), max_size=2),
                  "principles": st.lists(st.fixed_dictionaries({"title": plain, "description": markdown}), max_size=2)}),
    "roles.yml": st.builds(lambda items: {"roles": [{"id": ROLES[i], "audience": "external", **item}
                                                    for i, item in enumerate(items)]},
                           st.lists(st.fixed_dictionaries({"title": plain, "who": plain, "summary": markdown,
                                                           "responsibilities": _texts(), "time_commitment": plain},
                                                          optional={"training": _texts(),
                                                                    "escalate_to": st.sampled_from(ROLES[:1])}),
                                    min_size=2, max_size=2)),
    "rules.yml": _records("rules", RULES, minimum=2, title=plain, statement=plain, level=st.sampled_from(["must", "should"]),
                          glue=st.sampled_from(["hard", "soft"]), rationale=markdown,
                          applies_to=st.lists(st.sampled_from(ROLES), min_size=1, max_size=2, unique=True),
                          owner=st.sampled_from(ROLES), last_reviewed=days, audience=st.just("external"),
                          review_every=st.sampled_from(["1 month", "6 months", "1 year", "99 years", "99 months"])),
    "methods.yml": _records("methods", ["method-a", "method-b"], title=plain, summary=markdown, practices=_texts(),
                            audience=audiences),
    "steps.yml": _records("steps", ["step-a", "step-b"], title=plain, summary=markdown, actions=_texts(),
                          owner=st.sampled_from(ROLES), audience=audiences),
    "phases.yml": _records("phases", ["phase-a", "phase-b"], title=plain, goals=_texts(), exit_criteria=_texts(),
                           audience=audiences, months=st.lists(st.integers(0, 36), min_size=2, max_size=2)
                           ).map(lambda f: {"phases": [{**{k: v for k, v in p.items() if k != "months"}, **_phase(p["months"])}
                                                       for p in f["phases"]]}),
    "meetings.yml": _records("meetings", ["meeting-a", "meeting-b"], title=plain, purpose=markdown, audience=audiences,
                             kind=st.sampled_from(["first", "regular", "close-out"]),
                             minutes=st.lists(st.integers(2, 60), min_size=3, max_size=4),
                             preparation=st.lists(st.fixed_dictionaries({"role": st.sampled_from(ROLES), "items": _texts()}),
                                                  max_size=2)
                             ).map(lambda f: {"meetings": [{**{k: v for k, v in m.items() if k != "minutes"},
                                                            **_meeting_agenda(m["minutes"])} for m in f["meetings"]]}),
    "pitfalls.yml": _records("pitfalls", ["pitfall-a"], title=plain, symptom=plain, cause=plain, mitigation=markdown,
                             rules=st.lists(st.sampled_from(RULES), max_size=2, unique=True),
                             roles=st.lists(st.sampled_from(ROLES), max_size=2, unique=True), audience=audiences),
    "metrics.yml": _records("metrics", ["metric-a"], title=plain, definition=plain, target=plain, owner=st.sampled_from(ROLES),
                            cadence=st.sampled_from(["monthly", "quarterly", "per cohort", "yearly"]), audience=audiences),
    "faq.yml": _records("questions", ["question-a", "question-b"], question=plain, answer=markdown, audience=audiences),
    "events.yml": _records("events", ["event-a", "event-b", "event-c"], title=plain, description=plain, start=moments,
                           duration_minutes=st.sampled_from([5, 60, 1440]), audience=audiences,
                           location=st.one_of(st.none(), plain),
                           repeat=st.sampled_from(["never", "weekly", "fortnightly", "monthly"]),
                           repeat_until=st.one_of(st.none(), days)
                           ).map(lambda f: {"events": [{k: v for k, v in e.items() if v is not None and
                                                        not (k == "repeat_until" and e["repeat"] == "never")}
                                                       for e in f["events"]]}),
    "stories/story-one.yml": STORY_RECORD,
    "stories/story-two.yml": STORY_RECORD,
}).map(lambda files: _on_one_timeline(files))
# Each example here builds, renders and digests a whole playbook twice: a sixth as many (20 in a full run).
ACCEPTING = settings(max_examples=settings.default.max_examples // 6, deadline=None,
                     suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def _on_one_timeline(files: dict[str, dict]) -> dict[str, dict]:
    """The program's own invariants (generator/invariants.py) kept: phases one after another within the cohort's
    months, and one regular session as long as the program's sessions."""
    program, phases = files["program.yml"], files["phases.yml"]["phases"]
    end = 0
    for phase in phases:
        length = phase["end_month"] - phase["start_month"]
        phase["start_month"] = max(phase["start_month"], end)
        phase["end_month"] = end = min(phase["start_month"] + length, 36)
        phase["start_month"] = min(phase["start_month"], end)
    program["duration_months"] = max(program["duration_months"], end, 1)
    regular = [meeting for meeting in files["meetings.yml"]["meetings"] if meeting["kind"] == "regular"]
    for meeting in regular[1:]:
        meeting["kind"] = "first"
    if regular:
        agenda = regular[0]["agenda"]
        agenda[-1]["minutes"] += max(0, 10 - regular[0]["duration_minutes"])
        program["session_minutes"] = regular[0]["duration_minutes"] = sum(block["minutes"] for block in agenda)
    return files


def _write_playbook(folder: Path, files: dict[str, dict]) -> Path:
    shutil.copytree(FIXTURE, folder, dirs_exist_ok=True)
    (folder / "playbook" / STORY).unlink()
    for relative, data in files.items():
        path = folder / "playbook" / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100), encoding="utf-8")
    return folder


def _check_outputs(project: Path) -> None:
    """Every output of an accepted playbook, for both audiences; each must parse as what it claims to be."""
    from click.testing import CliRunner

    from generator.cli import main
    from generator.digest import build_digest
    from generator.render import make_environment
    from generator.review import reviews_due

    for audience in ("internal", "external"):
        options = Options(today=TODAY, site_url="https://example.com/hub/", audience=audience)
        build = build_playbook(project / "playbook", project, replace(options, templates=project / "templates"))
        assert build.playbook is not None
        for page in build.site.pages:
            assert "\r" not in page.markdown and "\u2028" not in page.markdown, page.path
        for asset in build.site.assets:
            if asset.path.endswith(".xml"):
                ET.fromstring(asset.content)
            else:
                _check_calendar(asset.content)
        build_digest(build.playbook, make_environment(), since=FIRST_DAY, until=LAST_DAY,
                     site_url="https://example.com/hub/", today=TODAY)
        for today in (FIRST_DAY, TODAY, LAST_DAY):
            reviews_due(build.playbook, today, 30)
    with contextlib.chdir(project):
        result = CliRunner().invoke(main, ["render", "--out", "out", "--site-url", "https://example.com/"])
    assert result.exit_code == 0, result.output
    assert result.exception is None


def _check_calendar(content: bytes) -> None:
    calendar = icalendar.Calendar.from_ical(content)
    zones = {str(zone["tzid"]) for zone in calendar.walk("VTIMEZONE")}
    for vevent in calendar.walk("VEVENT"):  # not `event`: that is Hypothesis' event(), imported above
        for name in ("dtstart", "dtend"):
            moment = vevent.decoded(name)
            assert moment.tzinfo is not None, "no floating times"
            assert vevent[name].params.get("TZID") in zones or moment.utcoffset() == dt.timedelta(0)


@ACCEPTING
@given(PLAYBOOKS)
def test_whatever_validation_accepts_builds_renders_digests_and_reviews(files: dict[str, dict]):
    with tempfile.TemporaryDirectory() as folder:
        project = _write_playbook(Path(folder), files)
        try:
            load_playbook(project / "playbook", project, TODAY)
        except PlaybookError as error:
            event(f"rejected: {error.problems[0].message[:60]}")
            return  # a clean, located refusal is a fine answer too; the other tests check its form
        event("accepted")
        _check_outputs(project)


@pytest.mark.site
@settings(max_examples=1, deadline=None, phases=[Phase.generate], suppress_health_check=list(HealthCheck))
@seed(20261122)
@given(PLAYBOOKS)
def test_a_generated_playbook_passes_mkdocs_build_strict(files: dict[str, dict]):
    assume(len(repr(files)) > 20_000)  # one with long, unruly text, not the simplest example Hypothesis starts with
    with tempfile.TemporaryDirectory() as folder:
        project = _write_playbook(Path(folder), files)
        load_playbook(project / "playbook", project, TODAY)
        result = mkdocs_build(project / "mkdocs.yml", project / "site")
        assert result.returncode == 0, result.stderr
        assert "Traceback" not in result.stderr
        assert (project / "site" / "calendar.ics").is_file() and (project / "site" / "feeds" / "all.atom.xml").is_file()

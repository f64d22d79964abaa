"""The outputs meet the standards other tools hold them to.

No feed validator installs from PyPI (the W3C one is a web service), so the rules it applies
to our feeds are asserted here on the parsed XML. The schemas go through the two checkers
editors and CI really use: Ajv (Node) and check-jsonschema (Python), with formats on.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections import defaultdict
from pathlib import Path
from urllib.parse import urlsplit

import icalendar
import pytest
import yaml
from pydantic import ValidationError
from pydantic_core import PydanticCustomError

from generator import kinds
from generator import models as m
from generator.errors import PlaybookError
from generator.feeds import build_feeds
from generator.ics import build_calendar
from generator.outputs import Options
from generator.site import build_site
from generator.validate import load_playbook

from .sitebuild import ATOM, FIXTURE, REPO

SITE_URL = "https://mentoring.example.com/hub/"
SCHEMA_LINE = re.compile(r"^# yaml-language-server: \$schema=(?P<path>\S+)$", re.MULTILINE)
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
COMPILE_SCHEMAS = REPO / "tests" / "js" / "compile-schemas.mjs"


# --- Feeds: what the W3C Feed Validator checks --------------------------------------------------------------------

@pytest.fixture(scope="module")
def feeds(playbook):
    published = tuple(s for s in playbook.stories if s.status == "published")
    return build_feeds(published, playbook.program, SITE_URL)


def _absolute(url: str | None) -> bool:
    parts = urlsplit(url or "")
    return parts.scheme in {"http", "https"} and bool(parts.netloc)


def test_there_is_a_main_feed_and_tag_feeds(feeds):
    assert feeds[0].key == "all" and len(feeds) > 1


def test_every_atom_feed_has_an_author_a_self_link_to_itself_and_valid_ids_and_dates(feeds, playbook):
    for feed in feeds:
        root = ET.fromstring(feed.atom)
        assert root.tag == f"{ATOM}feed"
        assert root.findtext(f"{ATOM}author/{ATOM}name") == playbook.program.name, feed.atom_path
        selves = [link for link in root.findall(f"{ATOM}link") if link.get("rel") == "self"]
        assert [(link.get("href"), link.get("type")) for link in selves] == [
            (SITE_URL + feed.atom_path, "application/atom+xml")]
        assert _absolute(root.findtext(f"{ATOM}id"))
        assert RFC3339.match(root.findtext(f"{ATOM}updated") or "")
        entries = root.findall(f"{ATOM}entry")
        assert entries, feed.atom_path
        for entry in entries:
            assert _absolute(entry.findtext(f"{ATOM}id"))
            assert entry.findtext(f"{ATOM}title")
            assert all(RFC3339.match(entry.findtext(f"{ATOM}{name}") or "") for name in ("updated", "published"))
            assert _absolute(entry.find(f"{ATOM}link").get("href"))  # type: ignore[union-attr]
        assert len({e.findtext(f"{ATOM}id") for e in entries}) == len(entries), "entry ids are unique"


def test_every_rss_feed_names_itself_and_has_what_rss_2_requires(feeds):
    for feed in feeds:
        channel = ET.fromstring(feed.rss).find("channel")
        assert channel is not None
        assert all(channel.findtext(name) for name in ("title", "link", "description"))
        selves = [link for link in channel.findall(f"{ATOM}link") if link.get("rel") == "self"]
        assert [(link.get("href"), link.get("type")) for link in selves] == [
            (SITE_URL + feed.rss_path, "application/rss+xml")], "the RSS self link names the .rss.xml"
        email.utils.parsedate_to_datetime(channel.findtext("lastBuildDate"))
        for item in channel.findall("item"):
            assert item.findtext("title") and _absolute(item.findtext("link"))
            guid = item.find("guid")
            assert guid is not None and guid.get("isPermaLink") == "true" and _absolute(guid.text)
            assert email.utils.parsedate_to_datetime(item.findtext("pubDate")).tzinfo is not None


# --- Calendar: RFC 5545 with a real time zone ---------------------------------------------------------------------

@pytest.fixture(scope="module")
def calendar(playbook) -> icalendar.Calendar:
    return icalendar.Calendar.from_ical(build_calendar(playbook.events, playbook.program, dt.date(2026, 11, 22)))


def test_every_time_is_in_the_programs_zone_and_the_zone_is_defined(calendar, playbook):
    zones = {str(zone["tzid"]) for zone in calendar.walk("VTIMEZONE")}
    assert zones == {playbook.program.time_zone}
    events = calendar.walk("VEVENT")
    assert len(events) == len(playbook.events)
    for event in events:
        for name in ("dtstart", "dtend"):
            assert event[name].params["TZID"] == playbook.program.time_zone
            assert event.decoded(name).tzinfo is not None, "no floating times"


def test_times_in_the_calendar_are_the_local_times_in_events_yml(calendar, playbook):
    starts = {str(e["uid"]).partition("@")[0]: e.decoded("dtstart") for e in calendar.walk("VEVENT")}
    for event in playbook.events:
        assert starts[event.id].replace(tzinfo=None) == event.start
        assert starts[event.id].utcoffset() == event.start.replace(tzinfo=starts[event.id].tzinfo).utcoffset()


def test_the_zone_covers_every_event_and_repeat(calendar, playbook):
    zone = calendar.walk("VTIMEZONE")[0]
    first, last = re.search(r"from (\S+) to (\S+)\.", str(zone["comment"])).groups()  # type: ignore[union-attr]
    for event in playbook.events:
        assert first <= str(event.start.date()) and str(event.repeat_until or event.start.date()) <= last


def test_repeat_until_is_in_utc_as_rfc_5545_requires_with_a_tzid(calendar):
    rules = [e["rrule"] for e in calendar.walk("VEVENT") if "rrule" in e]
    assert rules, "the sample has a recurring event"
    for rule in rules:
        for until in rule.get("UNTIL", []):
            assert until.utcoffset() == dt.timedelta(0)
    assert re.search(rb"UNTIL=\d{8}T\d{6}Z", calendar.to_ical())


def _uids(playbook, options: Options) -> dict[str, str]:
    assets = {asset.path: asset.content for asset in build_site(playbook, options).assets}
    parsed = icalendar.Calendar.from_ical(assets["calendar.ics"])
    return {str(e["summary"]): str(e["uid"]) for e in parsed.walk("VEVENT")}


def test_uids_do_not_change_with_the_sites_address(playbook):
    today = dt.date(2026, 11, 22)
    internal = _uids(playbook, Options(today=today, site_url="https://intranet.example.com/mentoring/"))
    external = _uids(playbook, Options(today=today, site_url="https://careers.example.org/"))
    assert internal == external == _uids(playbook, Options(today=today))
    assert len(set(internal.values())) == len(playbook.events)
    assert all("example.com/" not in uid and "careers" not in uid for uid in internal.values())


# --- Models: the range and shape of what validation accepts -------------------------------------------------------

CONSENT = {"granted": True}


@pytest.mark.parametrize("day", ["1900-01-01", "2999-12-31"])
def test_dates_at_the_bounds_are_accepted(day: str):
    assert str(m.Consent.model_validate({**CONSENT, "date": day}).date) == day


@pytest.mark.parametrize("day", ["1899-12-31", "3000-01-01", "9999-06-01", "0001-01-01"])
def test_dates_beyond_the_bounds_say_the_range(day: str):
    with pytest.raises(ValidationError, match=r"years 1900 to 2999") as caught:
        m.Consent.model_validate({**CONSENT, "date": day})
    assert caught.value.errors()[0]["type"] == "date_out_of_range"


@pytest.mark.parametrize("text, folded", [
    ("one\ntwo", "one two"), ("one\r\ntwo", "one two"), ("one\rtwo", "one two"), ("one\r# two", "one # two"),
    ("one \n\n  two", "one two"), ("one\u2028two\u2029three\x85four", "one two three four"),
    ("tab\tand\u00a0nbsp", "tab\tand\u00a0nbsp"),
])
def test_plain_text_is_folded_onto_one_line(text: str, folded: str):
    assert m.Image(src="a.png", alt=text).alt == folded


def test_markdown_keeps_its_lines_with_lf_endings():
    answer = m.Question(id="q", question="Why?", answer="one\r\ntwo\rthree\u2028four").answer
    assert answer == "one\ntwo\nthree\nfour"


@pytest.mark.parametrize("start", ["2026-09-15 10:00+02:00", "2026-09-15T10:00:00Z"])
def test_event_times_carry_no_zone_of_their_own(start: str):
    with pytest.raises(ValidationError) as caught:
        m.Event.model_validate({"id": "e", "title": "E", "description": "D", "start": start, "duration_minutes": 30})
    assert caught.value.errors()[0]["type"] == "datetime_has_zone"


@pytest.mark.parametrize("zone", ["Europe/Berlin", "UTC", "America/Argentina/Salta"])
def test_iana_time_zones_are_accepted(zone: str):
    program = yaml.safe_load((FIXTURE / "playbook" / "program.yml").read_text())
    assert m.Program.model_validate({**program, "time_zone": zone}).time_zone == zone


@pytest.mark.parametrize("zone", ["Europe/Berln", "europe/berlin", "../etc/passwd", "localtime", "Factory", "CEST"])
def test_anything_else_is_not_a_time_zone(zone: str):
    with pytest.raises(PydanticCustomError, match="not a time zone"):
        m.time_zone_name(zone)


# --- Schemas: Ajv and check-jsonschema, as editors and CI run them -------------------------------------------------

@pytest.mark.npm
def test_ajv_compiles_every_schema_in_strict_mode_with_formats():
    assert (REPO / "node_modules" / "ajv" / "dist" / "2020.js").is_file(), "make test installs ajv with npm ci"
    schemas = sorted(str(p) for p in (REPO / "schemas").glob("*.schema.json"))
    assert len(schemas) == len(kinds.KINDS), "one schema per registered kind"
    result = subprocess.run(["node", str(COMPILE_SCHEMAS), *schemas], capture_output=True, text=True, timeout=60,
                            env={**os.environ, "NODE_PATH": str(REPO / "node_modules")})
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.count("ok ") == len(schemas)


def _content_files() -> list[Path]:
    folders = [REPO / "playbook", REPO / "generator" / "new_project" / "playbook"]
    return sorted(p for folder in folders for p in [*folder.glob("*.yml"), *folder.glob("*/*.yml")])


def _check_jsonschema(schema: Path, files: list[Path]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "check_jsonschema", "--schemafile", str(schema), *map(str, files)],
                          capture_output=True, text=True, timeout=120)


def test_every_content_file_passes_its_own_schema_in_check_jsonschema():
    by_schema: dict[str, list[Path]] = defaultdict(list)
    for path in _content_files():
        match = SCHEMA_LINE.match(path.read_text(encoding="utf-8"))
        assert match, f"{path} does not name its schema"
        by_schema[Path(match["path"]).name].append(path)
    assert set(by_schema) == {p.name for p in (REPO / "schemas").glob("*.schema.json")}
    for name, files in sorted(by_schema.items()):
        result = _check_jsonschema(REPO / "schemas" / name, files)
        assert result.returncode == 0, f"{name}:\n{result.stdout}{result.stderr}"


@pytest.mark.parametrize("old, new", [
    ("start: 2026-09-15 10:00", "start: 2026-09-15 10:00+02:00"),
    ("start: 2026-09-15 10:00", "start: 9999-09-15 10:00"),
    ("repeat_until: 2027-04-15", "repeat_until: 2027-02-30"),
    ("repeat_until: 2027-04-15", "repeat_until: 3000-01-01"),
])
def test_check_jsonschema_rejects_times_and_dates_that_validate_rejects(tmp_path: Path, old: str, new: str):
    events = tmp_path / "events.yml"
    sample = (REPO / "playbook" / "events.yml").read_text()
    assert old in sample, "the case must change the sample's own text"
    events.write_text(sample.replace(old, new, 1))
    assert _check_jsonschema(REPO / "schemas" / "events.schema.json", [events]).returncode == 1
    shutil.copytree(REPO / "playbook", tmp_path / "playbook")
    shutil.copy(events, tmp_path / "playbook" / "events.yml")
    with pytest.raises(PlaybookError):
        load_playbook(tmp_path / "playbook", tmp_path, dt.date(2026, 11, 22))


def test_the_readme_shows_a_screenshot_of_every_page_kind(playbook):
    """`make screenshots` writes them; a new page kind must join the gallery."""
    from .browser import page_kinds

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    shown = set(re.findall(r"docs/screenshots/([a-z-]+)-desktop\.png", readme))
    expected = (set(page_kinds(playbook)) - {"hand-written"}) | {"candidates", "editor-stories", "editor-story"}
    assert shown == expected
    missing = [name for name in sorted(shown) if not (REPO / "docs" / "screenshots" / f"{name}-desktop.png").is_file()]
    assert missing == []

"""The home page says what's next and who to ask; every record page ends with whom to write to."""

from __future__ import annotations

import datetime as dt
import html
import re
import shutil
from urllib.parse import unquote, urlsplit

import icalendar
import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from generator import urls
from generator.audience import select_audience
from generator.errors import Location
from generator.ics import next_date, occurrences, upcoming
from generator.messages import describe
from generator.models import Contact, Event, Origin, Playbook, ProgramContact
from generator.outputs import Options
from generator.site import Site, build_site

TODAY = dt.date(2026, 12, 2)
MAILTO = re.compile(r"\]\((mailto:[^)\s]*)\)")


def event(event_id: str, start: str, **more: object) -> Event:
    data = {"id": event_id, "title": event_id.title(), "description": "Come along.", "start": start,
            "duration_minutes": 60, **more}
    return Event.model_validate(data, context=Origin(Location("events.yml")))


def page(site: Site, path: str) -> str:
    return next(p.markdown for p in site.pages if p.path == path)


@pytest.fixture(scope="module")
def sample_site(playbook: Playbook) -> Site:
    return build_site(playbook, Options(today=TODAY, site_url="https://playbook.example/"))


@pytest.mark.parametrize("today, expected", [
    (dt.date(2026, 12, 2), dt.datetime(2026, 12, 6, 9, 0)),   # before this month's date
    (dt.date(2026, 12, 6), dt.datetime(2026, 12, 6, 9, 0)),   # on the day itself
    (dt.date(2026, 12, 7), dt.datetime(2027, 1, 6, 9, 0)),    # just after: next month's
    (dt.date(2026, 9, 1), dt.datetime(2026, 10, 6, 9, 0)),    # before the series starts
    (dt.date(2027, 6, 1), None),                              # after repeat_until
])
def test_a_monthly_series_is_next_on_its_next_date(today, expected):
    series = event("reminder", "2026-10-06 09:00", repeat="monthly", repeat_until="2027-05-31")
    assert next_date(series, today) == expected


@given(start=st.dates(dt.date(2024, 1, 1), dt.date(2026, 12, 31)),
       repeat=st.sampled_from(["never", "weekly", "fortnightly", "monthly"]),
       today=st.dates(dt.date(2024, 1, 1), dt.date(2029, 12, 31)))
def test_next_date_is_the_first_listed_date_from_today(start, repeat, today):
    """The shortcut into a long series lands where walking the series from its start would."""
    series = event("series", f"{start.isoformat()} 10:30", repeat=repeat)
    walked = [moment for moment in occurrences(series, limit=400) if moment.date() >= today]
    assert next_date(series, today) == (walked[0] if walked else None)


def test_upcoming_is_soonest_first_and_names_each_series_once():
    events = (event("later", "2027-03-01 10:00"), event("past", "2026-01-01 10:00"),
              event("weekly", "2026-11-02 08:00", repeat="weekly"), event("soon", "2026-12-03 10:00"))
    assert [(e.id, moment.date().isoformat()) for e, moment in upcoming(events, TODAY, 3)] == [
        ("soon", "2026-12-03"), ("weekly", "2026-12-07"), ("later", "2027-03-01")]


def test_the_home_page_lists_the_next_three_events_each_with_its_own_calendar_file(sample_site, playbook):
    home = page(sample_site, urls.HOME)
    section = home.split("## Coming up", 1)[1].split("\n## ", 1)[0]
    expected = upcoming(playbook.events, TODAY, 3)
    assert len(expected) == 3, "the sample calendar has three events to come after 2 December 2026"
    items = [line for line in section.splitlines() if line.startswith("- ")]
    assert len(items) == 3
    assets = {asset.path: asset.content for asset in sample_site.assets}
    for line, (shown, moment) in zip(items, expected, strict=True):
        assert f"{moment.day} {moment:%B %Y}**, {moment:%H:%M}" in line
        assert f"[{shown.title}]({urls.of(shown)})" in line  # the home page is at the root: links are paths
        ics = urls.event_calendar(shown.id)
        assert f"[Add to calendar]({ics})" in line
        entries = icalendar.Calendar.from_ical(assets[ics]).walk("VEVENT")
        assert [str(entry["uid"]).split("@")[0] for entry in entries] == [shown.id]
        assert str(entries[0]["summary"]) == shown.title


def test_every_event_has_its_own_calendar_file_linked_from_the_calendar_page(sample_site, playbook):
    calendar = page(sample_site, urls.listing("events"))
    paths = {asset.path for asset in sample_site.assets}
    for shown in playbook.events:
        assert urls.event_calendar(shown.id) in paths
        assert f"to your calendar]({urls.event_calendar(shown.id)})" in calendar


def mailtos(markdown: str) -> list[tuple[str, str]]:
    """Each mailto link's one address and its decoded subject."""
    found = []
    for link in MAILTO.findall(markdown):
        parts = urlsplit(link)
        subject = unquote(parts.query.removeprefix("subject=")) if parts.query else ""
        found.append((unquote(parts.path), subject))
    return found


def test_the_home_page_links_every_contact_that_gives_an_address(sample_site, playbook):
    program = playbook.program
    home = page(sample_site, urls.HOME).split("## Who to ask", 1)[1]
    assert mailtos(home) == [(program.contact.email, ""), (program.coordinator.email, "")]
    assert f"About {program.coordinator.ask_about}: [{program.coordinator.name}]" in home
    assert f", or {program.contact.channel} in chat" in html.unescape(home)


@pytest.mark.parametrize("kind_name, noun", [("roles", "role"), ("rules", "rule"), ("meetings", "meeting")])
def test_every_record_page_ends_by_saying_whom_to_ask_about_it(sample_site, playbook, kind_name, noun):
    program = playbook.program
    for record in playbook.collections[kind_name]:
        closing = page(sample_site, urls.of(record)).rsplit('<div class="pb-ask" markdown>', 1)[1]
        assert closing.lstrip().startswith(f"**Questions about this {noun}?** Write to [{program.contact.email}]")
        subject = f"Question about the {noun}: {record.title}"
        assert mailtos(closing) == [(program.contact.email, subject), (program.coordinator.email, subject)]


def test_the_external_site_offers_no_internal_address(playbook):
    external = select_audience(playbook, "external", TODAY).playbook
    site = build_site(external, Options(today=TODAY, audience="external"))
    program = playbook.program
    internal = [c.email for c in (program.contact, program.coordinator, program.sponsor)
                if c and c.email and c.audience == "internal"]
    assert internal, "the sample has internal addresses for this test to look for"
    everything = "".join(p.markdown for p in site.pages)
    assert not [email for email in internal if email in everything]
    assert "mailto:" not in everything


@pytest.mark.parametrize("model, data, message", [
    (ProgramContact, {"email": "team@example.com?cc=boss@example.com"},
     "`team@example.com?cc=boss@example.com` is not one e-mail address; write it as `name@example.com`"),
    (Contact, {"name": "Cy", "title": "Lead", "email": "cy@example.com, ana@example.com"},
     "`cy@example.com, ana@example.com` is not one e-mail address; write it as `name@example.com`"),
])
def test_an_address_that_is_not_one_mailbox_is_refused_in_plain_words(model, data, message):
    with pytest.raises(ValidationError) as caught:
        model.model_validate(data)
    (error,) = caught.value.errors()
    assert describe(error, model) == message


def test_both_home_pages_open_with_the_programs_picture(playbook):
    picture = playbook.program.image
    assert picture, "the sample program has a picture"
    external = select_audience(playbook, "external", TODAY).playbook
    for shown, audience in ((playbook, "internal"), (external, "external")):
        home = page(build_site(shown, Options(today=TODAY, audience=audience)), urls.HOME)
        title, rest = home.split(f"# {playbook.program.name}\n", 1)
        assert rest.lstrip("\n").startswith(f"![{picture.alt}]({picture.src}){{ .pb-hero }}\n"), audience


def test_a_picture_from_another_site_is_refused_for_the_home_page_too(tmp_path):
    from click.testing import CliRunner

    from generator.cli import main

    from .sitebuild import FIXTURE

    project = tmp_path / "project"
    shutil.copytree(FIXTURE, project)
    program = project / "playbook" / "program.yml"
    program.write_text(program.read_text() + 'image: {src: "https://cdn.example.com/hero.jpg", alt: A hero}\n')
    result = CliRunner().invoke(main, ["validate", "--content", str(project / "playbook")])
    assert result.exit_code == 1
    line = len(program.read_text().splitlines())
    assert f"program.yml:{line}:15: image.src: the image `https://cdn.example.com/hero.jpg` is not on this site" \
        in result.output


def test_the_external_home_page_speaks_to_candidates(playbook):
    external = select_audience(playbook, "external", TODAY).playbook
    site = build_site(external, Options(today=TODAY, audience="external"))
    home = page(site, urls.HOME)
    program = playbook.program
    headings = [line for line in home.splitlines() if line.startswith("## ")]
    assert headings == ["## How it works", "## What pairs say", "## What we hold to", "## How to join"]
    assert f"[Apply now]({program.apply_url}){{ .pb-button }}" in home
    assert html.unescape(program.how_to_join.splitlines()[0]) in html.unescape(home)
    shown = [post for post in external.stories if post.status == "published"][:3]
    assert shown and all(f"[{post.title}]" in home for post in shown)
    intranet = page(build_site(playbook, Options(today=TODAY)), urls.HOME)
    assert "## How to join" not in intranet and "## Coming up" in intranet

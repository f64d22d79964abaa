"""Someone new in a role gets a checklist for their first weeks: on the role's page and in a welcome e-mail."""

from __future__ import annotations

import datetime as dt
import html
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator import urls
from generator.cli import main
from generator.digest import build_welcome
from generator.ics import upcoming
from generator.models import Playbook
from generator.outputs import Options
from generator.render import make_environment
from generator.site import build_site

from .sitebuild import REPO

TODAY = dt.date(2026, 12, 2)
SITE = "https://playbook.example/"
CHECKBOX = re.compile(r'<li><label><input type="checkbox"> (.*?)</label></li>')


def test_every_role_page_shows_its_first_weeks_as_a_task_list_in_order(playbook: Playbook):
    site = build_site(playbook, Options(today=TODAY))
    pages = {page.path: page.markdown for page in site.pages}
    with_lists = [role for role in playbook.roles if role.first_weeks]
    assert with_lists == list(playbook.roles), "every sample role has a checklist"
    for role in playbook.roles:
        section = pages[urls.of(role)].split("## Your first weeks\n", 1)[1].split("\n## ", 1)[0]
        assert [html.unescape(item) for item in CHECKBOX.findall(section)] == role.first_weeks


def test_a_role_without_a_checklist_has_no_empty_section(playbook: Playbook):
    import dataclasses

    role = playbook.roles[0].model_copy(update={"first_weeks": []})
    bare = dataclasses.replace(playbook, collections={**playbook.collections, "roles": (role, *playbook.roles[1:])})
    page = next(p.markdown for p in build_site(bare, Options(today=TODAY)).pages if p.path == urls.of(role))
    assert "first weeks" not in page


@pytest.fixture(scope="module")
def letter(playbook: Playbook):
    role = playbook.role("reverse-mentor")
    return build_welcome(playbook, make_environment(), role=role, site_url=SITE, today=TODAY)


def test_the_welcome_letter_lists_the_checklist_the_next_events_and_whom_to_ask(letter, playbook: Playbook):
    role, program = letter.role, playbook.program
    text = letter.text
    assert text.startswith(f"Welcome to {program.name}\nYou are joining as {role.title}.")
    assert [line[4:] for line in text.splitlines() if line.startswith("[ ] ")] == role.first_weeks
    assert f"Everything about your role: {urls.absolute(SITE, urls.of(role))}" in text
    for event, moment in upcoming(playbook.events, TODAY, 3):
        assert f"{moment.day} {moment:%B %Y}, {moment:%H:%M}: {event.title}" in text
        assert f"Add to calendar: {urls.absolute(SITE, urls.event_calendar(event.id))}" in text
    assert f"<{program.coordinator.email}>" in text


def test_the_welcome_letter_in_html_escapes_every_field_and_links_the_role(letter, playbook: Playbook):
    role = letter.role
    cells = re.findall(r"&#9744;</td><td[^>]*>(.*?)</td>", letter.html)
    assert [html.unescape(cell) for cell in cells] == role.first_weeks
    assert f'href="{urls.absolute(SITE, urls.of(role))}"' in letter.html
    assert "mailto:" + playbook.program.contact.email + "?subject=Question%20from%20a%20new%20Reverse%20mentor" \
        in letter.html


def test_welcome_writes_both_parts_and_refuses_an_unknown_role_with_the_nearest(tmp_path: Path):
    runner = CliRunner()
    out = tmp_path / "welcome.html"
    args = ["--content", str(REPO / "playbook"), "--templates", str(REPO / "templates"), "--out", str(out),
            "--site-url", SITE]
    done = runner.invoke(main, ["welcome", "mentee-leader", *args])
    assert done.exit_code == 0, done.output
    assert out.read_text().startswith("<!DOCTYPE html>") and "YOUR FIRST WEEKS" in out.with_suffix(".txt").read_text()
    wrong = runner.invoke(main, ["welcome", "mentee-leeder", *args])
    assert wrong.exit_code == 2
    assert "`mentee-leeder` is not a role; did you mean `mentee-leader`?" in wrong.output

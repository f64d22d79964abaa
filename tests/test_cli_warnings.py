"""Every command runs the same build and treats warnings alike: printed one per line, and with
--strict a warning fails the run, as it fails `mkdocs build --strict`."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main

from .sitebuild import FIXTURE, STORY

WARNING = ("playbook/stories/2026-01-05-first-pair.yml:11:57: warning: people[1].consent.expires: consent of Dana "
           "Named expired on 2020-01-01; renew it, or set `granted: false` to show them by role only")
COMMANDS = {
    "validate": ["validate"],
    "render": ["render", "--out", "out"],
    "digest": ["digest", "--since", "2026-01-01", "--out", "news.html", "--site-url", "https://example.com/"],
    "review": ["review"],
}


@pytest.fixture
def expired(tmp_path: Path, monkeypatch) -> Path:
    """The minimal playbook with one consent that expired long ago."""
    project = tmp_path / "project"
    shutil.copytree(FIXTURE, project)
    story = project / STORY
    story.write_text(story.read_text().replace("{granted: true, date: 2025-12-01}",
                                               "{granted: true, date: 2019-12-01, expires: 2020-01-01}"))
    monkeypatch.chdir(project)
    return project


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_every_command_prints_the_warning_and_goes_on(expired, command):
    result = CliRunner().invoke(main, COMMANDS[command])
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines()[0] == WARNING


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_strict_fails_on_a_warning_in_every_command(expired, command):
    result = CliRunner().invoke(main, [*COMMANDS[command], "--strict"])
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == WARNING
    assert result.stderr.splitlines()[-1] == "Error: 1 warning, and --strict fails on any warning"


def test_strict_passes_without_warnings(tmp_path, monkeypatch):
    shutil.copytree(FIXTURE, tmp_path / "project")
    monkeypatch.chdir(tmp_path / "project")
    result = CliRunner().invoke(main, [*COMMANDS["render"], "--strict"])
    assert result.exit_code == 0, result.output
    assert result.stderr == ""


def test_new_story_shows_the_warnings_of_the_playbook_it_reads(expired):
    result = CliRunner().invoke(main, ["new", "story", "A second pair"])
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines() == [WARNING]

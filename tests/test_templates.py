"""Overriding by block: a site extends `builtin/NAME` and replaces one block; the README's table of
blocks is the templates' own. Renders the minimal fixture only, with no MkDocs build."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from pathlib import Path

import pytest

from generator.digest import build_digest
from generator.outputs import Options
from generator.render import BUILTIN_TEMPLATES, make_environment
from generator.site import build_site
from generator.validate import load_playbook

from .sitebuild import FIXTURE, REPO

TODAY = dt.date(2026, 11, 22)
# Templates with no blocks: shared macros, and the YAML of a new story.
# The shared macros and the starter files `playbook new` writes have no blocks.
WHOLE_ONLY = {"_macros.md.j2"} | {path.name for path in BUILTIN_TEMPLATES.glob("new-*.yml.j2")}


@pytest.fixture(scope="module")
def minimal():
    playbook, _ = load_playbook(FIXTURE / "playbook", FIXTURE, TODAY)
    return playbook


@pytest.fixture(scope="module")
def environment():
    return make_environment()


def page(playbook, templates: Path, path: str) -> str:
    site = build_site(playbook, Options(today=TODAY, templates=templates))
    return next(p.markdown for p in site.pages if p.path == path)


def replaced(original: str, section: str, replacement: str) -> str:
    """`original` with its one `section` swapped for `replacement`: what a one-block override must give."""
    assert original.count(section) == 1, section
    before, _, after = original.partition(section)
    return before + replacement + after


def test_one_block_of_a_record_page_changes_only_that_section(minimal, tmp_path: Path):
    builtin = page(minimal, tmp_path, "roles/mentor.md")
    (tmp_path / "role.md.j2").write_text(
        '{% extends "builtin/role.md.j2" %}{% block responsibilities %}## What you do\n{% endblock %}')
    ours = page(minimal, tmp_path, "roles/mentor.md")
    assert ours == replaced(builtin, "## Responsibilities\n\n- Prepare each session\n\n", "## What you do\n")
    assert "## Rules for this role" in ours  # the sections after it are still there


def test_one_block_of_a_list_page_changes_only_that_section(minimal, tmp_path: Path):
    builtin = page(minimal, tmp_path, "rules/index.md")
    (tmp_path / "rules.md.j2").write_text(
        '{% extends "builtin/rules.md.j2" %}\n{% block intro %}\nOur rules.\n{% endblock %}\n')
    intro = builtin.split("\n\n")[1] + "\n"
    assert intro.startswith("The program holds together")
    assert page(minimal, tmp_path, "rules/index.md") == replaced(builtin, intro, "Our rules.\n")


def test_a_block_inside_a_loop_sees_the_loop_variable(minimal, tmp_path: Path):
    builtin = page(minimal, tmp_path, "rules/index.md")
    (tmp_path / "rules.md.j2").write_text('{% extends "builtin/rules.md.j2" %}\n{% block rule %}\n'
                                          "### {{ loop.index }}. {{ rule.title | text }}\n\n{% endblock %}\n")
    end = "Rhythm builds trust.\n\n"
    section = builtin[builtin.index("### Meet every month"):builtin.index(end) + len(end)]
    assert page(minimal, tmp_path, "rules/index.md") == replaced(builtin, section, "### 1. Meet every month\n\n")


def test_super_keeps_the_built_in_section(minimal, tmp_path: Path):
    builtin = page(minimal, tmp_path, "roles/mentor.md")
    (tmp_path / "role.md.j2").write_text(
        '{% extends "builtin/role.md.j2" %}\n{% block summary %}\n{{ super() }}\nAsk us anything.\n{% endblock %}\n')
    assert page(minimal, tmp_path, "roles/mentor.md") == replaced(
        builtin, "The mentor brings fresh eyes.\n\n", "The mentor brings fresh eyes.\n\nAsk us anything.\n\n")


def test_builtin_means_the_shipped_template_even_beside_a_site_folder_of_that_name(minimal, tmp_path: Path):
    builtin = page(minimal, tmp_path, "roles/mentor.md")
    (tmp_path / "builtin").mkdir()
    (tmp_path / "builtin" / "role.md.j2").write_text("not ours\n")
    (tmp_path / "role.md.j2").write_text('{% extends "builtin/role.md.j2" %}')
    assert page(minimal, tmp_path, "roles/mentor.md") == builtin


def test_a_prefixed_html_template_is_still_autoescaped(minimal, tmp_path: Path):
    hostile = dataclasses.replace(minimal, program=minimal.program.model_copy(update={"name": "R&D <b>x</b>"}))
    (tmp_path / "digest.html.j2").write_text(
        '{% extends "builtin/digest.html.j2" %}\n{% block footer %}\n<p>{{ program.name }}</p>\n{% endblock %}\n')
    letter = build_digest(hostile, make_environment(tmp_path), since=dt.date(2024, 1, 1), until=TODAY,
                          site_url="https://example.com/", today=TODAY)
    assert "<b>x</b>" not in letter.html
    assert letter.html.count("R&amp;D &lt;b&gt;x&lt;/b&gt;") == 3  # <title>, <h1>, and our footer
    assert "<p>R&amp;D &lt;b&gt;x&lt;/b&gt;</p>" in letter.html
    assert "program playbook</a>" not in letter.html  # the built-in footer is gone


def documented_blocks() -> dict[str, set[str]]:
    """The README's table of templates and their blocks: {template: {block, ...}}."""
    readme = (REPO / "README.md").read_text()
    section = readme[readme.index("## Overriding a template"):]
    rows = re.findall(r"^\| `([\w.-]+\.j2)` \|[^|]*\| (.*) \|$", section, re.MULTILINE)
    return {name: set(re.findall(r"`(\w+)`", blocks)) for name, blocks in rows}


def test_the_readme_lists_every_block_of_every_template_and_no_other(environment):
    documented = documented_blocks()
    shipped = {path.name for path in BUILTIN_TEMPLATES.glob("*.j2")} - WHOLE_ONLY
    assert sorted(documented) == sorted(shipped)
    for name, blocks in documented.items():
        assert set(environment.get_template(name).blocks) == blocks, name
    for name in WHOLE_ONLY:
        assert not environment.get_template(name).blocks, name


def test_every_template_calls_its_heading_title(environment):
    assert [name for name in documented_blocks() if "title" not in environment.get_template(name).blocks] == []

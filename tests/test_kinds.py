"""A new kind of record is its model, one registry row and its template, and nothing else.

The test adds a glossary exactly as the README's "Adding a kind of record" says, without
touching the generator, and proves that it validates, builds, gets a schema, links through
the URL authority, and stays off the external site unless marked external.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from mkdocs.commands.build import build
from mkdocs.config import load_config
from pydantic import Field

from generator import kinds, urls
from generator import models as m
from generator.cli import main
from generator.errors import PlaybookError
from generator.outputs import Options
from generator.publish import build_playbook
from generator.schema import schema_files
from generator.validate import load_playbook

from .sitebuild import FIXTURE

TODAY = dt.date(2026, 11, 22)


# 1. The model (in a real change: generator/models.py).
class Term(m.Record):
    """A word the program uses in its own sense."""

    id: m.Slug
    term: m.Text = Field(description="The word or phrase.")
    meaning: m.Markdown = Field(description="What it means here (Markdown).")
    see_also: list[str] = Field(default_factory=list, description="Roles that use the term (role ids).")
    audience: m.Audience = m.AUDIENCE_FIELD


# 2. The registry row (in a real change: one entry in KINDS in generator/kinds.py).
GLOSSARY = kinds.Kind(
    "terms", "term", Term, "glossary.yml", "Glossary", "Words the program uses.", max_records=100,
    list_page="glossary.md", list_template="glossary.md.j2", list_title="Glossary", anchored=True,
    nav=kinds.Nav("Glossary"), references=(kinds.Ref(("see_also", "*"), "roles"),),
)

# 3. The template (in a real change: templates/glossary.md.j2).
TEMPLATE = """# Glossary

{% for term in records %}
## {{ term.term | text }} { #{{ term.id }} }

{{ term.meaning | markdown }}
{% if term.see_also %}

Used by: {% for role_id in term.see_also %}[{{ q.role_title(role_id) | text }}]({{ urls.to("roles", role_id) | rel }}){{ ", " if not loop.last }}{% endfor %}{{ "" }}
{% endif %}

{% endfor %}
"""

GLOSSARY_YML = """\
terms:
  - id: reverse-mentor-term
    term: Reverse mentor
    meaning: The newer colleague, who mentors the leader.
    see_also: [mentor]
    audience: external
  - id: skip-level
    term: Skip-level secret
    meaning: A word only the intranet may see.
"""


@pytest.fixture
def glossary(monkeypatch, tmp_path: Path) -> Path:
    """The minimal project with the glossary kind registered, its template and its file."""
    monkeypatch.setattr(kinds, "KINDS", (*kinds.KINDS[:-1], GLOSSARY, kinds.STORIES))
    project = tmp_path / "project"
    shutil.copytree(FIXTURE, project)
    (project / "templates").mkdir()
    (project / "templates" / "glossary.md.j2").write_text(TEMPLATE)
    (project / "playbook" / "glossary.yml").write_text(GLOSSARY_YML)
    with (project / "playbook" / "program.yml").open("a") as program:
        program.write("audience: external\n")
    roles = project / "playbook" / "roles.yml"
    roles.write_text(roles.read_text().replace("  - id: mentor\n", "  - id: mentor\n    audience: external\n", 1))
    return project


def test_a_new_kind_validates_with_its_links_checked(glossary: Path):
    playbook, _ = load_playbook(glossary / "playbook", glossary, TODAY)
    assert [term.id for term in playbook.terms] == ["reverse-mentor-term", "skip-level"]
    assert playbook.terms[0].source is not None and playbook.terms[0].source.line == 2
    (glossary / "playbook" / "glossary.yml").write_text(GLOSSARY_YML.replace("    term: Skip", "    trem: Skip"))
    with pytest.raises(PlaybookError) as caught:
        load_playbook(glossary / "playbook", glossary, TODAY)
    assert caught.value.report().splitlines() == [
        "playbook/glossary.yml:8:5: terms[skip-level].trem: unknown field `trem`; did you mean `term`?",
        "1 error in 1 file",
    ]


def test_a_new_kind_reports_unknown_ids_at_the_field(glossary: Path):
    (glossary / "playbook" / "glossary.yml").write_text(GLOSSARY_YML.replace("[mentor]", "[mentr]"))
    with pytest.raises(PlaybookError) as caught:
        load_playbook(glossary / "playbook", glossary, TODAY)
    assert caught.value.report().splitlines() == [
        "playbook/glossary.yml:5:16: terms[reverse-mentor-term].see_also[1]: unknown role `mentr`; did you mean "
        "`mentor`?",
        "1 error in 1 file",
    ]


def test_a_new_kind_gets_a_json_schema(glossary: Path):
    schema = json.loads(schema_files()["glossary.schema.json"])
    assert schema["title"] == "Glossary (playbook/glossary.yml)"
    assert schema["properties"]["terms"]["maxItems"] == 100
    assert schema["$defs"]["Term"]["properties"]["term"]["description"] == "The word or phrase."


def test_a_new_kind_gets_its_page_nav_entry_and_url(glossary: Path):
    options = Options(today=TODAY, templates=glossary / "templates")
    site = build_playbook(glossary / "playbook", glossary, options).site
    page = next(page for page in site.pages if page.path == "glossary.md")
    assert "## Reverse mentor { #reverse-mentor-term }" in page.markdown
    assert "Used by: [Reverse mentor](roles/mentor.md)" in page.markdown
    assert ("Glossary", "glossary.md") in site.nav
    assert urls.to("terms", "skip-level") == "glossary.md#skip-level"


@pytest.mark.site
def test_a_new_kind_builds_with_mkdocs_and_stays_off_the_external_site(glossary: Path, monkeypatch):
    monkeypatch.chdir(glossary)
    internal = _mkdocs_build(glossary, "site", "internal")
    assert "Skip-level secret" in (internal / "glossary" / "index.html").read_text()
    external = _mkdocs_build(glossary, "site-external", "external")
    public = (external / "glossary" / "index.html").read_text()
    assert "Reverse mentor" in public
    leaked = [path for path in external.rglob("*") if path.is_file() and b"Skip-level" in path.read_bytes()]
    assert not leaked, f"an internal term reached {leaked}"


def test_validate_sees_the_new_kind(glossary: Path, monkeypatch):
    monkeypatch.chdir(glossary)
    (glossary / "playbook" / "glossary.yml").write_text(GLOSSARY_YML.replace("[mentor]", "[leader]"))
    result = CliRunner().invoke(main, ["validate"])
    assert result.exit_code == 1
    assert result.output.splitlines()[0] == (
        "playbook/glossary.yml:5:16: terms[reverse-mentor-term].see_also[1]: the external term "
        "`reverse-mentor-term` links to the internal role `leader`, which the external site leaves out; make that "
        "role external too, or remove the link")


def _mkdocs_build(project: Path, folder: str, audience: str) -> Path:
    """`mkdocs build --strict` in this process, so the registry row added by the fixture is seen."""
    config = load_config(str(project / "mkdocs.yml"), site_dir=str(project / folder), strict=True)
    config.plugins["playbook"].config.audience = audience
    config.plugins["playbook"].config.templates = "templates"
    config.plugins.on_startup(command="build", dirty=False)
    try:
        build(config)
    finally:
        config.plugins.on_shutdown()
    return project / folder

"""`playbook init`: a new project of neutral examples that validates and builds, quietly, straight away."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from importlib import util
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from generator import kinds
from generator.cli import main

from .sitebuild import REPO

SAMPLE = REPO / "playbook"
EXAMPLE_DOMAINS = {"example.com", "example.org"}
EMAIL = re.compile(r"[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
# Places and firms the sample's prose names, which no field of their own holds.
SAMPLE_PLACES = ("Northwind", "Harlow Road", "Alder Park", "Foundry Room", "Werner Electric", "Cottage Grove")
PLACEHOLDER_WORDS = ("lorem", "ipsum", "TODO", "TBD", "FIXME", "XXX")
BANNER_LINE = "material_banner_hidden: !!python/name:generator.banner.hidden"
# Every kind kept in one file, from the registry: a new kind joins the new project too.
CONTENT_KINDS = {kind.file for kind in kinds.KINDS if not kind.folder}


def _init(directory: Path) -> Path:
    result = CliRunner().invoke(main, ["init", str(directory)])
    assert result.exit_code == 0, result.output
    return directory


def _text_files(project: Path) -> dict[Path, str]:
    return {path: path.read_text(encoding="utf-8") for path in sorted(project.rglob("*")) if path.is_file()}


def _sample_names() -> set[str]:
    """What identifies the sample company and its people: names, mailboxes, domains, places."""
    program = yaml.safe_load((SAMPLE / "program.yml").read_text(encoding="utf-8"))
    names = {program["name"], program["contact"]["channel"]}
    names |= {program[key]["name"] for key in ("sponsor", "coordinator")}
    for story in sorted((SAMPLE / "stories").glob("*.yml")):
        names |= {person["name"] for person in yaml.safe_load(story.read_text(encoding="utf-8")).get("people", []) if "name" in person}
    sample_text = "\n".join(path.read_text(encoding="utf-8") for path in sorted(SAMPLE.rglob("*.yml")))
    for address in EMAIL.findall(sample_text):
        domain = address.split("@")[1]
        names |= {address, domain, domain.split(".")[0]}
    for place in SAMPLE_PLACES:  # a stale list would check nothing
        assert place in sample_text, f"{place} is no longer in the sample playbook; update SAMPLE_PLACES"
    return names | set(SAMPLE_PLACES)


def _banner_phrases() -> list[str]:
    """Distinctive words of Material's banner, read from the installed Material so that they stay current."""
    spec = util.find_spec("material.templates")
    assert spec and spec.origin
    source = Path(spec.origin).read_text(encoding="utf-8")
    phrases = ["Material for MkDocs reaches end of life", "Zensical", "To disable this warning, set NO_MKDOCS_2_WARNING"]
    for phrase in phrases:
        assert phrase in source, f"Material's banner no longer says {phrase!r}; update _banner_phrases"
    return phrases


def _plain_build(project: Path, *extra: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """`mkdocs build --strict` as a person types it in the new folder: NO_MKDOCS_2_WARNING is not set."""
    clean = {name: value for name, value in os.environ.items() if name != "NO_MKDOCS_2_WARNING"}
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", *extra], capture_output=True,
                          text=True, cwd=project, timeout=300, env={**clean, **(env or {})})


def test_init_names_no_sample_company_person_or_domain(tmp_path: Path):
    project = _init(tmp_path / "new")
    names = _sample_names()
    assert "Northwind" in names and "priya.raman@northwind-components.example" in names
    for path, text in _text_files(project).items():
        found = [name for name in names if name.lower() in text.lower()]
        assert not found, f"{path.relative_to(project)} names the sample's {found}"


def test_init_mails_only_role_mailboxes_at_example_domains(tmp_path: Path):
    project = _init(tmp_path / "new")
    addresses = {address for text in _text_files(project).values() for address in EMAIL.findall(text)}
    program = yaml.safe_load((project / "playbook" / "program.yml").read_text(encoding="utf-8"))
    assert program["contact"]["email"] in addresses  # the scan sees the program's own mailbox
    for address in addresses:
        local, domain = address.split("@")
        assert domain in EXAMPLE_DOMAINS, f"{address} is outside {sorted(EXAMPLE_DOMAINS)}"
        # firstname.lastname@ and firstname_lastname@ are a person's address, not a team's
        assert not re.search(r"[A-Za-z][._][A-Za-z]", local), f"{address} looks like a person's address"


def test_init_writes_commented_examples_of_every_kind(tmp_path: Path):
    project = _init(tmp_path / "new")
    content = project / "playbook"
    assert {path.name for path in content.glob("*.yml")} == CONTENT_KINDS
    stories = list((content / "stories").glob("*.yml"))
    assert len(stories) == 1
    assert yaml.safe_load(stories[0].read_text(encoding="utf-8"))["people"] == []  # nobody's name, even by consent
    for path in [*content.glob("*.yml"), *stories]:
        text = path.read_text(encoding="utf-8")
        first, *rest = text.splitlines()
        assert first == f"# yaml-language-server: $schema={_schema_path(path)}"
        assert any(line.startswith("# ") for line in rest), f"{path.name} says nothing about what to fill in"
        assert not [word for word in PLACEHOLDER_WORDS if re.search(rf"\b{word}\b", text, re.IGNORECASE)], path.name


def _schema_path(path: Path) -> str:
    """The schema line's path, from playbook/ or playbook/stories/ to the project's schemas/."""
    return "../../schemas/story.schema.json" if path.parent.name == "stories" else f"../schemas/{path.stem}.schema.json"


def test_init_project_validates_strict(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(_init(tmp_path / "new"))
    result = CliRunner().invoke(main, ["validate", "--strict"])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "playbook: the playbook is valid (3 roles, 1 rule, 1 post)"


def test_init_refuses_a_folder_that_is_not_empty(tmp_path: Path):
    (tmp_path / "keep.txt").write_text("mine")
    result = CliRunner().invoke(main, ["init", str(tmp_path)])
    assert result.exit_code == 1
    assert "is not empty" in result.output
    assert [p.name for p in tmp_path.iterdir()] == ["keep.txt"]


@pytest.mark.site
def test_init_project_builds_strict_without_the_banner(tmp_path: Path):
    project = _init(tmp_path / "new")
    assert (project / "templates").is_dir() and not list((project / "templates").iterdir())
    assert (project / "README.md").is_file() and (project / "schemas" / "story.schema.json").is_file()
    build = _plain_build(project)
    assert build.returncode == 0, build.stderr
    assert (project / "site" / "index.html").is_file()
    output = build.stdout + build.stderr
    assert [phrase for phrase in _banner_phrases() if phrase in output] == []
    assert "WARNING" not in output


@pytest.mark.site
def test_init_project_shows_the_banner_once_its_line_is_deleted(tmp_path: Path):
    """The control: the same build prints the banner, so the test above can fail, and the line is what hides it."""
    project = _init(tmp_path / "new")
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert BANNER_LINE in text
    config.write_text(text.replace("extra:\n", "").replace(BANNER_LINE, ""), encoding="utf-8")
    build = _plain_build(project)
    assert build.returncode == 0, build.stderr
    assert [phrase for phrase in _banner_phrases() if phrase in build.stderr] == _banner_phrases()


@pytest.mark.site
def test_init_project_quiet_build_still_shows_other_warnings(tmp_path: Path):
    project = _init(tmp_path / "new")
    (project / "docs" / "guide.md").write_text("# Guide\n\nSee [the handbook](handbook.md).\n", encoding="utf-8")
    build = _plain_build(project)
    assert build.returncode == 1
    assert re.search(r"WARNING +- +Doc file 'guide\.md' contains a link 'handbook\.md', but the target is not found", build.stderr), build.stderr
    assert "Material for MkDocs reaches end of life" not in build.stderr


@pytest.mark.site
def test_init_project_builds_its_external_site_strict(tmp_path: Path):
    project = _init(tmp_path / "new")
    build = _plain_build(project, "-d", "site-external", env={"PLAYBOOK_AUDIENCE": "external"})
    assert build.returncode == 0, build.stderr
    home = (project / "site-external" / "index.html").read_text(encoding="utf-8")
    assert "Our Reverse Mentoring Program" in home
    assert "@example.com" not in home  # the contacts stay internal

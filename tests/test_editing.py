"""The editing workflow: schemas, errors in the pull request, review reminders, edit links; init is in test_init."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from pathlib import Path

import jsonschema
import pytest
import yaml
from click.testing import CliRunner

from generator.cli import main
from generator.loader import load_document
from generator.schema import schema_files

from .sitebuild import FIXTURE, REPO

SCHEMA_LINE = re.compile(r"^# yaml-language-server: \$schema=(?P<path>\S+)$")


def _sample_files() -> list[Path]:
    return sorted((REPO / "playbook").rglob("*.yml"))


def test_committed_schemas_match_the_models():
    committed = {p.name: p.read_text() for p in (REPO / "schemas").glob("*.schema.json")}
    assert committed == schema_files()


def test_schemas_carry_titles_descriptions_enums_and_examples():
    rules = json.loads(schema_files()["rules.schema.json"])
    rule = rules["$defs"]["Rule"]["properties"]
    assert rules["title"].startswith("Rules")
    assert rule["level"]["enum"] == ["must", "should"]
    assert all("description" in field for field in rule.values())
    assert rule["review_every"]["examples"] == ["6 months", "1 year"]


@pytest.mark.parametrize("path", _sample_files(), ids=lambda p: p.relative_to(REPO / "playbook").as_posix())
def test_every_sample_file_names_its_schema_and_passes_it(path: Path):
    first = path.read_text().splitlines()[0]
    match = SCHEMA_LINE.match(first)
    assert match, f"{path} does not start with a yaml-language-server line"
    schema = json.loads((path.parent / match["path"]).read_text())
    jsonschema.validate(load_document(path, path.name).data, schema)


BROKEN = {
    "unknown key": ("rules.yml", "title: Meet every month", "titel: Meet every month"),
    "value outside the vocabulary": ("rules.yml", "level: must", "level: shall"),
    "missing field": ("rules.yml", "    statement: Pairs meet at least once a month.\n", ""),
    "id that is not a slug": ("rules.yml", "id: meet-monthly", "id: Meet Monthly"),
    "text where a list belongs": ("rules.yml", "applies_to: [mentor, leader]", "applies_to: mentor"),
    "number out of range": ("program.yml", "session_minutes: 30", "session_minutes: 5"),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_jsonschema_and_our_validator_reject_the_same_broken_files(case: str, tmp_path: Path):
    name, old, new = BROKEN[case]
    shutil.copytree(FIXTURE / "playbook", tmp_path / "playbook")
    path = tmp_path / "playbook" / name
    path.write_text(path.read_text().replace(old, new))
    schema = json.loads(schema_files()[name.replace(".yml", ".schema.json")])
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(load_document(path, name).data, schema)
    result = CliRunner().invoke(main, ["validate", "--content", str(tmp_path / "playbook")])
    assert result.exit_code == 1


@pytest.fixture
def broken(tmp_path: Path, monkeypatch) -> Path:
    shutil.copytree(FIXTURE / "playbook", tmp_path / "playbook")
    rules = tmp_path / "playbook" / "rules.yml"
    rules.write_text(rules.read_text().replace("level: must", "level: shall"))
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_validate_speaks_github_annotations(broken):
    result = CliRunner().invoke(main, ["validate", "--format", "github"])
    assert result.exit_code == 1
    assert result.output == ("::error file=playbook/rules.yml,line=5,col=12,title=rules[meet-monthly].level::"
                             "`shall` is not allowed; use 'must' or 'should'\n")


def test_validate_speaks_json(broken):
    result = CliRunner().invoke(main, ["validate", "--format", "json"])
    assert result.exit_code == 1
    assert json.loads(result.output) == [{"file": "playbook/rules.yml", "line": 5, "column": 12,
                                          "field": "rules[meet-monthly].level",
                                          "message": "`shall` is not allowed; use 'must' or 'should'",
                                          "severity": "error"}]


def test_validate_text_stays_one_line_per_problem(broken):
    result = CliRunner().invoke(main, ["validate"])
    assert result.exit_code == 1
    assert result.output == ("playbook/rules.yml:5:12: rules[meet-monthly].level: `shall` is not allowed; use "
                             "'must' or 'should'\n1 error in 1 file\n")


def test_expired_consent_is_a_github_warning(tmp_path: Path, monkeypatch):
    shutil.copytree(FIXTURE / "playbook", tmp_path / "playbook")
    story = tmp_path / "playbook" / "stories" / "2026-01-05-first-pair.yml"
    story.write_text(story.read_text().replace("{granted: true, date: 2025-12-01}",
                                               "{granted: true, date: 2025-12-01, expires: 2026-01-31}"))
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["validate", "--format", "github"])
    assert result.exit_code == 0
    assert result.output.startswith("::warning file=playbook/stories/2026-01-05-first-pair.yml,line=11,col=57,")


def test_review_lists_overdue_rules_by_owner_and_strict_fails(monkeypatch, playbook):
    monkeypatch.chdir(REPO)
    overdue = [r for r in playbook.rules if r.review_overdue(dt.date.today())]
    assert overdue
    relaxed = CliRunner().invoke(main, ["review"])
    assert relaxed.exit_code == 0
    for rule in overdue:
        assert f"{playbook.role(rule.owner).title}:\n" in relaxed.output
        assert f"  {rule.source}: {rule.id}: OVERDUE since {rule.next_review}" in relaxed.output
    strict = CliRunner().invoke(main, ["review", "--strict"])
    assert strict.exit_code == 1


def test_review_lists_rules_due_soon_without_failing(tmp_path: Path, monkeypatch):
    shutil.copytree(FIXTURE / "playbook", tmp_path / "playbook")
    rules = tmp_path / "playbook" / "rules.yml"
    soon = dt.date.today() - dt.timedelta(days=170)
    rules.write_text(rules.read_text().replace("last_reviewed: 2026-10-01", f"last_reviewed: {soon}"))
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["review", "--strict"])
    assert result.exit_code == 0
    assert "playbook/rules.yml:2:5: meet-monthly: due " in result.output
    assert result.output.rstrip().endswith("0 reviews overdue, 1 due within 30 days")


def test_generated_pages_link_to_their_yaml_line(sample_site, playbook):
    rule = playbook.rules[-1]
    html = (sample_site / "rules" / rule.id / "index.html").read_text()
    edit = f"https://git.northwind.example/people/mentoring-playbook/-/edit/main/playbook/rules.yml#L{rule.source.line}"
    assert f'href="{edit}"' in html
    hand_written = (sample_site / "contributing" / "index.html").read_text()
    assert 'href="https://git.northwind.example/people/mentoring-playbook/-/edit/main/docs/contributing.md"' in hand_written


def test_pre_commit_hook_and_ci_examples_are_wired():
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())
    assert hooks[0]["id"] == "playbook-validate" and hooks[0]["entry"] == "playbook validate"
    own = yaml.safe_load((REPO / ".pre-commit-config.yaml").read_text())
    assert own["repos"][0]["hooks"][0]["id"] == "playbook-validate"
    github = (REPO / "examples" / "ci" / "github-actions.yml").read_text()
    assert "playbook validate --format github" in github
    assert "upload-pages-artifact" in github and "path: site-external/" in github
    gitlab = yaml.safe_load((REPO / "examples" / "ci" / "gitlab-ci.yml").read_text())
    assert gitlab["pages"]["script"] == ["mv site-external public"]


def test_review_refuses_a_horizon_past_ten_years(monkeypatch):
    monkeypatch.chdir(REPO)
    result = CliRunner().invoke(main, ["review", "--within", "999999999"])
    assert result.exit_code == 2
    assert result.output.endswith("Error: Invalid value for '--within': 999999999 is not in the range 0<=x<=3650.\n")
    assert result.exception is not None and not isinstance(result.exception, OverflowError)


def test_digest_refuses_an_out_that_its_plain_text_part_would_overwrite(tmp_path: Path, monkeypatch):
    monkeypatch.chdir(REPO)
    result = CliRunner().invoke(main, ["digest", "--since", "2025-01-01", "--out", str(tmp_path / "x.txt")])
    assert result.exit_code == 2
    assert result.output.endswith(f"Error: Invalid value for --out: {tmp_path / 'x.txt'} is where the plain-text part "
                                  f"goes; pass the HTML file, such as --out {tmp_path / 'x.html'}\n")
    assert list(tmp_path.iterdir()) == []

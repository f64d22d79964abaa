"""The bad-input corpus: each broken playbook fails fast, clearly, and changes nothing.

Each folder in tests/corpus/ holds files laid over a copy of the minimal fixture, and
`expected.txt`, the exact output a coordinator sees. Inputs too big to keep in git (a
10 MB file, deep nesting, 10,000 tags) are made by the test itself.
"""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from generator.cli import main

from .sitebuild import FIXTURE, REPO, STORY, tree_hash

CORPUS = REPO / "tests" / "corpus"
MEMORY_LIMIT = 1536 * 1024 * 1024
SECONDS = 20


def _made_inputs() -> dict[str, tuple[str, bytes, str]]:
    story = (FIXTURE / STORY).read_text()
    rules = (FIXTURE / "playbook" / "rules.yml").read_text()
    tags = "tags: [" + ", ".join(f"tag-{i}" for i in range(10_000)) + "]"
    padding = "# a comment line that pads the file past the first 8 KB\n" * 200
    return {
        "ten-megabyte-file": ("playbook/rules.yml", b"# padding\n" * 1_048_576,
                              "playbook/rules.yml:1:1: the file is 10.0 MB; content files may be at most 2 MB"),
        "deep-nesting": ("playbook/rules.yml", b"rules: " + b"[" * 50_000 + b"]" * 50_000 + b"\n",
                         "playbook/rules.yml:1:48: the data is nested more than 40 levels deep"),
        # Block nesting never shows a bracket; libyaml's composer used to crash on it (segmentation fault).
        "deep-block-nesting": ("playbook/rules.yml", b"rules:\n" + b"- " * 30_000 + b"x\n",
                               "playbook/rules.yml:2:81: the data is nested more than 40 levels deep"),
        "nul-byte-late": ("playbook/rules.yml", (padding + rules.replace("trust.", "trust.\0")).encode(),
                          "playbook/rules.yml:207:36: a NUL byte (0x00) is here, which YAML text may not hold; "
                          "delete it, or save the file as plain text (UTF-8)"),
        "ten-thousand-tags": (STORY, story.replace("tags: [onboarding]", tags).encode(),
                              "playbook/stories/2026-01-05-first-pair.yml:6:7: tags: may have at most 12 items, "
                              "has 10000"),
    }


CASES = sorted(p.name for p in CORPUS.iterdir() if p.is_dir())
MADE = _made_inputs()


def _project(tmp_path: Path, case: str) -> Path:
    project = tmp_path / "project"
    shutil.copytree(FIXTURE, project)
    if case in MADE:
        relative, content, _ = MADE[case]
        (project / relative).write_bytes(content)
    else:
        shutil.copytree(CORPUS / case, project / "playbook", dirs_exist_ok=True,
                        ignore=shutil.ignore_patterns("expected.txt"))
    return project


def _expected(case: str) -> str:
    if case in MADE:
        return MADE[case][2] + "\n1 error in 1 file\n"
    return (CORPUS / case / "expected.txt").read_text()


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def _run(project: Path, *command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *command], cwd=project, capture_output=True, text=True,
                          timeout=SECONDS, preexec_fn=_limit_memory, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})


def test_the_corpus_is_large_enough():
    assert len(CASES) + len(MADE) >= 60


def _validate(project: Path, monkeypatch: pytest.MonkeyPatch) -> Result:
    """`playbook validate` in this process, run from the project as a person runs it."""
    monkeypatch.chdir(project)
    return CliRunner().invoke(main, ["validate"])


@pytest.mark.parametrize("case", CASES + sorted(MADE))
def test_validate_reports_every_problem_on_its_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, case: str):
    project = _project(tmp_path, case)
    before = tree_hash(project)
    result = _validate(project, monkeypatch)
    assert isinstance(result.exception, SystemExit), "no traceback, only our own exit"
    assert result.exit_code == 1
    assert result.stderr == _expected(case)
    assert result.stdout == ""
    assert tree_hash(project) == before


# The inputs made to be huge also run as a process of their own, under the memory and time limits.
@pytest.mark.parametrize("case", sorted(MADE))
def test_validate_of_a_huge_input_stays_within_memory_and_time(tmp_path: Path, case: str):
    result = _run(_project(tmp_path, case), "generator.cli", "validate")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr + result.stdout
    assert result.stderr == _expected(case)


@pytest.mark.site
@pytest.mark.parametrize("case", CASES + sorted(MADE))
def test_a_failed_build_leaves_the_site_as_it_was(tmp_path: Path, case: str):
    project = _project(tmp_path, case)
    site = project / "site"
    site.mkdir()
    (site / "index.html").write_text("the last good build")
    before = tree_hash(site)
    result = _run(project, "mkdocs", "build", "--strict")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    for line in _expected(case).splitlines():
        assert line in result.stderr
    assert tree_hash(site) == before


def test_missing_required_files_are_each_named_once_without_follow_on_errors(tmp_path: Path, monkeypatch):
    project = tmp_path / "project"
    shutil.copytree(FIXTURE, project)
    (project / "playbook" / "roles.yml").unlink()
    (project / "playbook" / "rules.yml").unlink()
    result = _validate(project, monkeypatch)
    assert result.exit_code == 1
    assert result.stderr == ("playbook/roles.yml:1:1: `roles.yml` is missing; every playbook needs one\n"
                             "playbook/rules.yml:1:1: `rules.yml` is missing; every playbook needs one\n"
                             "2 errors in 2 files\n")


def test_a_missing_playbook_folder_is_one_line(tmp_path: Path, monkeypatch):
    result = _validate(tmp_path, monkeypatch)
    assert result.exit_code == 1
    assert result.stderr == "playbook:1:1: the playbook folder does not exist\n1 error in 1 file\n"

"""No failure loses data: a failed, interrupted or killed run leaves the previous output byte for byte.

The folder swap and the file writes are tested directly first (generator/output.py), then through a
real `mkdocs build --strict` that fails or is killed with SIGKILL part-way, then through the CLI on a
blocked path, a full disk and a read-only file system.
"""

from __future__ import annotations

import datetime as dt
import os
import resource
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from generator import output
from generator.output import OutputError, Staging, write_files, write_new_file

from .sitebuild import FIXTURE, STORY, tree_hash

GRANTED = "consent: {granted: true, date: 2025-12-01}"
EXPIRED = "consent: {granted: true, date: 2025-12-01, expires: 2026-01-01}"
SITE_DIRS = {"internal": "site", "external": "site-external"}
STORIES_TO_KILL = 300


def _files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def _folder(path: Path, **files: str) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (path / name).write_text(text)
    return path


def _ours(parent: Path) -> list[str]:
    return sorted(p.name for p in parent.iterdir() if p.name.startswith("."))


# The folder swap, directly.

def test_publish_swaps_the_fresh_folder_in_and_deletes_the_old(tmp_path: Path):
    site = _folder(tmp_path / "site", **{"index.html": "old", "stale.html": "gone after"})
    staging = Staging.beside(site)
    assert staging.fresh == tmp_path / f".site.building-{os.getpid()}"
    _folder(staging.fresh, **{"index.html": "new"})
    staging.publish()
    assert _files(site) == {"index.html": b"new"}
    assert _ours(tmp_path) == []


@pytest.mark.parametrize("exchange", [True, False], ids=["renameat2", "rename-aside"])
def test_publish_works_with_and_without_an_atomic_exchange(tmp_path: Path, monkeypatch, exchange: bool):
    if exchange and sys.platform != "linux":
        pytest.skip("renameat2 is Linux only")
    if not exchange:
        monkeypatch.setattr(output, "_exchange", lambda first, second: False)
    site = _folder(tmp_path / "site", **{"index.html": "old"})
    staging = Staging.beside(site)
    _folder(staging.fresh, **{"index.html": "new"})
    staging.publish()
    assert _files(site) == {"index.html": b"new"}
    assert _ours(tmp_path) == []


def test_exchange_swaps_two_folders_in_one_step(tmp_path: Path):
    if sys.platform != "linux":
        pytest.skip("renameat2 is Linux only")
    first, second = _folder(tmp_path / "a", x="first"), _folder(tmp_path / "b", x="second")
    assert output._exchange(first, second)
    assert (first / "x").read_text() == "second" and (second / "x").read_text() == "first"


def test_publish_without_a_previous_site(tmp_path: Path):
    staging = Staging.beside(tmp_path / "site")
    _folder(staging.fresh, **{"index.html": "new"})
    staging.publish()
    assert _files(tmp_path / "site") == {"index.html": b"new"}


def test_discard_leaves_the_previous_site_byte_identical(tmp_path: Path):
    site = _folder(tmp_path / "site", **{"index.html": "old"})
    before = tree_hash(site)
    staging = Staging.beside(site)
    _folder(staging.fresh, **{"index.html": "half"})
    staging.discard()
    assert tree_hash(site) == before
    assert _ours(tmp_path) == []


def test_a_symlinked_site_stays_a_link_to_the_new_build(tmp_path: Path):
    real = _folder(tmp_path / "real", **{"index.html": "old"})
    (tmp_path / "site").symlink_to(real)
    staging = Staging.beside(tmp_path / "site")
    _folder(staging.fresh, **{"index.html": "new"})
    staging.publish()
    assert (tmp_path / "site").is_symlink()
    assert (tmp_path / "site" / "index.html").read_text() == "new"


def test_a_file_where_the_site_should_be_is_refused(tmp_path: Path):
    (tmp_path / "site").write_text("not a folder")
    with pytest.raises(OutputError, match=r"cannot write .*site: it is a file, not a folder$"):
        Staging.beside(tmp_path / "site")


def test_leftovers_of_killed_runs_are_removed_and_running_ones_kept(tmp_path: Path):
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    dead_pid = int(dead.stdout)
    _folder(tmp_path / f".site.building-{dead_pid}", **{"index.html": "half"})
    _folder(tmp_path / f".site.building-{os.getppid()}", **{"index.html": "someone else's build"})
    _folder(tmp_path / f".other.building-{dead_pid}", **{"index.html": "another site's"})
    _folder(tmp_path / "site", **{"index.html": "old"})
    output.remove_leftovers(tmp_path / "site")
    assert _ours(tmp_path) == sorted([f".site.building-{os.getppid()}", f".other.building-{dead_pid}"])


def test_a_site_set_aside_by_a_killed_swap_is_put_back(tmp_path: Path):
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    _folder(tmp_path / f".site.replaced-{int(dead.stdout)}", **{"index.html": "the last good site"})
    output.remove_leftovers(tmp_path / "site")
    assert _files(tmp_path / "site") == {"index.html": b"the last good site"}
    assert _ours(tmp_path) == []


# Writing files, directly.

def test_write_files_replaces_none_when_one_cannot_be_written(tmp_path: Path):
    (tmp_path / "a.html").write_text("old a")
    (tmp_path / "blocker").write_text("a file, not a folder")
    with pytest.raises(OutputError) as caught:
        write_files([(tmp_path / "a.html", b"new a"), (tmp_path / "blocker" / "b.txt", b"new b")])
    assert str(caught.value) == f"cannot write {tmp_path / 'blocker' / 'b.txt'}: Not a directory"
    assert _files(tmp_path) == {"a.html": b"old a", "blocker": b"a file, not a folder"}


def test_write_files_keeps_the_mode_a_plain_write_would_give(tmp_path: Path):
    (tmp_path / "kept").write_text("old")
    (tmp_path / "kept").chmod(0o640)
    umask = os.umask(0o022)
    try:
        write_files([(tmp_path / "new", b"x"), (tmp_path / "kept", b"y")])
    finally:
        os.umask(umask)
    assert (tmp_path / "new").stat().st_mode & 0o777 == 0o644
    assert (tmp_path / "kept").stat().st_mode & 0o777 == 0o640


def test_write_new_file_never_overwrites(tmp_path: Path):
    (tmp_path / "story.yml").write_text("mine")
    with pytest.raises(OutputError, match="File exists$"):
        write_new_file(tmp_path / "story.yml", b"theirs")
    assert _files(tmp_path) == {"story.yml": b"mine"}


# A real build that fails or is killed part-way.

def _project(tmp_path: Path, audience: str, stories: int = 0, story: str = GRANTED) -> Path:
    """The minimal fixture, readable by either audience, with `stories` more posts."""
    project = tmp_path / "project"
    shutil.copytree(FIXTURE, project)
    config = project / "mkdocs.yml"
    config.write_text(config.read_text().replace(
        "  - playbook\n", "  - playbook:\n      audience: !ENV [PLAYBOOK_AUDIENCE, internal]\n"))
    program, roles = project / "playbook" / "program.yml", project / "playbook" / "roles.yml"
    program.write_text(program.read_text() + "audience: external\n")
    roles.write_text(roles.read_text().replace("  - id: ", "  - audience: external\n    id: "))
    # Quinn is shown by role on the intranet; the external site needs everyone's consent.
    text = (project / STORY).read_text().replace(GRANTED, story)
    text = text.replace("  - role: a senior leader in finance\n    consent: {granted: false, date: 2025-12-01}",
                        "  - name: Quinn Hidden\n    role: a senior leader in finance\n    " + GRANTED)
    text += "audience: external\n"
    (project / STORY).write_text(text)
    for i in range(stories):
        (project / f"playbook/stories/2026-02-01-pair-{i}.yml").write_text(text.replace("The first pair", f"Pair {i}"))
    return project


def _previous_site(project: Path, audience: str) -> Path:
    return _folder(project / SITE_DIRS[audience], **{"index.html": "the last good build", "stale.html": "old"})


def _build_command(audience: str, *extra: str) -> list[str]:
    return [sys.executable, "-m", "mkdocs", "build", "--site-dir", SITE_DIRS[audience], *extra]


def _env(audience: str) -> dict[str, str]:
    return {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PLAYBOOK_AUDIENCE": audience}


def _build(project: Path, audience: str, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(_build_command(audience, *extra), cwd=project, env=_env(audience), capture_output=True,
                          text=True, timeout=300)


@pytest.mark.site
@pytest.mark.parametrize("audience", ["internal", "external"])
def test_a_strict_build_that_fails_on_a_warning_leaves_the_site_byte_identical(tmp_path: Path, audience: str):
    project = _project(tmp_path, audience, story=EXPIRED)
    site = _previous_site(project, audience)
    before = tree_hash(site)
    result = _build(project, audience, "--strict")
    assert tree_hash(site) == before
    assert _ours(project) == []
    assert result.returncode == 1
    assert "consent of Dana Named expired on 2026-01-01" in result.stderr
    assert f"The build failed in strict mode; {site} is left as it was" in result.stderr
    assert "Aborted with 1 warnings in strict mode!" in result.stdout


@pytest.mark.site
@pytest.mark.parametrize("audience", ["internal", "external"])
def test_a_build_killed_part_way_leaves_the_site_and_the_next_build_cleans_up(tmp_path: Path, audience: str):
    project = _project(tmp_path, audience, stories=STORIES_TO_KILL)
    site = _previous_site(project, audience)
    before = tree_hash(site)
    build = subprocess.Popen(_build_command(audience, "--strict"), cwd=project, env=_env(audience),
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    fresh = project / f".{site.name}.building-{build.pid}"
    deadline = time.monotonic() + 120
    while build.poll() is None and time.monotonic() < deadline and len(_files(fresh) if fresh.is_dir() else {}) < 20:
        time.sleep(0.02)
    build.send_signal(signal.SIGKILL)
    assert build.wait() == -signal.SIGKILL, "the build finished before it could be killed part-way"
    assert fresh.is_dir() and _files(fresh), "the build was killed before it wrote anything"
    assert tree_hash(site) == before

    again = _build(project, audience, "--strict")
    assert again.returncode == 0, again.stderr
    assert not (site / "stale.html").exists()
    assert (site / "index.html").read_text() != "the last good build"
    assert (site / "search" / "search_index.json").is_file()
    assert _ours(project) == []


@pytest.mark.site
def test_a_build_with_warnings_but_without_strict_replaces_the_site(tmp_path: Path):
    project = _project(tmp_path, "internal", story=EXPIRED)
    site = _previous_site(project, "internal")
    result = _build(project, "internal")
    assert result.returncode == 0, result.stderr
    assert "consent of Dana Named expired on 2026-01-01" in result.stderr
    assert not (site / "stale.html").exists()
    assert "Test Program" in (site / "index.html").read_text()
    assert _ours(project) == []


# The CLI on a blocked path, a full disk and a read-only file system: one line, exit 1, nothing half-written.

NEW_STORY = f"playbook/stories/{dt.date.today().isoformat()}-a-title.yml"
COMMANDS = {
    "render": (["render", "--out", "{out}"], "{out}/index.md"),
    "digest": (["digest", "--since", "2026-01-01", "--out", "{out}/digest.html"], "{out}/digest.html"),
    "schema": (["schema", "--out", "{out}"], "{out}/program.schema.json"),
    "init": (["init", "{out}"], "{out}"),
    "new story": (["new", "story", "A title"], NEW_STORY),
}
FAILURES = {
    "blocked": "Not a directory",
    "full-disk": "File too large",
    "read-only": "Read-only file system",
}


def _limit_file_size() -> None:
    # Python ignores SIGXFSZ, so a write past the limit raises OSError EFBIG, as a full disk raises ENOSPC.
    resource.setrlimit(resource.RLIMIT_FSIZE, (64, 64))


def _cli(project: Path, failure: str, args: list[str]) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "generator.cli", *args]
    if failure == "read-only":
        # A private mount namespace: the project is read-only for this one process, and for no one else.
        script = 'mount --bind "$0" "$0" && mount -o remount,bind,ro "$0" && cd "$0" && exec "$@"'
        command = ["unshare", "--mount", "--propagation", "private", "sh", "-c", script, str(project), *command]
    return subprocess.run(command, cwd=project, capture_output=True, text=True, timeout=60,
                          preexec_fn=_limit_file_size if failure == "full-disk" else None,
                          env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"})


@pytest.mark.parametrize("failure", sorted(FAILURES))
@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_the_cli_reports_a_failed_write_in_one_line_and_leaves_nothing_half_written(
        tmp_path: Path, command: str, failure: str):
    if failure == "read-only" and (os.geteuid() != 0 or not shutil.which("unshare")):
        pytest.skip("a read-only mount needs root and unshare")
    project = _project(tmp_path, "internal")
    out = "out"
    if failure == "blocked":
        (project / "blocker").write_text("a file, not a folder")
        out = "blocker/out"
        if command == "new story":
            shutil.rmtree(project / "playbook" / "stories")
            (project / "playbook" / "stories").write_text("a file, not a folder")
    before = _files(project)
    args, path = COMMANDS[command]
    result = _cli(project, failure, [arg.format(out=out) for arg in args])
    assert result.stderr == f"Error: cannot write {path.format(out=out)}: {FAILURES[failure]}\n"
    assert result.returncode == 1
    assert result.stdout == ""
    assert _files(project) == before
    assert not [p for p in project.rglob(".*") if p.name != ".gitkeep"]


def test_any_other_file_system_error_is_one_line_too(tmp_path: Path, monkeypatch):
    from click.testing import CliRunner

    from generator import cli

    def refuse(*args: object) -> None:
        raise PermissionError(13, "Permission denied", "schemas/.lock")

    monkeypatch.setattr(cli, "write_changed", refuse)
    result = CliRunner().invoke(cli.main, ["schema", "--out", str(tmp_path)])
    assert result.exit_code == 1
    assert result.output == "Error: schemas/.lock: Permission denied\n"

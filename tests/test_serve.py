"""The live preview: what `make serve` watches, shows and rebuilds."""

from __future__ import annotations

import html
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from mkdocs.config import load_config

from .sitebuild import FIXTURE, REPO

DRAFT = """title: A post still being written
date: 2026-02-01
summary: Not ready yet.
body: Work in progress.
status: draft
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    shutil.copytree(FIXTURE, tmp_path / "project")
    (tmp_path / "project" / "templates").mkdir()
    (tmp_path / "project" / "playbook" / "stories" / "2026-02-01-unfinished.yml").write_text(DRAFT)
    return tmp_path / "project"


def test_serve_watches_the_content_and_the_templates(project: Path):
    config = load_config(str(project / "mkdocs.yml"))
    config.plugins.on_startup(command="serve", dirty=False)
    config = config.plugins.on_config(config)
    assert str(project / "playbook") in config.watch
    assert str(project / "templates") in config.watch


def test_the_sample_site_watches_its_own_folders():
    config = load_config(str(REPO / "mkdocs.yml"))
    config.plugins.on_startup(command="serve", dirty=False)
    config = config.plugins.on_config(config)
    assert {str(REPO / "playbook"), str(REPO / "templates")} <= set(config.watch)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None


def _wait_for(url: str, needle: str, seconds: float = 60, *, gone: str | None = None) -> str:
    """The page once it holds `needle` (and no longer holds `gone`)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        body = _fetch(url)
        if body is not None and needle in body and not (gone and gone in body):
            return body
        time.sleep(0.3)
    raise AssertionError(f"{needle!r} did not appear at {url} within {seconds} s; last body: {body!r:.300}")


def _serve(project: Path, port: int) -> tuple[subprocess.Popen[str], list[str]]:
    """`mkdocs serve --dirty` with its output read as it comes, so a full pipe never stalls it."""
    process = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "--dirty", "--dev-addr", f"127.0.0.1:{port}"],  # as `make serve`
        cwd=project, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    lines: list[str] = []
    threading.Thread(target=_read_lines, args=(process, lines), daemon=True).start()
    return process, lines


def _read_lines(process: subprocess.Popen[str], lines: list[str]) -> None:
    for line in process.stdout or ():
        lines.append(line)


def _serving(process: subprocess.Popen[str], lines: list[str], seconds: float = 60) -> bool:
    """Whether the server came up; False if it exited, as when its port was taken."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and process.poll() is None:
        if any("Serving on" in line for line in lines):
            return True
        time.sleep(0.1)
    return False


@pytest.fixture
def server(project: Path):
    """mkdocs binds its port only after the first build, seconds after _free_port() saw it free; in that
    time another xdist worker or any process may take it. Then the server exits, and it starts on another."""
    for _ in range(5):
        port = _free_port()
        process, lines = _serve(project, port)
        if _serving(process, lines):
            break
        process.kill()
        process.wait(timeout=20)
        assert "Address already in use" in "".join(lines), "".join(lines)
    else:
        raise AssertionError("mkdocs serve found no free port in 5 tries")
    try:
        yield f"http://127.0.0.1:{port}/playbook/"  # the fixture's site_url has this path
    finally:
        process.terminate()
        process.wait(timeout=20)


@pytest.mark.site
def test_preview_shows_drafts_with_a_banner(server: str):
    body = _wait_for(server + "stories/2026-02-01-unfinished/", "A post still being written")
    assert "Draft" in body and "admonition warning" in body


@pytest.mark.site
def test_editing_yaml_or_a_template_rebuilds_without_restart(server: str, project: Path):
    _wait_for(server + "roles/mentor/", "Reverse mentor")
    roles = project / "playbook" / "roles.yml"
    roles.write_text(roles.read_text().replace("title: Reverse mentor", "title: Digital guide"))
    _wait_for(server + "roles/mentor/", "Digital guide")
    (project / "templates" / "faq.md.j2").write_text("# Questions\n")
    (project / "templates" / "role.md.j2").write_text("# {{ role.title | text }}\n\nOverridden by the site.\n")
    _wait_for(server + "roles/mentor/", "Overridden by the site.")


@pytest.mark.site
def test_a_broken_edit_shows_the_problem_on_the_page_you_were_on_and_recovers(server: str, project: Path):
    page = server + "roles/mentor/"
    _wait_for(page, "Reverse mentor")
    rules = project / "playbook" / "rules.yml"
    good = rules.read_text()
    rules.write_text(good.replace("level: must", "level: shall"))
    body = _wait_for(page, "The playbook has problems")  # at the same address, not "404 - Not found"
    # Problems are shown as the terminal shows them: their quoted values are plain text, never markup.
    assert "`shall` is not allowed; use 'must' or 'should'" in html.unescape(body)
    assert "livereload" in body  # so the page reloads by itself once the problem is fixed
    assert "The playbook has problems" in (_fetch(server) or "")
    assert _fetch(server + "assets/playbook.css") is not None  # the page's styles still load
    rules.write_text(good)
    _wait_for(page, "Reverse mentor", gone="The playbook has problems")


def _snapshot(root: Path) -> dict[str, bytes]:
    """Every source file's content; the build output in site/ is the one place a build may write."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and "site" not in p.relative_to(root).parts}


@pytest.mark.site
def test_a_build_never_writes_to_the_source_tree(project: Path):
    before = _snapshot(project)
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=project, capture_output=True,
                            text=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    assert result.returncode == 0, result.stderr
    assert (project / "site" / "index.html").is_file()
    assert _snapshot(project) == before


@pytest.mark.site
def test_a_serve_rebuild_never_writes_to_the_source_tree(server: str, project: Path):
    _wait_for(server + "roles/mentor/", "Reverse mentor")
    roles = project / "playbook" / "roles.yml"
    roles.write_text(roles.read_text().replace("title: Reverse mentor", "title: Digital guide"))
    before = _snapshot(project)
    _wait_for(server + "roles/mentor/", "Digital guide")
    time.sleep(1)
    assert _snapshot(project) == before

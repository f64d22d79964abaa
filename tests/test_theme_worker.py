"""A full build renders part of its pages through the theme in a second process (generator/theme_worker.py):
the same site, every message logged once and counted by --strict, and a failure there fails the build."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator import parallel, theme_worker

from .sitebuild import FIXTURE, REPO, mkdocs_build, tree_hash

pytestmark = [pytest.mark.site,
              pytest.mark.skipif(not parallel.can_fork(), reason="needs two cores and fork")]

# MkDocs run as `mkdocs build`, with every page left to MkDocs' own loop.
ALONE = "import sys; import generator.theme_worker as w; w.SPLIT_FROM = 10**9; from mkdocs.__main__ import cli; cli()"

# A hook that runs in both processes: it notes, for every page it finishes, which process rendered it.
HOOKS = '''
import logging, os
log = logging.getLogger("mkdocs.hooks")
BUILD = os.getpid()

def on_post_page(output, page, config):
    log.warning("finished %s in the %s", page.file.src_uri, "build" if os.getpid() == BUILD else "worker")
    return output
'''


def test_the_sample_site_is_the_one_mkdocs_builds_alone(sample_site: Path, tmp_path: Path):
    pages = [path for path in sample_site.rglob("index.html")]
    assert len(pages) >= theme_worker.SPLIT_FROM, "the sample is large enough for the worker"
    alone = subprocess.run([sys.executable, "-c", ALONE, "build", "--strict", "-q", "-f", str(REPO / "mkdocs.yml"),
                            "-d", str(tmp_path / "alone")], capture_output=True, text=True, cwd=REPO,
                           env={"NO_MKDOCS_2_WARNING": "1", "PATH": "/usr/bin:/bin"}, timeout=300)
    assert alone.returncode == 0, alone.stderr
    assert tree_hash(tmp_path / "alone") == tree_hash(sample_site)


def _project(tmp_path: Path, hooks: str) -> Path:
    """The minimal fixture with enough stories for the worker, and `hooks` as MkDocs hooks."""
    project = tmp_path / "project"
    shutil.copytree(FIXTURE, project)
    stories = project / "playbook" / "stories"
    story = (stories / "2026-01-05-first-pair.yml").read_text()
    for day in range(1, theme_worker.SPLIT_FROM + 1):
        date = dt.date(2025, 1, 1) + dt.timedelta(days=day)
        (stories / f"{date}-pair-{day}.yml").write_text(story.replace("2026-01-05", str(date)))
    (project / "hooks.py").write_text(hooks)
    config = project / "mkdocs.yml"
    config.write_text(config.read_text() + "hooks:\n  - hooks.py\n")
    return project


def test_what_the_worker_logs_is_logged_once_and_fails_a_strict_build(tmp_path: Path):
    project, site = _project(tmp_path, HOOKS), tmp_path / "site"
    # Built once without --strict, then strictly: the failed build leaves the first one as it was.
    first = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-f", str(project / "mkdocs.yml"), "-d",
                            str(site)], capture_output=True, text=True, cwd=project,
                           env={"NO_MKDOCS_2_WARNING": "1", "PATH": "/usr/bin:/bin"}, timeout=300)
    assert first.returncode == 0, first.stderr
    before = tree_hash(site)
    build = mkdocs_build(project / "mkdocs.yml", site)
    finished = re.findall(r"WARNING +- +finished (\S+) in the (build|worker)\n", build.stderr)
    pages = [page for page, _ in finished]
    assert len(pages) == len(set(pages)) > theme_worker.SPLIT_FROM, "every page once"
    worker = [page for page, where in finished if where == "worker"]
    assert len(worker) == len(pages) * theme_worker.SHARE // 1, "the worker renders its share, this process the rest"
    assert f"Aborted with {len(finished)} warnings in strict mode!" in build.stdout + build.stderr
    assert build.returncode == 1 and tree_hash(site) == before


def test_a_page_that_fails_in_the_worker_fails_the_build_in_one_line(tmp_path: Path):
    project = _project(tmp_path, HOOKS.replace(
        'log.warning("finished %s in the %s", page.file.src_uri, "build" if os.getpid() == BUILD else "worker")',
        'if os.getpid() != BUILD and output:\n        raise PluginError("no room left for " + page.file.src_uri)'
    ).replace("import logging, os", "import logging, os\nfrom mkdocs.exceptions import PluginError"))
    site = tmp_path / "site"
    build = mkdocs_build(project / "mkdocs.yml", site)
    assert build.returncode == 1
    assert "Traceback" not in build.stderr
    failed = re.findall(r"ERROR +- +Error building page '(\S+)':", build.stderr)
    assert len(failed) == 1, build.stderr
    # As MkDocs' own loop reports a plugin's error: the page, then the error.
    assert build.stderr.endswith(f"ERROR   -  Error building page '{failed[0]}':\n"
                                 f"ERROR   -  no room left for {failed[0]}\n")
    assert not site.exists(), "a first build that fails publishes nothing"
    assert not list(tmp_path.glob(".site.building-*")), "and leaves no half-built folder"


def test_a_worker_that_is_killed_fails_the_build_and_publishes_nothing(tmp_path: Path):
    project = _project(tmp_path, HOOKS.replace(
        'log.warning("finished %s in the %s", page.file.src_uri, "build" if os.getpid() == BUILD else "worker")',
        'if os.getpid() != BUILD:\n        os.kill(os.getpid(), 9)'))
    site = tmp_path / "site"
    build = mkdocs_build(project / "mkdocs.yml", site)
    assert build.returncode == 1
    assert "Traceback" not in build.stderr
    assert build.stderr.endswith("ERROR   -  The build's second process ended before it was done (the worker "
                                 "rendering pages stopped before it was done); nothing was published\n")
    assert not site.exists() and not list(tmp_path.glob(".site.building-*"))

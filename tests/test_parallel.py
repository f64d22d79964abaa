"""Work on a second core gives what one process gives, and a failure there fails the build."""

from __future__ import annotations

import datetime as dt
import gc
import multiprocessing
import os
import shutil
import stat
import time

import pytest

from generator import pages, parallel, sanitize
from generator.errors import InternalError, PlaybookError
from generator.loader import yaml_files
from generator.outputs import Options
from generator.publish import build_playbook
from generator.render import make_environment, template_cache
from generator.sanitize import Sanitizer, sanitize_html
from generator.validate import load_playbook

from .sitebuild import REPO

TODAY = dt.date(2026, 11, 22)
needs_fork = pytest.mark.skipif(not parallel.can_fork(), reason="needs two cores and fork")


@pytest.fixture(scope="module")
def sample():
    playbook, _ = load_playbook(REPO / "playbook", REPO, TODAY)
    return playbook


def _pages(playbook, processes: int) -> list[tuple[str, str]]:
    options = Options(today=TODAY, site_url="https://example.com/", processes=processes)
    return [(page.path, page.markdown) for page in pages.render_pages(playbook, options)]


@needs_fork
def test_pages_rendered_by_two_processes_are_those_of_one(sample, monkeypatch):
    monkeypatch.setattr(parallel, "PARALLEL_FROM", 2)
    calls = []
    real = parallel.forked_worker
    monkeypatch.setattr(parallel, "forked_worker", lambda *args: calls.append(args) or real(*args))
    assert _pages(sample, 2) == _pages(sample, 1)
    assert len(calls) == 1, "the worker really rendered half the pages"


@needs_fork
def test_a_template_that_fails_in_the_worker_fails_the_build(sample, monkeypatch, tmp_path):
    monkeypatch.setattr(parallel, "PARALLEL_FROM", 2)
    (tmp_path / "rule.md.j2").write_text("{{ rule.no_such_field }}\n")
    options = Options(today=TODAY, templates=tmp_path, processes=2)
    with pytest.raises(InternalError, match="no_such_field"):
        list(pages.render_pages(sample, options))


@needs_fork
def test_pages_streamed_by_a_worker_are_those_of_one_process(sample, monkeypatch):
    monkeypatch.setattr(parallel, "PARALLEL_FROM", 2)
    options = Options(today=TODAY, site_url="https://example.com/", processes=2, stream_pages=True)
    streamed = list(pages.render_pages(sample, options))
    assert not any(isinstance(page.body, str) for page in streamed), "every page was left to the worker"
    assert [(page.path, page.markdown) for page in streamed] == _pages(sample, 1)
    assert parallel._streams == set(), "the worker is gone once every page is read"


@needs_fork
def test_a_template_that_fails_in_the_streaming_worker_fails_the_page_that_reads_it(sample, monkeypatch, tmp_path):
    monkeypatch.setattr(parallel, "PARALLEL_FROM", 2)
    (tmp_path / "rule.md.j2").write_text("{{ rule.no_such_field }}\n")
    options = Options(today=TODAY, templates=tmp_path, processes=2, stream_pages=True)
    streamed = list(pages.render_pages(sample, options))
    with pytest.raises(InternalError, match="template rule.md.j2:1: .* has no attribute 'no_such_field'"):
        [page.markdown for page in streamed]


def _slow(item: int) -> int:
    time.sleep(0.05)
    return item * 2


@needs_fork
def test_a_failed_build_stops_the_streaming_worker():
    results = parallel.streamed(_slow, list(range(400)))
    assert results[0].result() == 0 and results[16].result() == 32
    assert len(multiprocessing.active_children()) == 1
    parallel.stop_streams()
    assert multiprocessing.active_children() == [] and parallel._streams == set()


@needs_fork
def test_a_streaming_worker_that_dies_fails_the_build_instead_of_waiting_for_ever():
    results = parallel.streamed(_die, ["a", "b"])
    with pytest.raises(RuntimeError, match="the worker rendering pages stopped before it was done"):
        results[1].result()
    assert parallel._streams == set()


def test_the_collector_runs_again_after_a_build_that_fails(tmp_path):
    (tmp_path / "playbook").mkdir()
    (tmp_path / "playbook" / "rules.yml").write_text("rules: 3\n")
    with pytest.raises(PlaybookError):
        build_playbook(tmp_path / "playbook", tmp_path, Options(today=TODAY))
    assert gc.isenabled()
    build_playbook(REPO / "playbook", REPO, Options(today=TODAY))
    assert gc.isenabled()


def _checked(project, processes: int):
    """The playbook, or every problem's text, as load_playbook finds it with `processes`."""
    try:
        playbook, warnings = load_playbook(project / "playbook", project, TODAY, processes=processes)
    except PlaybookError as error:
        return [str(problem) for problem in error.problems]
    return playbook, [str(warning) for warning in warnings]


@needs_fork
def test_files_checked_by_two_processes_give_the_playbook_and_problems_of_one(monkeypatch, tmp_path):
    monkeypatch.setattr(parallel, "PARALLEL_FROM", 2)
    shutil.copytree(REPO / "playbook", tmp_path / "playbook")
    calls = []
    real = parallel.forked_worker
    monkeypatch.setattr(parallel, "forked_worker", lambda *args: calls.append(args) or real(*args))
    good = _checked(tmp_path, 2)
    assert good == _checked(tmp_path, 1) and good[0].stories, "every story came back from the worker"
    stories = [path for path in yaml_files(tmp_path / "playbook") if path.parent.name == "stories"]
    for story in stories[:2]:  # neighbours in the order files are checked: one for each process
        story.write_text(story.read_text().replace("title:", "titel:", 1))
    problems = _checked(tmp_path, 2)
    assert problems == _checked(tmp_path, 1)
    assert len([p for p in problems if "`titel`" in p and p.startswith("playbook/stories/")]) == 2, problems
    assert len(calls) == 2, "the worker really checked half the files"


HOSTILE = ['<p onclick="x()">a</p><script>alert(1)</script>', '<img src="https://evil.example/p.png"><h2 id="__config">t</h2>',
           '<div class="mermaid md-typeset admonition">m</div>', "<p>plain</p>"]


def test_the_sanitizer_cleans_every_page_in_order_whichever_process_runs_it(monkeypatch):
    for fork in (True, False):
        monkeypatch.setattr(parallel, "can_fork", lambda fork=fork: fork)
        monkeypatch.setattr(Sanitizer, "BATCH", 3)
        sanitizer = Sanitizer()
        pages_in = {f"p{i}.md": HOSTILE[i % len(HOSTILE)] for i in range(10)}
        for key, html in pages_in.items():
            sanitizer.add(key, html)
        assert sanitizer.results() == {key: sanitize_html(html) for key, html in pages_in.items()}
    assert sanitize_html(HOSTILE[0]) == "<p>a</p>"


def _die(batch: list[str]) -> list[str]:
    os._exit(3)


@needs_fork
def test_a_sanitizer_worker_that_dies_fails_the_build_instead_of_keeping_dirty_html(monkeypatch):
    monkeypatch.setattr(sanitize, "sanitize_all", _die)
    sanitizer = Sanitizer()
    sanitizer.add("a.md", HOSTILE[0])
    with pytest.raises(Exception, match="terminated abruptly"):
        sanitizer.results()


def test_compiled_templates_are_kept_between_builds(monkeypatch, tmp_path):
    monkeypatch.setenv("PLAYBOOK_CACHE_DIR", str(tmp_path / "cache"))
    make_environment().get_template("rule.md.j2")
    folder = tmp_path / "cache" / "templates"
    assert len(list(folder.iterdir())) >= 1
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    compiled = []
    environment = make_environment()
    real = type(environment).compile
    monkeypatch.setattr(type(environment), "compile", lambda self, *a, **k: compiled.append(a) or real(self, *a, **k))
    environment.get_template("rule.md.j2")
    assert compiled == [], "the second build loaded the compiled template"


def _override(monkeypatch, tmp_path, text: str):
    """A template folder whose rule.md.j2 says `text`, with the cache in tmp_path/cache."""
    monkeypatch.setenv("PLAYBOOK_CACHE_DIR", str(tmp_path / "cache"))
    override = tmp_path / "templates"
    override.mkdir()
    (override / "rule.md.j2").write_text(text)
    return override


def test_an_edited_template_is_compiled_afresh(monkeypatch, tmp_path):
    override = _override(monkeypatch, tmp_path, "first\n")
    assert make_environment(override).get_template("rule.md.j2").render() == "first\n"
    (override / "rule.md.j2").write_text("second\n")
    assert make_environment(override).get_template("rule.md.j2").render() == "second\n"


def test_no_cache_in_a_folder_others_can_write(monkeypatch, tmp_path):
    monkeypatch.setenv("PLAYBOOK_CACHE_DIR", str(tmp_path))
    (tmp_path / "templates").mkdir(mode=0o777)
    os.chmod(tmp_path / "templates", 0o777)
    assert template_cache() is None
    blocked = tmp_path / "file"
    blocked.write_text("")
    monkeypatch.setenv("PLAYBOOK_CACHE_DIR", str(blocked))
    assert template_cache() is None, "a cache that cannot be made is no cache, not an error"
    assert make_environment().get_template("rule.md.j2") is not None


def test_a_damaged_cache_entry_is_compiled_again(monkeypatch, tmp_path):
    override = _override(monkeypatch, tmp_path, "{{ 6 * 7 }} {% for x in 'ab' %}{{ x }}{% endfor %}\n")
    assert make_environment(override).get_template("rule.md.j2").render() == "42 ab"
    entries = list((tmp_path / "cache" / "templates").iterdir())
    for entry in entries:
        entry.write_bytes(entry.read_bytes()[:40])
    assert make_environment(override).get_template("rule.md.j2").render() == "42 ab"
    assert all(entry.stat().st_size > 40 for entry in entries), "the damaged entries were written anew"

"""The live preview's memory: a build after a save redoes only what the save reaches, and makes the same site."""

from __future__ import annotations

import dataclasses
import datetime as dt
import shutil
from pathlib import Path

import pytest

from generator import urls
from generator.feeds import FeedMemo
from generator.outputs import Memo, Options
from generator.pages import PageMemo
from generator.publish import build_playbook
from generator.tracing import Recorder, Trace
from generator.validate import FileMemo, load_playbook

from .sitebuild import FIXTURE, REPO, STORY

TODAY = dt.date(2026, 11, 23)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    shutil.copytree(FIXTURE, tmp_path / "project")
    stories = tmp_path / "project" / "playbook" / "stories"
    for day in range(10, 14):
        (stories / f"2026-02-{day}-post-{day}.yml").write_text(
            f"title: Post {day}\ndate: 2026-02-{day}\nsummary: About day {day}.\nbody: Day {day}.\n"
            f"tags: [onboarding]\nroles: [mentor]\n")
    return tmp_path / "project"


def options(memo: Memo | None, templates: Path | None = None) -> Options:
    return Options(today=TODAY, site_url="https://example.com/", templates=templates, memo=memo)


def build(project: Path, memo: Memo | None):
    return build_playbook(project / "playbook", project, options(memo))


def test_a_second_build_renders_nothing_again_and_makes_the_same_site():
    memo = Memo()
    first = build_playbook(REPO / "playbook", REPO, options(memo, REPO / "templates"))
    assert len(memo.part(PageMemo).rendered) == len(first.site.pages)
    again = build_playbook(REPO / "playbook", REPO, options(memo, REPO / "templates"))
    assert memo.part(PageMemo).rendered == []
    assert again.site == build_playbook(REPO / "playbook", REPO, options(None, REPO / "templates")).site


def test_a_story_edit_renders_its_page_and_the_lists_that_hold_it_and_nothing_else(project: Path):
    memo = Memo()
    build(project, memo)
    story = project / "playbook" / "stories" / "2026-02-11-post-11.yml"
    story.write_text(story.read_text().replace("body: Day 11.", "body: Day eleven, edited."))
    site = build(project, memo).site
    rendered = set(memo.part(PageMemo).rendered)
    assert "stories/2026-02-11-post-11.md" in rendered
    assert "stories/index.md" in rendered  # the hub lists it
    assert not rendered & {"rules.md", "roles/index.md", "roles/leader.md", "program.md"}
    assert "Day eleven, edited." in next(p.markdown for p in site.pages if p.path == "stories/2026-02-11-post-11.md")
    assert site == build(project, None).site


def test_a_role_title_edit_renders_every_page_that_asked_for_it(project: Path):
    memo = Memo()
    build(project, memo)
    roles = project / "playbook" / "roles.yml"
    roles.write_text(roles.read_text().replace("title: Reverse mentor", "title: Digital guide"))
    site = build(project, memo).site
    rendered = set(memo.part(PageMemo).rendered)
    # Story pages name their roles through q.role_title: its answer changed, so they are rendered again.
    assert {"stories/2026-02-11-post-11.md", "roles/mentor.md", "roles/index.md"} <= rendered
    assert site == build(project, None).site


def test_an_unchanged_file_is_not_read_again(project: Path):
    memo = FileMemo()
    first, _ = load_playbook(project / "playbook", project, TODAY, memo)
    (project / STORY).write_text((project / STORY).read_text().replace("They met", "They finally met"))
    second, _ = load_playbook(project / "playbook", project, TODAY, memo)
    kept = {story.slug for story in second.stories if any(story is old for old in first.stories)}
    assert kept == {story.slug for story in first.stories} - {"2026-01-05-first-pair"}
    assert second.roles[0] is first.roles[0]


def test_a_feed_is_made_again_only_when_its_newest_posts_changed(project: Path):
    memo = Memo()
    build(project, memo)
    feeds = dict(memo.part(FeedMemo).feeds)
    build(project, memo)
    assert all(memo.part(FeedMemo).feeds[key][1] is feed for key, (_, feed) in feeds.items())
    story = project / "playbook" / "stories" / "2026-02-11-post-11.yml"
    story.write_text(story.read_text().replace("summary: About day 11.", "summary: About the eleventh."))
    site = build(project, memo).site
    assert b"About the eleventh." in next(a.content for a in site.assets if a.path == urls.feed("all", "atom"))
    assert site == build(project, None).site


def test_a_recorder_notes_reads_and_calls_and_a_trace_replays_them():
    @dataclasses.dataclass
    class Source:
        title: str
        numbers: tuple[int, ...]

        def double(self, value: int) -> int:
            return value * 2

    trace = Trace()
    seen, pages = Recorder(Source("One", (1, 2)), "source", trace), Recorder(frozenset({"a.md"}), "pages", trace)
    assert (seen.title, seen.double(4), "a.md" in pages, [p for p in pages]) == ("One", 8, True, ["a.md"])
    assert [step.name for step in trace.steps] == ["title", "double", "__contains__", "__iter__"]
    assert trace.holds({"source": Source("One", (3,)), "pages": frozenset({"a.md"})})
    assert not trace.holds({"source": Source("Two", (1, 2)), "pages": frozenset({"a.md"})})
    assert not trace.holds({"source": Source("One", (1, 2)), "pages": frozenset({"b.md"})})
    # A step that fails now is a change, not a crash.
    assert not trace.holds({"source": object(), "pages": frozenset({"a.md"})})

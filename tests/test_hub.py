"""The story hub: pagination, views by tag, role, year and kind, related posts, consent, digest, new posts."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from generator.cli import main
from generator.stories import PAGE_SIZE
from generator.urls import of as story_path
from generator.urls import page_url
from generator.validate import load_playbook

from .sitebuild import FIXTURE, REPO, mkdocs_build

POSTS = PAGE_SIZE * 2 + 3
KINDS = ("story", "update", "announcement")


def _post(number: int) -> dict:
    day = dt.date(2024, 1, 1) + dt.timedelta(days=40 * number)
    return {"title": f"Post number {number}", "date": day.isoformat(), "kind": KINDS[number % 3],
            "summary": f"Summary of post {number}.", "body": f"Body of post {number}.",
            "tags": ["even" if number % 2 == 0 else "odd", "shared"], "roles": ["mentor" if number % 2 else "leader"]}


@pytest.fixture(scope="module")
def hub(tmp_path_factory) -> tuple[Path, Path]:
    project = tmp_path_factory.mktemp("hub") / "project"
    shutil.copytree(FIXTURE, project)
    for number in range(POSTS):
        post = _post(number)
        (project / "playbook" / "stories" / f"{post['date']}-post-{number}.yml").write_text(yaml.safe_dump(post))
    result = mkdocs_build(project / "mkdocs.yml", project / "site")
    assert result.returncode == 0, result.stderr
    return project, project / "site"


def _titles(html: str) -> list[str]:
    return re.findall(r">(Post number \d+|The first pair)</a></strong>", html)


@pytest.mark.site
def test_the_index_is_paginated_newest_first(hub):
    project, site = hub
    playbook, _ = load_playbook(project / "playbook", project, dt.date.today())
    expected = [s.title for s in playbook.stories]
    pages = [site / "stories" / "index.html"] + [site / "stories" / f"index-page-{n}" / "index.html" for n in (2, 3)]
    shown = [title for path in pages for title in _titles(path.read_text())]
    assert shown == expected
    assert len(_titles(pages[0].read_text())) == PAGE_SIZE
    assert "Page 1 of 3" in pages[0].read_text() and "Older" in pages[0].read_text()
    assert not (site / "stories" / "index-page-4").exists()


@pytest.mark.site
@pytest.mark.parametrize("view, key, members", [
    ("tags", "even", lambda p: "even" in p["tags"]),
    ("roles", "mentor", lambda p: "mentor" in p["roles"]),
    ("years", "2025", lambda p: p["date"].startswith("2025")),
    ("kinds", "announcement", lambda p: p["kind"] == "announcement"),
])
def test_each_view_lists_exactly_its_posts(hub, view, key, members):
    _, site = hub
    expected = {f"Post number {n}" for n in range(POSTS) if members(_post(n))}
    shown = set()
    for path in sorted((site / "stories" / view).glob(f"{key}*/index.html")):
        shown |= set(_titles(path.read_text()))
    assert shown - {"The first pair"} == expected


@pytest.mark.site
def test_a_story_page_shows_related_posts_that_share_a_tag(hub):
    _, site = hub
    html = (site / page_url(story_path_of("post-4", _post(4)))).joinpath("index.html").read_text()
    related = html[html.index("Related stories"):]
    linked = re.findall(r">(Post number \d+)</a>", related)
    assert linked and all(int(t.split()[-1]) % 2 == 0 for t in linked[:2])


def story_path_of(slug_tail: str, post: dict) -> str:
    return f"stories/{post['date']}-{slug_tail}.md"


@pytest.mark.site
def test_home_page_shows_the_latest_posts(hub):
    project, site = hub
    playbook, _ = load_playbook(project / "playbook", project, dt.date.today())
    newest = sorted(playbook.stories, key=lambda s: s.date, reverse=True)[:5]
    assert _titles((site / "index.html").read_text()) == [s.title for s in newest]


@pytest.mark.site
def test_expired_consent_fails_a_strict_build(tmp_path: Path):
    shutil.copytree(FIXTURE, tmp_path / "project")
    story = tmp_path / "project" / "playbook" / "stories" / "2026-01-05-first-pair.yml"
    story.write_text(story.read_text().replace("consent: {granted: true, date: 2025-12-01}",
                                               "consent: {granted: true, date: 2025-12-01, expires: 2026-01-31}"))
    result = mkdocs_build(tmp_path / "project" / "mkdocs.yml", tmp_path / "site")
    assert result.returncode == 1
    assert ("WARNING -  generator: playbook/stories/2026-01-05-first-pair.yml:11:57: warning: "
            "people[1].consent.expires: consent of Dana Named expired on 2026-01-31; renew it, or set "
            "`granted: false` to show them by role only") in result.stderr


def test_validate_lists_who_is_shown_by_role_only(monkeypatch):
    monkeypatch.chdir(FIXTURE)
    result = CliRunner().invoke(main, ["validate"])
    assert result.exit_code == 0
    assert ("playbook/stories/2026-01-05-first-pair.yml:1:1: shown by role only: “a senior leader in finance”, "
            "who refused to be named") in result.output


def test_new_story_writes_a_commented_draft_and_never_overwrites(tmp_path: Path, monkeypatch):
    shutil.copytree(FIXTURE, tmp_path / "project")
    monkeypatch.chdir(tmp_path / "project")
    first = CliRunner().invoke(main, ["new", "story", "What the night shift taught us!"])
    assert first.exit_code == 0, first.output
    path = Path("playbook/stories") / f"{dt.date.today().isoformat()}-what-the-night-shift-taught-us.yml"
    text = path.read_text()
    assert 'title: "What the night shift taught us!"' in text and "status: draft" in text
    for field in ("date", "kind", "summary", "body", "tags", "roles", "people", "audience", "status"):
        assert re.search(rf"^# .+\n{field}:", text, re.M), f"{field} has no comment above it"
    assert "mentor, leader" in text
    check = CliRunner().invoke(main, ["validate"])
    assert check.exit_code == 0, check.output
    again = CliRunner().invoke(main, ["new", "story", "What the night shift taught us!"])
    assert again.exit_code == 1 and "already exists" in again.output
    assert path.read_text() == text


def test_digest_is_email_ready_and_opens_in_a_browser(tmp_path: Path, monkeypatch, browser, playbook):
    monkeypatch.chdir(REPO)
    out = tmp_path / "digest.html"
    result = CliRunner().invoke(main, ["digest", "--since", "2025-01-01", "--until", "2025-12-31", "--out", str(out),
                                       "--site-url", "https://playbook.intranet.example/"])
    assert result.exit_code == 0, result.output
    posts = [s for s in playbook.stories if s.status == "published" and s.date.year == 2025]
    html, text = out.read_text(), out.with_suffix(".txt").read_text()
    assert "<script" not in html and "<link" not in html and "<style" not in html
    page = browser.new_page()
    page.goto(out.as_uri())
    links = page.eval_on_selector_all("a", "nodes => nodes.map(n => n.href)")
    story_links = [f"https://playbook.intranet.example/{page_url(story_path(s))}" for s in posts]
    assert [link for link in links if "/stories/" in link] == story_links
    assert all(link.startswith(("https://playbook.intranet.example/", "mailto:")) for link in links)
    assert page.eval_on_selector_all("[style]", "nodes => nodes.length") > 10
    for post in posts:
        assert post.title in page.inner_text("body") and post.title in text
    page.close()

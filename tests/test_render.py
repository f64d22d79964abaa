"""Rendering: the Jinja environment, its filters, template overrides, and pages from models."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main
from generator.errors import InternalError
from generator.outputs import Options
from generator.render import cell, long_date, make_environment, markdown, render_template, text
from generator.site import build_site
from generator.urls import page_url
from generator.validate import load_playbook

from .sitebuild import FIXTURE, REPO, mkdocs_build, tree_hash

TODAY = dt.date(2026, 11, 22)


@pytest.fixture
def minimal():
    playbook, _ = load_playbook(FIXTURE / "playbook", FIXTURE, TODAY)
    return playbook


@pytest.mark.parametrize("given, shown", [
    ("R&D <b>bold</b>", "R&amp;D &lt;b&gt;bold&lt;/b&gt;"),
    ("# not a heading", "&#35; not a heading"),
    ("- not a list", "&#45; not a list"),
    ("1. not numbered", "1&#46; not numbered"),
    ("a\n  === b\n!!! c", "a\n  &#61;== b\n&#33;!! c"),
    ("{{ 7*7 }}", "&#123;&#123; 7&#42;7 &#125;&#125;"),
    ("see ![p](https://evil.example/p.png)", "see !&#91;p&#93;(https://evil.example/p.png)"),
    ("[x](https://evil.example/)", "&#91;x&#93;(https://evil.example/)"),
    ("x {: #__config }", "x &#123;: #&#95;&#95;config &#125;"),
    ('say "hi" `code` *em* \\', "say &quot;hi&quot; &#96;code&#96; &#42;em&#42; &#92;"),
    ("A. B-C (d) e.g. 3.5", "A. B-C (d) e.g. 3.5"),
])
def test_text_cannot_become_markup(given, shown):
    assert text(given) == shown


def test_cell_keeps_a_table_row_on_one_line():
    assert cell("a | b\nc") == "a &#124; b c"


def test_markdown_is_indented_to_sit_inside_a_block():
    assert markdown("First line\n\n- item\n", indent=4) == "First line\n\n    - item"


def test_long_date_is_unambiguous():
    assert long_date(dt.date(2025, 3, 4)) == "4 March 2025"


@pytest.mark.parametrize("path, url", [("index.md", ""), ("rules/index.md", "rules/"), ("rules/x.md", "rules/x/"),
                                       ("stories/index-page-2.md", "stories/index-page-2/")])
def test_page_urls_follow_mkdocs(path, url):
    assert page_url(path) == url


def test_every_page_kind_renders_from_the_minimal_playbook(minimal):
    site = build_site(minimal, Options(today=TODAY, site_url="https://example.com/"))
    paths = {page.path for page in site.pages}
    assert {"index.md", "program.md", "roles/index.md", "roles/mentor.md", "rules/meet-monthly.md",
            "stories/index.md", "stories/2026-01-05-first-pair.md", "stories/tags/onboarding.md"} <= paths
    assert not {"pitfalls.md", "faq.md", "calendar.md"} & paths, "pages with no records are left out"
    story = next(p for p in site.pages if p.path == "stories/2026-01-05-first-pair.md")
    assert story.markdown.startswith("# The first pair\n")
    assert "Dana Named, a senior leader in finance" in story.markdown
    assert "a senior leader in finance" in story.markdown, "who refused is shown by role"


def test_a_name_whose_consent_expired_is_shown_by_role_on_no_page(tmp_path: Path):
    shutil.copytree(FIXTURE, tmp_path / "project")
    story = tmp_path / "project" / "playbook" / "stories" / "2026-01-05-first-pair.yml"
    story.write_text(story.read_text().replace("consent: {granted: true, date: 2025-12-01}",
                                               "consent: {granted: true, date: 2025-12-01, expires: 2026-01-31}"))
    playbook, warnings = load_playbook(tmp_path / "project" / "playbook", tmp_path / "project", dt.date(2026, 11, 22))
    assert [w.field for w in warnings] == ["people[1].consent.expires"]
    pages = "".join(page.markdown for page in build_site(playbook, Options(today=dt.date(2026, 11, 22))).pages)
    assert "Dana Named" not in pages and "a reverse mentor" in pages


def test_a_site_template_overrides_the_built_in_one_by_name(minimal, tmp_path: Path):
    (tmp_path / "rule.md.j2").write_text("# {{ rule.title | text }}\n\nOur own layout.\n")
    site = build_site(minimal, Options(today=TODAY, templates=tmp_path))
    rule = next(p for p in site.pages if p.path == "rules/meet-monthly.md")
    assert rule.markdown == "# Meet every month\n\nOur own layout.\n"
    role = next(p for p in site.pages if p.path == "roles/mentor.md")
    assert "## Responsibilities" in role.markdown


def test_an_undefined_variable_in_a_template_is_our_bug_not_silence(tmp_path: Path):
    (tmp_path / "broken.md.j2").write_text("# {{ nothing_here }}\n")
    with pytest.raises(InternalError, match="broken.md.j2:1: 'nothing_here' is undefined"):
        render_template(make_environment(tmp_path), "broken.md.j2")


def test_overdue_review_is_flagged(minimal):
    late = minimal.rules[0].next_review + dt.timedelta(days=1)
    site = build_site(minimal, Options(today=late))
    rule = next(p for p in site.pages if p.path == "rules/meet-monthly.md")
    assert '!!! warning "Review overdue"' in rule.markdown


def test_external_digest_leaves_internal_posts_out(tmp_path: Path, monkeypatch, playbook):
    monkeypatch.chdir(REPO)
    out = tmp_path / "digest.html"
    result = CliRunner().invoke(main, ["digest", "--since", "2024-01-01", "--out", str(out), "--audience", "external",
                                       "--site-url", "https://careers.example.com/mentoring/"])
    assert result.exit_code == 0, result.output
    html = out.read_text()
    for story in playbook.stories:
        assert (story.title.replace("'", "&#39;") in html) == (story.audience == "external"
                                                                and story.status == "published"), story.title


def test_drafts_render_only_when_asked(tmp_path: Path):
    shutil.copytree(FIXTURE / "playbook", tmp_path / "playbook")
    story = tmp_path / "playbook" / "stories" / "2026-01-05-first-pair.yml"
    story.write_text(story.read_text() + "status: draft\n")
    playbook, _ = load_playbook(tmp_path / "playbook", tmp_path, TODAY)
    hidden = build_site(playbook, Options(today=TODAY))
    shown = build_site(playbook, Options(today=TODAY, drafts=True))
    assert not [p for p in hidden.pages if "first-pair" in p.path]
    draft = next(p for p in shown.pages if p.path == "stories/2026-01-05-first-pair.md")
    assert '!!! warning "Draft"' in draft.markdown


@pytest.mark.site
def test_a_broken_template_override_is_one_clear_line(tmp_path: Path, monkeypatch):
    shutil.copytree(FIXTURE, tmp_path / "project")
    (tmp_path / "project" / "templates").mkdir()
    (tmp_path / "project" / "templates" / "rule.md.j2").write_text("# {{ rule.titel }}\n")
    monkeypatch.chdir(tmp_path / "project")
    result = CliRunner().invoke(main, ["render", "--out", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert result.output == ("Error: a template failed, not the content: template rule.md.j2:1: "
                             "'generator.models.Rule object' has no attribute 'titel'\n")
    build = mkdocs_build(tmp_path / "project" / "mkdocs.yml", tmp_path / "site")
    assert build.returncode == 1
    assert "Traceback" not in build.stderr
    assert "A template failed, not the content: template rule.md.j2:1:" in build.stderr


@pytest.mark.site
def test_a_template_that_fails_while_mkdocs_converts_the_pages_leaves_the_site_as_it_was(tmp_path: Path):
    """From 200 pages on, a full build renders them beside MkDocs' own work (parallel.streamed), so a template
    fails only once MkDocs reads its page: the same one line, and the last good site stays."""
    shutil.copytree(FIXTURE, tmp_path / "project")
    stories = tmp_path / "project" / "playbook" / "stories"
    story = (stories / "2026-01-05-first-pair.yml").read_text()
    for day in range(1, 221):
        date = dt.date(2025, 1, 1) + dt.timedelta(days=day)
        (stories / f"{date}-pair-{day}.yml").write_text(story.replace("2026-01-05", str(date)))
    site = tmp_path / "site"
    assert mkdocs_build(tmp_path / "project" / "mkdocs.yml", site).returncode == 0
    before = tree_hash(site)
    (tmp_path / "project" / "templates").mkdir()
    (tmp_path / "project" / "templates" / "story.md.j2").write_text("# {{ story.titel }}\n")
    build = mkdocs_build(tmp_path / "project" / "mkdocs.yml", site)
    assert build.returncode == 1
    assert "Traceback" not in build.stderr
    assert ("A template failed, not the content: template story.md.j2:1: 'generator.models.Story object' "
            "has no attribute 'titel'") in build.stderr
    assert tree_hash(site) == before

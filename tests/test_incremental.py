"""The live preview rebuilds only what a save changed, and serves exactly what a clean build makes.

Hypothesis applies random sequences of edits (stories, roles, rules, templates, hand-written
pages, mkdocs.yml, a broken save and its fix) to a project served by `mkdocs serve --dirty`'s
own builder (tests/serve_driver.py), then compares every served file with a fresh
`mkdocs build` of the same sources.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .sitebuild import FIXTURE, REPO

pytestmark = pytest.mark.site

URL = "http://127.0.0.1:8000/playbook/"
# MkDocs stamps the sitemap and its gzip header with the build time; both builds get the same one.
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": "1790000000"}
TAGS = ("onboarding", "tools", "culture")
STORIES = 12  # more than one hub page holds, so an edit can move posts between pages


def story_text(index: int, title: str | None = None, body: str | None = None, tags: tuple[str, ...] | None = None,
               status: str = "published") -> str:
    # Every third post links to the one before it, so deleting a post changes another page's link.
    link = f" See [the post before](2025-01-{index:02d}-post-{index - 1}.md)." if index % 3 == 2 else ""
    chosen = tags if tags is not None else (TAGS[index % 3], TAGS[(index + 1) % 3])
    return (f"title: {title or f'Post number {index}'}\ndate: 2025-01-{index + 1:02d}\nsummary: Summary {index}.\n"
            f"body: |\n  {body or f'Body of post {index}.'}{link}\nstatus: {status}\n"
            f"audience: {'external' if index % 2 else 'internal'}\n"
            f"tags: [{', '.join(chosen)}]\nroles: [{'mentor' if index % 2 else 'leader'}]\n")


def story_path(project: Path, index: int) -> Path:
    return project / "playbook" / "stories" / f"2025-01-{index + 1:02d}-post-{index}.yml"


def make_project(root: Path, audience: str = "internal") -> Path:
    project = root / "project"
    shutil.copytree(FIXTURE, project)
    (project / "templates").mkdir()
    for index in range(STORIES):
        story_path(project, index).write_text(story_text(index))
    if audience == "external":  # the program and the role its external posts name are public too
        program, roles = project / "playbook" / "program.yml", project / "playbook" / "roles.yml"
        program.write_text(program.read_text() + "audience: external\n")
        roles.write_text(roles.read_text().replace("  - id: mentor\n", "  - id: mentor\n    audience: external\n"))
    config = project / "mkdocs.yml"
    # The preview shows drafts; so does this clean build. Both are built for the preview's address.
    config.write_text(config.read_text().replace("https://example.com/playbook/", URL)
                      .replace("  - playbook\n", f"  - playbook:\n      drafts: always\n      audience: {audience}\n"))
    return project


def existing_story(project: Path, n: int) -> Path | None:
    stories = sorted((project / "playbook" / "stories").glob("*.yml"))
    return stories[n % len(stories)] if len(stories) > 1 else None


def edit_body(project: Path, n: int) -> None:
    if path := existing_story(project, n):
        path.write_text(path.read_text().replace("body: |\n  ", f"body: |\n  Edited {n}. ", 1))


def edit_title(project: Path, n: int) -> None:
    if path := existing_story(project, n):
        text = path.read_text()
        old = text.split("\n", 1)[0]
        path.write_text(text.replace(old, f"title: Retitled {n}", 1))


def edit_tags(project: Path, n: int) -> None:
    if path := existing_story(project, n):
        lines = [line if not line.startswith("tags:") else f"tags: [{TAGS[n % 3]}]"
                 for line in path.read_text().splitlines()]
        path.write_text("\n".join(lines) + "\n")


def edit_vocabulary(project: Path, n: int) -> None:
    """Write tags.yml anew with other labels: every tag page, card and story page that shows one must follow."""
    tags = "".join(f"  - id: {tag}\n    label: Topic {tag} {n}\n    description: About {tag}, take {n}.\n"
                   "    audience: external\n" for tag in TAGS)
    (project / "playbook" / "tags.yml").write_text(f"tags:\n{tags}")


def toggle_draft(project: Path, n: int) -> None:
    if path := existing_story(project, n):
        text = path.read_text()
        swapped = text.replace("status: published", "status: draft") if "status: published" in text \
            else text.replace("status: draft", "status: published")
        path.write_text(swapped)


def add_story(project: Path, n: int) -> None:
    index = 40 + n % 50
    (project / "playbook" / "stories" / f"2025-03-{n % 28 + 1:02d}-added-{index}.yml").write_text(
        story_text(STORIES, title=f"Added post {index}").replace("date: 2025-01-13", f"date: 2025-03-{n % 28 + 1:02d}"))


def delete_story(project: Path, n: int) -> None:
    if path := existing_story(project, n):
        path.unlink()


def edit_role(project: Path, n: int) -> None:
    roles = project / "playbook" / "roles.yml"
    lines = roles.read_text().splitlines()
    first = next(i for i, line in enumerate(lines) if line.strip().startswith("title:"))
    lines[first] = lines[first].split("title:")[0] + f"title: Reverse mentor {n}"
    roles.write_text("\n".join(lines) + "\n")


def edit_template(project: Path, n: int) -> None:
    override = project / "templates" / "story.md.j2"
    if override.exists() and n % 2:
        override.unlink()
    else:
        override.write_text('{% extends "builtin/story.md.j2" %}\n{% block title %}\n'
                            f"# {{{{ story.title | text }}}} (take {n})\n{{% endblock %}}\n")


def edit_docs(project: Path, n: int) -> None:
    extra = project / "docs" / "extra.md"
    if n % 3 == 0:
        extra.unlink(missing_ok=True)
    elif n % 3 == 1:
        extra.write_text(f"# Extra page {n}\n\nSee [about](about.md).\n")
    else:
        (project / "docs" / "about.md").write_text(f"# About this playbook\n\nRevision {n}.\n")


def edit_config(project: Path, n: int) -> None:
    config = project / "mkdocs.yml"
    lines = [line for line in config.read_text().splitlines() if not line.startswith("copyright:")]
    config.write_text("\n".join([*lines, f"copyright: Revision {n}"]) + "\n")


EDITS: dict[str, Callable[[Path, int], None]] = {
    "body": edit_body, "title": edit_title, "tags": edit_tags, "vocabulary": edit_vocabulary, "draft": toggle_draft,
    "add": add_story,
    "delete": delete_story, "role": edit_role, "template": edit_template, "docs": edit_docs, "config": edit_config,
}


class Served:
    """One live-preview session on `project`, built into `site` by `mkdocs serve --dirty`'s builder."""

    def __init__(self, project: Path, site: Path) -> None:
        self.process = subprocess.Popen([sys.executable, "-m", "tests.serve_driver", str(project), str(site), URL],
                                        cwd=REPO, env=ENV, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        stderr=subprocess.DEVNULL, text=True)
        self.answer()

    def answer(self) -> None:
        line = self.process.stdout.readline()  # type: ignore[union-attr]
        assert line.strip() == "ok", f"the preview's build failed: {line!r}"

    def rebuild(self) -> None:
        self.process.stdin.write("build\n")  # type: ignore[union-attr]
        self.process.stdin.flush()  # type: ignore[union-attr]
        self.answer()

    def close(self) -> None:
        self.process.stdin.close()  # type: ignore[union-attr]
        self.process.wait(timeout=60)


def clean_build(project: Path, site: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(project / "mkdocs.yml"),
                             "-d", str(site)], cwd=REPO, env=ENV, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def contents(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def differences(served: dict[str, bytes], clean: dict[str, bytes]) -> list[str]:
    only = [f"only served: {p}" for p in served.keys() - clean.keys()] + \
           [f"only in the clean build: {p}" for p in clean.keys() - served.keys()]
    changed = [f"differs: {p}: {_first_difference(served[p], clean[p])}" for p in sorted(served.keys() & clean.keys())
               if served[p] != clean[p]]
    return sorted(only) + changed


def _first_difference(one: bytes, other: bytes) -> str:
    for mine, theirs in zip(one.decode(errors="replace").splitlines(), other.decode(errors="replace").splitlines()):
        if mine != theirs:
            return f"served {mine.strip()[:150]!r}, clean {theirs.strip()[:150]!r}"
    return "one is longer"


def run_session(edits: list[tuple[str, int]], broken_at: int | None, audience: str = "internal") -> list[str]:
    with tempfile.TemporaryDirectory(prefix="incremental-") as folder:
        root = Path(folder)
        project = make_project(root, audience)
        served = Served(project, root / "served")
        try:
            for step, (name, n) in enumerate(edits):
                if step == broken_at:
                    break_and_fix(project, served, root / "served")
                EDITS[name](project, n)
                served.rebuild()
        finally:
            served.close()
        clean_build(project, root / "clean")
        return differences(contents(root / "served"), contents(root / "clean"))


def break_and_fix(project: Path, served: Served, site: Path) -> None:
    """A save that breaks the playbook keeps the last good pages and adds the page listing the problems."""
    rules = project / "playbook" / "rules.yml"
    good = rules.read_text()
    before = contents(site)
    rules.write_text(good.replace("level: must", "level: shall", 1))
    served.rebuild()
    problems = (site / "playbook-problems" / "index.html").read_text()
    assert "The playbook has problems" in problems and "shall" in problems
    during = contents(site)
    assert all(during[path] == content for path, content in before.items() if path.endswith("index.html")), \
        "a failed build changed a page of the last good site"
    rules.write_text(good)


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(edits=st.lists(st.tuples(st.sampled_from(sorted(EDITS)), st.integers(0, 1000)), min_size=1, max_size=6),
       broken_at=st.one_of(st.none(), st.integers(0, 5)))
def test_after_any_edits_the_preview_serves_what_a_clean_build_makes(edits: list[tuple[str, int]],
                                                                      broken_at: int | None):
    assert run_session(edits, broken_at) == []


@pytest.mark.parametrize("name", sorted(EDITS))
def test_each_kind_of_edit_alone_keeps_the_preview_exact(name: str):
    """Every edit at least once, whatever the random draw: two edits of the same kind in a row."""
    assert run_session([(name, 1), (name, 2)], None) == []


def test_the_external_preview_is_exact_too():
    edits = [("body", 1), ("title", 2), ("docs", 1), ("delete", 3), ("add", 4), ("role", 5), ("docs", 2)]
    assert run_session(edits, None, audience="external") == []


def test_a_body_edit_rewrites_only_the_story_page_and_the_hand_written_pages():
    """The point of the preview: a save rebuilds the pages it reaches, not the site. Hand-written pages
    are always rebuilt (preview.py), since their titles feed the navigation."""
    with tempfile.TemporaryDirectory(prefix="incremental-") as folder:
        root = Path(folder)
        project, site = make_project(root), root / "served"
        served = Served(project, site)
        try:
            before = {page: page.stat().st_mtime_ns for page in site.rglob("*.html")}
            story = existing_story(project, 1)
            assert story is not None
            edit_body(project, 1)
            served.rebuild()
        finally:
            served.close()
        rewritten = sorted(page.relative_to(site).as_posix() for page in site.rglob("*.html")
                           if page.stat().st_mtime_ns != before.get(page))
        hand_written = sorted(f"{path.relative_to(project / 'docs').with_suffix('').as_posix()}/index.html"
                              for path in (project / "docs").rglob("*.md") if path.name != "index.md")
        assert rewritten == sorted([f"stories/{story.stem}/index.html", "404.html", *hand_written])

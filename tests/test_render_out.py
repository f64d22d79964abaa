"""`playbook render`: plain Markdown that any engine builds into the same pages as the plugin."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from html import unescape
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from generator.cli import main

from .sitebuild import REPO

SITE_URL = "https://playbook.intranet.example/"


def _render(out: Path):
    """`playbook render` run from the repository, as the README says."""
    previous = Path.cwd()
    os.chdir(REPO)
    try:
        return CliRunner().invoke(main, ["render", "--out", str(out), "--site-url", SITE_URL])
    finally:
        os.chdir(previous)


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("render") / "docs"
    result = _render(out)
    assert result.exit_code == 0, result.output
    return out


def _engine_config(rendered: Path, folder: Path) -> Path:
    """The sample's own settings, with our plugin off, and as docs the rendered pages beside the files
    of the project's own docs/ (the images stories show), as a user of another engine lays them out."""
    docs = folder / "docs"
    shutil.copytree(rendered, docs)
    shutil.copytree(REPO / "docs", docs, dirs_exist_ok=True, ignore=shutil.ignore_patterns("*.md"))
    class Tolerant(yaml.SafeLoader):
        pass

    Tolerant.add_multi_constructor("", lambda loader, suffix, node: None)
    sample = yaml.load((REPO / "mkdocs.yml").read_text(), Loader=Tolerant)
    config = {"site_name": "Rendered playbook", "docs_dir": str(docs), "site_url": SITE_URL,
              "theme": {"name": "material", "font": False}, "plugins": ["search"],
              "markdown_extensions": sample["markdown_extensions"]}
    path = folder / "engine.yml"
    path.write_text(yaml.safe_dump(config))
    return path


def _article_text(html: str) -> str:
    start = html.index("<article")
    body = html[start: html.index("</article>", start)]
    body = re.sub(r'<a [^>]*class="md-content__button[^"]*"[^>]*>.*?</a>', "", body, flags=re.S)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", body)).split())


def _pages(site: Path) -> dict[str, Path]:
    return {p.relative_to(site).as_posix(): p for p in site.rglob("index.html")}


def test_render_writes_pages_feeds_and_calendar(rendered):
    home = (rendered / "index.md").read_text()
    assert home.startswith("---\nhide:\n  - navigation\n---\n# "), "front matter, then the heading"
    assert (rendered / "rules" / "index.md").is_file()
    assert (rendered / "feeds" / "all.atom.xml").is_file()
    assert (rendered / "calendar.ics").is_file()
    assert not list(rendered.rglob("*.yml"))


def test_render_again_writes_nothing(rendered):
    stamps = {p: p.stat().st_mtime_ns for p in rendered.rglob("*") if p.is_file()}
    result = _render(rendered)
    assert result.exit_code == 0
    assert re.search(r": (\d+) files, 0 written, \1 unchanged$", result.output.strip())
    assert stamps == {p: p.stat().st_mtime_ns for p in rendered.rglob("*") if p.is_file()}


def test_plain_mkdocs_builds_the_same_pages_with_the_same_text(rendered, sample_site, tmp_path):
    site = tmp_path / "plain"
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-f",
                             str(_engine_config(rendered, tmp_path)), "-d", str(site)],
                            capture_output=True, text=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    assert result.returncode == 0, result.stderr
    plugin_pages = {k: v for k, v in _pages(sample_site).items() if not k.startswith(("contributing", "admin"))}
    plain_pages = _pages(site)
    assert set(plain_pages) == set(plugin_pages)
    for key, path in plugin_pages.items():
        assert _article_text(plain_pages[key].read_text()) == _article_text(path.read_text()), key


def test_properdocs_builds_the_rendered_pages(rendered, sample_site, tmp_path):
    site = tmp_path / "proper"
    result = subprocess.run([sys.executable, "-m", "properdocs", "build", "-f", str(_engine_config(rendered, tmp_path)),
                             "-d", str(site)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    plugin_pages = {k: v for k, v in _pages(sample_site).items() if not k.startswith(("contributing", "admin"))}
    assert set(_pages(site)) == set(plugin_pages)
    for key, path in plugin_pages.items():
        assert _article_text(_pages(site)[key].read_text()) == _article_text(path.read_text()), key

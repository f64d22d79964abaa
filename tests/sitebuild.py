"""Building real sites for tests: the sample once per session, fixtures on demand."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from generator.cli import configured_site_url
from generator.models import Playbook
from generator.validate import load_playbook

REPO = Path(__file__).resolve().parent.parent
# The smallest playbook that builds: tests copy it into tmp_path, then break or grow the copy.
FIXTURE = REPO / "tests" / "fixtures" / "minimal"
STORY = "playbook/stories/2026-01-05-first-pair.yml"  # the fixture's one story, from the project folder
ATOM = "{http://www.w3.org/2005/Atom}"
TEXT_SUFFIXES = {".html", ".xml", ".json", ".txt", ".ics", ".js", ".css", ".md", ".gz"}


def mkdocs_build(config_file: Path, site_dir: Path, *extra: str, env: dict[str, str] | None = None,
                 ) -> subprocess.CompletedProcess[str]:
    """`mkdocs build --strict` in a child process, exactly as a person runs it."""
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config_file), "-d", str(site_dir), *extra],
        capture_output=True, text=True, cwd=config_file.parent, timeout=300,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env or {})},
    )


def built_files(site: Path) -> Iterator[tuple[Path, str]]:
    """Every file of a built site as text, gzip'd sitemaps unpacked, so a scan misses nothing."""
    import gzip

    for path in sorted(site.rglob("*")):
        if path.is_file():
            raw = path.read_bytes()
            if path.suffix == ".gz":
                raw = gzip.decompress(raw)
            yield path, raw.decode("utf-8", errors="replace")


def tree_hash(root: Path) -> str:
    """One digest of every path and byte under `root`, so "left as it was" means byte-identical."""
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        digest.update(str(path.relative_to(root)).encode())
        if path.is_file():
            digest.update(path.read_bytes())
    return digest.hexdigest()


def read_site_url(config_file: Path = REPO / "mkdocs.yml") -> str:
    url = configured_site_url(config_file)
    assert url, f"{config_file} has no site_url"
    return url


@pytest.fixture(scope="session")
def sample_build(tmp_path_factory) -> subprocess.CompletedProcess[str]:
    site = tmp_path_factory.mktemp("sample") / "site"
    result = mkdocs_build(REPO / "mkdocs.yml", site)
    result.site = site  # type: ignore[attr-defined]
    return result


@pytest.fixture(scope="session")
def sample_site(sample_build) -> Path:
    assert sample_build.returncode == 0, sample_build.stderr
    return sample_build.site


@pytest.fixture(scope="session")
def playbook() -> Playbook:
    """The sample playbook as the generator reads it, so tests compare against its content."""
    loaded, _ = load_playbook(REPO / "playbook", REPO, dt.date.today())
    return loaded

"""Real pages in real Chromium: a static server on 127.0.0.1 and Debian's browser via Playwright.

Playwright cannot download its own browser here, so it drives /usr/bin/chromium through
`executable_path`, with the flags that keep Chromium off the network.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import json
import os
import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from generator.models import Playbook
from generator.urls import MATCHING, page_url
from generator.urls import of as story_path

CHROMIUM = os.environ.get("PLAYBOOK_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"


def page_kinds(playbook: Playbook) -> dict[str, str]:
    """One URL path per kind of page, taken from the sample's own data."""
    story = next(s for s in playbook.stories if s.status == "published" and s.tags)
    return {
        "home": "", "program": page_url("program.md"), "methods": page_url("methods.md"),
        "timeline": page_url("timeline.md"), "calendar": page_url("calendar.md"),
        "roles": page_url("roles/index.md"), "role": page_url(f"roles/{playbook.roles[0].id}.md"),
        "rules": page_url("rules/index.md"), "rule": page_url(f"rules/{playbook.rules[0].id}.md"),
        "meetings": page_url("meetings/index.md"), "meeting": page_url(f"meetings/{playbook.meetings[0].id}.md"),
        "pitfalls": page_url("pitfalls.md"), "metrics": page_url("metrics.md"), "faq": page_url("faq.md"),
        "health": page_url("health/index.md"), "matching": page_url(MATCHING),
        "stories": page_url("stories/index.md"), "story": page_url(story_path(story)),
        "tag": page_url(f"stories/tags/{story.tags[0]}.md"), "browse": page_url("stories/browse.md"),
        "policies": page_url("policies/index.md"), "policy": page_url(f"policies/{playbook.policies[0].id}.md"),
        "forms": page_url("forms/index.md"), "form": page_url(f"forms/{playbook.forms[0].id}.md"),
        "hand-written": page_url("contributing.md"),
    }


# What a reader expects: each kind of page under the tab of the section it belongs to.
TAB_OF = {"home": "Home", "program": "Program", "methods": "Program", "timeline": "Program", "calendar": "Program",
          "matching": "Program",
          "roles": "Roles", "role": "Roles", "rules": "Rules", "rule": "Rules", "meetings": "Meetings",
          "meeting": "Meetings", "pitfalls": "Pitfalls", "metrics": "Metrics", "health": "Program health", "faq": "FAQ",
          "stories": "Stories",
          "story": "Stories", "tag": "Stories", "browse": "Stories", "policies": "Policies and forms",
          "policy": "Policies and forms", "forms": "Policies and forms", "form": "Policies and forms"}


def breadcrumb_of(section: str) -> list[str]:
    """The breadcrumb a page of `section` shows: none for the home page and one-page sections."""
    return [] if section in {"Home", "Pitfalls", "Metrics", "Program health", "FAQ"} else ["Home", section]


def editable_sample(folder: Path) -> tuple[Path, Path]:
    """A copy of the sample project in a Git repository of its own, and its built internal site."""
    from tests.sitebuild import REPO, mkdocs_build

    project, site = folder / "project", folder / "site"
    for name in ("playbook", "docs", "templates", "mkdocs.yml"):
        copy = shutil.copytree if (REPO / name).is_dir() else shutil.copy
        copy(REPO / name, project / name)
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("web_editor: editor/cms",
                                                                f"web_editor: {REPO / 'editor' / 'cms'}"),
                      encoding="utf-8")
    git = ["git", "-C", str(project), "-c", "user.name=Test", "-c", "user.email=test@example.com"]
    subprocess.run([*git[:3], "init", "-q"], check=True)
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-qm", "sample"], check=True)
    built = mkdocs_build(config, site)
    assert built.returncode == 0, built.stderr
    return project, site


@contextlib.contextmanager
def decap_proxy(project: Path, site: Path) -> Iterator[int]:
    """Decap's local proxy (decap-server, as `make edit` runs it) writing into `project`, on a free port
    that the built site's admin/config.yml is pointed at."""
    from tests.sitebuild import REPO

    proxy = REPO / "node_modules" / "decap-server" / "dist" / "index.js"
    assert proxy.is_file(), "make test installs decap-server with npm ci"
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings = json.loads((site / "admin" / "config.yml").read_text(encoding="utf-8"))
    settings["local_backend"] = {"url": f"http://localhost:{port}/api/v1"}
    (site / "admin" / "config.yml").write_text(json.dumps(settings), encoding="utf-8")
    server = subprocess.Popen(["node", str(proxy)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              env={**os.environ, "GIT_REPO_DIRECTORY": str(project), "PORT": str(port),
                                   "BIND_HOST": "127.0.0.1"})
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.2)
        yield port
    finally:
        server.terminate()
        server.wait(timeout=10)


def open_editor(tab, url: str) -> None:
    """Log in to the web editor with the local proxy, and wait for its list of stories."""
    tab.goto(f"{url}admin/")
    tab.get_by_role("button", name="Login").click()
    tab.get_by_text("Stories", exact=True).first.wait_for()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def serve_directory(root: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    """Serve `root` on a free loopback port in a background thread, as any web server would."""
    handler = functools.partial(_QuietHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium is not installed at {CHROMIUM}; `.ci/run` installs Debian's chromium package")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield instance
        instance.close()


@pytest.fixture(scope="session")
def served_sample(sample_site: Path) -> Iterator[str]:
    server, url = serve_directory(sample_site)
    yield url
    server.shutdown()


def search_for(tab, query: str) -> None:
    """Type into the search box key by key, as a reader does, once Material's search worker is
    ready: Material runs the query on key-up, so a value set without keys is never searched."""
    opener = tab.locator("label.md-header__button[for='__search']")
    if opener.is_visible():  # on a phone the box hides behind the magnifier button
        opener.click()
    else:
        tab.locator("input.md-search__input").click()
    tab.locator(".md-search-result__meta", has_text="Type to start searching").wait_for(timeout=45_000)
    tab.locator("input.md-search__input").press_sequentially(query)

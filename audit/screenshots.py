"""`make screenshots`: a picture of every page kind of the built sample sites, for the README.

Each kind is shot on a desktop screen, and the pages people open on the move (the home pages,
a role, the calendar, a story) on a phone too, at the top of the page, as a reader first sees
it; and the web editor, with a story being written. The pictures go to docs/screenshots/,
which mkdocs.yml keeps out of the sites themselves.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from playwright.sync_api import sync_playwright  # noqa: E402

from generator.validate import load_playbook  # noqa: E402
from tests.browser import (  # noqa: E402
    ARGS,
    CHROMIUM,
    decap_proxy,
    editable_sample,
    open_editor,
    page_kinds,
    serve_directory,
)

OUT = REPO / "docs" / "screenshots"
ON_PHONES = ("home", "role", "calendar", "story")
# The first screenful of a laptop and of a common phone.
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}


def shoot(site: Path, shots: dict[str, str], size: dict[str, int], suffix: str) -> list[Path]:
    """One PNG per page kind in `shots`, named `KIND-SUFFIX.png`."""
    server, url = serve_directory(site)
    written = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            tab = browser.new_context(viewport=size, color_scheme="light").new_page()
            for kind, path in shots.items():
                tab.goto(url + path, wait_until="networkidle")
                written.append(OUT / f"{kind}-{suffix}.png")
                tab.screenshot(path=str(written[-1]))
            browser.close()
    finally:
        server.shutdown()
    return written


def shoot_editor() -> list[Path]:
    """The web editor with a new story half written, against Decap's local proxy on a copy of the sample."""
    written = [OUT / "editor-stories-desktop.png", OUT / "editor-story-desktop.png"]
    with tempfile.TemporaryDirectory() as folder:
        project, site = editable_sample(Path(folder))
        with decap_proxy(project, site), sync_playwright() as playwright:
            server, url = serve_directory(site)
            try:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
                tab = browser.new_context(viewport=DESKTOP, color_scheme="light").new_page()
                open_editor(tab, url)
                tab.wait_for_load_state("networkidle")
                tab.screenshot(path=str(written[0]))
                tab.locator('a[href$="/collections/stories/new"]').click()
                tab.get_by_label("Title").fill("What the night shift taught our board about alerts")
                tab.locator("input[type=date]").first.fill("2026-11-30")
                tab.get_by_label("Summary").fill("A planner showed the board what a false alarm costs the people "
                                                 "who answer it.")
                tab.screenshot(path=str(written[1]))
                browser.close()
            finally:
                server.shutdown()
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path, help="the built intranet site, such as site/")
    parser.add_argument("external", type=Path, help="the built external site, such as site-external/")
    args = parser.parse_args()
    playbook, _ = load_playbook(REPO / "playbook", REPO, dt.date.today())
    kinds = {kind: path for kind, path in page_kinds(playbook).items() if kind != "hand-written"}
    OUT.mkdir(exist_ok=True)
    written = shoot(args.site, kinds, DESKTOP, "desktop")
    written += shoot(args.site, {kind: kinds[kind] for kind in ON_PHONES}, PHONE, "phone")
    written += shoot(args.external, {"candidates": ""}, DESKTOP, "desktop")
    written += shoot(args.external, {"candidates": ""}, PHONE, "phone")
    written += shoot_editor()
    print(f"{OUT.relative_to(REPO)}: {len(written)} screenshots")


if __name__ == "__main__":
    main()

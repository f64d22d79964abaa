"""`make screenshots`: a picture of every page kind of the built sample sites, for the README.

Each kind is shot on a desktop screen, and the pages people open on the move (the home pages,
a role, the calendar, a story) on a phone too, at the top of the page, as a reader first sees
it. The pictures go to docs/screenshots/, which mkdocs.yml keeps out of the sites themselves.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from playwright.sync_api import sync_playwright  # noqa: E402

from generator.validate import load_playbook  # noqa: E402
from tests.browser import ARGS, CHROMIUM, page_kinds, serve_directory  # noqa: E402

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
    print(f"{OUT.relative_to(REPO)}: {len(written)} screenshots")


if __name__ == "__main__":
    main()

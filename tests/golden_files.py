"""The sample playbook's generated output, kept byte for byte: every page's Markdown, the nav,
feeds, calendar and newsletter, for both audiences, on one fixed day.

A refactoring must leave these files as they are. A change that means to alter the output
rewrites them with `.venv/bin/python -m tests.golden_files` and shows the difference in its commit.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import shutil
from pathlib import Path

from generator.digest import build_digest, build_welcome
from generator.outputs import Options
from generator.publish import build_playbook
from generator.render import make_environment

from .sitebuild import REPO

GOLDEN = Path(__file__).resolve().parent / "golden"
TODAY = dt.date(2026, 11, 23)
# A chart's drawing is matplotlib's (its layout may move a pixel from one release to the next) and is
# tested on its own (tests/test_charts.py); the golden copy keeps where each chart goes and what it is called.
CHART = re.compile(rb'(<svg [^>]*aria-label="[^"]*">).*?</svg>')
SITES = {"internal": "https://playbook.intranet.example/", "external": "https://careers.example.com/mentoring/"}


def generate(audience: str) -> dict[str, bytes]:
    """Every file the generator makes for `audience`, by its path."""
    options = Options(today=TODAY, site_url=SITES[audience], audience=audience,  # type: ignore[arg-type]
                      templates=REPO / "templates")
    build = build_playbook(REPO / "playbook", REPO, options)
    files = {f"pages/{page.path}": CHART.sub(rb"\1...</svg>", page.markdown.encode()) for page in build.site.pages}
    files |= {f"assets/{asset.path}": asset.content for asset in build.site.assets if not asset.path.endswith(".docx")}
    # A Word file is a zip; its words are what a change to a form alters, and what a reviewer can read.
    files |= {f"assets/{asset.path}.txt": _words(asset.content) for asset in build.site.assets
              if asset.path.endswith(".docx")}
    files["nav.json"] = (json.dumps(build.site.nav, indent=1, ensure_ascii=False) + "\n").encode()
    files["summary.txt"] = (build.summary + "\n").encode()
    assert build.playbook is not None
    letter = build_digest(build.playbook, make_environment(REPO / "templates"), since=dt.date(2024, 1, 1),
                          until=TODAY, site_url=SITES[audience], today=TODAY)
    files["digest.html"], files["digest.txt"] = letter.html.encode(), letter.text.encode()
    if audience == "internal":  # the welcome e-mail goes to people in the program, from the intranet
        welcome = build_welcome(build.playbook, make_environment(REPO / "templates"),
                                role=build.playbook.role("reverse-mentor"), site_url=SITES[audience], today=TODAY)
        files["welcome.html"], files["welcome.txt"] = welcome.html.encode(), welcome.text.encode()
    return files


def _words(document: bytes) -> bytes:
    import docx

    return "".join(f"{p.text}\n" for p in docx.Document(io.BytesIO(document)).paragraphs).encode()


def stored(audience: str) -> dict[str, bytes]:
    root = GOLDEN / audience
    return {path.relative_to(root).as_posix(): path.read_bytes() for path in sorted(root.rglob("*")) if path.is_file()}


def write(audience: str) -> None:
    root = GOLDEN / audience
    shutil.rmtree(root, ignore_errors=True)
    for name, content in generate(audience).items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(content)


if __name__ == "__main__":
    for name in SITES:
        write(name)
        print(f"tests/golden/{name}: {len(stored(name))} files")

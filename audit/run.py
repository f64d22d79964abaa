"""`make audit`: Lighthouse on every page kind of the built sample site, desktop and mobile.

A report, never a test: Lighthouse's performance score moves with the machine's load, so it
cannot pass or fail a build. The other three categories are stable; the report lists every
audit that kept one of them below 100, so a shortfall names its cause.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from generator.validate import load_playbook  # noqa: E402
from tests.browser import ARGS, CHROMIUM, page_kinds, serve_directory  # noqa: E402

LIGHTHOUSE = REPO / "audit" / "node_modules" / ".bin" / "lighthouse"
RESULTS = REPO / "audit" / "results.md"
CATEGORIES = {"performance": "Performance", "accessibility": "Accessibility",
              "best-practices": "Best practices", "seo": "SEO"}
KINDS = ("home", "roles", "role", "rules", "rule", "meeting", "stories", "story", "tag", "browse")
FORMS = ("desktop", "mobile")


def lighthouse(url: str, form: str) -> dict:
    """One Lighthouse run in its own Chromium, as its JSON report."""
    flags = " ".join(["--headless=new", *ARGS])
    argv = [str(LIGHTHOUSE), url, "--output=json", "--output-path=stdout", "--quiet",
            f"--chrome-flags={flags}", f"--only-categories={','.join(CATEGORIES)}"]
    if form == "desktop":
        argv.append("--preset=desktop")
    done = subprocess.run(argv, capture_output=True, text=True, timeout=300,
                          env={**os.environ, "CHROME_PATH": CHROMIUM})
    if done.returncode != 0:
        sys.exit(f"Lighthouse failed on {url} ({form}):\n{done.stderr[-2000:]}")
    return json.loads(done.stdout)


def scores(report: dict) -> dict[str, int]:
    return {key: round(report["categories"][key]["score"] * 100) for key in CATEGORIES}


def shortfalls(report: dict) -> list[str]:
    """The audits that cost points outside performance, by title."""
    found = []
    for key in CATEGORIES:
        if key == "performance":
            continue
        for ref in report["categories"][key]["auditRefs"]:
            audit = report["audits"][ref["id"]]
            if ref["weight"] > 0 and audit["score"] is not None and audit["score"] < 1:
                found.append(f"{CATEGORIES[key]}: {audit['title']} (`{ref['id']}`)")
    return found


def render(rows: list[tuple[str, str, dict[str, int], list[str]]], version: str, browser: str) -> str:
    lines = ["# Lighthouse audit of the sample site", "",
             f"Measured {dt.date.today().isoformat()} with Lighthouse {version} and {browser}, the built site",
             "served on 127.0.0.1. `make audit` rewrites this file. Performance is shown for information only:",
             "it varies with the machine's load from run to run.", "",
             "| Page kind | Form | " + " | ".join(CATEGORIES.values()) + " |",
             "|---|---|" + "---:|" * len(CATEGORIES)]
    lines += [f"| {kind} | {form} | " + " | ".join(str(s[key]) for key in CATEGORIES) + " |"
              for kind, form, s, _ in rows]
    lowest = {key: min(s[key] for _, _, s, _ in rows) for key in CATEGORIES}
    lines += ["", "Lowest score per category: "
              + ", ".join(f"{CATEGORIES[key]} {value}" for key, value in lowest.items()) + ".", ""]
    missed = sorted({f"{item} on {kind} ({form})" for kind, form, _, items in rows for item in items})
    lines += ["Audits below full marks outside performance:", ""]
    lines += [f"- {item}" for item in missed] or ["- none"]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("site", nargs="?", type=Path, default=REPO / "site", help="the built site to audit")
    args = parser.parse_args()
    if not (args.site / "index.html").is_file():
        sys.exit(f"{args.site} holds no built site; run `make site` first")
    playbook, _ = load_playbook(REPO / "playbook", REPO, dt.date.today())
    paths = page_kinds(playbook)
    server, url = serve_directory(args.site)
    rows = []
    try:
        for kind in KINDS:
            for form in FORMS:
                report = lighthouse(url + paths[kind], form)
                rows.append((kind, form, scores(report), shortfalls(report)))
                print(f"{kind:8} {form:7} " + " ".join(f"{s:3}" for s in rows[-1][2].values()), flush=True)
    finally:
        server.shutdown()
    browser = report["environment"]["hostUserAgent"].split("Chrome/")[-1].split(" ")[0]
    RESULTS.write_text(render(rows, report["lighthouseVersion"], f"Chromium {browser}"), encoding="utf-8")
    print(f"wrote {RESULTS.relative_to(REPO)}")


if __name__ == "__main__":
    main()

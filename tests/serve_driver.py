"""`mkdocs serve --dirty`'s builder without its server or file watcher, driven line by line.

`python -m tests.serve_driver PROJECT SITE_DIR URL` builds PROJECT into SITE_DIR as the live
server would (the same plugin instances across builds, `site_url` set to the server's URL,
dirty builds), once at the start and again for each line `build` on stdin. It answers each
build with one line: `ok`, or `failed` and the error. Tests edit the files in between, so
an edit and its rebuild are one step with no watcher delay to wait out.

One process serves one project: MkDocs keeps plugin instances per process, as `serve` does.
"""

from __future__ import annotations

import sys

from mkdocs.commands.build import build
from mkdocs.config import load_config


def main(project: str, site_dir: str, url: str) -> None:
    config = load_config(f"{project}/mkdocs.yml", site_dir=site_dir)
    config.plugins.on_startup(command="serve", dirty=True)
    first = True
    while first or sys.stdin.readline().strip() == "build":
        if not first:
            config = load_config(f"{project}/mkdocs.yml", site_dir=site_dir)
        first = False
        config.site_url = url
        try:
            build(config, serve_url=url, dirty=True)
        except BaseException as error:  # noqa: BLE001 - the live server also carries on after any failure
            print("failed", type(error).__name__, str(error).replace("\n", " "), flush=True)
        else:
            print("ok", flush=True)


if __name__ == "__main__":
    main(*sys.argv[1:4])

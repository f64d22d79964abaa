"""The build's caches between runs, in `PLAYBOOK_CACHE_DIR` (default `~/.cache/playbook`).

Each cache is one folder there (`templates`, `charts`). It lives outside the project, so a build never
writes the source tree, and it is used only while no one else can write it: the template cache holds
code that is run, and any cache holds text that ends up in pages.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path


def cache_folder(name: str) -> Path | None:
    """The cache folder `name`, made if need be; none when it cannot be made or is not ours alone.

    A cache only saves time, so a folder we cannot use is no cache, not an error.
    """
    root = os.environ.get("PLAYBOOK_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "playbook")
    folder = Path(root, name)
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        status = folder.stat()
    except OSError:
        return None
    # A folder someone else can write would let them choose what the build runs or shows.
    owner = getattr(os, "getuid", lambda: status.st_uid)()  # Windows: a profile folder is its user's
    if status.st_uid != owner or status.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        return None
    return folder


def write_entry(path: Path, text: str) -> None:
    """Write a cache entry whole or not at all, so a build running beside this one never reads half of
    it; an entry that cannot be written is simply made again next time."""
    with contextlib.suppress(OSError):
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".tmp")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                out.write(text)
            os.replace(temporary, path)
        except OSError:
            os.unlink(temporary)

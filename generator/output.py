"""Writing output so that no failure loses data: a folder is swapped in whole, a file replaced whole.

A build writes into a fresh folder beside the old one and swaps it in only at the end; a file is
written to a temporary file in its own folder and renamed over the old one. A rename within one
file system is atomic, so a failed, interrupted or killed run leaves the previous output as it was.
Nothing here imports MkDocs: the plugin and the CLI both call it, and tests call it directly.
"""

from __future__ import annotations

import ctypes
import errno
import os
import re
import shutil
import sys
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

AT_FDCWD = -100
RENAME_EXCHANGE = 2
BUILDING, REPLACED = "building", "replaced"


class OutputError(Exception):
    """A file or folder could not be written; the message is one line, for people."""

    def __init__(self, path: Path, error: OSError):
        self.path, self.error = path, error
        super().__init__(f"cannot write {path}: {error.strerror or error}")


@dataclass(frozen=True)
class Staging:
    """A fresh folder beside `target`: written into, then swapped in whole or thrown away."""

    target: Path
    fresh: Path

    @classmethod
    def beside(cls, target: Path) -> Staging:
        """Pick the fresh folder `.<name>.building-<pid>`, after removing what killed runs left behind."""
        # A symlinked site folder stays a symlink: the folder it points at is the one replaced.
        target = target.resolve() if target.is_symlink() else Path(os.path.abspath(target))
        if target.exists() and not target.is_dir():
            raise OutputError(target, NotADirectoryError(errno.ENOTDIR, "it is a file, not a folder"))
        try:
            remove_leftovers(target)
        except OSError as error:
            raise OutputError(target, error) from None
        return cls(target, _sibling(target, BUILDING))

    def publish(self) -> None:
        """Put the fresh folder in the target's place, then delete the old one."""
        try:
            self.fresh.mkdir(parents=True, exist_ok=True)
            if self.target.exists() and _exchange(self.fresh, self.target):
                shutil.rmtree(self.fresh, ignore_errors=True)  # it now holds the old site
                return
            # Without an atomic exchange there is a moment with no target; a killed run then leaves
            # the old folder set aside, and the next run puts it back (remove_leftovers).
            aside = _sibling(self.target, REPLACED)
            if self.target.exists():
                os.rename(self.target, aside)
            try:
                os.rename(self.fresh, self.target)
            except OSError:
                if aside.exists():
                    os.rename(aside, self.target)
                raise
            shutil.rmtree(aside, ignore_errors=True)
        except OSError as error:
            raise OutputError(self.target, error) from None

    def discard(self) -> None:
        shutil.rmtree(self.fresh, ignore_errors=True)


def remove_leftovers(target: Path) -> None:
    """Delete the fresh folders of runs that were killed, and put back a target they had set aside."""
    pattern = re.compile(rf"\.{re.escape(target.name)}\.({BUILDING}|{REPLACED})-(\d+)")
    try:
        candidates = sorted(target.parent.iterdir())
    except OSError:
        return
    for path in candidates:
        match = pattern.fullmatch(path.name)
        if not match or _running(int(match[2])):
            continue
        if match[1] == REPLACED and not target.exists():
            os.rename(path, target)
        else:
            shutil.rmtree(path, ignore_errors=True)


def write_folder(target: Path, files: Iterable[tuple[str, bytes]], folders: Iterable[str] = ()) -> None:
    """Write a new folder whole: every file goes into a fresh folder, which is swapped in at the end."""
    staging = Staging.beside(target)
    try:
        for relative in folders:
            (staging.fresh / relative).mkdir(parents=True, exist_ok=True)
        for relative, content in files:
            path = staging.fresh / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content)
        staging.publish()
    except OSError as error:
        raise OutputError(target, error) from None
    except OutputError as error:
        raise OutputError(target, error.error) from None  # the name the caller gave, not the absolute one
    finally:
        staging.discard()


def write_files(files: Iterable[tuple[Path, bytes]]) -> None:
    """Write each file whole: all go to temporary files first, then each is renamed over the old one.

    A full disk or a blocked path is found before any file is replaced, so nothing is half-written.
    """
    staged: list[tuple[Path, Path]] = []
    try:
        for path, content in files:
            staged.append((_staged_copy(path, content), path))
        for temp, path in staged:
            try:
                os.replace(temp, path)
            except OSError as error:
                raise OutputError(path, error) from None
    finally:
        for temp, _ in staged:
            temp.unlink(missing_ok=True)


def write_changed(files: Iterable[tuple[Path, bytes]]) -> int:
    """Write only the files whose content differs, so a file watcher on the folder does not loop."""
    changed = [(path, content) for path, content in files if _current(path) != content]
    write_files(changed)
    return len(changed)


def write_new_file(path: Path, content: bytes) -> None:
    """Write `path` whole, and only if it does not exist: a hard link claims the name in one step."""
    temp = _staged_copy(path, content)
    try:
        os.link(temp, path)
    except OSError as error:
        raise OutputError(path, error) from None
    finally:
        temp.unlink(missing_ok=True)


def _staged_copy(path: Path, content: bytes) -> Path:
    """`content` in a temporary file beside `path`, flushed to disk, with the mode `path` would get."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except FileExistsError:  # a file stands where the folder should be
        raise OutputError(path, NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR))) from None
    except OSError as error:
        raise OutputError(path, error) from None
    try:
        handle, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as error:
        raise OutputError(path, error) from None
    try:
        with os.fdopen(handle, "wb") as stream:
            os.fchmod(stream.fileno(), _mode(path))
            stream.write(content)
            stream.flush()
            # On disk before the rename, so a power cut leaves the old file or the new, never an empty one.
            os.fsync(stream.fileno())
    except OSError as error:
        Path(name).unlink(missing_ok=True)
        raise OutputError(path, error) from None
    return Path(name)


def _mode(path: Path) -> int:
    """The existing file's mode, or what a plain open() would give; mkstemp's own 0600 would hide the file."""
    try:
        return path.stat().st_mode & 0o7777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def _current(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None


def _sibling(target: Path, kind: str) -> Path:
    return target.parent / f".{target.name}.{kind}-{os.getpid()}"


def _running(pid: int) -> bool:
    """Whether another process with this id is alive, so its fresh folder is left alone."""
    if pid == os.getpid() or os.name != "posix":
        # Signal 0 would terminate the process on Windows; there a leftover is simply removed.
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _exchange(first: Path, second: Path) -> bool:
    """Swap two paths in one step with Linux's renameat2(RENAME_EXCHANGE); False where it is missing."""
    if sys.platform != "linux":
        return False
    renameat2 = getattr(ctypes.CDLL(None, use_errno=True), "renameat2", None)
    if renameat2 is None:  # a C library older than glibc 2.28
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    if renameat2(AT_FDCWD, os.fsencode(first), AT_FDCWD, os.fsencode(second), RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL):  # an old kernel, or a file system without the flag
        return False
    raise OSError(code, os.strerror(code), str(second))

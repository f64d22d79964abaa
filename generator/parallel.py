"""Work on a second core, for a build's few steps that can run beside the rest.

The worker is a process forked from the build, so it starts with every model, template and
page plan already in memory: nothing is sent to it but a little work order, and only its
results come back. Threads would not help: PyYAML, Jinja and nh3 all hold the GIL.
"""

from __future__ import annotations

import ctypes
import gc
import multiprocessing
import multiprocessing.connection
import os
import signal
import sys
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Any, Generic, TypeVar

T = TypeVar("T")
R = TypeVar("R")

# Below this many items, forking costs about what it saves.
PARALLEL_FROM = 200
PR_SET_PDEATHSIG = 1  # linux/prctl.h


def can_fork() -> bool:
    """Whether a second core and `fork` are there; without them every step runs in this process."""
    return (os.cpu_count() or 1) > 1 and "fork" in multiprocessing.get_all_start_methods()


def forked_worker(initializer: Callable[..., None] | None = None,
                  initargs: tuple[Any, ...] = ()) -> ProcessPoolExecutor:
    """One worker process, forked when the first task is submitted; `initargs` reach it by the fork, not by pickling."""
    return ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork"), initializer=initializer,
                               initargs=initargs)


def interleaved(function: Callable[[T], R], items: Sequence[T], processes: int) -> list[R]:
    """`function` of every item, in order; with two processes, a forked worker takes every other item.

    Items alternate rather than split in halves because neighbours cost alike (a story file,
    then the next story file), so both processes finish at about the same time.
    """
    if processes < 2 or len(items) < PARALLEL_FROM or not can_fork():
        return [function(item) for item in items]
    with forked_worker(_keep, (function, items)) as worker:
        odd = worker.submit(_odd_items)
        results: list[Any] = [None] * len(items)
        results[0::2] = [function(item) for item in items[0::2]]
        results[1::2] = odd.result()
    return results


_kept: tuple[Callable[[Any], Any], Sequence[Any]] | None = None


def _keep(function: Callable[[Any], Any], items: Sequence[Any]) -> None:
    """In the worker: the function and its items, inherited through the fork."""
    global _kept
    _kept = function, items
    _leave_inherited()


def _odd_items() -> list[Any]:
    assert _kept is not None, "runs only in a worker started by interleaved"
    function, items = _kept
    return [function(item) for item in items[1::2]]


class WorkerStopped(RuntimeError):
    """A worker ended (killed, or out of memory) before it sent every result."""


class Streamed(Generic[R]):
    """`function` of every item, made by a forked worker while this process goes on with other work.

    `result(i)` waits only until item `i` is done. The worker sends its results in chunks, in
    order, through a pipe; once the pipe is full it waits for this process to take them, so it
    renders no faster than they are used. Whatever it raises is raised again here, by the first
    `result` that reaches it.
    """

    CHUNK = 16

    def __init__(self, function: Callable[[T], R], items: Sequence[T], setup: Callable[[], None] | None = None) -> None:
        context = multiprocessing.get_context("fork")
        self._receiver, sender = context.Pipe(duplex=False)
        self._worker = context.Process(target=_send_results, args=(function, items, self.CHUNK, sender, setup),
                                       daemon=True)
        self._worker.start()
        sender.close()
        self._count = len(items)
        self._results: list[R] = []
        _streams.add(self)

    def result(self, index: int) -> R:
        while len(self._results) <= index:
            self._receive()
        return self._results[index]

    def close(self) -> None:
        """Stop the worker if it is still at work (a failed build), and let it go."""
        _streams.discard(self)
        if self._worker.is_alive():
            self._worker.terminate()
        self._worker.join()
        self._receiver.close()

    def _receive(self) -> None:
        try:
            message = self._receiver.recv()
        except (EOFError, OSError):
            self.close()
            raise WorkerStopped("the worker rendering pages stopped before it was done") from None
        if isinstance(message, BaseException):
            self.close()
            raise message
        self._results.extend(message)
        if len(self._results) == self._count:
            self.close()


class Pending(Generic[R]):
    """One item of a `Streamed`: its result, once the worker has made it."""

    __slots__ = ("_index", "_stream")

    def __init__(self, stream: Streamed[R], index: int) -> None:
        self._stream, self._index = stream, index

    def result(self) -> R:
        return self._stream.result(self._index)


def streamed(function: Callable[[T], R], items: Sequence[T],
             setup: Callable[[], None] | None = None) -> list[Pending[R]]:
    """`function` of every item, made by a forked worker; `setup` runs first in the worker, and only there."""
    stream = Streamed(function, items, setup)
    return [Pending(stream, index) for index in range(len(items))]


def stop_streams() -> None:
    """Stop every worker still streaming: a build that failed will not read their results."""
    for stream in list(_streams):
        stream.close()


_streams: set[Streamed[Any]] = set()


def _send_results(function: Callable[[Any], Any], items: Sequence[Any], chunk: int,
                  sender: multiprocessing.connection.Connection, setup: Callable[[], None] | None) -> None:
    """In the worker: every item's result, a chunk at a time; or the error that stopped it."""
    _leave_inherited()
    try:
        if setup:
            setup()
        for start in range(0, len(items), chunk):
            sender.send([function(item) for item in items[start:start + chunk]])
    except Exception as error:  # the build's own process reports it; a traceback here would be lost
        try:
            sender.send(error)
        except Exception:  # an error that cannot be pickled still names what went wrong
            sender.send(RuntimeError(f"{type(error).__name__}: {error}"))
    finally:
        sender.close()


def _leave_inherited() -> None:
    """In a worker: end with the build, and never walk the objects inherited through the fork when collecting
    garbage.

    A worker outliving a killed build would go on writing into the folder the next build cleans up
    (generator/theme_worker.py writes pages), so Linux is asked to kill it with its parent. The
    worker ends with its task, so the inherited objects would never be freed anyway; walking them
    would cost time on every full collection, and writing to their headers would copy their memory pages.
    """
    if sys.platform == "linux":
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    build = multiprocessing.parent_process()
    if build is not None and os.getppid() != build.pid:  # the build was killed before the request was made
        os._exit(1)
    gc.freeze()
    gc.enable()

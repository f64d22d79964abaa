"""Work on a second core, for a build's few steps that can run beside the rest.

The worker is a process forked from the build, so it starts with every model, template and
page plan already in memory: nothing is sent to it but a little work order, and only its
results come back. Threads would not help: PyYAML, Jinja and nh3 all hold the GIL.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

# Below this many items, forking costs about what it saves.
PARALLEL_FROM = 200


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


def _odd_items() -> list[Any]:
    assert _kept is not None, "runs only in a worker started by interleaved"
    function, items = _kept
    return [function(item) for item in items[1::2]]

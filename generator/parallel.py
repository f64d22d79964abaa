"""Work on a second core, for a build's few steps that can run beside the rest.

The worker is a process forked from the build, so it starts with every model, template and
page plan already in memory: nothing is sent to it but a little work order, and only text
comes back. Threads would not help: Jinja and nh3 both hold the GIL.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from typing import Any


def can_fork() -> bool:
    """Whether a second core and `fork` are there; without them every step runs in this process."""
    return (os.cpu_count() or 1) > 1 and "fork" in multiprocessing.get_all_start_methods()


def forked_worker(initializer: Callable[..., None] | None = None,
                  initargs: tuple[Any, ...] = ()) -> ProcessPoolExecutor:
    """One worker process, forked when the first task is submitted; `initargs` reach it by the fork, not by pickling."""
    return ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork"), initializer=initializer,
                               initargs=initargs)

"""Work shared out over forked processes: the one place graphkit starts processes.

Forked workers read the data the parent holds (a graph, a deal table) without copying or
pickling it. `concurrent.futures`' process pool is used rather than `multiprocessing.Pool`
because a worker that dies (killed for memory, crashed in native code) breaks the pool
with an error there, where `Pool` waits for its answer forever. The work is then done in
this process instead, with the same results, and a warning says so.
"""

from __future__ import annotations

import multiprocessing as mp
import warnings
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")

# What the running pool's workers read, set before they are forked (forked workers see the
# parent's memory as it was: nothing is pickled).
_SHARED: Any = None


def can_fork() -> bool:
    """Forked workers are possible here (POSIX, and not already inside a worker)."""
    return "fork" in mp.get_all_start_methods() and mp.parent_process() is None


def shared() -> Any:
    """The data the running pool was given (called by its workers)."""
    return _SHARED


def forked_map(function: Callable[[Item], Result], items: Sequence[Item], data: Any,
               workers: int) -> Iterator[Result]:
    """`function(item)` for each item in order, on up to `workers` forked processes that
    read `data` through `shared()`. Results are yielded in order as they are ready. If a
    worker dies, the items are computed here (a warning says so): same results, slower."""
    global _SHARED
    workers = min(workers, len(items))
    done = 0
    _SHARED = data
    try:
        if workers > 1 and can_fork():
            try:
                with ProcessPoolExecutor(workers, mp_context=mp.get_context("fork")) as pool:
                    with warnings.catch_warnings():
                        # Python 3.12+ warns of any fork from a process with threads. Ours
                        # are native libraries' idle pools (OpenBLAS, Arrow), which handle
                        # a fork.
                        warnings.filterwarnings("ignore", category=DeprecationWarning,
                                                message=".*fork\\(\\) may lead to deadlocks")
                        results = pool.map(function, items)  # every worker is forked here
                    for result in results:
                        done += 1
                        yield result
            except BrokenProcessPool:
                warnings.warn(f"a worker process stopped before finishing (killed for "
                              f"memory, or crashed); the remaining {len(items) - done} of "
                              f"{len(items)} parts were computed in this process instead, "
                              "with the same results", RuntimeWarning, stacklevel=2)
        for item in items[done:]:  # all of them here without workers; none after them
            yield function(item)
    finally:
        _SHARED = None

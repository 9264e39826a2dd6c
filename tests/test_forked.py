"""Work shared out over forked processes (graphkit/forked.py), in real processes: results
come in order and equal the one-process results; a worker that dies does not leave the
caller waiting forever (multiprocessing.Pool would); an error raised in a worker reaches
the caller as itself."""

from __future__ import annotations

import os

import pytest

from graphkit.forked import can_fork, forked_map, shared

PARENT = os.getpid()
pytestmark = pytest.mark.skipif(not can_fork(), reason="forked workers need POSIX fork")


def _offset_square(x: int) -> tuple[int, bool]:
    return shared() + x * x, os.getpid() != PARENT


def _dies_on_three(x: int) -> int:
    if x == 3 and os.getpid() != PARENT:
        os._exit(1)  # as a worker killed for memory ends: no exception, no answer
    return shared() + x


def _refuses_four(x: int) -> int:
    if x == 4:
        raise ValueError("four is not allowed")
    return x


def _nested(x: int) -> bool:
    return can_fork()


def test_results_in_order_from_workers():
    out = list(forked_map(_offset_square, list(range(8)), 100, workers=2))
    assert [value for value, _ in out] == [100 + x * x for x in range(8)]
    assert all(in_worker for _, in_worker in out)
    # one worker: the same values, here
    assert [v for v, w in forked_map(_offset_square, [2, 3], 100, workers=1)] == [104, 109]
    assert not any(w for _, w in forked_map(_offset_square, [2, 3], 100, workers=1))


def test_a_dead_worker_is_reported_and_its_work_done_here():
    with pytest.warns(RuntimeWarning, match="worker process stopped before finishing"):
        out = list(forked_map(_dies_on_three, [1, 2, 3, 4, 5, 6], 10, workers=2))
    assert out == [11, 12, 13, 14, 15, 16]


def test_an_error_in_a_worker_reaches_the_caller():
    with pytest.raises(ValueError, match="four is not allowed"):
        list(forked_map(_refuses_four, [1, 2, 3, 4, 5], None, workers=2))


def test_workers_do_not_fork_again():
    assert can_fork()
    assert list(forked_map(_nested, [1, 2], None, workers=2)) == [False, False]

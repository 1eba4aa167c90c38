"""Spreading independent work (checking files, rendering pages) over the machine's cores.

``fork_map(func, items)`` returns ``[func(item) for item in items]``, in order. For a
large list on a machine with several cores it forks worker processes, which inherit
``func`` and ``items`` (nothing is pickled on the way in; results are pickled on the way
back). Otherwise, or where fork is not available, it runs in this process. The result
is the same either way.
"""
from __future__ import annotations

import multiprocessing
import os
from typing import Callable, Sequence, TypeVar

T = TypeVar("T")
R = TypeVar("R")

_TASK: tuple | None = None  # (func, items), inherited by the forked workers


def cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def _run_slice(bounds: tuple[int, int]) -> list:
    func, items = _TASK
    return [func(item) for item in items[bounds[0]:bounds[1]]]


def fork_map(func: Callable[[T], R], items: Sequence[T], *, min_items: int = 200,
             workers: int | None = None) -> list[R]:
    global _TASK
    workers = cores() if workers is None else workers
    if workers < 2 or len(items) < min_items or "fork" not in multiprocessing.get_all_start_methods():
        return [func(item) for item in items]
    step = -(-len(items) // (workers * 4))
    slices = [(i, min(i + step, len(items))) for i in range(0, len(items), step)]
    _TASK = (func, items)
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            return [result for part in pool.map(_run_slice, slices) for result in part]
    finally:
        _TASK = None

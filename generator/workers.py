"""Spreading independent work (checking files, rendering pages) over the machine's cores.

``fork_map(func, items)`` returns ``[func(item) for item in items]``, in order, and
``fork_imap`` yields the same results one by one, holding only a slice of them at a
time. For a
large list on a machine with several cores it forks worker processes, which inherit
``func`` and ``items`` (nothing is pickled on the way in; results are pickled on the way
back). Otherwise, or where fork is not available, it runs in this process. The result
is the same either way. A worker that dies (killed, out of memory) or whose result
cannot be sent back raises :class:`WorkerFailed` here, with a message: never a hang.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from itertools import islice
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")

_TASK: tuple | None = None  # (func, items), inherited by the forked workers


class WorkerFailed(RuntimeError):
    """A worker process ended without handing back its results."""


def cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def _run_slice(bounds: tuple[int, int]) -> list:
    func, items = _TASK
    return [func(item) for item in items[bounds[0] : bounds[1]]]


def fork_map(
    func: Callable[[T], R], items: Sequence[T], *, min_items: int = 200, workers: int | None = None
) -> list[R]:
    return list(fork_imap(func, items, min_items=min_items, workers=workers))


def fork_imap(
    func: Callable[[T], R],
    items: Sequence[T],
    *,
    min_items: int = 200,
    workers: int | None = None,
    slice_size: int = 100,
) -> Iterator[R]:
    global _TASK
    workers = cores() if workers is None else workers
    if workers < 2 or len(items) < min_items or "fork" not in multiprocessing.get_all_start_methods():
        for item in items:
            yield func(item)
        return
    step = max(1, min(slice_size, -(-len(items) // (workers * 4))))
    slices = [(i, min(i + step, len(items))) for i in range(0, len(items), step)]
    _TASK = (func, items)
    try:
        # Unlike multiprocessing.Pool, the executor notices a worker that died and fails
        # every pending slice at once, instead of waiting for its result for ever.
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
            # A few slices in flight at a time: results wait in this process only until
            # the caller has taken the ones before them.
            pending: deque = deque()
            upcoming = iter(slices)
            for bounds in islice(upcoming, workers * 2):
                pending.append(pool.submit(_run_slice, bounds))
            while pending:
                part = _result(pending.popleft())
                for bounds in islice(upcoming, 1):
                    pending.append(pool.submit(_run_slice, bounds))
                yield from part
    finally:
        _TASK = None


def _result(future) -> list:
    try:
        return future.result()
    except BrokenProcessPool as exc:
        raise WorkerFailed(f"a worker process ended unexpectedly ({exc})") from None


def in_child(func: Callable[..., R], *args) -> R:
    """``func(*args)``, run in a forked process: what it imports and allocates on the way
    is freed with that process, and only its result comes back. Where fork is not
    available it runs here."""
    if "fork" not in multiprocessing.get_all_start_methods():
        return func(*args)
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)

    def run() -> None:
        try:
            send.send((True, func(*args)))
        except BaseException as error:  # handed to the parent, which raises it
            send.send((False, error))
        finally:
            send.close()

    process = context.Process(target=run)
    process.start()
    send.close()
    try:
        ok, value = receive.recv()
    except EOFError:
        raise RuntimeError(
            f"the process running {func.__name__} ended without a result (exit code {process.exitcode})"
        ) from None
    finally:
        process.join()
        receive.close()
    if not ok:
        raise value
    return value

"""Spreading independent work (checking files, rendering pages, comparing items) over the
machine's cores.

``fork_map(func, items)`` returns ``[func(item) for item in items]``, in order, and
``fork_imap`` yields the same results one by one, holding only a window of them at a
time. For a large list on a machine with several cores it starts worker processes, each
given ``func`` and ``items`` once when it starts, and then hands them slices of the list
by number; results come back pickled. Otherwise it runs in this process. The result is
the same either way. A worker that dies (killed, out of memory) or whose result cannot be
sent back raises :class:`WorkerFailed` here, with a message: never a hang. An exception
that ``func`` raises in a worker is raised here.

How workers start (:func:`start_method`): by *fork* where this process runs no other
thread, so that they inherit ``func`` and ``items`` and nothing is pickled on the way in.
Forking a process in which other threads run (the preview server's, watchdog's) can copy
a lock one of them holds into the child, which then waits for it for ever: there,
workers start by *forkserver* (or *spawn*), which run no code of this process's threads,
and ``func`` and ``items`` are pickled once per worker. Where they cannot be pickled, the
work runs in this process. Nothing here keeps state between calls: every call starts its
workers, and stops them before it returns.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import pickle
import threading
import traceback
from collections import deque
from collections.abc import Callable, Generator, Iterator, Sequence
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from typing import Any, Literal, TypeVar

T = TypeVar("T")
R = TypeVar("R")

Bounds = tuple[int, int]
Method = Literal["fork", "forkserver", "spawn"]
DEPTH = 2  # slices handed to a worker before its first is back: it never waits for the next
STOP_SECONDS = 10  # how long a stopped worker may take to finish before it is terminated


class WorkerFailed(RuntimeError):
    """A worker process ended without handing back its results."""


def cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def start_method() -> Method:
    """How to start workers now: *fork* where this process runs one thread, else
    *forkserver*, else *spawn* (see the module's description)."""
    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and threading.active_count() == 1:
        return "fork"
    return "forkserver" if "forkserver" in methods else "spawn"


def fork_map(
    func: Callable[[T], R],
    items: Sequence[T],
    *,
    min_items: int = 200,
    workers: int | None = None,
    method: Method | None = None,
) -> list[R]:
    return list(fork_imap(func, items, min_items=min_items, workers=workers, method=method))


def fork_imap(
    func: Callable[[T], R],
    items: Sequence[T],
    *,
    min_items: int = 200,
    workers: int | None = None,
    slice_size: int = 100,
    method: Method | None = None,
) -> Iterator[R]:
    """``func(item)`` for each item, in order. ``method``: a start method, by default
    :func:`start_method`'s choice."""
    workers = cores() if workers is None else workers
    if workers < 2 or len(items) < min_items:
        yield from map(func, items)
        return
    step = max(1, min(slice_size, -(-len(items) // (workers * 4))))
    slices = [(i, min(i + step, len(items))) for i in range(0, len(items), step)]
    yield from _in_processes(func, items, slices, workers, method or start_method())


def in_child(func: Callable[..., R], *args: Any) -> R:
    """``func(*args)``, run in a new process: what it imports and allocates on the way is
    freed with that process, and only its result comes back. Where the call cannot be
    handed to a process (see the module's description), it runs here."""
    results = _in_processes(_apply, [(func, args)], [(0, 1)], 1, start_method())
    try:
        return next(results)
    finally:
        results.close()


def _apply(call: tuple[Callable[..., R], tuple]) -> R:
    return call[0](*call[1])


# --- the workers ---------------------------------------------------------------------------


def _serve(func: Callable[[Any], Any], items: Sequence[Any], conn: Connection) -> None:
    """A worker: runs ``func`` over each slice of ``items`` it is sent, in order, and sends
    back the results (or the exception), until told to stop or the parent has gone."""
    while True:
        try:
            bounds = conn.recv()
        except (EOFError, OSError):
            return
        if bounds is None:
            return
        try:
            reply: tuple[bool, Any] = (True, [func(item) for item in items[bounds[0] : bounds[1]]])
        except BaseException as error:  # handed to the parent, which raises it
            error.add_note(f"in a worker process:\n{traceback.format_exc()}")
            reply = (False, error)
        try:
            conn.send(reply)
        except (EOFError, OSError):
            return
        except Exception as error:  # the result or the exception cannot be pickled
            conn.send((False, WorkerFailed(f"a worker's result could not be sent back ({error!r})")))


@dataclass
class _Worker:
    process: BaseProcess
    conn: Connection
    queued: deque[int] = field(default_factory=deque)  # numbers of the slices it was sent, in order


def _in_processes(
    func: Callable[[T], R], items: Sequence[T], slices: list[Bounds], workers: int, method: Method
) -> Generator[R, None, None]:
    """The results of ``func`` over ``items``, slice by slice, from ``workers`` processes."""
    pool: list[_Worker] = []
    try:
        for _ in range(min(workers, len(slices))):
            pool.append(_start(method, func, items))
    except (pickle.PicklingError, TypeError, AttributeError):
        if pool:  # the first worker started, so the job can be pickled: something else failed
            _stop(pool)
            raise
        # The job cannot be handed to a new interpreter (a function made at run time, an
        # open file): run it here. Only start methods other than fork pickle it.
        for start, stop in slices:
            yield from (func(item) for item in items[start:stop])
        return
    try:
        yield from _schedule(pool, slices)
    finally:
        _stop(pool)


def _start(method: Method, func: Callable, items: Sequence) -> _Worker:
    here, there = multiprocessing.Pipe()
    args = (func, items, there)
    process: BaseProcess
    if method == "fork":
        process = multiprocessing.get_context("fork").Process(target=_serve, args=args)
    elif method == "forkserver":
        process = multiprocessing.get_context("forkserver").Process(target=_serve, args=args)
    else:
        process = multiprocessing.get_context("spawn").Process(target=_serve, args=args)
    try:
        process.start()
    finally:
        there.close()  # the worker's end: only the worker holds it, so its death ends the pipe
    return _Worker(process, here)


def _schedule(pool: list[_Worker], slices: list[Bounds]) -> Iterator[Any]:
    """Hand out slices and yield their results in order. Results wait here only until the
    ones before them are taken: at most ``DEPTH`` slices a worker are out at a time."""
    done: dict[int, list] = {}
    sent = 0
    for number in range(len(slices)):
        while number not in done:
            while sent < len(slices) and sent < number + DEPTH * len(pool):
                worker = min(pool, key=lambda w: len(w.queued))
                if len(worker.queued) >= DEPTH:
                    break
                worker.conn.send(slices[sent])
                worker.queued.append(sent)
                sent += 1
            _receive(pool, done)
        yield from done.pop(number)


def _receive(pool: list[_Worker], done: dict[int, list]) -> None:
    """Wait for at least one result, or for a worker to end without one."""
    busy = [w for w in pool if w.queued]
    ready = wait([w.conn for w in busy] + [w.process.sentinel for w in busy])
    for worker in busy:
        if worker.conn in ready:
            try:
                ok, value = worker.conn.recv()
            except (EOFError, OSError):
                raise _failed(worker) from None
            number = worker.queued.popleft()
            if not ok:
                raise value
            done[number] = value
        elif worker.process.sentinel in ready and not worker.conn.poll():
            raise _failed(worker)


def _failed(worker: _Worker) -> WorkerFailed:
    worker.process.join(STOP_SECONDS)
    return WorkerFailed(f"a worker process ended unexpectedly (exit code {worker.process.exitcode})")


def _stop(pool: list[_Worker]) -> None:
    """Stop every worker: the idle ones when told, the busy ones at once (their results
    are no longer wanted)."""
    for worker in pool:
        if worker.queued:
            worker.process.terminate()
        else:
            with contextlib.suppress(OSError):
                worker.conn.send(None)
    for worker in pool:
        worker.process.join(STOP_SECONDS)
        if worker.process.exitcode is None:
            worker.process.terminate()
            worker.process.join()
        worker.conn.close()

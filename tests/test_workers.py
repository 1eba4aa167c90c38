"""The worker processes (generator.workers): the same results in order under every start
method, a dead worker is an error and never a hang, and workers are safe to start while
other threads run."""

from __future__ import annotations

import multiprocessing
import os
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest

from generator.workers import WorkerFailed, fork_imap, fork_map, in_child, start_method

REPO = Path(__file__).resolve().parent.parent
METHODS = [m for m in ("fork", "forkserver", "spawn") if m in multiprocessing.get_all_start_methods()]


def _square_or_fail(n: int) -> int:
    if n == 13:
        raise ValueError("thirteen")
    return n * n


def _dies_on_seven(n: int) -> int:
    if n == 7:
        os._exit(3)  # a worker killed (out of memory, a signal): no result, no exception
    return n


def _pid(_: object) -> int:
    return os.getpid()


@pytest.mark.parametrize("method", METHODS)
def test_the_same_results_in_order_under_each_start_method(method):
    items = list(range(-300, 300))
    assert fork_map(abs, items, min_items=1, workers=2, method=method) == [abs(n) for n in items]
    # In worker processes, not here, and the job reached them whatever the start method.
    pids = set(fork_map(_pid, list(range(40)), min_items=1, workers=2, method=method))
    assert os.getpid() not in pids and len(pids) >= 1


@pytest.mark.parametrize("method", METHODS)
def test_an_exception_in_a_worker_is_raised_here(method):
    with pytest.raises(ValueError, match="thirteen") as raised:
        fork_map(_square_or_fail, list(range(40)), min_items=1, workers=2, method=method)
    assert any("in a worker process" in note for note in raised.value.__notes__)


def test_a_function_that_cannot_be_pickled_runs_here_under_spawn():
    offset = 7
    items = list(range(50))
    assert fork_map(lambda n: n + offset, items, min_items=1, workers=2, method="spawn") == [n + 7 for n in items]


def test_fork_imap_holds_a_window_and_stops_its_workers_when_left():
    results = fork_imap(abs, list(range(-5000, 5000)), min_items=1, workers=2, slice_size=10)
    assert [next(results) for _ in range(25)] == [abs(n) for n in range(-5000, -4975)]
    results.close()  # the caller stops early: the workers are stopped, not left running
    assert not multiprocessing.active_children()


def test_workers_are_never_forked_while_another_thread_runs():
    assert start_method() == "fork" or "fork" not in multiprocessing.get_all_start_methods()
    release = threading.Event()
    thread = threading.Thread(target=release.wait, daemon=True)
    thread.start()
    try:
        assert start_method() in ("forkserver", "spawn")
        items = list(range(-300, 300))
        assert fork_map(abs, items, min_items=1, workers=2) == [abs(n) for n in items]
        assert in_child(sum, items) == sum(items) and in_child(_square_or_fail, 12) == 144
        with pytest.raises(ValueError, match="thirteen"):
            in_child(_square_or_fail, 13)
    finally:
        release.set()
        thread.join()


def test_in_child_runs_in_another_process():
    assert in_child(os.getpid) != os.getpid()
    assert in_child(divmod, 17, 5) == (3, 2)


def _run(script: str) -> str:
    """Run ``script`` in a new interpreter, which must finish within two minutes."""
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(script)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONPATH": f"{REPO}{os.pathsep}{REPO / 'tests'}"},
    )
    return done.stdout + done.stderr


@pytest.mark.parametrize("method", METHODS)
def test_a_worker_that_dies_is_an_error_not_a_hang_under_each_start_method(method):
    said = _run(f"""
        from test_workers import _dies_on_seven
        from generator.workers import WorkerFailed, fork_map
        if __name__ == "__main__":
            try:
                fork_map(_dies_on_seven, list(range(40)), min_items=1, workers=2, method={method!r})
            except WorkerFailed as exc:
                print("failed:", exc)
    """)
    assert said.startswith("failed: a worker process ended unexpectedly (exit code 3)"), said


def test_a_child_that_dies_is_an_error_not_a_hang():
    said = _run("""
        import os, threading
        from generator.workers import WorkerFailed, in_child
        if __name__ == "__main__":
            for thread in (False, True):  # forked, then started by the fork server
                if thread:
                    threading.Thread(target=threading.Event().wait, daemon=True).start()
                try:
                    in_child(os._exit, 5)
                except WorkerFailed as exc:
                    print("failed:", exc)
    """)
    assert said.splitlines() == ["failed: a worker process ended unexpectedly (exit code 5)"] * 2, said


def test_worker_failed_is_a_runtime_error():
    assert issubclass(WorkerFailed, RuntimeError)

"""`make bench`, memory: the generator's peak memory and time at 5,000 synthetic reviews
(``BENCH_MEMORY_SIZES``, default "5000"; ``BENCH_MEMORY_CORPORA``, default "synthetic",
or "synthetic,shipped" for copies of the shipped reviews as in tests/bench.py).

For each size and corpus, ``python -m generator generate`` runs from nothing in a new
process while this script samples, every 50 ms, the memory of that process and of the
worker processes it starts. It prints one row:

* **generator s**: the whole run; **similarity s** as the generator states it;
* **largest process MB**: the largest resident set any one process reached (the kernel's
  high-water mark, ``ru_maxrss``): what one process needs;
* **all processes MB**: the largest total, over the samples, of the proportional set
  sizes (PSS: pages shared by forked workers counted once) of the generator and its
  workers at the same moment: what the machine needs.

Figures come from one run on a shared machine. Not part of `make test`.
"""

from __future__ import annotations

import os
import sys
import tempfile
import threading
from pathlib import Path

sys.path[:0] = [str(Path(__file__).parent), str(Path(__file__).parent.parent)]

from bench import corpus_project, run  # noqa: E402

SIZES = [int(n) for n in os.environ.get("BENCH_MEMORY_SIZES", "5000").split(",")]
CORPORA = os.environ.get("BENCH_MEMORY_CORPORA", "synthetic").split(",")
SAMPLE = 0.05  # seconds between samples


def _children(pid: int) -> list[int]:
    try:
        found = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return []
    return [int(c) for c in found]


def _tree(pid: int) -> list[int]:
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(_children(p))
    return out


def _pss_kib(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def measure(root: Path, command: str = "generate") -> dict:
    """Run ``python -m generator COMMAND`` (by tests/bench.py's ``run``, which reports the
    largest process's high-water mark) and sample the memory of its processes meanwhile."""
    peak = [0]
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            # Below this process: bench.run's small measuring parent, and below it the
            # generator and its workers.
            measured = [p for child in _children(os.getpid()) for p in _tree(child)[1:]]
            peak[0] = max(peak[0], sum(_pss_kib(p) for p in measured))
            done.wait(SAMPLE)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    try:
        seconds, largest, said = run(root, command)
    finally:
        done.set()
        sampler.join()
    summary = said.strip().splitlines()[-1]
    return dict(
        seconds=seconds,
        similarity=summary.split("(similarity ")[1].split(" s)")[0] if "(similarity " in summary else "-",
        largest_mb=largest / 1024,
        total_mb=peak[0] / 1024,
    )


HEAD = ("corpus", "reviews", "generator s", "similarity s", "largest process MB", "all processes MB")


def row(corpus: str, count: int, work: Path) -> list:
    """One row of the table: a new project of ``count`` reviews of ``corpus``, generated."""
    print(f"measuring memory at {count} {corpus} reviews…", file=sys.stderr, flush=True)
    project, _ = corpus_project(corpus, count, work)
    r = measure(project.root)
    mb = [f"{r[k]:.0f}" for k in ("largest_mb", "total_mb")]
    return [corpus, count, f"{r['seconds']:.1f}", r["similarity"], *mb]


def main() -> None:
    print(f"load before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores", file=sys.stderr)
    with tempfile.TemporaryDirectory(prefix="bench-memory-") as work:
        rows = [row(corpus, count, Path(work)) for corpus in CORPORA for count in SIZES]
    lines = ["| " + " | ".join(str(c) for c in r) + " |" for r in [list(HEAD), ["---"] * len(HEAD), *rows]]
    print("\nGenerator memory (`python -m generator generate`, from nothing):\n\n" + "\n".join(lines))
    print(f"\nload after: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()

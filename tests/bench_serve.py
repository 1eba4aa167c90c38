"""The preview's columns of `make bench` alone, with the time each save takes to bring every
page up to date: ``python tests/bench_serve.py`` (``BENCH_SIZES``, ``BENCH_CORPORA`` as for
tests/bench.py). For each size and corpus, a cold ``serve`` (first answer, first page), then
5 saves of one word in one review: seconds until the review's page shows it (median, max),
until the second pass has brought every other page up to date (median, max), and the
slowest answer of the server meanwhile. Each save waits for the second pass of the one
before, unless ``BENCH_SERVE_SETTLE=0``: then, as in tests/bench.py, each save comes a
second after the one before shows (stopping its second pass), and the all-pages columns
are empty. Not part of `make test`.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

sys.path[:0] = [str(Path(__file__).parent), str(Path(__file__).parent.parent)]

from bench import CORPORA, SIZES, corpus_project, serve  # noqa: E402

SETTLE = os.environ.get("BENCH_SERVE_SETTLE", "1") != "0"
HEAD = (
    "corpus",
    "reviews",
    "first answer s",
    "first page s",
    "save→visible median s",
    "save→visible max s",
    "save→all pages median s",
    "save→all pages max s",
    "slowest answer meanwhile s",
)


def main() -> None:
    print(f"load before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores", file=sys.stderr)
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-serve-") as work:
        for corpus in CORPORA:
            for count in SIZES:
                print(f"serving {count} {corpus} reviews…", file=sys.stderr, flush=True)
                project, reviews = corpus_project(corpus, count, Path(work))
                r = serve(project.root, reviews[len(reviews) // 3], settle=SETTLE)
                rows.append(
                    [corpus, count]
                    + [f"{r[k]:.2f}" for k in ("first_answer", "first_page", "visible", "visible_max")]
                    + [f"{r[k]:.2f}" for k in ("complete", "complete_max", "answer_max")]
                )
                print("| " + " | ".join(str(c) for c in rows[-1]) + " |", file=sys.stderr, flush=True)
    print("| " + " | ".join(HEAD) + " |")
    print("|" + "---|" * len(HEAD))
    for row in rows:
        print("| " + " | ".join(str(c) for c in row) + " |")
    print(f"\nload after: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()

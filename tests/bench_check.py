"""`make bench`: seconds `check` takes over 400 synthetic review files of realistic size,
a quarter of them with a warning, a quarter with an error and a quarter with both, from
a cold start (no cache) on every core, as CI runs it. Called by tests/bench.py; run on
its own as ``python tests/bench_check.py [COUNT]``.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path[:0] = [str(Path(__file__).parent), str(Path(__file__).parent.parent)]

from synthetic import SCHEMA_LINE, write_corpus  # noqa: E402

REPO = Path(__file__).resolve().parent.parent


def damage(paths: list[Path]) -> None:
    """Give a quarter of the files a warning, a quarter an error, a quarter both."""
    for n, path in enumerate(paths):
        text = path.read_text(encoding="utf-8")
        if n % 4 in (1, 3):
            text = text.replace(SCHEMA_LINE, "", 1)  # warning: no schema line
        if n % 4 in (2, 3):
            text = text.replace("\nsummary:", "\nsumary:", 1)  # errors: an unknown field, a missing one
        path.write_text(text, encoding="utf-8")


def check_seconds(count: int = 400) -> tuple[float, str]:
    """Seconds for `python -m generator check` over ``count`` files, and its summary line."""
    with tempfile.TemporaryDirectory(prefix="bench-check-") as work:
        folder = Path(work) / "reviews"
        damage(sorted(p for p in write_corpus(folder, count)))
        start = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-m", "generator", "check", str(folder)],
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=600,
        )
        seconds = time.perf_counter() - start
    return seconds, done.stderr.strip().splitlines()[-1]


def report(count: int = 400) -> str:
    seconds, summary = check_seconds(count)
    return f"check over {count} files, seconds: {seconds:.1f} ({summary})"


if __name__ == "__main__":
    print(report(int(sys.argv[1]) if len(sys.argv) > 1 else 400))

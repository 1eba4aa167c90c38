"""`make bench`: the pipeline and the preview at 200, 500 and 2,000 reviews (``BENCH_SIZES``),
on two corpora (``BENCH_CORPORA``): ``synthetic`` (tests/synthetic.py) and ``shipped``
(copies of the shipped reviews under new ids, whose findings repeat each other word for
word, the hardest case for the similarity step).

For each size and corpus it prints one row:

* **cold make site**: ``python -m generator generate`` then ``build`` from nothing (the
  generator's time, its share and its peak memory are shown apart), against **raw
  mkdocs**, a plain ``mkdocs build`` of the same generated Markdown (``cold/raw``);
* **no-change make site**: ``build`` again with nothing changed;
* **edit + make site**: one word added to one finding, then ``build``;
* **serve**: seconds to the server's first answer and to the first built page of a cold
  ``python -m generator serve``; then 5 saves of one word in one review: the median and
  the slowest seconds from the save until the review's page shows the word, and the
  slowest answer of the server to requests made every 0.2 s meanwhile;
* the similarity step's seconds, pages, site size and the largest page; and, with
  Chromium installed, the search bundle's bytes and seconds for a first query.

Figures come from one run on a shared machine: read the ratios, not the seconds. Not part
of `make test`.
"""

from __future__ import annotations

import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

sys.path[:0] = [str(Path(__file__).parent), str(Path(__file__).parent.parent)]

import bench_check  # noqa: E402
from synthetic import REPO, copy_project, write_corpus  # noqa: E402

from generator.pipeline import SEARCH_GLOB, Project, mkdocs_build  # noqa: E402

SIZES = [int(n) for n in os.environ.get("BENCH_SIZES", "200,500,2000").split(",")]
CORPORA = os.environ.get("BENCH_CORPORA", "synthetic,shipped").split(",")
SAVES = 5
SERVE = os.environ.get("BENCH_SERVE", "1") != "0"  # BENCH_SERVE=0: leave the preview out (its columns show -)
LIMIT = 3600  # seconds to wait for any one step


def copy_shipped(folder: Path, count: int) -> None:
    """``count`` copies of the shipped reviews, each under a new id (its file name and id)."""
    shipped = sorted(p for p in (REPO / "reviews").glob("*.yaml") if not p.name.startswith("_"))
    texts = [(p.stem, p.read_text(encoding="utf-8")) for p in shipped]
    for number in range(count):
        old, text = texts[number % len(texts)]
        new = f"{old}-copy-{number:05d}"
        (folder / f"{new}.yaml").write_text(text.replace(f"\nid: {old}\n", f"\nid: {new}\n", 1), encoding="utf-8")


def edit_finding(path: Path, word: str) -> None:
    """Add ``word`` at the start of the review's first finding."""
    text = path.read_text(encoding="utf-8")
    start = text.index("\nfindings:")
    found = re.compile(r"text:\s*(?:>-?\s*\n\s*)?").search(text, start)
    path.write_text(text[: found.end()] + word + " " + text[found.end() :], encoding="utf-8")


def run(root: Path, command: str) -> tuple[float, int, str]:
    """``python -m generator COMMAND`` in a new process: seconds, its peak memory (KiB, the
    largest process it started included), and what it printed."""
    measure = (
        "import resource, subprocess, sys; done = subprocess.run(sys.argv[1:], capture_output=True, "
        "text=True); sys.stderr.write(done.stderr); "
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss); sys.exit(done.returncode)"
    )
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", measure, sys.executable, "-m", "generator", "--root", str(root), command],
        capture_output=True,
        text=True,
        cwd=REPO,
    )
    seconds = time.perf_counter() - start
    if done.returncode:
        raise SystemExit(done.stderr)
    return seconds, int(done.stdout.split()[-1]), done.stderr


def get(url: str, timeout: float = 60) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, ""


def wait(condition, limit: float = LIMIT, step: float = 0.05) -> float:
    start = time.perf_counter()
    while time.perf_counter() - start < limit:
        if condition():
            return time.perf_counter() - start
        time.sleep(step)
    raise SystemExit("timed out")


def serve(root: Path, review: Path, settle: bool = False) -> dict:
    """A cold preview: first answer, first page, then SAVES saves of one word. With
    ``settle``, each save also waits for the preview's second pass (every other page up
    to date, ``complete``) before the next."""
    log = root / "serve.log"
    start = time.perf_counter()
    with log.open("w") as handle:
        server = subprocess.Popen(
            [sys.executable, "-m", "generator", "--root", str(root), "serve", "--addr", "127.0.0.1:0"],
            cwd=REPO,
            stdout=handle,
            stderr=subprocess.STDOUT,
        )
    try:
        wait(lambda: "serving the preview on" in log.read_text())
        url = log.read_text().split("serving the preview on ")[1].split()[0]

        def answers() -> bool:
            try:
                return get(url, 5)[0] in (200, 503)
            except OSError:
                return False

        wait(answers)
        first_answer = time.perf_counter() - start
        wait(lambda: get(url)[0] == 200, step=0.5)
        first_page = time.perf_counter() - start
        page = f"{url}reviews/{review.stem}/"
        slowest = [0.0]
        stop = threading.Event()

        def keep_asking():
            while not stop.is_set():
                asked = time.perf_counter()
                try:
                    get(url + "themes/", 120)
                    slowest[0] = max(slowest[0], time.perf_counter() - asked)
                except OSError:
                    slowest[0] = float("inf")
                time.sleep(0.2)

        asker = threading.Thread(target=keep_asking, daemon=True)
        asker.start()
        visible, complete = [], []
        for number in range(1, SAVES + 1):
            word = f"Benchsave{number}"
            built = log.read_text().count("preview built")
            saved = time.perf_counter()
            edit_finding(review, word)
            visible.append(wait(lambda word=word: word in get(page)[1]))
            if settle:
                wait(lambda built=built: log.read_text().count("preview built") > built, step=0.2)
                complete.append(time.perf_counter() - saved)
            time.sleep(1)
        stop.set()
        asker.join()
        return dict(
            first_answer=first_answer,
            first_page=first_page,
            visible=statistics.median(visible),
            visible_max=max(visible),
            answer_max=slowest[0],
            complete=statistics.median(complete) if complete else float("nan"),
            complete_max=max(complete, default=float("nan")),
        )
    finally:
        server.terminate()
        server.wait()


def search_figures(site: Path) -> str:
    """Bytes the search page downloads (bundle and first query) and seconds to results."""
    try:
        from browser import CHROMIUM, chromium
        from browser import serve as serve_static
    except ImportError:
        return "-"
    if CHROMIUM is None:
        return "-"
    with serve_static(site) as base, chromium() as browser:
        page = browser.new_page()
        loaded = []
        page.on("response", lambda r: loaded.append(len(r.body())) if "/pagefind/" in r.url else None)
        page.goto(base + "search/")
        page.wait_for_function("document.querySelector('#cr-filter-nation') !== null")
        page.wait_for_load_state("networkidle")
        page.fill("#cr-search-q", "curiosity")
        start = time.perf_counter()
        page.keyboard.press("Enter")
        page.wait_for_function("Number(document.getElementById('cr-search-results').dataset.runs || 0) >= 1")
        return f"{sum(loaded) / 1e3:.0f} KB, {time.perf_counter() - start:.2f} s"


def size_of(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def corpus_project(corpus: str, count: int, work: Path) -> tuple[Project, list[Path]]:
    """A project in ``work`` holding ``count`` reviews of ``corpus``, and its review files."""
    project = copy_project(work / f"{corpus}-{count}", with_reviews=False)
    (write_corpus if corpus == "synthetic" else copy_shipped)(project.reviews, count)
    if corpus == "shipped":  # the shipped reviews' own vocabulary and support file, not the frozen ones
        for name in ("_themes.yaml", "_support.yaml"):
            shutil.copy(REPO / "reviews" / name, project.reviews / name)
    return project, sorted(p for p in project.reviews.glob("*.yaml") if not p.name.startswith("_"))


def bench(corpus: str, count: int, work: Path) -> dict:
    project, reviews = corpus_project(corpus, count, work)
    t_gen, peak, said = run(project.root, "generate")
    summary = said.strip().splitlines()[-1]
    t_rest, _, _ = run(project.root, "build")
    raw = project.root / "raw-site"
    t_raw = time.perf_counter()
    mkdocs_build(project, raw, parts=1)  # the plain `mkdocs build --strict`, on one core
    t_raw = time.perf_counter() - t_raw
    shutil.rmtree(raw)
    t_again, _, again = run(project.root, "build")
    assert "nothing to build" in again, again
    edit_finding(reviews[len(reviews) // 2], "Benchedit")
    t_edit, _, _ = run(project.root, "build")
    site = project.site
    html = [p.stat().st_size for p in site.rglob("*.html")]
    row = dict(
        corpus=corpus,
        reviews=count,
        pages=int(summary.split(": ")[1].split(" pages written")[0]),
        cold=t_gen + t_rest,
        raw=t_raw,
        gen=t_gen,
        peak_mb=peak / 1024,
        similarity=summary.split("(similarity ")[1].split(" s)")[0] if "(similarity " in summary else "-",
        again=t_again,
        edit=t_edit,
        site_mb=size_of(site) / 1e6,
        largest_kb=max(html) / 1e3,
        search=search_figures(site),
    )
    if SERVE:
        row.update(serve(project.root, reviews[len(reviews) // 3]))
    shutil.rmtree(project.root)
    return row


HEAD = (
    "corpus",
    "reviews",
    "pages",
    "cold make site s",
    "raw mkdocs s",
    "cold/raw",
    "generator s",
    "gen share",
    "gen peak MB",
    "similarity s",
    "no-change make site s",
    "edit + make site s",
    "serve first answer s",
    "serve first page s",
    "save→visible median s",
    "save→visible max s",
    "slowest answer meanwhile s",
    "site MB",
    "largest page KB",
    "search (bytes, first query)",
)


def cells(r: dict) -> list:
    def serve_cell(key: str, form: str) -> str:
        return format(r[key], form) if key in r else "-"

    return [
        r["corpus"],
        r["reviews"],
        r["pages"],
        f"{r['cold']:.1f}",
        f"{r['raw']:.1f}",
        f"{r['cold'] / r['raw']:.2f}",
        f"{r['gen']:.1f}",
        f"{r['gen'] / r['cold']:.1%}",
        f"{r['peak_mb']:.0f}",
        r["similarity"],
        f"{r['again']:.2f}",
        f"{r['edit']:.1f}",
        serve_cell("first_answer", ".2f"),
        serve_cell("first_page", ".1f"),
        serve_cell("visible", ".2f"),
        serve_cell("visible_max", ".2f"),
        serve_cell("answer_max", ".2f"),
        f"{r['site_mb']:.1f}",
        f"{r['largest_kb']:.0f}",
        r["search"],
    ]


def main() -> None:
    print(f"load before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores", file=sys.stderr)
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-") as work:
        for corpus in CORPORA:
            for count in SIZES:
                print(f"benchmarking {count} {corpus} reviews…", file=sys.stderr, flush=True)
                rows.append(bench(corpus, count, Path(work)))
                print("| " + " | ".join(str(c) for c in cells(rows[-1])) + " |", file=sys.stderr, flush=True)
    print("| " + " | ".join(HEAD) + " |")
    print("|" + "---|" * len(HEAD))
    for r in rows:
        print("| " + " | ".join(str(c) for c in cells(r)) + " |")
    print(f"\nload after: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; search indexes: {SEARCH_GLOB}")
    print(bench_check.report())  # issue 12: `check` over 400 files with warnings and errors


if __name__ == "__main__":
    main()

"""`make bench`: the pipeline on synthetic corpora of 200, 500 and 2,000 reviews.

Prints one table: seconds to generate, to run the MkDocs build, to index for search,
and in all; the raw baseline (a plain `mkdocs build` of the same generated Markdown);
pages written; site size; the largest HTML page; bytes a browser downloads for its
first search query and how long the results take to show; peak memory of the generator;
the similarity step (comparing every finding and recommendation with those of other
reviews) and its share of the total; a second, no-change run; and a run after editing one
review's title, which changes pages but not what the similarity step compares, so its
result comes from the cache. Figures are from one run on a shared machine: read the
ratios, not the seconds. Not part of `make test`.
"""
from __future__ import annotations

import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path[:0] = [str(Path(__file__).parent), str(Path(__file__).parent.parent)]

from generator.pipeline import SEARCH_GLOB, mkdocs_build, search_index  # noqa: E402
from synthetic import copy_project, write_corpus  # noqa: E402
import bench_check  # noqa: E402

SIZES = [int(n) for n in os.environ.get("BENCH_SIZES", "200,500,2000").split(",")]


def timed(func, *args):
    start = time.perf_counter()
    result = func(*args)
    return time.perf_counter() - start, result


def similarity_of(summary: str) -> str:
    """The similarity step's seconds from a summary line, or "cached"."""
    if "similarity from cache" in summary:
        return "cached"
    return summary.split("(similarity ")[1].split(" s)")[0]


def retitle_one(reviews: Path) -> None:
    path = sorted(reviews.glob("synthetic-review-*.yaml"))[0]
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("SYNTHETIC REVIEW", "SYNTHETIC (RETITLED) REVIEW", 1), encoding="utf-8")


def generator_run(root: Path) -> tuple[float, int, str]:
    """Run the generator in its own process: seconds, its peak memory (KiB), summary line."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "generator", "--root", str(root), "generate"],
                          capture_output=True, text=True, cwd=Path(__file__).parent.parent)
    seconds = time.perf_counter() - start
    if done.returncode:
        raise SystemExit(done.stderr)
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return seconds, max(peak, before) if peak > before else peak, done.stderr.strip().splitlines()[-1]


def first_search(site: Path, word: str) -> tuple[int, float]:
    """Bytes the search page downloads from the index for its first query, and the
    seconds from pressing Enter to the results being shown, in headless Chromium."""
    from browser import chromium, serve
    with serve(site) as base, chromium() as browser:
        page = browser.new_page()
        page.goto(base + "search/")
        page.wait_for_function("document.querySelector('#cr-filter-nation') !== null")
        loaded = []
        page.on("response", lambda r: loaded.append(len(r.body())) if "/pagefind/" in r.url else None)
        page.fill("#cr-search-q", word)
        start = time.perf_counter()
        page.keyboard.press("Enter")
        page.wait_for_function("Number(document.getElementById('cr-search-results').dataset.runs || 0) >= 1")
        seconds = time.perf_counter() - start
        before_query = sum(loaded)
        return before_query, seconds


def page_bytes_on_load(site: Path) -> int:
    """Bytes of the search bundle fetched while the search page loads (before any query)."""
    from browser import chromium, serve
    with serve(site) as base, chromium() as browser:
        page = browser.new_page()
        loaded = []
        page.on("response", lambda r: loaded.append(len(r.body())) if "/pagefind/" in r.url else None)
        page.goto(base + "search/")
        page.wait_for_function("document.querySelector('#cr-filter-nation') !== null")
        page.wait_for_load_state("networkidle")
        return sum(loaded)


def size_of(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def bench(count: int, work: Path) -> dict:
    project = copy_project(work / f"n{count}", with_reviews=False)
    write_corpus(project.reviews, count)
    shutil.rmtree(project.root / ".cache", ignore_errors=True)
    t_gen, peak_kib, summary = generator_run(project.root)
    pages = int(summary.split(": ")[1].split(" pages written")[0])
    site = project.root / "site"
    t_build, _ = timed(mkdocs_build, project, site)
    t_index, _ = timed(search_index, site)
    raw = project.root / "raw-site"
    t_raw, _ = timed(mkdocs_build, project, raw)  # the same Markdown, built again on its own
    shutil.rmtree(raw)
    t_again, _, again = generator_run(project.root)
    retitle_one(project.reviews)
    t_edit, _, edited = generator_run(project.root)
    html = [p.stat().st_size for p in site.rglob("*.html")]
    on_load = page_bytes_on_load(site)
    query_bytes, query_seconds = first_search(site, "curiosity")
    return dict(reviews=count, generate=t_gen, build=t_build, index=t_index, total=t_gen + t_build + t_index,
                raw=t_raw, pages=pages, site_mb=size_of(site) / 1e6, largest_kb=max(html) / 1e3,
                search_kb=(on_load + query_bytes) / 1e3, search_s=query_seconds, peak_mb=peak_kib / 1024,
                again=t_again, again_written=again.split(": ")[1].split(" pages written")[0],
                similarity=float(similarity_of(summary)), again_similarity=similarity_of(again),
                edit=t_edit, edit_similarity=similarity_of(edited))


def main() -> None:
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-") as work:
        for count in SIZES:
            print(f"benchmarking {count} synthetic reviews…", file=sys.stderr, flush=True)
            rows.append(bench(count, Path(work)))
    head = ("reviews", "generate s", "mkdocs s", "index s", "total s", "raw mkdocs s", "total/raw",
            "gen share", "pages", "site MB", "largest KB", "search KB", "search s", "gen peak MB",
            "rerun s", "rerun written", "similarity s", "similarity share", "rerun similarity",
            "title edit s", "title edit similarity")
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))
    for r in rows:
        cells = [r["reviews"], f"{r['generate']:.1f}", f"{r['build']:.1f}", f"{r['index']:.1f}",
                 f"{r['total']:.1f}", f"{r['raw']:.1f}", f"{r['total'] / r['raw']:.2f}",
                 f"{r['generate'] / r['total']:.1%}", r["pages"], f"{r['site_mb']:.1f}",
                 f"{r['largest_kb']:.0f}", f"{r['search_kb']:.0f}", f"{r['search_s']:.2f}",
                 f"{r['peak_mb']:.0f}", f"{r['again']:.2f}", r["again_written"], f"{r['similarity']:.1f}",
                 f"{r['similarity'] / r['total']:.1%}", r["again_similarity"], f"{r['edit']:.1f}",
                 r["edit_similarity"]]
        print("| " + " | ".join(str(c) for c in cells) + " |")
    if len(rows) > 1:
        small = next((r for r in rows if r["reviews"] == 500), rows[0])
        big = rows[-1]
        print(f"\ntotal at {big['reviews']} / total at {small['reviews']}: {big['total'] / small['total']:.2f} "
              f"(linear would be {big['reviews'] / small['reviews']:.1f})")
    print(f"search indexes: {SEARCH_GLOB}")
    print(bench_check.report())  # issue 12: `check` over 400 files with warnings and errors


if __name__ == "__main__":
    main()

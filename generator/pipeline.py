"""The whole flow, from review files to a built site: load -> validate -> index ->
render -> write, then ``mkdocs build --strict`` and the Pagefind search index into a
new folder that replaces ``site/`` only once it has fully succeeded.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from . import routes
from . import site as built_site
from .cache import RunCache, file_stats, inputs_digest
from .config import SiteInfo, site_info
from .errors import CheckFailed, SourceError
from .incremental import docs_files
from .split_build import cores, split_build
from .wellformed import malformed_xml
from .write import Written, owned_stats, write_pages

if TYPE_CHECKING:
    from .sitedata import SiteData
    from .validate import Checked
# The stages themselves (validate, index, recurrence, render, export) are imported when a
# run has work to do: a run with nothing to do does not pay seconds for importing them.


class _Under:
    """A path in the project: ``root`` joined with ``parts``, as a read-only attribute."""

    def __init__(self, *parts: str):
        self.parts = parts

    def __get__(self, project: Project, owner: type | None = None) -> Path:
        return project.root.joinpath(*self.parts)


@dataclass(frozen=True)
class Project:
    """Where things are. Everything is relative to the repository root."""

    root: Path

    reviews = _Under("reviews")
    docs = _Under("docs")
    site = _Under("site")
    config = _Under("mkdocs.yml")
    cache = _Under(".cache")
    # The build's temporary folders (see generator/site.py) and its record.
    site_new = _Under(".site-new")
    site_ready = _Under(".site-ready")
    site_old = _Under(".site-old")
    site_record = _Under(".cache", "site.json")
    preview_site = _Under(".cache", "preview-site")  # where ``serve`` builds (kept, so a restart is quick)

    def site_info(self) -> SiteInfo:
        """The configuration the pages need (see :mod:`generator.config`); raises
        :class:`CheckFailed` with its problems, each at its line of ``mkdocs.yml``."""
        return site_info(self.config, self.cache)


@dataclass
class Generated:
    reviews: int
    themes: int
    written: Written
    warnings: list[SourceError]
    seconds: float
    similarity_seconds: float = 0.0  # comparing items across reviews; 0 when taken from the cache
    similarity_cached: bool = True
    site_current: bool = False  # build: site/ was already built from these inputs

    def summary(self) -> str:
        w = self.written
        similarity = (
            "similarity from cache" if self.similarity_cached else f"similarity {self.similarity_seconds:.2f} s"
        )
        return (
            f"generated {self.reviews} reviews, {self.themes} themes: "
            f"{len(w.written)} pages written, {w.unchanged} unchanged, {len(w.removed)} removed "
            f"in {self.seconds:.2f} s ({similarity})"
        )


def check_project(project: Project, cache: dict | None = None, *, todo_level: str = "error") -> Checked:
    """Check every file in reviews/. The preview passes ``todo_level="warning"``."""
    from .validate import check

    return check([project.reviews], root=project.root, cache=cache, todo_level=todo_level)


def _inputs(project: Project) -> list[Path]:
    # Every entry of reviews/, so that a file the check refuses (.yml, a link) counts too.
    found = project.reviews.iterdir() if project.reviews.is_dir() else ()
    return sorted(p for p in found if not p.name.startswith(".")) + [project.config]


def _quiet(_message: str) -> None:
    pass


def generate(project: Project, progress=_quiet, *, todo_level: str = "error") -> Generated:
    """Check every file, then (only if all are valid) write the generated pages.

    When no input has changed since the last run and the pages on disk are as it left
    them, there is nothing to do (see :mod:`generator.cache`).
    """
    start = time.perf_counter()
    site = project.site_info()  # first: a bad configuration stops the run before anything is written
    cache = RunCache(project.cache)
    inputs = _inputs(project)
    digest = inputs_digest(inputs, f"{todo_level}\0{site}")  # site: as resolved (!ENV, INHERIT)
    if unchanged := _as_last_run(project, cache.state(), digest, start):
        return unchanged

    from .export import data_files
    from .render import render_site

    reviews_cache = cache.reviews()
    cached_before = set(reviews_cache)
    progress(f"checking {len(inputs) - 1} files")
    checked = check_project(project, reviews_cache, todo_level=todo_level)
    if checked.errors:
        raise CheckFailed(checked.problems)
    data = _site_data(checked, site, cache, progress)
    index, compared = data.index, data.recurrence
    assert compared is not None
    progress("rendering and writing pages")
    pages = render_site(data, also=data_files(data))
    written = write_pages(project.docs, pages)  # each page written as it is rendered
    in_use = {r.id for r in checked.reviews}
    kept = {k: v for k, v in reviews_cache.items() if v[0].id in in_use}
    if set(kept) != cached_before:  # rewriting an unchanged cache costs seconds at thousands of reviews
        cache.save_reviews(kept)
    cache.save_state(
        {
            "digest": digest,
            "reviews": len(index.reviews),
            "themes": len(index.themes),
            "warnings": [asdict(w) for w in checked.warnings],
            "outputs": file_stats(project.docs, written.paths),
        }
    )
    return Generated(
        len(index.reviews),
        len(index.themes),
        written,
        checked.warnings,
        time.perf_counter() - start,
        compared.seconds,
        compared.cached,
    )


def _site_data(checked: Checked, site: SiteInfo, cache: RunCache, progress) -> SiteData:
    """What the pages are made from, built once: index, comparison, support, settings, routes."""
    from .index import build_index
    from .recurrence import recurrence
    from .sitedata import site_data

    if checked.vocabulary is None or checked.support is None:
        missing = "reviews/_themes.yaml" if checked.vocabulary is None else "reviews/_support.yaml"
        raise CheckFailed([SourceError(missing, 1, 1, "", "the file is missing", "restore it from the repository")])
    progress(f"indexing {len(checked.reviews)} reviews")
    index = build_index(checked.reviews, checked.vocabulary)
    progress("comparing findings and recommendations across reviews")
    compared = recurrence(index, cache, tuple(checked.pairs))
    return site_data(index, compared, checked.support, site)


def _as_last_run(project: Project, state: dict | None, digest: str, start: float) -> Generated | None:
    """What the last run did, when nothing has changed since and its pages are intact."""
    if not state or state.get("digest") != digest or not _intact(project, state.get("outputs", {})):
        return None
    return Generated(
        state["reviews"],
        state["themes"],
        Written(project.docs, unchanged=len(state["outputs"])),
        [SourceError(**w) for w in state["warnings"]],
        time.perf_counter() - start,
    )


def _intact(project: Project, outputs: dict) -> bool:
    """Every page the last run wrote is still on disk as it left it, and no other."""
    try:
        return owned_stats(project.docs) == outputs
    except OSError:
        return False


class BuildFailed(Exception):
    """MkDocs did not build the site; its output says why."""


EPOCH = "SOURCE_DATE_EPOCH"


def mkdocs_env(project: Project) -> dict:
    """The environment MkDocs builds in (the same for ``build`` and ``serve``)."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    if EPOCH not in env:  # the sitemap's dates: the last commit's, so rebuilds match
        commit = subprocess.run(
            ["git", "-C", str(project.root), "log", "-1", "--format=%ct"], capture_output=True, text=True
        )
        if commit.returncode == 0 and commit.stdout.strip().isdigit():
            env[EPOCH] = commit.stdout.strip()
    return env


def mkdocs_build(
    project: Project,
    site_dir: Path,
    strict: bool = True,
    env: dict | None = None,
    parts: int | None = None,
    dirty: bool = False,
) -> None:
    """``mkdocs build`` into ``site_dir``: in ``parts`` processes at once (one per core
    by default, see :mod:`generator.split_build`), or, with ``parts=1``, the plain command.
    ``dirty``: ``site_dir`` holds an earlier build, and only the changed pages are built."""
    env = env or mkdocs_env(project)
    parts = parts or cores()
    if parts > 1 or dirty:
        ok, said = split_build(project.config, site_dir, parts=parts, strict=strict, env=env, dirty=dirty)
        if not ok:
            raise BuildFailed(said or "mkdocs failed")
        return
    # Not --quiet: it hides the warnings that --strict counts, so a broken link would pass.
    command = [sys.executable, "-m", "mkdocs", "build", "-f", str(project.config), "-d", str(site_dir)]
    if strict:
        command.append("--strict")
    done = subprocess.run(command, cwd=project.root, capture_output=True, text=True, env=env)
    if done.returncode != 0:
        raise BuildFailed((done.stdout + done.stderr).strip() or f"mkdocs exited with {done.returncode}")


# Pages the search indexes: reviews, themes (their first page) and the two guides; the
# listings would only repeat what those pages say. Only each page's <article> is read.
SEARCH_GLOB = routes.search_glob()  # as the routes are now (tests/bench.py prints it)


def search_index(site_dir: Path) -> None:
    """Index the built site with Pagefind, into ``site_dir/pagefind/``."""
    command = [
        sys.executable,
        "-m",
        "pagefind",
        "--site",
        str(site_dir),
        "--glob",
        routes.search_glob(),
        "--root-selector",
        "article",
        "--exclude-selectors",
        ".headerlink",
        "--exclude-selectors",
        ".cr-cite",
        "--quiet",
    ]
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        raise BuildFailed((done.stdout + done.stderr).strip() or f"pagefind exited with {done.returncode}")


def build(project: Project, progress=_quiet) -> Generated:
    """Generate, then build the site into a new folder and swap it in whole.

    If anything fails, ``site/`` and the generated pages in ``docs/`` are left exactly
    as they were before. When ``site/`` was built from exactly these inputs and is
    intact, there is nothing to build (see :mod:`generator.site`).
    """
    built_site.recover(project)
    generated = generate(project, progress)
    env = mkdocs_env(project)
    stamp = built_site.stamp(project, (RunCache(project.cache).state() or {}).get("outputs", {}), env)
    last = built_site.record(project)
    if last.get("intact") and last.get("stamp") == stamp:
        generated.site_current = True
        return generated
    config, docs = built_site.config_digest(project), docs_files(project.docs)
    # Only pages changed, none went away: start from site/ and rebuild just those.
    changed_only = (
        last.get("intact")
        and last.get("config") == config
        and last.get("epoch") == env.get(EPOCH)
        and set(last.get("docs", ())) <= set(docs)
    )
    fresh = project.site_new
    try:
        if changed_only:
            progress("rebuilding the changed pages with MkDocs")
            shutil.copytree(
                project.site, fresh, ignore=lambda folder, names: ["pagefind"] if Path(folder) == project.site else []
            )
            mkdocs_build(project, fresh, env=env, dirty=True)  # on every core, as a full build
        else:
            progress("building the site with MkDocs")
            mkdocs_build(project, fresh, env=env)
        progress("indexing the site for search")
        search_index(fresh)
        if bad := malformed_xml(fresh):  # the feeds and the sitemap, which --strict does not read
            raise BuildFailed("\n".join(bad))
    except BaseException:
        shutil.rmtree(fresh, ignore_errors=True)
        generated.written.rollback()
        raise
    built_site.forget(project)
    built_site.swap_in(project, fresh)
    built_site.remember(project, stamp, config, docs, env.get(EPOCH))
    return generated

"""The whole flow, from review files to a built site: load -> validate -> index ->
render -> write, then ``mkdocs build --strict`` into a new folder that replaces
``site/`` only once it has fully succeeded.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import yaml

from .errors import CheckFailed, SourceError
from .index import Index, build_index
from .render import SiteInfo, render_site
from .validate import Checked, check
from .write import Written, write_pages


@dataclass(frozen=True)
class Project:
    """Where things are. Everything is relative to the repository root."""

    root: Path

    @property
    def reviews(self) -> Path:
        return self.root / "reviews"

    @property
    def docs(self) -> Path:
        return self.root / "docs"

    @property
    def site(self) -> Path:
        return self.root / "site"

    @property
    def config(self) -> Path:
        return self.root / "mkdocs.yml"

    def site_info(self) -> SiteInfo:
        try:
            config = yaml.safe_load(self.config.read_text(encoding="utf-8")) or {}
        except (OSError, yaml.YAMLError):
            config = {}
        url = str(config.get("site_url") or "")
        repo = str(config.get("repo_url") or "").rstrip("/")
        edit_base = f"{repo}/edit/main/" if repo else ""
        return SiteInfo(name=str(config.get("site_name") or "Case reviews"),
                        url=url if not url or url.endswith("/") else url + "/",
                        repo_url=repo, edit_base=edit_base)


@dataclass
class Generated:
    checked: Checked
    index: Index
    written: Written
    seconds: float

    def summary(self) -> str:
        w = self.written
        return (f"generated {len(self.index.reviews)} reviews, {len(self.index.themes)} themes: "
                f"{len(w.written)} pages written, {w.unchanged} unchanged, {len(w.removed)} removed "
                f"in {self.seconds:.2f} s")


def check_project(project: Project) -> Checked:
    return check([project.reviews], root=project.root)


def generate(project: Project) -> Generated:
    """Check every file, then (only if all are valid) write the generated pages."""
    start = time.perf_counter()
    checked = check_project(project)
    if checked.errors:
        raise CheckFailed(checked.problems)
    if checked.vocabulary is None or checked.support is None:
        missing = "reviews/_themes.yaml" if checked.vocabulary is None else "reviews/_support.yaml"
        raise CheckFailed([SourceError(missing, 1, 1, "", "the file is missing",
                                       "restore it from the repository")])
    index = build_index(checked.reviews, checked.vocabulary)
    pages = render_site(index, checked.support, project.site_info())
    written = write_pages(project.docs, pages)
    return Generated(checked, index, written, time.perf_counter() - start)


class BuildFailed(Exception):
    """MkDocs did not build the site; its output says why."""


def mkdocs_build(project: Project, site_dir: Path, strict: bool = True) -> None:
    # Not --quiet: it hides the warnings that --strict counts, so a broken link would pass.
    command = [sys.executable, "-m", "mkdocs", "build", "-f", str(project.config), "-d", str(site_dir)]
    if strict:
        command.append("--strict")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    done = subprocess.run(command, cwd=project.root, capture_output=True, text=True, env=env)
    if done.returncode != 0:
        raise BuildFailed((done.stdout + done.stderr).strip() or f"mkdocs exited with {done.returncode}")


def build(project: Project) -> Generated:
    """Generate, then build the site into a new folder and swap it in whole.

    If anything fails, ``site/`` and the generated pages in ``docs/`` are left exactly
    as they were before.
    """
    generated = generate(project)
    fresh = project.root / ".site-new"
    stale = project.root / ".site-old"
    for leftover in (fresh, stale):
        shutil.rmtree(leftover, ignore_errors=True)
    try:
        mkdocs_build(project, fresh)
    except BaseException:
        shutil.rmtree(fresh, ignore_errors=True)
        generated.written.rollback()
        raise
    if project.site.exists():
        project.site.rename(stale)
    fresh.rename(project.site)
    shutil.rmtree(stale, ignore_errors=True)
    return generated

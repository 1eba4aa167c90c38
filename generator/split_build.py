"""``mkdocs build --strict`` on every core: the same site, built by several processes.

A plain ``mkdocs build`` runs on one core, and at thousands of pages it is most of a
cold build. Here each of ``parts`` processes runs MkDocs' own build steps (the functions
of ``mkdocs.commands.build`` in the pinned MkDocs 1.6) on the whole site (its files and
its navigation) but reads, converts and writes only its share of the pages; the first
also copies the static files and writes the theme's pages (``404.html``, the sitemap).
A page's HTML depends only on itself, the navigation, the configuration and the list of
files, so the site is byte for byte the one a single process builds
(``tests/test_split_build.py`` proves it). Pages listed in the navigation are read (not
converted) by every process, as their front matter shows in the navigation.

Every warning still fails the build (strict mode): each process counts its own, and the
build fails if any process saw one. Where splitting could change the result (a plugin
that sees every page, or anchors validated at warning level, which needs every page
converted in one process), one process builds everything as ``mkdocs build`` does.
No MkDocs plugin or hook is involved.

Run as ``python -m generator.split_build CONFIG SITE_DIR PART PARTS [--strict] [--dirty=NS]``.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Sequence

    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import File


def cores() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def split_build(
    config_file: Path, site_dir: Path, *, parts: int, strict: bool, env: dict, dirty: bool = False
) -> tuple[bool, str]:
    """Build the site into ``site_dir`` in ``parts`` processes at once; return whether every
    one succeeded, and what they said. ``site_dir`` is emptied first, unless ``dirty``: then
    it holds an earlier build, and only the pages whose Markdown is newer than their HTML
    are built again (as ``mkdocs build --dirty`` does), shared out in the same way."""
    from mkdocs.utils import clean_directory

    if not dirty:
        clean_directory(str(site_dir))  # as MkDocs does first
    command = [sys.executable, "-m", "generator.split_build", str(config_file), str(site_dir)]
    # Which pages are stale is decided by each process against the time the build started,
    # so that a page another process has already rebuilt still counts as stale in all of them.
    flags = (["--strict"] if strict else []) + ([f"--dirty={time.time_ns()}"] if dirty else [])
    root = Path(__file__).resolve().parent.parent
    running = [
        subprocess.Popen(
            [*command, str(part), str(parts), *flags],
            cwd=config_file.parent,
            env={**env, "PYTHONPATH": os.pathsep.join(filter(None, [str(root), env.get("PYTHONPATH")]))},
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for part in range(parts)
    ]
    said = [process.communicate()[0] for process in running]
    ok = all(process.returncode == 0 for process in running)
    return ok, "\n".join(text.strip() for text in said if text.strip())


class _Counter(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


def _one_process_only(config: MkDocsConfig) -> bool:
    """Whether splitting could change the site or its warnings."""
    return bool(config.plugins) or config.validation.links.anchors >= logging.WARNING


def share(pages: Sequence[File], part: int, parts: int) -> set[File]:
    """The pages process ``part`` of ``parts`` builds. Converting a page's Markdown costs
    about its size, and a few listing pages are far larger than the rest: the largest go
    first, each to the process with the least so far (the same choice in every process)."""
    sizes = {file: os.path.getsize(file.abs_src_path) if file.abs_src_path else 0 for file in pages}
    loads = [0] * parts
    mine = set()
    for file in sorted(pages, key=lambda file: (-sizes[file], file.src_uri)):
        least = loads.index(min(loads))
        loads[least] += sizes[file]
        if least == part:
            mine.add(file)
    return mine


def stale(file: File, since: int) -> bool:
    """Whether a page must be built again in a dirty build that started at ``since`` (ns):
    its HTML is missing, older than its Markdown, or was written by this build."""
    try:
        built = os.stat(file.abs_dest_path).st_mtime_ns
    except FileNotFoundError:
        return True
    return built >= since or file.abs_src_path is None or built < os.stat(file.abs_src_path).st_mtime_ns


def _build_share(config: MkDocsConfig, part: int, parts: int, since: int | None = None) -> None:
    """MkDocs' ``build`` (mkdocs/commands/build.py, 1.6.1, no plugins, not serving) for the
    pages :func:`share` gives process ``part``: of every page, or (a dirty build started at
    ``since``) of the :func:`stale` ones."""
    from mkdocs.commands import build as mkdocs
    from mkdocs.structure.files import InclusionLevel, get_files, set_exclusions
    from mkdocs.structure.nav import get_navigation
    from mkdocs.structure.pages import Page

    files = get_files(config)
    env = config.theme.get_env()
    files.add_files_from_theme(env, config)
    set_exclusions(files, config)
    nav = get_navigation(files, config)
    pages = files.documentation_pages(inclusion=InclusionLevel.is_included)
    mine = share(pages if since is None else [file for file in pages if stale(file, since)], part, parts)
    in_nav = {page.file.src_uri for page in nav.pages}
    for file in pages:
        if file.page is None and file.inclusion.is_not_in_nav():
            Page(None, file, config)
        assert file.page is not None
        if file in mine:
            mkdocs._populate_page(file.page, config, files)
        elif file.src_uri in in_nav:
            file.page.read_source(config)  # its front matter shows in the navigation
    if part == 0:
        files.copy_static_files(dirty=since is not None, inclusion=InclusionLevel.is_included)
        for template in config.theme.static_templates:
            mkdocs._build_theme_template(template, env, files, config, nav)
        for template in config.extra_templates:
            mkdocs._build_extra_template(template, files, config, nav)
    for file in pages:
        if file not in mine:
            continue
        assert file.page is not None
        mkdocs._build_page(file.page, config, pages, nav, env)
        file.page.content = None  # as MkDocs does: a large site is not held in memory whole
    for file in mine:
        assert file.page is not None
        file.page.validate_anchor_links(files=files, log_level=config.validation.links.anchors)


def build_part(config_file: str, site_dir: str, part: int, parts: int, strict: bool, since: int | None = None) -> int:
    """One process's share of the build (a dirty one when ``since`` is given); its exit code."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    logger = logging.getLogger("mkdocs")
    logger.setLevel(logging.INFO)
    logger.propagate = False
    shown = logging.StreamHandler(sys.stdout)
    shown.setLevel(logging.WARNING)
    shown.setFormatter(logging.Formatter("{levelname:<8}-  {message}", style="{"))
    counter = _Counter()
    logger.addHandler(shown)
    logger.addHandler(counter)
    try:
        # As the command line does: without --strict, mkdocs.yml's own setting holds.
        config = load_config(config_file, site_dir=site_dir, strict=True if strict else None)
        if _one_process_only(config):
            if part == 0:
                build(config, dirty=since is not None)
            return 0
        _build_share(config, part, parts, since)
    except MkDocsException as exc:
        print(f"Aborted: {exc}")
        return 1
    except Exception as exc:  # what MkDocs raises for a page it cannot build, already logged
        print(f"Aborted: {type(exc).__name__}: {exc}")
        return 1
    if counter.count and config.strict:
        print(f"Aborted with {counter.count} warnings in strict mode!")
        return 1
    return 0


def main(argv: list[str]) -> int:
    config_file, site_dir, part, parts, *flags = argv
    dirty = [int(flag.split("=", 1)[1]) for flag in flags if flag.startswith("--dirty=")]
    return build_part(config_file, site_dir, int(part), int(parts), "--strict" in flags, dirty[0] if dirty else None)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

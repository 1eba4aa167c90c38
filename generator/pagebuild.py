"""Building chosen pages only: the preview's first pass, through MkDocs' own Python API.

A dirty build (:mod:`generator.incremental`) renders only the pages whose Markdown is
newer than their HTML, but still does, for every page of the site, what every build
does: check whether it changed, copy the assets that changed, write the sitemap and
check the anchors of every link. At thousands of pages that takes seconds. Here MkDocs
collects the files and the navigation as any build does, then reads, renders and writes
only the pages named: each comes out as a full build would make it, since a page's HTML
depends on its own Markdown, the navigation and the configuration, which are the same.
The sitemap, the theme's pages and the assets are left as they are; the next dirty build
brings them up to date. No MkDocs plugin or hook is involved.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path


class _Said(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def build_pages(config_file: Path, site_dir: Path, pages: list[str], compiled: Path | None = None) -> list[str]:
    """Render the pages at ``pages`` (paths relative to ``docs/``) into the built
    ``site_dir``; return MkDocs' warnings. A page that warns is marked as changed, so that
    the next dirty build renders it again and reports them. ``compiled``: a folder where
    the theme's templates are kept compiled between calls (Jinja's bytecode cache, keyed
    by each template's text)."""
    from jinja2 import FileSystemBytecodeCache
    from mkdocs.commands.build import _build_page, _populate_page
    from mkdocs.config import load_config
    from mkdocs.structure.files import get_files
    from mkdocs.structure.nav import get_navigation
    from mkdocs.structure.pages import Page

    config = load_config(str(config_file), site_dir=str(site_dir))
    config.strict = False
    config = config.plugins.on_config(config)
    files = get_files(config)
    env = config.theme.get_env()
    if compiled is not None:
        compiled.mkdir(parents=True, exist_ok=True)
        env.bytecode_cache = FileSystemBytecodeCache(str(compiled))
    files.add_files_from_theme(env, config)
    files = config.plugins.on_files(files, config=config)
    nav = get_navigation(files, config)
    nav = config.plugins.on_nav(nav, config=config, files=files)
    docs = files.documentation_pages()
    for file in docs:  # as a build does: every page has its Page, in the navigation or not
        if file.page is None and file.inclusion.is_not_in_nav():
            Page(None, file, config)
    named = [found for rel in pages if (found := files.get_file_from_path(rel)) is not None]
    for file in named:
        if not file.is_documentation_page():
            file.copy_file()  # a redirect page, copied as it is
    chosen = [file.page for file in named if file.page is not None]
    said = _Said()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(said)
    try:
        for page in chosen:
            _populate_page(page, config, files)
        env = config.plugins.on_env(env, config=config, files=files)
        for page in chosen:
            _build_page(page, config, docs, nav, env)
            page.validate_anchor_links(files=files, log_level=config.validation.links.anchors)
    finally:
        logger.removeHandler(said)
    if said.messages:
        for page in chosen:  # newer than its HTML: the next dirty build renders it again
            built = os.stat(str(page.file.abs_dest_path)).st_mtime_ns
            os.utime(str(page.file.abs_src_path), ns=(built + 10**9, built + 10**9))
    return said.messages

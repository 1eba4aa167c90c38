"""Rebuilding only the pages that changed, for the preview: MkDocs' own *dirty* build,
through its Python API, in the preview's worker. (``make site`` rebuilds changed pages on
every core instead, with :func:`generator.split_build.split_build` and ``dirty=True``.)

A dirty build reads and renders only the pages whose Markdown is newer than their HTML,
which are exactly the pages the generator (or an editor) rewrote, since the generator
leaves unchanged pages untouched; the theme's pages, the sitemap and the assets are made
as in a full build. Pages whose Markdown went away are removed here. The result is the
same as a full build (``tests/test_incremental.py`` proves it after a series of edits).
A change to the configuration or the overrides needs a full build: they shape every page.
No MkDocs plugin or hook is involved.
"""

from __future__ import annotations

import logging
import os
from contextlib import contextmanager
from pathlib import Path


class _Warnings(logging.Handler):
    """MkDocs' warnings during one build, except the notice that a build is dirty."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if "'dirty' build" not in message:
            self.messages.append(message)


def quiet_dirty_notice(record: logging.LogRecord) -> bool:
    """A logging filter: MkDocs' notice that a build is dirty says nothing to an editor."""
    return "'dirty' build" not in record.getMessage()


@contextmanager
def _environment(env: dict | None):
    saved = {key: os.environ.get(key) for key in (env or {})}
    os.environ.update(env or {})
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def docs_files(docs: Path) -> list[str]:
    return sorted(p.relative_to(docs).as_posix() for p in docs.rglob("*") if p.is_file())


def build_changed(config_file: Path, site_dir: Path, *, clean: bool, removed=(), env: dict | None = None) -> list[str]:
    """Build into ``site_dir`` (everything if ``clean``, else only what changed, first
    removing the output of the ``removed`` pages, paths relative to ``docs/``); return
    MkDocs' warnings. Raises what MkDocs raises when it cannot build."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.structure.files import File

    config = load_config(str(config_file), site_dir=str(site_dir))
    config.strict = False  # warnings are returned to the caller, which decides
    for rel in removed:
        gone = Path(File(rel, config.docs_dir, str(site_dir), config.use_directory_urls).abs_dest_path)
        gone.unlink(missing_ok=True)
        if gone.parent != site_dir and gone.parent.is_dir() and not any(gone.parent.iterdir()):
            gone.parent.rmdir()
    warnings = _Warnings()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(warnings)
    try:
        with _environment(env):
            build(config, dirty=not clean)
    finally:
        logger.removeHandler(warnings)
    return warnings.messages

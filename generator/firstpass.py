"""The preview's first pass: a saved review's own page, shown before the rest of the site.

The preview shows a save in two passes, as Hugo's "fast render mode" does:

1. **First pass** (this module, in a long-lived worker process): only the saved review
   files are read and checked (with the theme vocabulary and the support file). If they
   are valid, each one's own pages (its page and its redirects) are rendered and written,
   and the preview builds and shows them at once. What those pages take from the rest of
   the site (related reviews, similar items from other reviews) comes from the last full
   generation this worker read (:class:`Baseline`), with the saved review in place of its
   old version: it may be a save behind until the second pass.
2. **Second pass**: the full generation (:func:`generator.pipeline.generate`), which
   brings every page up to date (related reviews, themes, facets, listings, feeds, data)
   and writes only what changed. After it, ``docs/`` is exactly what a full generation
   gives, whatever the first pass wrote.

A save the first pass cannot show by itself (the vocabulary, the support file, the judged
pairs, a template, an invalid file, a file that went away) is left to the second pass.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .config import SiteInfo
from .files import atomic_write
from .index import Index, build_index
from .model import Review, Support, Vocabulary
from .pipeline import Project, check_project
from .recurrence import Match, Recurrence
from .render import render_chosen
from .sitedata import site_data
from .validate import SUFFIX, check
from .write import is_owned


@dataclass(frozen=True)
class Baseline:
    """The last full generation's index and similar items, as this worker read it."""

    index: Index
    recurrence: Recurrence | None


def load_baseline(project: Project) -> Baseline | None:
    """The index of the reviews on disk, with the similar items the last full generation
    cached; None if the reviews are not all valid."""
    from .cache import RunCache
    from .recurrence import inputs_key

    cache = RunCache(project.cache)
    checked = check_project(project, cache.reviews(), todo_level="warning")
    if checked.errors or checked.vocabulary is None:
        return None
    index = build_index(checked.reviews, checked.vocabulary)
    found = cache.load("recurrence", inputs_key(index, tuple(checked.pairs)))
    return Baseline(index, found if isinstance(found, Recurrence) else None)


def saved_reviews(project: Project, changed: Iterable[Path]) -> list[Path] | None:
    """The review files among ``changed``, if that is all there is and each is still there;
    otherwise None (the second pass alone shows the change)."""
    files = sorted(set(changed))
    for path in files:
        if path.parent != project.reviews or path.suffix != SUFFIX or path.name.startswith(("_", ".")):
            return None
        if not path.is_file() or path.is_symlink():
            return None
    return files or None


def _merged(mine: Index, base: Baseline | None) -> tuple[Index, Recurrence | None]:
    """``mine`` (the index of the saved reviews alone), with what their pages show from
    other reviews taken from ``base``, and the similar items of its own items."""
    if base is None:
        return mine, None
    items = {**base.index.items, **mine.items}
    known = base.recurrence.matches if base.recurrence is not None else {}
    matches: dict[tuple[str, str, str], tuple[Match, ...]] = {
        key: tuple(m for m in known.get(key, ()) if m.key in items) for key in mine.items
    }
    related = {rid: base.index.related.get(rid, []) for rid in mine.related}
    return dataclasses.replace(mine, items=items, related=related), Recurrence(matches, ())


def first_pass(
    project: Project, files: list[Path], site: SiteInfo, baseline: Baseline | None
) -> tuple[list[str], str | None]:
    """Write the own pages of the saved review ``files``: (the paths written under docs/,
    None), or ([], why not) when the second pass alone must show the change."""
    checked = check(
        [project.reviews / "_themes.yaml", project.reviews / "_support.yaml", *files],
        root=project.root,
        todo_level="warning",
    )
    if checked.errors or checked.vocabulary is None or not isinstance(checked.support, Support):
        return [], "the saved file has problems"
    return _write(project, _pages(checked.reviews, checked.vocabulary, checked.support, site, baseline)), None


def _pages(
    reviews: list[Review], vocabulary: Vocabulary, support: Support, site: SiteInfo, baseline: Baseline | None
) -> list[tuple[str, str]]:
    index, recurrence = _merged(build_index(reviews, vocabulary), baseline)
    ids = {r.id for r in reviews}
    return render_chosen(
        site_data(index, recurrence, support, site),
        lambda path, template, context: getattr(context.get("review"), "id", None) in ids,
    )


def _write(project: Project, pages: list[tuple[str, str]]) -> list[str]:
    written = []
    for rel, text in pages:
        if not is_owned(rel) or ".." in rel.split("/"):
            raise ValueError(f"refusing to write outside the generated paths: {rel}")
        path = project.docs / rel
        content = text.encode("utf-8")
        if not path.is_file() or path.read_bytes() != content:
            atomic_write(path, content)
            written.append(rel)
    return written

"""Generic content checks: what must be true of the built site for ANY set of valid review
files, so they run over reviews/ as it is (tests/test_reviews.py), over a copy of the project
after an editor's change (tests/test_editorial_change.py) and over the fixture sites.

- Every review page shows the facts in its file: every free-text value (every field the
  model types as ``Text``, wherever it is in the file), every date and every web address.
  The fields are found by walking the model, not named here, so a field added to the
  format is checked as soon as it exists.
- Every citation resolves: each citation link on a review page reaches a source entry on
  that page, and each source a file cites is linked from the page.
- Every theme page links each tagged item: every entry with themes (findings,
  recommendations, and whatever else the format tags) is linked, at its anchor on its
  review page, from the page of each of its themes.

Each check returns a list of problems (empty when all is well), so a failing test lists
every problem at once.

Fields of the format that the page does not show yet are listed in NOT_YET_SHOWN and
NOT_YET_CITED, and a test (test_reviews.py) fails as soon as one of them is shown, so that
its entry is removed then.
"""

from __future__ import annotations

import re
import typing
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from helpers import html
from pydantic import BaseModel

from generator import model
from generator.validate import check

_TEXT = model.Text.__metadata__[0]
_URL = model.Url.__metadata__[0]

# Not facts: the names of the fields a source supports, which the page prints in words.
NOT_FACTS = frozenset({"supports"})
# Format 2 fields the review page does not show yet (format-v2 milestone 1 validates them;
# rendering them comes later). Nothing under these fields is checked.
NOT_YET_SHOWN: frozenset[str] = frozenset()
# Shown, but without their citations.
NOT_YET_CITED = frozenset({"credits"})


def _marks(annotation) -> list:
    """The metadata of every Annotated type inside ``annotation`` (Optional, list...)."""
    found = list(getattr(annotation, "__metadata__", ()))
    for arg in typing.get_args(annotation):
        found.extend(_marks(arg))
    return found


def _kind(field) -> str | None:
    marks = list(field.metadata) + _marks(field.annotation)
    if _TEXT in marks:
        return "text"
    if _URL in marks:
        return "url"
    return None


def facts(item: BaseModel, path: str = "", skip=NOT_YET_SHOWN):
    """Every (path, kind, value) in a model, walked generically: kind is 'text' (a free-text
    value), 'date' (a date or span, as shown: ``human()``), 'url' (a web address) or
    'refs' (the source ids a ``sources`` list cites). Fields named in ``skip`` are left out."""
    for name, field in type(item).model_fields.items():
        if name in skip or name in NOT_FACTS:
            continue
        value = getattr(item, name)
        where = f"{path}.{name}" if path else name
        values = value if isinstance(value, (list, tuple)) else [value]
        kind = _kind(field)
        for i, one in enumerate(values):
            at = f"{where}[{i}]" if isinstance(value, (list, tuple)) else where
            if one is None:
                continue
            if isinstance(one, BaseModel):
                yield from facts(one, at, skip)
            elif hasattr(one, "human"):
                yield at, "date", one.human()
            elif isinstance(one, str) and kind in ("text", "url"):
                yield at, kind, one
        if name == "sources" and value and all(isinstance(v, str) for v in value):
            yield where, "refs", list(value)


def fold(text: str) -> str:
    return " ".join(text.split())


def load_reviews(reviews: Path) -> list[model.Review]:
    """The valid reviews in a folder (the checks are for a folder `check` accepts)."""
    result = check([Path(reviews)], root=Path(reviews).parent)
    assert not result.errors, "\n".join(str(p) for p in result.errors)
    return result.reviews


def page_of(project, review: model.Review):
    return html(project, f"reviews/{review.id}/")


def shown_fact_problems(review: model.Review, page, skip=NOT_YET_SHOWN) -> list[str]:
    """The facts of ``review`` that its built page does not show."""
    article = page.select_one("article") or page
    words = fold(article.get_text(" "))
    hrefs = {unquote(a["href"]) for a in article.select("a[href]")}
    problems = []
    for where, kind, value in facts(review, skip=skip):
        if kind == "text":
            for paragraph in re.split(r"\n\s*\n", value):  # paragraphs may be set apart
                if fold(paragraph) not in words:
                    problems.append(f"{review.id}: {where} is not shown: {fold(paragraph)[:80]!r}")
        elif kind == "date" and value not in words:
            problems.append(f"{review.id}: {where} is not shown: {value!r}")
        elif kind == "url" and unquote(value) not in hrefs:
            problems.append(f"{review.id}: {where} is not linked: {value!r}")
    return problems


def citation_problems(review: model.Review, page, skip=NOT_YET_SHOWN | NOT_YET_CITED) -> list[str]:
    """Citation links that reach no source entry, and cited sources the page never links."""
    entries = page.select("ol.cr-sources li[id]")
    problems = []
    if len(entries) != len(review.sources):
        problems.append(f"{review.id}: {len(review.sources)} sources in the file, {len(entries)} listed on the page")
    anchors = {}
    for source, entry in zip(review.sources, entries):
        if fold(source.title) not in fold(entry.get_text(" ")):
            problems.append(f"{review.id}: source entry #{entry['id']} is not the source '{source.id}'")
        anchors[source.id] = entry["id"]
    linked = set()
    for link in page.select(".cr-cite a[href]"):
        target = link["href"]
        if not target.startswith("#") or target[1:] not in anchors.values():
            problems.append(f"{review.id}: citation link {target!r} reaches no source entry on the page")
        linked.add(target[1:])
    for where, kind, refs in facts(review, skip=skip):
        if kind == "refs":
            for ref in refs:
                if anchors.get(ref) not in linked:
                    problems.append(f"{review.id}: {where} cites '{ref}', but no citation links to its entry")
    return problems


def tagged_items(review: model.Review, skip=NOT_YET_SHOWN):
    """(list name, item) for every entry in the review that carries themes."""
    for name in type(review).model_fields:
        if name in skip:
            continue
        value = getattr(review, name)
        if isinstance(value, (list, tuple)):
            for item in value:
                if isinstance(item, BaseModel) and getattr(item, "themes", None) and getattr(item, "id", None):
                    yield name, item


def item_anchor(list_name: str, item, page) -> str | None:
    """The id of the item's heading on its review page: 'finding-f1' for findings' f1, and so
    on (the list's name in the singular, hyphenated), or else the one id ending in '-<id>'."""
    singular = re.sub(r"s$", "", list_name).replace("_", "-")
    if page.find(id=f"{singular}-{item.id}") is not None:
        return f"{singular}-{item.id}"
    candidates = [t["id"] for t in page.select("article [id]") if t["id"].endswith(f"-{item.id}")]
    return candidates[0] if len(candidates) == 1 else None


def theme_links(project, theme_id: str) -> set[tuple[str, str]]:
    """(review id, anchor) of every link to a review on every page of a theme."""
    site = Path(project.site)
    folder = site / "themes" / theme_id
    found = set()
    for path in sorted(folder.rglob("index.html")):
        rel = path.relative_to(site).as_posix()
        base = "https://x/" + rel[: -len("index.html")]
        for a in html(project, rel).select("article a[href]"):
            url = urlsplit(urljoin(base, a["href"]))
            parts = url.path.strip("/").split("/")
            if url.netloc == "x" and len(parts) == 2 and parts[0] == "reviews" and url.fragment:
                found.add((parts[1], url.fragment))
    return found


def theme_page_problems(project, reviews: list[model.Review], skip=NOT_YET_SHOWN) -> list[str]:
    """Tagged items that a page of one of their themes does not link."""
    problems, links = [], {}
    for review in reviews:
        page = page_of(project, review)
        for list_name, item in tagged_items(review, skip):
            anchor = item_anchor(list_name, item, page)
            if anchor is None:
                problems.append(f"{review.id}: {list_name} '{item.id}' has no anchor on its page")
                continue
            for theme in item.themes:
                if theme not in links:
                    links[theme] = theme_links(project, theme)
                if (review.id, anchor) not in links[theme]:
                    problems.append(f"themes/{theme}/ does not link {review.id}#{anchor}")
    return problems


def all_problems(project) -> list[str]:
    """Every generic check over every review of a built project."""
    reviews = load_reviews(project.reviews)
    problems = []
    for review in reviews:
        page = page_of(project, review)
        problems += shown_fact_problems(review, page) + citation_problems(review, page)
    return problems + theme_page_problems(project, reviews)

"""Stage 5, render: Jinja2 templates (files in ``generator/templates``) -> Markdown pages.

Editors' text is data, not markup. Every ``{{ value }}`` in a template is escaped for
both Markdown and HTML by the environment's ``finalize`` hook (autoescaping is on, and
``join`` is replaced by a Markdown-aware one) unless a filter here marks it safe, so no
character an editor types can become a tag, a link, emphasis or a heading. Long text
fields keep their paragraphs (a blank line) and nothing else.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache, partial
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import quote, urlsplit

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from . import routes, wording
from .charts import bar_chart
from .config import SiteInfo  # defined in config.py; re-exported here for older imports
from .index import Index, ItemRef
from .model import (
    CREDIT_ROLES,
    CRIMINAL_OUTCOMES,
    GROUP_KINDS,
    LEGAL_KINDS,
    LEGAL_OUTCOMES,
    LINK_KINDS,
    NATIONS,
    OUTCOMES,
    PARTICIPATION,
    PUBLISHED_AS,
    REVIEW_TYPES,
    STANDARDS_OF_PROOF,
    STATUSES,
    SUBJECT_ROLES,
    THEME_CATEGORIES,
    Finding,
    LearningPoint,
    Recommendation,
    Review,
)
from .outputs import check_plan
from .sitedata import SiteData
from .workers import fork_imap

__all__ = ("SiteInfo", "environment", "render_site")  # SiteInfo: its home is generator.config

Item = Finding | LearningPoint | Recommendation

TEMPLATES = Path(__file__).parent / "templates"

# Characters that Markdown (with the extensions in mkdocs.yml) or HTML would read as markup.
_ENTITIES = {ch: f"&#{ord(ch)};" for ch in "\\`*_[]{}|~^$"}
_ENTITIES.update({"&": "&amp;", "<": "&lt;", ">": "&gt;"})
_INLINE = re.compile("[" + re.escape("".join(_ENTITIES)) + "]")
# Line starts that make a block: lists, headings, quotes, tables, definitions, admonitions.
_BLOCK_START = re.compile(r"^(\d+)([.)])|^([-+=:!#%])")


def escape_line(text: str) -> str:
    """Escape one line of editors' text so Markdown and HTML show it literally."""
    text = _INLINE.sub(lambda m: _ENTITIES[m.group(0)], text)
    return _BLOCK_START.sub(
        lambda m: (m.group(1) + f"&#{ord(m.group(2))};") if m.group(1) else f"&#{ord(m.group(3))};", text
    )


def paragraphs(text: str) -> list[str]:
    """Split text into paragraphs at blank lines; line breaks inside one become spaces."""
    return [
        " ".join(line.strip() for line in block.splitlines() if line.strip())
        for block in re.split(r"\n\s*\n", str(text))
        if block.strip()
    ]


@lru_cache(maxsize=1 << 16)
def _escaped(text: str) -> Markup:
    return Markup(escape_line(" ".join(paragraphs(text)) if "\n" in text else text))


def _finalize(value):
    if value is None:
        return ""
    if isinstance(value, Markup):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return Markup(f"{value:.2f}".rstrip("0").rstrip(".") if isinstance(value, float) else str(value))
    return _escaped(value if isinstance(value, str) else str(value))


def f_paras(text) -> Markup:
    """A long text field as Markdown paragraphs, each escaped."""
    return Markup("\n\n".join(escape_line(p) for p in paragraphs(text)))


def f_quote(text) -> Markup:
    """A long text field as a Markdown block quote, each paragraph escaped."""
    return Markup("\n>\n".join("> " + escape_line(p) for p in paragraphs(text)))


def f_meta(text) -> Markup:
    """A value for the page's front matter (``title``), which the theme prints unescaped
    into ``<title>`` and the header: escaped for HTML, then quoted for YAML."""
    return Markup(json.dumps(html.escape(" ".join(paragraphs(str(text)))), ensure_ascii=False))


def f_url(url: str) -> Markup:
    """A validated http(s) URL, percent-encoded so it cannot break out of a link."""
    return Markup(quote(str(url), safe=":/?#@!$&'*+,;=%-._~"))


def f_href(url: str) -> Markup:
    """A validated URL for an HTML attribute inside a raw HTML block."""
    return Markup(str(f_url(url)).replace("&", "&amp;"))


def f_host(url: str) -> str:
    """The site a URL points to, shown as a link's text."""
    return urlsplit(str(url)).hostname or str(url)


def f_join(values, separator: str = "") -> Markup:
    """Like Jinja's ``join``, but each value is escaped for Markdown as well as HTML."""
    return Markup(separator).join(_finalize(v) for v in values)


def f_source_numbers(refs, numbers: dict[str, int]) -> list[tuple[int, str]]:
    """Cited source ids with their numbers in the review's source list, in number order."""
    return sorted((numbers[ref], ref) for ref in dict.fromkeys(refs))


def f_excerpt(text, limit: int = 160) -> str:
    """The start of a long text, cut at a word and marked with an ellipsis."""
    flat = " ".join(paragraphs(str(text)))
    if len(flat) <= limit:
        return flat
    return flat[:limit].rsplit(" ", 1)[0].rstrip(",;:.") + "…"


def f_join_labels(keys, table) -> str:
    return ", ".join(table[k] for k in keys)


def _globals() -> dict[str, object]:
    """What every template can use besides its page's context: the vocabularies' labels,
    the routes' anchors and paths, and the words worked out in :mod:`generator.wording`."""
    return dict(
        REVIEW_TYPES=REVIEW_TYPES,
        NATIONS=NATIONS,
        OUTCOMES=OUTCOMES,
        STATUSES=STATUSES,
        PUBLISHED_AS=PUBLISHED_AS,
        LINK_KINDS=LINK_KINDS,
        THEME_CATEGORIES=THEME_CATEGORIES,
        CREDIT_ROLES=CREDIT_ROLES,
        CRIMINAL_OUTCOMES=CRIMINAL_OUTCOMES,
        GROUP_KINDS=GROUP_KINDS,
        LEGAL_KINDS=LEGAL_KINDS,
        LEGAL_OUTCOMES=LEGAL_OUTCOMES,
        PARTICIPATION=PARTICIPATION,
        STANDARDS_OF_PROOF=STANDARDS_OF_PROOF,
        SUBJECT_ROLES=SUBJECT_ROLES,
        anchor=routes.anchor,
        source_anchor=routes.source_anchor,
        source_file=routes.source_file,
        theme_feed=routes.theme_feed,
        facet_page=routes.facet_page,
        by_year=wording.by_year,
        credit_lines=wording.credit_lines,
        subject_role=wording.subject_role,
        subject_names=wording.subject_names,
        legal_people=wording.legal_people,
        cite_names=wording.cite_names,
        criminal_summary=wording.criminal_summary,
        supports_words=wording.supports_words,
        recommendation_sections=wording.recommendation_sections,
        first_paragraph=wording.first_paragraph,
        share=wording.share,
        percent=wording.percent,
        collapse_recommendations=wording.collapse_recommendations,
    )


def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        finalize=_finalize,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=True,
    )
    env.filters.update(
        groups=consecutive_groups,
        paras=f_paras,
        quote=f_quote,
        meta=f_meta,
        url=f_url,
        href=f_href,
        host=f_host,
        labels=f_join_labels,
        source_numbers=f_source_numbers,
        join=f_join,
        excerpt=f_excerpt,
        end_sentence=wording.end_sentence,
        full_stop=wording.full_stop,
    )
    env.globals.update(_globals())
    return env


def _tidy(text: str) -> str:
    """Collapse runs of blank lines left by template logic; end with one newline."""
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"


REVIEWS_PER_PAGE = 50
RECOMMENDATIONS_PER_PAGE = 80  # one line each on the recommendations pages
FEED_ENTRIES = 100  # newest reviews in each Atom feed
NEWEST = 10  # newest reviews on the home page
ITEMS_PER_PAGE = 60

Job = tuple[str, str, dict[str, Any]]  # (path relative to docs/, template, context)


@dataclass(frozen=True)
class Pager:
    """One page of a long listing. Page 1 is ``first``; page n is ``later`` with {n} filled in."""

    number: int
    count: int
    first: str
    later: str

    def path(self, number: int) -> str:
        return routes.Listing(self.first, self.later).page(number)

    @property
    def suffix(self) -> str:
        """What a page's title adds after page 1: " (page 2)"."""
        return f" (page {self.number})" if self.number > 1 else ""

    def link(self, number: int) -> Markup:
        """Relative Markdown link from this page to page ``number`` (a path we made, not text)."""
        return Markup(routes.relative(self.path(number), self.path(self.number)))

    @property
    def shown(self) -> list[int | None]:
        """The page numbers the pager links, in order, with ``None`` where it leaves pages
        out: the first and last pages, this one and its neighbours (as the GOV.UK Design
        System's pagination does), and any single page that a gap would hide. A listing of
        hundreds of pages keeps a pager of a few links, which fits a phone's screen."""
        keep = {1, self.count} | {n for n in (self.number - 1, self.number, self.number + 1) if 1 <= n <= self.count}
        numbers = sorted(keep | {n + 1 for n in keep if n + 2 in keep and n + 1 not in keep})
        out: list[int | None] = []
        for n in numbers:
            if out and n - (out[-1] or 0) > 1:
                out.append(None)
            out.append(n)
        return out


T = TypeVar("T")


def chunks(items: Iterable[T], size: int, weight: Callable[[T], int] | None = None) -> list[list[T]]:
    """Split ``items`` into pages of ``size``; with ``weight``, pages of at most ``size``
    in total weight (an item heavier than that has a page of its own)."""
    items = list(items)
    if weight is None:
        return [items[i : i + size] for i in range(0, len(items), size)] or [[]]
    pages: list[list[T]] = [[]]
    load = 0
    for item in items:
        w = weight(item)
        if pages[-1] and load + w > size:
            pages.append([])
            load = 0
        pages[-1].append(item)
        load += w
    return pages


def consecutive_groups(refs: Iterable[ItemRef]) -> list[tuple[Review, list[ItemRef]]]:
    """Group item references by review, keeping their order: [(review, [refs...]), ...]."""
    groups: list[tuple[Review, list[ItemRef]]] = []
    for ref in refs:
        if groups and groups[-1][0].id == ref.review.id:
            groups[-1][1].append(ref)
        else:
            groups.append((ref.review, [ref]))
    return groups


def paged(
    listing: routes.Listing,
    items: Iterable[T],
    size: int,
    template: str,
    weight: Callable[[T], int] | None = None,
    **context: Any,
) -> list[Job]:
    """The pages of a long listing, ``size`` items (or that much weight) each."""
    parts = chunks(items, size, weight)
    jobs: list[Job] = []
    for number, part in enumerate(parts, 1):
        pager = Pager(number, len(parts), listing.first, listing.later)
        jobs.append((pager.path(number), template, dict(pager=pager, part=part, **context)))
    return jobs


def _review_pages(index: Index) -> list[Job]:
    counts = tuple(index.count(kind) for kind in ("finding", "learning-point", "recommendation"))
    jobs: list[Job] = [(routes.HOME, "home.md.j2", dict(item_counts=counts, newest=index.reviews[:NEWEST]))]
    jobs += paged(routes.REVIEWS, index.reviews, REVIEWS_PER_PAGE, "reviews_index.md.j2")
    for review in index.reviews:
        jobs.append((routes.review_page(review.id), "review.md.j2", dict(review=review)))
        for old in review.redirect_from:
            # A plain HTML file: MkDocs copies it as it is, so the old address keeps working.
            jobs.append((routes.redirect_page(old), "redirect.html.j2", dict(review=review)))
    return jobs


def _theme_and_browse_pages(index: Index) -> list[Job]:
    jobs: list[Job] = [(routes.THEMES, "themes_index.md.j2", {})]
    for theme in index.themes:
        listing = routes.theme_listing(theme.id)
        jobs += paged(listing, index.theme_items[theme.id], ITEMS_PER_PAGE, "theme.md.j2", theme=theme)
    jobs.append((routes.BROWSE, "browse_index.md.j2", {}))
    jobs.append(
        (
            routes.REVIEWS_FEED,
            "feed.xml.j2",
            _feed("New reviews", routes.REVIEWS.first, index.reviews[:FEED_ENTRIES]),
        )
    )
    for theme in index.themes:
        feed = _feed(
            f"New reviews raising {theme.label}",
            routes.theme_listing(theme.id).first,
            index.theme_reviews[theme.id][:FEED_ENTRIES],
        )
        jobs.append((routes.theme_feed(theme.id), "feed.xml.j2", feed))
    for facet in index.facets:
        for value in facet.values:
            listing = routes.facet_listing(facet.key, value.key)
            jobs += paged(listing, value.reviews, REVIEWS_PER_PAGE, "facet.md.j2", facet=facet, value=value)
    return jobs


def _feed(title: str, about: str, entries: list[Review]) -> dict[str, Any]:
    """An Atom feed's context: ``about`` is the page it follows; updated with its newest entry."""
    updated = entries[0].published.first_day.isoformat() if entries else "2000-01-01"
    return dict(feed_title=title, about=about, entries=entries, updated=updated)


def _learning_pages(data: SiteData) -> list[Job]:
    """Learning across reviews: recommendations by status and theme, recurring
    recommendations, themes over time and the method behind them."""
    filters = data.filters
    jobs: list[Job] = [(routes.LEARNING, "learning.md.j2", {}), (routes.FILTER_CHOICES, "filter_choices.json.j2", {})]
    for status, theme in filters.combinations():
        heading, status_label = filters.heading(status, data.index.theme_by_id[theme] if theme else None)
        jobs += paged(
            filters.listing(status, theme),
            filters.select(status, theme),
            RECOMMENDATIONS_PER_PAGE,
            "recommendations.md.j2",
            status=status,
            theme=theme,
            heading=heading,
            status_label=status_label,
        )
    jobs += paged(routes.RECURRING, data.recurring, ITEMS_PER_PAGE, "recurring.md.j2", weight=lambda g: g.weight)
    jobs.append((routes.THEMES_OVER_TIME, "themes_over_time.md.j2", dict(compared=data.over_time.compared)))
    agreement = data.recurrence.agreement if data.recurrence else None
    jobs.append((routes.METHOD, "method.md.j2", dict(agreement=agreement)))
    return jobs


def plan_pages(data: SiteData) -> list[Job]:
    """Every page to generate, as (path relative to docs/, template, context).

    Long listings are split into pages (``REVIEWS_PER_PAGE``, ``ITEMS_PER_PAGE``) so that
    no page grows with the size of the corpus.
    """
    return _review_pages(data.index) + _theme_and_browse_pages(data.index) + _learning_pages(data)


def method_constants() -> dict[str, float]:
    """The recurrence method's settings, for the method page to state."""
    from . import recurrence

    names = (
        "SIMILAR_LIMIT",
        "TEXT_WEIGHT",
        "THEME_WEIGHT",
        "THRESHOLD",
        "MIN_TEXT",
        "CLUSTER_THRESHOLD",
        "CLUSTER_MIN_TEXT",
        "NEGATION_WINDOW",
    )
    return {name: getattr(recurrence, name) for name in names}


class _Renderer:
    """Renders planned pages with one Jinja environment and the shared context."""

    def __init__(self, data: SiteData):
        self.env = environment()
        self.xml = Environment(
            loader=FileSystemLoader(str(TEMPLATES)),
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            autoescape=True,
        )
        self.xml.globals.update(self.env.globals)
        self.routes = data.routes
        self.common: dict[str, object] = dict(
            index=data.index,
            support=data.support,
            site=data.site,
            routes=data.routes,
            filters=data.filters,
            recurring=data.recurring,
            over_time=data.over_time,
            similar_items=partial(similar_items, data),
            bar_chart=bar_chart,
            method=method_constants(),
        )

    def render(self, job: Job) -> str:
        path, template, context = job
        env = self.xml if template.endswith(".xml.j2") else self.env  # feeds: XML escaping
        links = self.routes.on(path)
        return _tidy(env.get_template(template).render(**self.common, links=links, path=path, **context))


def similar_items(data: SiteData, review: Review, kind: str, item: Item) -> tuple[list[ItemRef], list[ItemRef]]:
    """Similar items from other reviews: (those published before this one, the rest)."""
    found = data.recurrence.matches.get((review.id, kind, item.id), ()) if data.recurrence else ()
    before: list[ItemRef] = []
    after: list[ItemRef] = []
    for match in found:
        ref = data.index.items[match.key]
        (before if ref.review.published.last_day < review.published.first_day else after).append(ref)
    return before, after


def render_site(
    data: SiteData, workers: int | None = None, also: Mapping[str, Callable[[], str]] | None = None
) -> Iterator[tuple[str, str]]:
    """Every generated page, as (path relative to docs/, text) pairs, in plan order.

    Pages are independent, so a large site is rendered on every core (see
    :mod:`generator.workers`) and handed over as it is made, never held whole; the output
    is the same either way. ``also`` maps further paths to functions that make them (the
    open data files), run in the same pass.
    """
    renderer = _Renderer(data)
    tasks: list[tuple[str, Callable[[], str]]] = [(job[0], partial(renderer.render, job)) for job in plan_pages(data)]
    tasks += list((also or {}).items())
    check_plan(path for path, _ in tasks)  # a second page for one address is an error, never an overwrite
    texts = fork_imap(_call, [make for _, make in tasks], min_items=400, workers=workers)
    return zip((path for path, _ in tasks), texts)


def _call(make: Callable[[], str]) -> str:
    return make()


def render_chosen(data: SiteData, chosen: Callable[[str, str, dict[str, Any]], bool]) -> list[tuple[str, str]]:
    """The planned pages that ``chosen(path, template, context)`` picks, rendered in this
    process, in plan order (the preview's first pass: a saved review's own pages)."""
    renderer = _Renderer(data)
    return [(job[0], renderer.render(job)) for job in plan_pages(data) if chosen(*job)]

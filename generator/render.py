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
import posixpath
import re
from dataclasses import dataclass
from functools import cache, lru_cache, partial
from pathlib import Path
from urllib.parse import quote, urlsplit

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from . import wording
from .charts import bar_chart
from .index import Index, slugify
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
    Support,
)
from .outputs import check_plan
from .workers import fork_imap

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


@dataclass(frozen=True)
class SiteInfo:
    name: str
    url: str
    repo_url: str
    edit_base: str


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
        slugify=slugify,
        labels=f_join_labels,
        source_numbers=f_source_numbers,
        join=f_join,
        excerpt=f_excerpt,
        end_sentence=wording.end_sentence,
        full_stop=wording.full_stop,
    )
    env.globals.update(
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
        credit_lines=wording.credit_lines,
        subject_role=wording.subject_role,
        cite_names=wording.cite_names,
        criminal_summary=wording.criminal_summary,
        supports_words=wording.supports_words,
        recommendation_sections=wording.recommendation_sections,
        COLLAPSE_RECOMMENDATIONS=wording.COLLAPSE_RECOMMENDATIONS,
    )
    return env


def _tidy(text: str) -> str:
    """Collapse runs of blank lines left by template logic; end with one newline."""
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"


REVIEWS_PER_PAGE = 50
RECOMMENDATIONS_PER_PAGE = 80  # one line each on the recommendations pages
FILTER_CHOICES = "learning/recommendations/choices.json"  # the filter form's map of pages
THEMES_COMPARED = 8  # themes on the "Themes over time" page
FEED_ENTRIES = 100  # newest reviews in each Atom feed
ITEMS_PER_PAGE = 60


@dataclass(frozen=True)
class Pager:
    """One page of a long listing. Page 1 is ``first``; page n is ``later`` with {n} filled in."""

    number: int
    count: int
    first: str
    later: str

    def path(self, number: int) -> str:
        return self.first if number == 1 else self.later.format(n=number)

    @property
    def suffix(self) -> str:
        """What a page's title adds after page 1: " (page 2)"."""
        return f" (page {self.number})" if self.number > 1 else ""

    def link(self, number: int) -> Markup:
        """Relative Markdown link from this page to page ``number`` (a path we made, not text)."""
        here = posixpath.dirname(self.path(self.number))
        return Markup(posixpath.relpath(self.path(number), here or "."))


def chunks(items, size: int, weight=None) -> list[list]:
    """Split ``items`` into pages of ``size``; with ``weight``, pages of at most ``size``
    in total weight (an item heavier than that has a page of its own)."""
    items = list(items)
    if weight is None:
        return [items[i : i + size] for i in range(0, len(items), size)] or [[]]
    pages: list[list] = [[]]
    load = 0
    for item in items:
        w = weight(item)
        if pages[-1] and load + w > size:
            pages.append([])
            load = 0
        pages[-1].append(item)
        load += w
    return pages


def consecutive_groups(refs) -> list[tuple]:
    """Group item references by review, keeping their order: [(review, [refs...]), ...]."""
    groups: list[tuple] = []
    for ref in refs:
        if groups and groups[-1][0].id == ref.review.id:
            groups[-1][1].append(ref)
        else:
            groups.append((ref.review, [ref]))
    return groups


def plan_pages(index: Index, filters: RecommendationFilters) -> list[tuple[str, str, dict]]:
    """Every page to generate, as (path relative to docs/, template, context).

    Long listings are split into pages (``REVIEWS_PER_PAGE``, ``ITEMS_PER_PAGE``) so that
    no page grows with the size of the corpus.
    """
    jobs: list[tuple[str, str, dict]] = []

    def paged(first: str, later: str, items, size: int, template: str, weight=None, **context):
        parts = chunks(items, size, weight)
        for number, part in enumerate(parts, 1):
            pager = Pager(number, len(parts), first, later)
            jobs.append((pager.path(number), template, dict(pager=pager, part=part, **context)))

    jobs.append(("index.md", "home.md.j2", {}))
    paged("reviews/index.md", "reviews/page/{n}.md", index.reviews, REVIEWS_PER_PAGE, "reviews_index.md.j2")
    for review in index.reviews:
        jobs.append((f"reviews/{review.id}.md", "review.md.j2", dict(review=review)))
        for old in review.redirect_from:
            # A plain HTML file: MkDocs copies it as it is, so the old address keeps working.
            jobs.append((f"reviews/{old}/index.html", "redirect.html.j2", dict(review=review)))
    jobs.append(("themes/index.md", "themes_index.md.j2", {}))
    for theme in index.themes:
        paged(
            f"themes/{theme.id}.md",
            f"themes/{theme.id}/{{n}}.md",
            index.theme_items[theme.id],
            ITEMS_PER_PAGE,
            "theme.md.j2",
            theme=theme,
        )
    jobs.append(("browse/index.md", "browse_index.md.j2", {}))
    jobs.append(
        (
            "feeds/reviews.xml",
            "feed.xml.j2",
            dict(feed_title="New reviews", about="reviews/", entries=index.reviews[:FEED_ENTRIES]),
        )
    )
    for theme in index.themes:
        jobs.append(
            (
                f"feeds/themes/{theme.id}.xml",
                "feed.xml.j2",
                dict(
                    feed_title=f"New reviews raising {theme.label}",
                    about=f"themes/{theme.id}/",
                    entries=index.theme_reviews[theme.id][:FEED_ENTRIES],
                ),
            )
        )
    for facet in index.facets:
        for value in facet.values:
            paged(
                f"browse/{facet.key}/{value.key}.md",
                f"browse/{facet.key}/{value.key}/{{n}}.md",
                value.reviews,
                REVIEWS_PER_PAGE,
                "facet.md.j2",
                facet=facet,
                value=value,
            )

    # Learning across reviews: recommendations by status and theme, recurring
    # recommendations, themes over time and the method behind them.
    jobs.append(("learning/index.md", "learning.md.j2", {}))
    jobs.append((FILTER_CHOICES, "filter_choices.json.j2", {}))
    for status, theme in filters.combinations():
        first, later = filters.paths(status, theme)
        paged(
            first,
            later,
            filters.select(status, theme),
            RECOMMENDATIONS_PER_PAGE,
            "recommendations.md.j2",
            status=status,
            theme=theme,
        )
    clusters = index.recurrence.clusters if index.recurrence else ()
    numbers = {cluster.keys: n for n, cluster in enumerate(clusters, 1)}
    paged(
        "learning/recurring.md",
        "learning/recurring/{n}.md",
        clusters,
        ITEMS_PER_PAGE,
        "recurring.md.j2",
        weight=lambda c: len(c.keys),
        numbers=numbers,
    )
    jobs.append(
        (
            "learning/themes-over-time.md",
            "themes_over_time.md.j2",
            dict(
                compared=sorted(index.used_themes, key=lambda t: (-len(index.theme_reviews[t.id]), t.label.casefold()))[
                    :THEMES_COMPARED
                ]
            ),
        )
    )
    jobs.append(
        ("learning/method.md", "method.md.j2", dict(agreement=index.recurrence.agreement if index.recurrence else None))
    )
    return jobs


class RecommendationFilters:
    """Recommendations by status and theme: which combinations have a page, and where.

    ``status`` is a key of STATUSES or "all"; ``theme`` a theme id or None for every theme.
    Every status has a page (when it holds any recommendation), and so does every known
    status on each theme. A theme's recommendations of any status, or whose status is not
    known (most of them), are on the theme's own page with their statuses: pages of their
    own would repeat it at length.
    """

    BASE = "learning/recommendations"
    ON_THEME_PAGE = ("all", "not-known")

    def __init__(self, index: Index):
        self.all = [
            ref for review in index.reviews for ref in index.review_items[review.id] if ref.kind == "recommendation"
        ]
        self.groups: dict[tuple[str, str | None], list] = {}  # in one pass: select() is a look-up
        for ref in self.all:
            for status in ("all", ref.item.status.value):
                for theme in (None, *dict.fromkeys(ref.item.themes)):
                    self.groups.setdefault((status, theme), []).append(ref)
        self.counts = {key: len(refs) for key, refs in self.groups.items()}
        self.themes = [t for t in index.themes if self.counts.get(("all", t.id))]

    def count(self, status: str, theme: str | None = None) -> int:
        return self.counts.get((status, theme), 0)

    def canonical(self, status: str, theme: str | None) -> tuple[str, str | None]:
        """A status that holds every one of the site's (or the theme's) recommendations
        shares the page of "any status"."""
        if status != "all" and self.count(status, theme) == self.count("all", theme):
            return "all", theme
        if theme is not None and status in self.ON_THEME_PAGE:
            return "all", theme
        return status, theme

    def combinations(self) -> list[tuple[str, str | None]]:
        """Every combination with a page of its own, in this section."""
        found = [key for key in self.counts if key != ("all", None) and key[0] != "all" and self.canonical(*key) == key]
        return [("all", None)] + found

    def select(self, status: str, theme: str | None) -> list:
        return self.groups.get((status, theme), [])

    def paths(self, status: str, theme: str | None) -> tuple[str, str]:
        """(first page, later pages with {n}), relative to docs/."""
        status, theme = self.canonical(status, theme)
        if theme is None:
            if status == "all":
                return f"{self.BASE}/index.md", f"{self.BASE}/page/{{n}}.md"
            return f"{self.BASE}/{status}.md", f"{self.BASE}/{status}/page/{{n}}.md"
        if status == "all":
            return f"themes/{theme}.md", f"themes/{theme}/{{n}}.md"
        return f"{self.BASE}/{status}/{theme}.md", f"{self.BASE}/{status}/{theme}/{{n}}.md"

    def link(self, status: str, theme: str | None, here: str) -> Markup:
        """Relative Markdown link from page ``here`` to a combination's first page."""
        return Markup(posixpath.relpath(self.paths(status, theme)[0], posixpath.dirname(here) or "."))

    def url(self, status: str, theme: str | None) -> str:
        """The address of a combination's page, relative to the recommendations page."""
        first = self.paths(status, theme)[0]
        folder = first[: -len("index.md")] if first.endswith("index.md") else first[: -len(".md")] + "/"
        rel = posixpath.relpath(folder, self.BASE)
        return "" if rel == "." else rel + "/"

    def choices(self) -> list[tuple[str, str]]:
        """Every combination that has recommendations, as (what the form asks for, the
        page that shows it)."""
        out = []
        for status, theme in self.counts:
            asked = f"{status}/{theme}/" if theme else ("" if status == "all" else f"{status}/")
            out.append((asked, self.url(status, theme)))
        return out


def method_constants() -> dict:
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

    def __init__(self, index: Index, support: Support, site: SiteInfo, filters: RecommendationFilters):
        self.env = environment()
        self.xml = Environment(
            loader=FileSystemLoader(str(TEMPLATES)),
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            autoescape=True,
        )
        self.xml.globals.update(self.env.globals)
        macros = self.env.get_template("_macros.md.j2").module

        @cache
        def theme_link_id(theme_id: str, root: str):
            """The ``theme_link`` macro's output for a theme, made once per page depth."""
            return macros.theme_link(index.theme_by_id[theme_id], root)

        def similar_items(review, kind: str, item):
            """Similar items from other reviews: (those published before this one, the rest)."""
            found = index.recurrence.matches.get((review.id, kind, item.id), ()) if index.recurrence else ()
            before, after = [], []
            for match in found:
                ref = index.items[match.key]
                (before if ref.review.published.last_day < review.published.first_day else after).append(ref)
            return before, after

        self.env.filters["item_ref"] = lambda key: index.items[tuple(key)]
        self.common = dict(
            index=index,
            support=support,
            site=site,
            theme_link_id=theme_link_id,
            filters=filters,
            similar_items=similar_items,
            bar_chart=bar_chart,
            method=method_constants(),
        )

    def render(self, job: tuple[str, str, dict]) -> str:
        path, template, context = job
        root = "../" * path.count("/")  # for Markdown links, which MkDocs resolves from the file
        # For addresses in raw HTML, which the browser resolves from the page's URL: a page
        # x/y.md is served at x/y/, one folder deeper than its file.
        url_root = root + "../" if path.endswith(".md") and not path.endswith("index.md") else root
        env = self.xml if template.endswith(".xml.j2") else self.env  # feeds: XML escaping
        return _tidy(
            env.get_template(template).render(**self.common, root=root, url_root=url_root, path=path, **context)
        )


def render_site(index: Index, support: Support, site: SiteInfo, workers: int | None = None, also: dict | None = None):
    """Every generated page, as (path relative to docs/, text) pairs, in plan order.

    Pages are independent, so a large site is rendered on every core (see
    :mod:`generator.workers`) and handed over as it is made, never held whole; the output
    is the same either way. ``also`` maps further paths to functions that make them (the
    open data files), run in the same pass.
    """
    filters = RecommendationFilters(index)
    renderer = _Renderer(index, support, site, filters)
    tasks = [(job[0], partial(renderer.render, job)) for job in plan_pages(index, filters)]
    tasks += list((also or {}).items())
    check_plan(path for path, _ in tasks)  # a second page for one address is an error, never an overwrite
    texts = fork_imap(_call, [make for _, make in tasks], min_items=400, workers=workers)
    return zip((path for path, _ in tasks), texts)


def _call(make):
    return make()


def render_chosen(index: Index, support: Support, site: SiteInfo, chosen) -> list[tuple[str, str]]:
    """The planned pages that ``chosen(path, template, context)`` picks, rendered in this
    process, in plan order (the preview's first pass: a saved review's own pages)."""
    filters = RecommendationFilters(index)
    renderer = _Renderer(index, support, site, filters)
    return [(job[0], renderer.render(job)) for job in plan_pages(index, filters) if chosen(*job)]

"""What the pages and data files are made from, built once and never changed: the index,
the recurrence result, the support services, the site's settings and its routes, and
what the pages show that is worked out from them (recommendations by status and theme,
the recurring groups, the themes compared over time).

The pipeline builds a :class:`SiteData` with :func:`site_data` and hands it to render
and export; templates only format what is here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from markupsafe import Markup

from . import routes
from .config import SiteInfo
from .index import Index, ItemRef
from .model import STATUSES, Support, Theme
from .routes import Routes

if TYPE_CHECKING:
    from .recurrence import Cluster, Recurrence

THEMES_COMPARED = 8  # themes on the "Themes over time" page


@dataclass(frozen=True)
class StatusCount:
    label: str
    count: int
    link: Markup | None  # None on the status's own page


class RecommendationFilters:
    """Recommendations by status and theme: which combinations have a page, and where.

    ``status`` is a key of STATUSES or "all"; ``theme`` a theme id or None for every theme.
    Every status has a page (when it holds any recommendation), and so does every known
    status on each theme. A theme's recommendations of any status, or whose status is not
    known (most of them), are on the theme's own page with their statuses: pages of their
    own would repeat it at length. Built once; nothing changes it afterwards.
    """

    ON_THEME_PAGE = ("all", "not-known")

    def __init__(self, index: Index):
        self.all = [
            ref for review in index.reviews for ref in index.review_items[review.id] if ref.kind == "recommendation"
        ]
        groups: dict[tuple[str, str | None], list[ItemRef]] = {}  # in one pass: select() is a look-up
        for ref in self.all:
            for status in ("all", ref.item.status.value):  # type: ignore[union-attr]  # recommendations only
                for theme in (None, *dict.fromkeys(ref.item.themes)):
                    groups.setdefault((status, theme), []).append(ref)
        self.groups = groups
        self.counts = {key: len(refs) for key, refs in groups.items()}
        self.themes = [t for t in index.themes if self.counts.get(("all", t.id))]

    def count(self, status: str, theme: str | None = None) -> int:
        return self.counts.get((status, theme), 0)

    def known(self) -> int:
        """How many recommendations' statuses are known."""
        return self.count("all") - self.count("not-known")

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

    def select(self, status: str, theme: str | None) -> list[ItemRef]:
        return self.groups.get((status, theme), [])

    def listing(self, status: str, theme: str | None) -> routes.Listing:
        """The combination's pages, under docs/."""
        return routes.recommendations_listing(*self.canonical(status, theme))

    def link(self, status: str, theme: str | None, here: str) -> Markup:
        """Relative Markdown link from page ``here`` to a combination's first page."""
        return Markup(routes.relative(self.listing(status, theme).first, here))

    def url(self, status: str, theme: str | None) -> str:
        """The address of a combination's page, relative to the recommendations page."""
        folder = routes.address(self.listing(status, theme).first)
        rel = routes.relative(folder, routes.RECOMMENDATIONS + "/")
        return "" if rel == "." else rel + "/"

    def by_status(self, theme: str | None, here: str) -> list[StatusCount]:
        """Each status with recommendations (on ``theme``), in STATUSES order, with a link
        from page ``here`` to its page unless that is ``here``."""
        found = []
        for status, label in STATUSES.items():
            if n := self.count(status, theme):
                first = self.listing(status, theme).first
                found.append(StatusCount(label, n, None if first == here else self.link(status, theme, here)))
        return found

    def heading(self, status: str, theme: Theme | None) -> tuple[str, str]:
        """(the page's heading, the status in words) of a combination's pages."""
        labels: dict[str, str] = dict(STATUSES.items())  # keyed by any text, as ``status`` is
        status_label = "any status" if status == "all" else labels[status]
        heading = "Recommendations" + (f": {status_label}" if status != "all" else "")
        return heading + (f" ({theme.label})" if theme else ""), status_label

    def choices(self) -> list[tuple[str, str]]:
        """Every combination that has recommendations, as (what the form asks for, the
        page that shows it)."""
        out = []
        for status, theme in self.counts:
            asked = f"{status}/{theme}/" if theme else ("" if status == "all" else f"{status}/")
            out.append((asked, self.url(status, theme)))
        return out


@dataclass(frozen=True)
class RecurringGroup:
    """A group of recurring recommendations as its page lists it."""

    number: int
    refs: tuple[ItemRef, ...]  # the first, then the others from the earliest review to the latest
    reviews: int  # how many reviews made them
    first_year: int
    last_year: int
    words: tuple[str, ...]
    weight: int  # how much room it takes on a page: its recommendations


def recurring_groups(index: Index, clusters: tuple[Cluster, ...]) -> tuple[RecurringGroup, ...]:
    groups = []
    for number, cluster in enumerate(clusters, 1):
        refs = [index.items[key] for key in cluster.keys]
        ordered = refs[:1] + sorted(refs[1:], key=lambda ref: ref.review.published.first_day)
        years = [ref.review.published.year for ref in refs]
        groups.append(
            RecurringGroup(
                number,
                tuple(ordered),
                len({ref.review.id for ref in refs}),
                min(years),
                max(years),
                cluster.words,
                len(cluster.keys),
            )
        )
    return tuple(groups)


@dataclass(frozen=True)
class ThemesOverTime:
    compared: tuple[Theme, ...]  # the most common themes, most raised first
    scale: int  # the highest count in a year of any of them: their charts share it


def themes_over_time(index: Index) -> ThemesOverTime:
    compared = sorted(index.used_themes, key=lambda t: (-len(index.theme_reviews[t.id]), t.label.casefold()))
    compared = compared[:THEMES_COMPARED]
    counts = [n for theme in compared for n in index.theme_years[theme.id].values()]
    return ThemesOverTime(tuple(compared), max([1, *counts]))


@dataclass(frozen=True)
class SiteData:
    """Everything render and export need, built once by :func:`site_data`."""

    index: Index
    recurrence: Recurrence | None  # None: not compared (tests of the pages alone)
    support: Support
    site: SiteInfo
    routes: Routes
    filters: RecommendationFilters
    recurring: tuple[RecurringGroup, ...]
    over_time: ThemesOverTime


def site_data(index: Index, recurrence: Recurrence | None, support: Support, site: SiteInfo) -> SiteData:
    return SiteData(
        index=index,
        recurrence=recurrence,
        support=support,
        site=site,
        routes=Routes(site.url, site.edit_base),
        filters=RecommendationFilters(index),
        recurring=recurring_groups(index, recurrence.clusters if recurrence else ()),
        over_time=themes_over_time(index),
    )

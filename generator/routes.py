"""Where everything the generator makes lives, defined once: each page's path under
``docs/``, its address on the site, the anchors inside a review page, the feeds' and
data files' paths, and so the folders of ``docs/`` that the generator owns.

A page's path is its file under ``docs/``; MkDocs serves ``x/y.md`` at the address
``x/y/`` (see :func:`generator.outputs.address`). Long listings have a first page and
later ones (``{n}`` is the page number, from 2). Render, export and index ask this
module; templates get its functions (``url_for(review)``, ``anchor(item)``) and never
put an address together themselves.

To move a kind of page, change its pattern here: every link, feed id, permalink,
redirect and the list of owned folders follow (tests/test_routes.py proves it for the
review pages). The patterns are constants, read when a path is asked for.
"""

from __future__ import annotations

import posixpath
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from .outputs import address
from .slugs import slugify


@dataclass(frozen=True)
class Listing:
    """A listing's pages: ``first``, then ``later`` with ``{n}`` filled in (2, 3...).
    Both may hold other fields (``{id}``) that :meth:`of` fills in."""

    first: str
    later: str

    def of(self, **fields: str) -> Listing:
        return Listing(self.first.format(**fields), self.later.replace("{n}", "{{n}}").format(**fields))

    def page(self, number: int) -> str:
        return self.first if number == 1 else self.later.format(n=number)


# --- the URL schemes: paths under docs/ ------------------------------------------------------

HOME = "index.md"
REVIEW = "reviews/{id}.md"  # a review's page, served at /reviews/<id>/
REVIEWS = Listing("reviews/index.md", "reviews/page/{n}.md")  # every review, newest first
REDIRECT = "index.html"  # in the folder of an old address of a review (redirect_from)
THEMES = "themes/index.md"
THEME = Listing("themes/{id}.md", "themes/{id}/{n}.md")
BROWSE = "browse/index.md"
FACET = Listing("browse/{facet}/{value}.md", "browse/{facet}/{value}/{n}.md")
REVIEWS_FEED = "feeds/reviews.xml"
THEME_FEED = "feeds/themes/{id}.xml"
LEARNING = "learning/index.md"
RECOMMENDATIONS = "learning/recommendations"  # the folder of recommendations by status and theme
RECOMMENDATIONS_ALL = Listing(f"{RECOMMENDATIONS}/index.md", f"{RECOMMENDATIONS}/page/{{n}}.md")
RECOMMENDATIONS_STATUS = Listing(f"{RECOMMENDATIONS}/{{status}}.md", f"{RECOMMENDATIONS}/{{status}}/page/{{n}}.md")
RECOMMENDATIONS_STATUS_THEME = Listing(
    f"{RECOMMENDATIONS}/{{status}}/{{theme}}.md", f"{RECOMMENDATIONS}/{{status}}/{{theme}}/{{n}}.md"
)  # a theme's recommendations of any status are on the theme's own pages
FILTER_CHOICES = f"{RECOMMENDATIONS}/choices.json"  # the filter form's map of those pages
RECURRING = Listing("learning/recurring.md", "learning/recurring/{n}.md")
THEMES_OVER_TIME = "learning/themes-over-time.md"
METHOD = "learning/method.md"
DATA = "data/{name}"  # the open data files (generator/export.py)
SOURCE_FILE = "reviews/{id}.yaml"  # a review's file in the repository, for "Edit this entry"


def named_pages() -> Mapping[str, str]:
    """Pages templates link to by name: generated ones, and hand-written ones in docs/."""
    return {
        "home": HOME,
        "reviews": REVIEWS.first,
        "themes": THEMES,
        "browse": BROWSE,
        "learning": LEARNING,
        "recommendations": RECOMMENDATIONS_ALL.first,
        "recurring": RECURRING.first,
        "themes-over-time": THEMES_OVER_TIME,
        "method": METHOD,
        "filter-choices": FILTER_CHOICES,
        "about": "about.md",
        "editors": "editors.md",
    }


# The facet pages' value keys: most are vocabulary keys already; areas are editors' names.
_SLUGGED_FACETS = frozenset({"area"})


def review_page(review_id: str) -> str:
    return REVIEW.format(id=review_id)


def redirect_page(old_id: str) -> str:
    """The plain HTML page at a review's old address (MkDocs copies it as it is)."""
    return address(review_page(old_id)) + REDIRECT


def theme_listing(theme_id: str) -> Listing:
    return THEME.of(id=theme_id)


def theme_feed(theme_id: str) -> str:
    return THEME_FEED.format(id=theme_id)


def recommendations_listing(status: str, theme: str | None) -> Listing:
    """The pages of recommendations with a status ("all": any) on a theme (None: any)."""
    if theme is None:
        return RECOMMENDATIONS_ALL if status == "all" else RECOMMENDATIONS_STATUS.of(status=status)
    if status == "all":
        return theme_listing(theme)
    return RECOMMENDATIONS_STATUS_THEME.of(status=status, theme=theme)


def facet_key(facet: str, value: str | int) -> str:
    """The key of a facet's value in its page's address: an area's name slugged."""
    return slugify(str(value)) if facet in _SLUGGED_FACETS else str(value)


def facet_listing(facet: str, value_key: str) -> Listing:
    return FACET.of(facet=facet, value=value_key)


def facet_page(facet: str, value_key: str) -> str:
    """The first page of a facet's value, by its key (``FacetValue.key``)."""
    return facet_listing(facet, value_key).first


def data_file(name: str) -> str:
    return DATA.format(name=name)


def item_anchor(kind: str, item_id: str) -> str:
    return f"{kind}-{item_id}"


def source_anchor(source_id: str) -> str:
    return f"source-{source_id}"


def source_file(review_id: str) -> str:
    """A review's file in the repository (not an address on the site)."""
    return SOURCE_FILE.format(id=review_id)


def anchor(target: Any) -> str:
    """The anchor of a finding, learning point, recommendation (or its ``ItemRef``), a
    recommendation group or a source on its review page."""
    # By the name of its class: this module does not import the model, which would cost a
    # run with nothing to do (it imports this module through write.py) a second.
    match type(target).__name__:
        case "Finding":
            return item_anchor("finding", target.id)
        case "LearningPoint":
            return item_anchor("learning-point", target.id)
        case "Recommendation":
            return item_anchor("recommendation", target.id)
        case "ItemRef":
            return item_anchor(target.kind, target.item.id)
        case "RecommendationGroup":
            return f"group-{target.id}"
        case "Source":
            return source_anchor(target.id)
    raise TypeError(f"no anchor for {target!r}")


def page_of(target: Any) -> tuple[str, str]:
    """(path under docs/, anchor) of what a link points to: a review, an item of one
    (``ItemRef``), a theme, or a page named in :func:`named_pages`."""
    match type(target).__name__:  # see anchor()
        case "Review":
            return review_page(target.id), ""
        case "ItemRef":
            return review_page(target.review.id), anchor(target)
        case "Theme":
            return theme_listing(target.id).first, ""
        case "str":
            return named_pages()[target], ""
    raise TypeError(f"no page for {target!r}")


def owned_folders() -> tuple[str, ...]:
    """The folders of docs/ that hold generated files only, from the patterns above."""
    patterns = (
        REVIEW,
        REVIEWS.first,
        THEMES,
        THEME.first,
        BROWSE,
        FACET.first,
        REVIEWS_FEED,
        THEME_FEED,
        LEARNING,
        RECOMMENDATIONS,
        RECURRING.first,
        DATA,
    )
    return tuple(dict.fromkeys(p.split("/", 1)[0] for p in patterns if "/" in p))


def owned_files() -> tuple[str, ...]:
    """Generated files of docs/ outside the owned folders."""
    return (HOME,)


def search_glob() -> str:
    """The built pages the search indexes: reviews, themes (their first page) and two guides."""
    pages = (review_page("*"), THEME.first.format(id="*"), named_pages()["about"], named_pages()["editors"])
    return "{" + ",".join(address(p) + "index.html" for p in pages) + "}"


def _plain(path: str) -> bool:
    """A path with nothing to normalise: not absolute, no empty, "." or ".." parts."""
    return not path.startswith("/") and "//" not in path and not {".", ".."} & set(path.split("/"))


def relative(path: str, here: str) -> str:
    """A relative link from the page at ``here`` to ``path`` (both under docs/): what
    ``posixpath.relpath(path, dirname(here))`` gives, worked out from the two strings alone
    (relpath asks the system for the working folder on every call, which cost a tenth of
    the rendering at thousands of pages)."""
    if not (_plain(path) and _plain(here)):
        return posixpath.relpath(path, posixpath.dirname(here) or ".")  # the slow way, which normalises
    folder = here.split("/")[:-1]
    parts = [p for p in path.split("/") if p]
    common = 0
    for mine, theirs in zip(folder, parts):
        if mine != theirs:
            break
        common += 1
    return "/".join([".."] * (len(folder) - common) + parts[common:]) or "."


@dataclass(frozen=True)
class Routes:
    """Absolute addresses on the published site: feed ids, permalinks, canonical links."""

    site_url: str  # the site's address, ending in "/" ("" when none is configured)
    edit_base: str = ""  # the repository's address for editing a file, ending in "/"

    def url(self, path: str, fragment: str = "") -> str:
        """The absolute address of a page (its path under docs/)."""
        return self.site_url + address(path) + (f"#{fragment}" if fragment else "")

    def review_url(self, review_id: str) -> str:
        return self.url(review_page(review_id))

    def permalink(self, review_id: str, fragment: str = "") -> str:
        """A review's page, or an item on it: the permalinks in the open data files."""
        return self.url(review_page(review_id), fragment)

    def edit_url(self, review_id: str) -> str:
        return self.edit_base + source_file(review_id)

    def on(self, here: str) -> PageLinks:
        return PageLinks(self, here)


@dataclass(frozen=True)
class PageLinks:
    """Links from one page (``here``, its path under docs/), for its template."""

    routes: Routes
    here: str

    @property
    def root(self) -> str:
        """From this page's file to docs/, for Markdown links (MkDocs resolves them from the file)."""
        return "../" * self.here.count("/")

    @property
    def url_root(self) -> str:
        """From this page's address to the site's root, for addresses in raw HTML, which the
        browser resolves from the page's URL: a page x/y.md is served at x/y/, one folder
        deeper than its file."""
        deeper = self.here.endswith(".md") and not self.here.endswith("index.md")
        return self.root + ("../" if deeper else "")

    def url_for(self, target: object, fragment: str = "") -> Markup:
        """A Markdown link to a review, an item on one (ItemRef), a theme or a named page."""
        path, own = page_of(target)
        fragment = fragment or own
        return Markup(self.root + path + (f"#{fragment}" if fragment else ""))

    def facet_url(self, facet: str, value: str | int) -> Markup:
        """A Markdown link to the page of a facet's value (an area by its name, a year...)."""
        return Markup(self.root + facet_listing(facet, facet_key(facet, value)).first)

    def html_url(self, target: object) -> Markup:
        """The address of a page, for an attribute in raw HTML."""
        path, _ = page_of(target)
        return Markup(self.url_root + address(path))

    def relative(self, path: str) -> Markup:
        """The shortest relative link from this page to another page of docs/."""
        return Markup(relative(path, self.here))

    def redirect_to(self, review_id: str) -> Markup:
        """From a redirect page (plain HTML, served at its folder) to the review's address."""
        return Markup(posixpath.relpath(address(review_page(review_id)), address(self.here)) + "/")

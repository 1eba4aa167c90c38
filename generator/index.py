"""Stage 4, index: what links to what across reviews.

From the valid reviews and the vocabulary it derives theme -> findings and
recommendations, theme -> reviews, theme co-occurrence, the browse facets (year,
nation, type, area, outcome, criminal outcome) and each review's related reviews.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np

from .model import (
    CRIMINAL_OUTCOMES,
    NATIONS,
    OUTCOMES,
    REVIEW_TYPES,
    Finding,
    LearningPoint,
    Recommendation,
    Review,
    Theme,
    Vocabulary,
)
from .routes import facet_key, item_anchor

RELATED_LIMIT = 5
# The kinds of item a review lists, in page order, with their names: each is linked from
# its themes' pages and compared across reviews (see generator.recurrence).
ITEM_KINDS = {"finding": "Finding", "learning-point": "Learning point", "recommendation": "Recommendation"}


Kind = Literal["finding", "learning-point", "recommendation"]


@dataclass(frozen=True)
class ItemRef:
    """A finding, learning point or recommendation, with the review it belongs to."""

    review: Review
    kind: Kind
    item: Finding | LearningPoint | Recommendation
    number: int

    @property
    def anchor(self) -> str:
        return item_anchor(self.kind, self.item.id)

    @property
    def label(self) -> str:
        """ "Finding", "Learning point" or "Recommendation"."""
        return ITEM_KINDS[self.kind]


@dataclass(frozen=True)
class FacetValue:
    key: str
    label: str
    reviews: tuple[Review, ...]


@dataclass(frozen=True)
class Facet:
    key: str
    label: str
    values: tuple[FacetValue, ...]


@dataclass(frozen=True)
class Related:
    review: Review
    shared: tuple[Theme, ...]


@dataclass(frozen=True)
class Index:
    reviews: list[Review]  # newest first
    themes: list[Theme]
    theme_by_id: dict[str, Theme]
    theme_items: dict[str, list[ItemRef]]
    theme_reviews: dict[str, list[Review]]
    review_themes: dict[str, list[Theme]]
    cooccurrence: dict[str, list[tuple[Theme, int]]]
    facets: list[Facet]
    related: dict[str, list[Related]]
    review_items: dict[str, list[ItemRef]] = field(default_factory=dict)  # in page order
    items: dict[tuple[str, str, str], ItemRef] = field(default_factory=dict)  # (review, kind, item id)
    theme_counts: dict[str, tuple[int, int]] = field(default_factory=dict)  # (findings, recommendations)
    theme_lessons: dict[str, int] = field(default_factory=dict)  # learning points raising each theme
    years: list[int] = field(default_factory=list)  # every year from the first publication to the last
    year_reviews: dict[int, int] = field(default_factory=dict)  # reviews published each year
    theme_years: dict[str, dict[int, int]] = field(default_factory=dict)  # reviews raising a theme, by year
    triples: list[tuple[tuple[Theme, Theme, Theme], int]] = field(default_factory=list)
    source_numbers: dict[str, dict[str, int]] = field(default_factory=dict)

    def count(self, kind: str) -> int:
        """How many findings (``"finding"``), learning points (``"learning-point"``) or
        recommendations there are in all."""
        field_name = {"finding": "findings", "learning-point": "learning_points", "recommendation": "recommendations"}[
            kind
        ]
        return sum(len(getattr(r, field_name)) for r in self.reviews)

    @property
    def used_themes(self) -> list[Theme]:
        return [t for t in self.themes if self.theme_reviews[t.id]]


def _newest_first(reviews):
    return sorted(reviews, key=lambda r: (r.published.last_day, r.id), reverse=True)


def _facet(key: str, label: str, pairs, order=None) -> Facet:
    groups: dict[str, dict[str, Review]] = defaultdict(dict)
    labels: dict[str, str] = {}
    for review, value_key, value_label in pairs:
        groups[value_key].setdefault(review.id, review)
        labels[value_key] = value_label
    keys = sorted(groups, key=order or (lambda k: labels[k].casefold()))
    return Facet(key, label, tuple(FacetValue(k, labels[k], tuple(_newest_first(groups[k].values()))) for k in keys))


TRIPLES_SHOWN = 10
BLOCK = 256  # reviews compared at once: memory grows with BLOCK x reviews, not reviews x reviews


def _blocks(count: int, block: int) -> list[tuple[int, int]]:
    return [(lo, min(lo + block, count)) for lo in range(0, count, block)]


def _triples(
    matrix: np.ndarray, themes: list[Theme], block: int = BLOCK
) -> list[tuple[tuple[Theme, Theme, Theme], int]]:
    """The sets of three themes most often raised together in one review (two or more).

    ``matrix`` is reviews x themes (0/1). For every pair of themes, the reviews raising both
    times the matrix gives how many raise the pair and each third theme: one product, summed
    over blocks of reviews (whole numbers, so the sum is exact in any order)."""
    n = matrix.shape[1]
    if n < 3 or not len(matrix):
        return []
    first, second = np.triu_indices(n, 1)
    counts = np.zeros((len(first), n), dtype=np.int64)  # pairs x themes
    for lo, hi in _blocks(len(matrix), block):
        both = matrix[lo:hi, first] * matrix[lo:hi, second]  # reviews x pairs
        counts += (both.T @ matrix[lo:hi]).astype(np.int64)
    found = []
    for p, k in zip(*np.nonzero(counts >= 2)):
        if k > second[p]:  # each set once: i < j < k
            found.append(((int(first[p]), int(second[p]), int(k)), int(counts[p, k])))
    found.sort(key=lambda tn: (-tn[1], [themes[i].label.casefold() for i in tn[0]]))
    return [((themes[i], themes[j], themes[k]), c) for (i, j, k), c in found[:TRIPLES_SHOWN]]


def _items(
    reviews: list[Review], themes: list[Theme]
) -> tuple[dict[str, list[ItemRef]], dict[str, list[ItemRef]], dict[str, list[str]]]:
    """Theme -> items raising it; review -> its items in page order; review -> its theme
    ids, by label."""
    theme_by_id = {t.id: t for t in themes}
    theme_items: dict[str, list[ItemRef]] = {t.id: [] for t in themes}
    review_items: dict[str, list[ItemRef]] = {}
    review_theme_ids: dict[str, list[str]] = {}
    for review in reviews:
        seen: list[str] = []
        mine = review_items[review.id] = []
        for ref in _review_refs(review):
            mine.append(ref)
            for theme_id in ref.item.themes:
                theme_items[theme_id].append(ref)
                if theme_id not in seen:
                    seen.append(theme_id)
        review_theme_ids[review.id] = sorted(seen, key=lambda t: theme_by_id[t].label.casefold())
    return theme_items, review_items, review_theme_ids


def _review_refs(review: Review) -> list[ItemRef]:
    """A review's findings, learning points and recommendations, in page order."""
    lists: tuple[tuple[Kind, Sequence[Finding | LearningPoint | Recommendation]], ...] = (
        ("finding", review.findings),
        ("learning-point", review.learning_points),
        ("recommendation", review.recommendations),
    )
    return [ItemRef(review, kind, item, number) for kind, items in lists for number, item in enumerate(items, 1)]


def _theme_matrix(reviews: list[Review], themes: list[Theme], review_theme_ids: dict[str, list[str]]) -> np.ndarray:
    """Reviews x themes, as a 0/1 matrix: co-occurrence and relatedness are matrix products,
    which keeps them linear in practice at thousands of reviews."""
    theme_pos = {t.id: i for i, t in enumerate(themes)}
    matrix = np.zeros((len(reviews), len(themes)), dtype=np.float64)
    for row, review in enumerate(reviews):
        for theme_id in review_theme_ids[review.id]:
            matrix[row, theme_pos[theme_id]] = 1.0
    return matrix


def _cooccurrence(matrix: np.ndarray, themes: list[Theme]) -> dict[str, list[tuple[Theme, int]]]:
    together = (matrix.T @ matrix).astype(np.int64)  # reviews raising both themes
    cooccurrence = {}
    for i, t in enumerate(themes):
        pairs = [(themes[j], int(together[i, j])) for j in np.nonzero(together[i])[0] if j != i]
        cooccurrence[t.id] = sorted(pairs, key=lambda p: (-p[1], p[0].label))
    return cooccurrence


def _related(
    reviews: list[Review],
    themes: list[Theme],
    matrix: np.ndarray,
    review_theme_ids: dict[str, list[str]],
    block: int = BLOCK,
) -> dict[str, list[Related]]:
    """Related reviews: shared themes, each weighted by its rarity (inverse document
    frequency); reviews named in see_also come first. Scored a block of reviews at a time
    against all, keeping each one's best: never a reviews x reviews matrix."""
    counts = matrix.sum(axis=0)
    weight = np.where(counts > 0, np.log(1 + max(len(reviews), 1) / np.maximum(counts, 1)), 0.0)
    weighted = matrix * weight
    position = {r.id: row for row, r in enumerate(reviews)}
    theme_by_id = {t.id: t for t in themes}
    theme_pos = {t.id: i for i, t in enumerate(themes)}
    related: dict[str, list[Related]] = {}
    for lo, hi in _blocks(len(reviews), block):
        scores = weighted[lo:hi] @ matrix.T
        for row in range(lo, hi):
            review, mine = reviews[row], scores[row - lo]
            mine[row] = -1.0
            for other in review.see_also:
                mine[position[other]] += 1000.0
            related[review.id] = [
                Related(
                    reviews[i],
                    tuple(theme_by_id[t] for t in review_theme_ids[review.id] if matrix[i, theme_pos[t]]),
                )
                for i in _best(mine, row, reviews)
            ]
    return related


def _best(scores: np.ndarray, row: int, reviews: list[Review]) -> list[int]:
    """The rows of the RELATED_LIMIT best-scoring other reviews, best first."""
    limit = min(RELATED_LIMIT, len(reviews) - 1)
    if limit <= 0:
        return []
    candidates = (
        np.argpartition(-scores, limit - 1)[:limit]
        if limit < len(reviews) - 1
        else np.array([i for i in range(len(reviews)) if i != row])
    )
    ranked = sorted(
        (int(i) for i in candidates if scores[i] > 0),
        key=lambda i: (-round(float(scores[i]), 9), reviews[i].id),
    )
    return ranked[:RELATED_LIMIT]


def _facets(reviews: list[Review]) -> list[Facet]:
    return [
        _facet(
            "year",
            "Publication year",
            ((r, str(r.published.year), str(r.published.year)) for r in reviews),
            order=lambda k: -int(k),
        ),
        _facet("nation", "Nation", ((r, r.nation, NATIONS[r.nation]) for r in reviews)),
        _facet("type", "Review type", ((r, t, REVIEW_TYPES[t]) for r in reviews for t in r.review_types)),
        _facet("area", "Area", ((r, facet_key("area", a), a) for r in reviews for a in r.areas)),
        _facet("outcome", "Outcome for the subjects", ((r, o, OUTCOMES[o]) for r in reviews for o in r.outcomes)),
        _facet(
            "criminal-outcome",
            "Criminal outcome",
            ((r, r.criminal_outcome, CRIMINAL_OUTCOMES[r.criminal_outcome]) for r in reviews),
            order=list(CRIMINAL_OUTCOMES).index,
        ),
    ]


def _years(
    reviews: list[Review], theme_reviews: dict[str, list[Review]]
) -> tuple[list[int], dict[int, int], dict[str, dict[int, int]]]:
    """Every year from the first publication to the last; reviews published each year;
    reviews raising each theme, by year."""
    year_of = {r.id: r.published.year for r in reviews}
    years = list(range(min(year_of.values()), max(year_of.values()) + 1)) if reviews else []
    year_reviews = dict.fromkeys(years, 0)
    for review in reviews:
        year_reviews[year_of[review.id]] += 1
    theme_years: dict[str, dict[int, int]] = {}
    for theme_id, raising in theme_reviews.items():
        by_year = theme_years[theme_id] = {}
        for review in raising:
            by_year[year_of[review.id]] = by_year.get(year_of[review.id], 0) + 1
    return years, year_reviews, theme_years


def build_index(reviews: list[Review], vocabulary: Vocabulary) -> Index:
    reviews = _newest_first(reviews)
    themes = sorted(vocabulary.themes, key=lambda t: t.label.casefold())
    theme_by_id = {t.id: t for t in themes}
    theme_items, review_items, review_theme_ids = _items(reviews, themes)
    theme_reviews: dict[str, list[Review]] = {t.id: [] for t in themes}
    for review in reviews:
        for theme_id in review_theme_ids[review.id]:
            theme_reviews[theme_id].append(review)
    matrix = _theme_matrix(reviews, themes, review_theme_ids)
    years, year_reviews, theme_years = _years(reviews, theme_reviews)
    return Index(
        reviews=reviews,
        years=years,
        year_reviews=year_reviews,
        theme_years=theme_years,
        triples=_triples(matrix, themes),
        themes=themes,
        theme_by_id=theme_by_id,
        theme_items=theme_items,
        theme_reviews=theme_reviews,
        review_themes={rid: [theme_by_id[t] for t in ids] for rid, ids in review_theme_ids.items()},
        cooccurrence=_cooccurrence(matrix, themes),
        facets=_facets(reviews),
        related=_related(reviews, themes, matrix, review_theme_ids),
        review_items=review_items,
        items={(ref.review.id, ref.kind, ref.item.id): ref for refs in review_items.values() for ref in refs},
        theme_counts={
            t: (sum(r.kind == "finding" for r in refs), sum(r.kind == "recommendation" for r in refs))
            for t, refs in theme_items.items()
        },
        theme_lessons={t: sum(r.kind == "learning-point" for r in refs) for t, refs in theme_items.items()},
        source_numbers={r.id: {s.id: n for n, s in enumerate(r.sources, 1)} for r in reviews},
    )

"""Stage 4, index: what links to what across reviews.

From the valid reviews and the vocabulary it derives theme -> findings and
recommendations, theme -> reviews, theme co-occurrence, the browse facets (year,
nation, type, area, outcome) and each review's related reviews.
"""
from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Literal

from .model import NATIONS, OUTCOMES, REVIEW_TYPES, Finding, Recommendation, Review, Theme, Vocabulary

RELATED_LIMIT = 5


def slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "x"


@dataclass(frozen=True)
class ItemRef:
    """A finding or recommendation, with the review it belongs to."""

    review: Review
    kind: Literal["finding", "recommendation"]
    item: Finding | Recommendation
    number: int

    @property
    def anchor(self) -> str:
        return f"{self.kind}-{self.item.id}"


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


@dataclass
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
    review_facets: dict[str, dict[str, list[FacetValue]]] = field(default_factory=dict)

    def count(self, kind: str) -> int:
        """How many findings (``"finding"``) or recommendations there are in all."""
        return sum(len(r.findings if kind == "finding" else r.recommendations) for r in self.reviews)

    @property
    def used_themes(self) -> list[Theme]:
        return [t for t in self.themes if self.theme_reviews[t.id]]


def _newest_first(reviews):
    return sorted(reviews, key=lambda r: (r.published.last_day, r.id), reverse=True)


def _facet(key: str, label: str, pairs, order=None) -> Facet:
    groups: dict[str, list[Review]] = defaultdict(list)
    labels: dict[str, str] = {}
    for review, value_key, value_label in pairs:
        if review not in groups[value_key]:
            groups[value_key].append(review)
        labels[value_key] = value_label
    keys = sorted(groups, key=order or (lambda k: labels[k].casefold()))
    return Facet(key, label, tuple(FacetValue(k, labels[k], tuple(_newest_first(groups[k]))) for k in keys))


def build_index(reviews: list[Review], vocabulary: Vocabulary) -> Index:
    reviews = _newest_first(reviews)
    themes = sorted(vocabulary.themes, key=lambda t: t.label.casefold())
    theme_by_id = {t.id: t for t in themes}
    theme_items: dict[str, list[ItemRef]] = {t.id: [] for t in themes}
    review_theme_ids: dict[str, list[str]] = {}
    for review in reviews:
        seen: list[str] = []
        for kind, items in (("finding", review.findings), ("recommendation", review.recommendations)):
            for number, item in enumerate(items, 1):
                for theme_id in item.themes:
                    theme_items[theme_id].append(ItemRef(review, kind, item, number))
                    if theme_id not in seen:
                        seen.append(theme_id)
        review_theme_ids[review.id] = sorted(seen, key=lambda t: theme_by_id[t].label.casefold())
    theme_reviews = {t.id: [] for t in themes}
    for review in reviews:
        for theme_id in review_theme_ids[review.id]:
            theme_reviews[theme_id].append(review)

    pair_counts: dict[str, Counter] = defaultdict(Counter)
    for ids in review_theme_ids.values():
        for a in ids:
            for b in ids:
                if a != b:
                    pair_counts[a][b] += 1
    cooccurrence = {
        t.id: [(theme_by_id[o], n) for o, n in sorted(pair_counts[t.id].items(),
                                                        key=lambda kv: (-kv[1], theme_by_id[kv[0]].label))]
        for t in themes}

    # Related reviews: shared themes, each weighted by its rarity (inverse document frequency).
    total = max(len(reviews), 1)
    weight = {t: math.log(1 + total / len(rs)) for t, rs in theme_reviews.items() if rs}
    by_theme = {t: set(r.id for r in rs) for t, rs in theme_reviews.items()}
    by_id = {r.id: r for r in reviews}
    related: dict[str, list[Related]] = {}
    for review in reviews:
        mine = review_theme_ids[review.id]
        scores: Counter = Counter()
        for theme_id in mine:
            for other in by_theme[theme_id]:
                if other != review.id:
                    scores[other] += weight[theme_id]
        for other in review.see_also:
            scores[other] += 1000
        ranked = sorted(scores, key=lambda o: (-round(scores[o], 9), o))[:RELATED_LIMIT]
        related[review.id] = [
            Related(by_id[o], tuple(theme_by_id[t] for t in mine if o in by_theme[t])) for o in ranked]

    facets = [
        _facet("year", "Publication year", ((r, str(r.published.year), str(r.published.year)) for r in reviews),
               order=lambda k: -int(k)),
        _facet("nation", "Nation", ((r, r.nation, NATIONS[r.nation]) for r in reviews)),
        _facet("type", "Review type", ((r, t, REVIEW_TYPES[t]) for r in reviews for t in r.review_types)),
        _facet("area", "Area", ((r, slugify(a), a) for r in reviews for a in r.areas)),
        _facet("outcome", "Outcome for the subjects", ((r, o, OUTCOMES[o]) for r in reviews for o in r.outcomes)),
    ]
    review_facets: dict[str, dict[str, list[FacetValue]]] = defaultdict(lambda: defaultdict(list))
    for facet in facets:
        for value in facet.values:
            for r in value.reviews:
                review_facets[r.id][facet.key].append(value)

    return Index(
        reviews=reviews, themes=themes, theme_by_id=theme_by_id, theme_items=theme_items,
        theme_reviews=theme_reviews,
        review_themes={rid: [theme_by_id[t] for t in ids] for rid, ids in review_theme_ids.items()},
        cooccurrence=cooccurrence, facets=facets, related=related,
        review_facets={k: dict(v) for k, v in review_facets.items()})

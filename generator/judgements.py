"""Judged pairs: editors' readings of whether two items from different reviews say the same.

``reviews/_pairs.yaml`` lists pairs of findings, recommendations or learning points that a
person read side by side and judged. They do two jobs:

- they override the comparison on the site: a pair judged *not the same* is never shown as
  similar or grouped together; a pair judged *the same* is always shown;
- they measure the comparison: the method page states, for the judged pairs, how often
  "shown as similar" agrees with the judgement (precision and recall), worked out on every
  build from the judgements as they stand.

An item is written ``review-id#item-id``, as in the address of its place on the review page.
A pair naming a review or item that no longer exists is skipped with a warning, so removing
a review never breaks the build.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from .errors import SourceError
from .load import Loaded
from .model import ITEM_REF_PATTERN, Judgements, Review

PAIRS_FILE = "_pairs.yaml"
ITEM_REF = re.compile(ITEM_REF_PATTERN)

Key = tuple[str, str, str]  # (review id, kind, item id), as in :mod:`generator.recurrence`

# The item lists of a review that are compared across reviews, and the kind of each item
# (as in :data:`generator.index.ITEM_KINDS`). Findings and learning points are compared with
# each other, since both say what a review learnt; recommendations with recommendations.
LISTS = (("findings", "finding"), ("learning_points", "learning-point"), ("recommendations", "recommendation"))
COMPARABLE = {"finding": "learnt", "learning-point": "learnt", "recommendation": "recommended"}


@dataclass(frozen=True)
class Pair:
    a: Key
    b: Key
    same: bool


def item_keys(review: Review) -> dict[str, Key]:
    """Each compared item of a review by its id."""
    out: dict[str, Key] = {}
    for field, kind in LISTS:
        for item in getattr(review, field, ()):
            out.setdefault(item.id, (review.id, kind, item.id))
    return out


Report = Callable[..., None]  # report(path, message, hint, level="error")


def resolve(
    judgements: Judgements, loaded: Loaded | None, reviews: list[Review]
) -> tuple[list[Pair], list[SourceError]]:
    """The judged pairs as item keys, and the problems found in the file."""
    keys = {review.id: item_keys(review) for review in reviews}
    pairs: list[Pair] = []
    problems: list[SourceError] = []
    seen: dict[frozenset, int] = {}

    def report(path: tuple, message: str, hint: str, level: str = "error") -> None:
        if loaded is not None:
            problems.append(loaded.error(path, message, hint, level=level))

    for i, judged in enumerate(judgements.pairs):
        found = [
            key
            for side in ("a", "b")
            if (key := _side(getattr(judged, side), ("pairs", i, side), keys, report)) is not None
        ]
        if len(found) == 2 and _comparable(found[0], found[1], i, seen, report):
            seen[frozenset(found)] = i
            pairs.append(Pair(found[0], found[1], judged.same))
    return pairs, problems


def _side(ref: str, path: tuple, keys: dict[str, dict[str, Key]], report: Report) -> Key | None:
    """The item ``ref`` names, or None (reported) where it names none."""
    if not ITEM_REF.match(ref):
        report(
            path,
            f"'{ref}' is not an item reference",
            "write the review's id, '#' and the item's id, e.g. 'daniel-pelka-coventry-scr-2013#f2'",
        )
        return None
    review_id, item_id = ref.split("#", 1)
    if review_id not in keys:
        report(
            path,
            f"no review has the id '{review_id}', so this pair is skipped",
            "remove the pair, or correct the review id",
            "warning",
        )
        return None
    if item_id not in keys[review_id]:
        report(
            path,
            f"the review '{review_id}' has no finding, recommendation or "
            f"learning point '{item_id}', so this pair is skipped",
            "remove the pair, or correct the item id",
            "warning",
        )
        return None
    return keys[review_id][item_id]


def _comparable(a: Key, b: Key, i: int, seen: dict[frozenset, int], report: Report) -> bool:
    """Whether the method compares ``a`` with ``b`` and the pair is judged here first
    (else reported)."""
    if a[0] == b[0]:
        report(
            ("pairs", i, "b"),
            "both items are from the same review",
            "judge pairs from different reviews only: items of one review are never compared",
        )
    elif COMPARABLE[a[1]] != COMPARABLE[b[1]]:
        report(
            ("pairs", i, "b"),
            f"a {a[1].replace('-', ' ')} is never compared with a {b[1].replace('-', ' ')}",
            "pair findings or learning points with findings or learning points, and "
            "recommendations with recommendations",
        )
    elif frozenset((a, b)) in seen:
        report(
            ("pairs", i),
            f"this pair is already judged at pairs[{seen[frozenset((a, b))]}]",
            "keep one judgement per pair",
        )
    else:
        return True
    return False


@dataclass(frozen=True)
class Agreement:
    """How "shown as similar" agrees with the judgements, before they override it."""

    pairs: int
    judged_same: int
    shown: int
    shown_and_same: int

    @property
    def precision(self) -> float | None:
        return self.shown_and_same / self.shown if self.shown else None

    @property
    def recall(self) -> float | None:
        return self.shown_and_same / self.judged_same if self.judged_same else None


def agreement(pairs: list[Pair], shown: list[bool]) -> Agreement:
    """Precision and recall of ``shown`` (one flag per pair) against the judgements."""
    return Agreement(
        len(pairs), sum(p.same for p in pairs), sum(shown), sum(s and p.same for p, s in zip(pairs, shown))
    )

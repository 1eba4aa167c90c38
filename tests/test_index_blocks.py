"""Related reviews, theme triples and similar items are computed a block of rows at a time,
so that memory grows with the number of reviews, not its square (issue 16). On a synthetic
corpus of a few hundred reviews, the blocks give exactly what one reviews x reviews matrix
gave (the way it was computed before, kept here as the reference), whatever the block
size; and comparing items gives the same result whichever way its workers start."""

from __future__ import annotations

import threading

import numpy as np
import pytest
from conftest import copy_project
from synthetic import write_corpus

from generator import index as index_module
from generator import recurrence
from generator.index import RELATED_LIMIT, build_index
from generator.pipeline import check_project

pytestmark = pytest.mark.slow  # a corpus of 300 synthetic reviews, compared several ways

COUNT = 300


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    project = copy_project(tmp_path_factory.mktemp("blocks"), with_reviews=False)
    write_corpus(project.reviews, COUNT, seed=16)
    checked = check_project(project)
    assert not checked.errors
    return build_index(checked.reviews, checked.vocabulary)


def _related_as_one_matrix(index) -> dict[str, list[tuple[str, tuple[str, ...]]]]:
    """Related reviews as they were computed before blocks: one reviews x reviews matrix."""
    reviews, themes = index.reviews, index.themes
    theme_pos = {t.id: i for i, t in enumerate(themes)}
    matrix = np.zeros((len(reviews), len(themes)), dtype=np.float64)
    for row, review in enumerate(reviews):
        for theme in index.review_themes[review.id]:
            matrix[row, theme_pos[theme.id]] = 1.0
    counts = matrix.sum(axis=0)
    weight = np.where(counts > 0, np.log(1 + max(len(reviews), 1) / np.maximum(counts, 1)), 0.0)
    scores = (matrix * weight) @ matrix.T
    position = {r.id: row for row, r in enumerate(reviews)}
    for row, review in enumerate(reviews):
        scores[row, row] = -1.0
        for other in review.see_also:
            scores[row, position[other]] += 1000.0
    out = {}
    for row, review in enumerate(reviews):
        limit = min(RELATED_LIMIT, len(reviews) - 1)
        candidates = np.argpartition(-scores[row], limit - 1)[:limit]
        ranked = sorted(
            (int(i) for i in candidates if scores[row, i] > 0),
            key=lambda i: (-round(float(scores[row, i]), 9), reviews[i].id),
        )
        mine = index.review_themes[review.id]
        out[review.id] = [
            (reviews[i].id, tuple(t.id for t in mine if matrix[i, theme_pos[t.id]])) for i in ranked[:RELATED_LIMIT]
        ]
    return out


def _triples_as_one_matrix(index) -> list[tuple[tuple[str, ...], int]]:
    themes = index.themes
    theme_pos = {t.id: i for i, t in enumerate(themes)}
    matrix = np.zeros((len(index.reviews), len(themes)))
    for row, review in enumerate(index.reviews):
        for theme in index.review_themes[review.id]:
            matrix[row, theme_pos[theme.id]] = 1.0
    first, second = np.triu_indices(len(themes), 1)
    counts = ((matrix[:, first] * matrix[:, second]).T @ matrix).astype(np.int64)
    found = [
        ((int(first[p]), int(second[p]), int(k)), int(counts[p, k]))
        for p, k in zip(*np.nonzero(counts >= 2))
        if k > second[p]
    ]
    found.sort(key=lambda tn: (-tn[1], [themes[i].label.casefold() for i in tn[0]]))
    return [(tuple(themes[i].id for i in t), c) for t, c in found[: index_module.TRIPLES_SHOWN]]


def _theme_ids(index) -> dict[str, list[str]]:
    return {rid: [t.id for t in ts] for rid, ts in index.review_themes.items()}


def _ids(related) -> dict[str, list[tuple[str, tuple[str, ...]]]]:
    return {rid: [(r.review.id, tuple(t.id for t in r.shared)) for r in rel] for rid, rel in related.items()}


@pytest.mark.parametrize("block", [7, 64, index_module.BLOCK])
def test_related_reviews_by_blocks_are_those_of_one_matrix(corpus, block):
    reference = _related_as_one_matrix(corpus)
    assert sum(map(len, reference.values())) >= COUNT * 4  # most reviews have related reviews
    theme_ids = _theme_ids(corpus)
    matrix = index_module._theme_matrix(corpus.reviews, corpus.themes, theme_ids)
    by_blocks = index_module._related(corpus.reviews, corpus.themes, matrix, theme_ids, block=block)
    assert _ids(by_blocks) == reference
    assert _ids(corpus.related) == reference


@pytest.mark.parametrize("block", [7, index_module.BLOCK])
def test_theme_triples_by_blocks_are_those_of_one_matrix(corpus, block):
    matrix = index_module._theme_matrix(corpus.reviews, corpus.themes, _theme_ids(corpus))
    triples = index_module._triples(matrix, corpus.themes, block=block)
    assert [(tuple(t.id for t in ts), c) for ts, c in triples] == _triples_as_one_matrix(corpus)
    assert len(triples) == index_module.TRIPLES_SHOWN


def test_similar_items_are_the_same_whichever_way_workers_start(corpus):
    alone = recurrence.compute(corpus)
    assert sum(map(len, alone.matches.values())) > COUNT and alone.clusters
    release = threading.Event()
    thread = threading.Thread(target=release.wait, daemon=True)
    thread.start()  # with another thread running, workers are not forked (generator.workers)
    try:
        beside_a_thread = recurrence.compute(corpus)
    finally:
        release.set()
        thread.join()
    assert beside_a_thread.matches == alone.matches
    assert beside_a_thread.clusters == alone.clusters

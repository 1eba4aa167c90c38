"""Stage 4b, recurrence: findings, learning points and recommendations that recur across reviews.

The method, which the site states for readers on its method page
(``templates/method.md.j2``, filled in from the constants below):

1. Words. Each finding's and recommendation's text is split into words, lower-cased,
   stripped of accents and of common English words ("the", "should"), and each word is
   reduced to its stem by the Snowball English stemmer ("sharing", "shared" -> "share").
2. Weights. Each item becomes a TF-IDF vector (scikit-learn's ``TfidfVectorizer``:
   sublinear term frequency, smoothed inverse document frequency over every finding and
   recommendation on the site), so that words that many items use count for little.
3. Similarity. Two items of the same kind (findings and learning points with each other,
   recommendations with recommendations: ``COMPARED``) from different reviews score
   ``TEXT_WEIGHT x cosine(texts) + THEME_WEIGHT x Jaccard(themes)``. They count as
   similar when the score is at least ``THRESHOLD`` and the text similarity alone at
   least ``MIN_TEXT`` (shared themes alone never make two items similar). The
   thresholds were tuned on pairs that editors judged by reading both items
   (``reviews/_pairs.yaml``, see :mod:`generator.judgements`); how the method agrees with
   those judgements is worked out on every build and stated on the method page.
4. Each item shows its ``SIMILAR_LIMIT`` most similar items from other reviews.
5. Recurring recommendations. Taking first the recommendation that has similar
   recommendations (score >= ``CLUSTER_THRESHOLD``, text similarity >= ``CLUSTER_MIN_TEXT``)
   in the most other reviews, each one
   not yet in a group starts a group of itself and its similar recommendations not yet
   in one. Every member is therefore similar to the group's first recommendation. Groups
   spanning two or more reviews are shown, those spanning most reviews first.

No model or data is downloaded: everything is computed from the reviews at build time,
and the result is the same on every run. Comparing every item with every other is a
matrix product per block of rows (dense for the most common words, sparse for the rest),
spread over the machine's cores; the result is
cached in ``.cache/``, keyed by the texts, themes and dates it was computed from, so an
unchanged corpus is not compared again.
"""

from __future__ import annotations

import hashlib
import re
import time
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, replace
from functools import partial
from typing import Any

import numpy as np
from threadpoolctl import threadpool_limits  # type: ignore[import-untyped]  # ships no type information

from .cache import RunCache, code_version
from .index import Index
from .judgements import Agreement, Pair, agreement
from .workers import fork_map, in_child

TEXT_WEIGHT = 0.8
THEME_WEIGHT = 0.2
THRESHOLD = 0.22  # tuned on the judged pairs (reviews/_pairs.yaml): see the method page
MIN_TEXT = 0.1
SIMILAR_LIMIT = 3  # similar items shown under each finding or recommendation
CLUSTER_THRESHOLD = 0.3  # grouping asks more than showing: a higher score,
CLUSTER_MIN_TEXT = 0.2  # and texts that are alike in themselves, not only in their themes
CLUSTER_LIMIT = 50  # candidates kept per recommendation when grouping
CLUSTER_WORDS = 6  # words in common shown for a group
WORDS_BLOCK = 4000  # texts split into words at once, on each core
BLOCK = 128  # rows compared at once (memory: BLOCK x items x 4 bytes per array)

Key = tuple[str, str, str]  # (review id, "finding", "learning-point" or "recommendation", item id)
# Which kinds of item are compared with each other: a review's lessons that were not formal
# recommendations are compared with other reviews' findings (and lessons).
COMPARED = (("finding", "learning-point"), ("recommendation",))

_WORD = re.compile(r"[a-z][a-z'-]*[a-z]|[a-z]")


@dataclass(frozen=True)
class Match:
    """An item similar to another: its key, the combined score and its two parts."""

    key: Key
    score: float
    text: float
    themes: float


@dataclass(frozen=True)
class Cluster:
    """Recommendations from several reviews that say much the same. The first is the one
    every other member is similar to."""

    keys: tuple[Key, ...]
    words: tuple[str, ...]


@dataclass(frozen=True)
class Recurrence:
    matches: dict[Key, tuple[Match, ...]]
    clusters: tuple[Cluster, ...]
    agreement: Agreement = Agreement(0, 0, 0, 0)  # the method alone against the judged pairs
    seconds: float = 0.0
    cached: bool = False


# --- words -------------------------------------------------------------------------------


def _stop_words() -> frozenset[str]:
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    # Words every recommendation uses, which say nothing about what it is about.
    return frozenset(
        ENGLISH_STOP_WORDS
        | {
            "should",
            "must",
            "ensure",
            "make",
            "carry",
            "review",
            "reviews",
            "child",
            "children",
            "children's",
            "child's",
        }
    )


def tokenize(texts: list[str]) -> tuple[list[list[str]], dict[str, str]]:
    """Each text as a list of word stems, and each stem's most common word (for display).
    Blocks of texts are split on every core (:func:`_words`); the result is the same."""
    blocks = fork_map(_words, [texts[i : i + WORDS_BLOCK] for i in range(0, len(texts), WORDS_BLOCK)], min_items=2)
    docs = [doc for block, _ in blocks for doc in block]
    seen: dict[str, Counter] = defaultdict(Counter)
    for _, counts in blocks:
        for (stem, word), n in counts.items():
            seen[stem][word] += n
    display = {stem: min(words.items(), key=lambda kv: (-kv[1], kv[0]))[0] for stem, words in seen.items()}
    return docs, display


def _words(texts: list[str]) -> tuple[list[list[str]], Counter]:
    """Each text's stems, and how often each (stem, word) pair occurs."""
    import snowballstemmer

    stemmer = snowballstemmer.stemmer("english")
    stop = _stop_words()
    stems: dict[str, str] = {}
    counts: Counter = Counter()
    docs = []
    for text in texts:
        plain = unicodedata.normalize("NFKD", text.lower()).encode("ascii", "ignore").decode()
        doc = []
        for found in _WORD.findall(plain):
            word = found.strip("'-")
            if len(word) < 2 or word in stop:
                continue
            stem = stems.get(word)
            if stem is None:
                stem = stems[word] = stemmer.stemWord(word)
            counts[stem, word] += 1
            doc.append(stem)
        docs.append(doc)
    return docs, counts


def stances(texts: list[str]) -> np.ndarray:
    """:func:`stance` of each text (int8), worked out on every core."""
    return np.array(fork_map(stance, texts, min_items=4 * WORDS_BLOCK), dtype=np.int8)


# --- conclusions that contradict ----------------------------------------------------------

# Whether harm could have been foreseen or prevented is the conclusion readers look for
# first, and the words that state it ("could not have been predicted", "could and should
# have been prevented") are the same whichever way it goes. An item's stance on it is +1
# when it says the harm was predictable or preventable, -1 when it says it was not, and 0
# when it says neither or both (as in "hard to foresee, but preventable"). Two items with
# opposite stances are never similar, whatever words they share.
_PREVENTABLE = re.compile(
    r"\b(?P<un>un)?(?:predictable|preventable|foreseeable|avoidable)\b"
    r"|\bhave\s+(?:been\s+)?(?:predicted|prevented|foreseen|avoided|anticipated|stopped|saved)\b"
)
_NEGATION = re.compile(r"\b(?:not|no|never|cannot|nothing|nobody|none|neither|nor)\b|n't\b")
_CLAUSE = re.compile(
    r"[;:.!?]|,\s*(?:but|although|though|yet|while|whereas)\b|\b(?:but|however|although|though|whereas)\b"
)
NEGATION_WINDOW = 8  # words before the verb that a negation may stand in


def stance(text: str) -> int:
    """+1, -1 or 0: what ``text`` concludes about whether the harm could have been foreseen
    or prevented (see above)."""
    found = set()
    for clause in _CLAUSE.split(text.lower().replace("\u2019", "'")):
        for match in _PREVENTABLE.finditer(clause):
            before = clause[: match.start()].split()[-NEGATION_WINDOW:]
            negated = bool(_NEGATION.search(" ".join(before))) != bool(match.group("un"))
            found.add(-1 if negated else 1)
    return found.pop() if len(found) == 1 else 0


# --- comparing ---------------------------------------------------------------------------


def combined(text, themes, out=None):
    """The score: ``TEXT_WEIGHT x text similarity + THEME_WEIGHT x theme overlap``, for
    numbers or arrays (``out``: an array to write it into)."""
    if out is None:
        return TEXT_WEIGHT * text + THEME_WEIGHT * themes
    np.multiply(text, TEXT_WEIGHT, out=out)
    out += THEME_WEIGHT * themes
    return out


DENSE_WORDS = 128  # the most common words, compared as a dense matrix

Sparse = Any  # a scipy.sparse CSR matrix (scipy ships no type information)


@dataclass(frozen=True)
class _Kind:
    """The items of one kind (see ``COMPARED``), to compare with each other."""

    keys: list[Key]
    reviews: np.ndarray  # review number of each row
    rank: np.ndarray  # order among equal scores: earlier reviews first, then page order
    text: Sparse  # rows L2-normalised
    themes: np.ndarray  # rows x themes, 0/1 float32
    limit: int
    floor: float
    stance: np.ndarray  # each row's stance (see :func:`stance`), int8
    apart: dict[int, list[int]]  # row -> rows it must never be matched with (judged not the same)


@dataclass(frozen=True)
class _Job:
    """What comparing a block of rows needs, made once from a :class:`_Kind` and handed to
    every worker (see :mod:`generator.workers`)."""

    kind: _Kind
    dense: np.ndarray  # the most common words' columns, dense
    rare: Sparse  # the other words' columns
    rare_t: Sparse  # their transpose, as CSR: made once, not again for every block
    sizes: np.ndarray  # number of themes of each row
    spans: dict[int, tuple[int, int]]  # review number -> (first row, row after its last)


@dataclass(frozen=True)
class _Best:
    """Each row's best candidates, best first: row numbers (-1 for none) and their scores."""

    rows: np.ndarray
    score: np.ndarray
    text: np.ndarray
    themes: np.ndarray


def _block_scores(job: _Job, start: int, stop: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Text similarity, theme overlap and score of rows start..stop with every row."""
    kind = job.kind
    # Common words as a dense product (BLAS), rare words as a sparse one: the sum is the
    # full product, computed fast whatever the shape of the vocabulary.
    text = job.dense[start:stop] @ job.dense.T
    if job.rare.shape[1]:
        rare = job.rare[start:stop] @ job.rare_t
        if rare.nnz:
            text += rare.toarray()
    jaccard = kind.themes[start:stop] @ kind.themes.T  # shared themes...
    union = job.sizes[start:stop, None] + job.sizes[None, :]
    union -= jaccard
    np.maximum(union, 1.0, out=union)
    np.divide(jaccard, union, out=jaccard)  # ...over themes of either
    score = combined(text, jaccard, out=union)  # (reusing that memory)
    score *= text >= MIN_TEXT  # (much faster than assigning through a boolean mask)
    score *= (kind.stance[start:stop, None] * kind.stance[None, :]) >= 0  # opposite conclusions: never similar
    for row, others in kind.apart.items():
        if start <= row < stop:
            score[row - start, others] = 0.0
    # Items of one review are next to each other: never compare them with each other.
    for r in np.unique(kind.reviews[start:stop]):
        lo, hi = job.spans[int(r)]
        score[max(lo, start) - start : min(hi, stop) - start, lo:hi] = 0.0
    return text, jaccard, score


def _compare_block(job: _Job, start: int) -> _Best:
    """The best candidates for rows start..start+BLOCK."""
    kind = job.kind
    n = len(kind.keys)
    stop = min(n, start + BLOCK)
    text, jaccard, score = _block_scores(job, start, stop)
    limit = min(kind.limit, n)
    top = (
        np.argpartition(-score, limit - 1, axis=1)[:, :limit]
        if limit < n
        else np.broadcast_to(np.arange(n), (stop - start, n)).copy()
    )
    picked = np.take_along_axis(score, top, axis=1)
    order = np.lexsort((kind.rank[top], -np.round(picked, 6)), axis=-1)
    top = np.take_along_axis(top, order, axis=1)
    picked = np.take_along_axis(picked, order, axis=1)
    rows = np.where(picked >= kind.floor, top, -1).astype(np.int32)
    return _Best(
        rows,
        np.round(picked, 4),
        np.round(np.take_along_axis(text, top, axis=1), 4),
        np.round(np.take_along_axis(jaccard, top, axis=1), 4),
    )


def _job(kind: _Kind) -> _Job:
    n, width = kind.text.shape
    # The words in most items make the sparse product nearly dense and slow: the
    # DENSE_WORDS most common are compared as a dense matrix instead.
    seen_in = np.bincount(kind.text.indices, minlength=width)
    common = np.sort(np.argsort(-seen_in, kind="stable")[:DENSE_WORDS])
    rest = np.setdiff1d(np.arange(width), common)
    bounds = np.flatnonzero(np.diff(kind.reviews)) + 1
    rare = kind.text[:, rest].tocsr()
    return _Job(
        kind,
        dense=np.asarray(kind.text[:, common].toarray(), dtype=np.float32),
        rare=rare,
        rare_t=rare.T.tocsr(),
        sizes=kind.themes.sum(axis=1),
        spans={
            int(kind.reviews[lo]): (int(lo), int(hi))
            for lo, hi in zip(np.concatenate(([0], bounds)), np.concatenate((bounds, [n])))
        },
    )


def _compare(kind: _Kind) -> _Best:
    """Each row's best candidates, block by block on every core."""
    job = _job(kind)
    # One BLAS thread per process: the blocks already use every core, and more
    # threads than cores slow them down.
    with threadpool_limits(limits=1):
        blocks = fork_map(partial(_compare_block, job), list(range(0, len(kind.keys), BLOCK)), min_items=4)
    return _Best(*(np.concatenate([getattr(b, f) for b in blocks]) for f in ("rows", "score", "text", "themes")))


def _shown(best: _Best, keys: list[Key]) -> dict[Key, tuple[Match, ...]]:
    """Each item's similar items to show: candidates are best first, so the ones above the
    threshold come first."""
    valid = (best.rows >= 0) & (best.score >= THRESHOLD)
    counts = np.minimum(valid.sum(axis=1), SIMILAR_LIMIT)
    out = {}
    for i in np.nonzero(counts)[0]:
        out[keys[i]] = tuple(
            Match(keys[best.rows[i, c]], float(best.score[i, c]), float(best.text[i, c]), float(best.themes[i, c]))
            for c in range(counts[i])
        )
    return out


def _clusters(
    keys: list[Key],
    best: _Best,
    reviews: np.ndarray,
    year: np.ndarray,
    weights,
    display: dict[str, str],
    vocabulary: list[str],
) -> tuple[Cluster, ...]:
    strong_mask = (best.rows >= 0) & (best.score >= CLUSTER_THRESHOLD) & (best.text >= CLUSTER_MIN_TEXT)
    strong = [best.rows[i][strong_mask[i]] for i in range(len(keys))]
    reach = np.array([len(np.unique(reviews[s])) for s in strong], dtype=np.int64)
    # Most reach first; then the earliest review; then the key, for a stable order.
    key_rank = np.empty(len(keys), dtype=np.int64)
    key_rank[sorted(range(len(keys)), key=keys.__getitem__)] = np.arange(len(keys))
    order = np.lexsort((key_rank, year, -reach))
    taken = np.zeros(len(keys), dtype=bool)
    groups = []
    for i in order:
        if reach[i] == 0:
            break
        if taken[i]:
            continue
        members = np.concatenate(([i], strong[i][~taken[strong[i]]]))
        if len(np.unique(reviews[members])) < 2:
            continue
        taken[members] = True
        groups.append(members)
    clusters = []
    for members in groups:
        rows = weights[members]
        present = np.asarray((rows > 0).sum(axis=0)).ravel()
        total = np.asarray(rows.sum(axis=0)).ravel()
        common = list(np.nonzero(present >= max(2, (len(members) + 1) // 2))[0])
        common.sort(key=lambda j: (-present[j], -total[j], vocabulary[j]))
        clusters.append(
            Cluster(tuple(keys[m] for m in members), tuple(display[vocabulary[j]] for j in common[:CLUSTER_WORDS]))
        )

    by_key = {keys[i]: int(year[i]) for i in range(len(keys))}

    def rank(c: Cluster):
        years = [by_key[k] for k in c.keys]
        return (-len({k[0] for k in c.keys}), -(max(years) - min(years)), min(years), c.keys[0])

    return tuple(sorted(clusters, key=rank))


@dataclass(frozen=True)
class _Corpus:
    """Every finding and recommendation as TF-IDF vectors and theme sets."""

    keys: list[Key]
    weights: Sparse  # CSR, one L2-normalised row per item
    themes: np.ndarray  # items x themes, 0/1
    vocabulary: list[str]
    display: dict[str, str]
    stance: np.ndarray  # each item's stance (see :func:`stance`), int8


def _corpus(index: Index) -> _Corpus:
    from sklearn.feature_extraction.text import TfidfVectorizer

    refs = [ref for review in index.reviews for ref in index.review_items[review.id]]
    keys: list[Key] = [(r.review.id, r.kind, r.item.id) for r in refs]
    texts = [str(ref.item.text) for ref in refs]
    docs, display = tokenize(texts)
    stance_of = stances(texts)
    if not any(docs):  # no words to compare (no items, or only common words)
        from scipy.sparse import csr_matrix  # type: ignore[import-untyped]  # ships no type information

        return _Corpus(
            keys,
            csr_matrix((len(refs), 0), dtype=np.float32),
            np.zeros((len(refs), len(index.themes)), dtype=np.float32),
            [],
            {},
            stance_of,
        )
    vectorizer = TfidfVectorizer(analyzer=_same, sublinear_tf=True, dtype=np.float32)
    weights = vectorizer.fit_transform(docs).tocsr()
    theme_pos = {t.id: i for i, t in enumerate(index.themes)}
    themes = np.zeros((len(refs), len(theme_pos)), dtype=np.float32)
    for row, ref in enumerate(refs):
        for t in ref.item.themes:
            themes[row, theme_pos[t]] = 1.0
    return _Corpus(keys, weights, themes, list(vectorizer.get_feature_names_out()), display, stance_of)


def _same(doc):
    return doc


def pair_scores(index: Index, pairs: list[tuple[Key, Key]], corpus: _Corpus | None = None) -> list[Match]:
    """The score of each given pair (for measuring the method against judged pairs). A pair
    whose conclusions contradict each other (see :func:`stance`) scores 0."""
    corpus = corpus or _corpus(index)
    row = {k: i for i, k in enumerate(corpus.keys)}
    out = []
    for a, b in pairs:
        i, j = row[a], row[b]
        if int(corpus.stance[i]) * int(corpus.stance[j]) < 0:
            out.append(Match(b, 0.0, 0.0, 0.0))
            continue
        text = float(corpus.weights[i].multiply(corpus.weights[j]).sum())
        inter = float(corpus.themes[i] @ corpus.themes[j])
        union = float(corpus.themes[i].sum() + corpus.themes[j].sum() - inter)
        themes = inter / union if union else 0.0
        out.append(Match(b, round(combined(text, themes), 4), round(text, 4), round(themes, 4)))
    return out


def similar_enough(match: Match) -> bool:
    """Whether a pair is shown as similar (the rule :func:`_compare_block` applies)."""
    return match.text >= MIN_TEXT and match.score >= THRESHOLD


def _apart(keys: list[Key], pairs: list[Pair]) -> dict[int, list[int]]:
    """Row -> rows it was judged not the same as, in both directions."""
    row = {k: i for i, k in enumerate(keys)}
    out: dict[int, list[int]] = defaultdict(list)
    for pair in pairs:
        if not pair.same and pair.a in row and pair.b in row:
            out[row[pair.a]].append(row[pair.b])
            out[row[pair.b]].append(row[pair.a])
    return dict(out)


def _judged_same(matches: dict[Key, tuple[Match, ...]], scored: list[tuple[Pair, Match, Match]]) -> None:
    """Add each pair judged the same to both items' similar items, if the method missed it."""
    for pair, forward, backward in scored:
        if not pair.same:
            continue
        for key, match in ((pair.a, forward), (pair.b, backward)):
            shown = matches.get(key, ())
            if all(m.key != match.key for m in shown):
                matches[key] = tuple(sorted((*shown, match), key=lambda m: -m.score))[: SIMILAR_LIMIT + 1]


def compute(index: Index, pairs: tuple[Pair, ...] = ()) -> Recurrence:
    """Similar items for every finding and recommendation, and the recurring groups, with
    editors' judged ``pairs`` applied: those judged not the same are kept apart, those judged
    the same are shown."""
    start = time.perf_counter()
    corpus = _corpus(index)
    known = set(corpus.keys)
    pairs = tuple(p for p in pairs if p.a in known and p.b in known)
    by_date = sorted(index.reviews, key=lambda r: (r.published.first_day, r.id))
    review_rank = {r.id: i for i, r in enumerate(by_date)}
    year = {r.id: r.published.year for r in index.reviews}
    matches: dict[Key, tuple[Match, ...]] = {}
    clusters: tuple[Cluster, ...] = ()
    for kinds in COMPARED:
        rows = [i for i, key in enumerate(corpus.keys) if key[1] in kinds]
        if not rows:
            continue
        keys = [corpus.keys[i] for i in rows]
        grouping = kinds == ("recommendation",)
        reviews = np.array([review_rank[k[0]] for k in keys], dtype=np.int64)
        rank = np.empty(len(keys), dtype=np.int64)  # earlier reviews first, then page order
        rank[np.lexsort((np.arange(len(keys)), reviews))] = np.arange(len(keys))
        kind = _Kind(
            keys,
            reviews,
            rank,
            corpus.weights[rows],
            corpus.themes[rows],
            limit=max(SIMILAR_LIMIT, CLUSTER_LIMIT if grouping else 0),
            floor=min(THRESHOLD, CLUSTER_THRESHOLD) if grouping else THRESHOLD,
            stance=corpus.stance[rows],
            apart=_apart(keys, list(pairs)),
        )
        best = _compare(kind)
        matches.update(_shown(best, keys))
        if grouping:
            clusters = _clusters(
                keys,
                best,
                reviews,
                np.array([year[k[0]] for k in keys]),
                corpus.weights[rows],
                corpus.display,
                corpus.vocabulary,
            )
    forward = pair_scores(index, [(p.a, p.b) for p in pairs], corpus)
    backward = pair_scores(index, [(p.b, p.a) for p in pairs], corpus)
    _judged_same(matches, list(zip(pairs, forward, backward)))
    measured = agreement(list(pairs), [similar_enough(m) for m in forward])
    return Recurrence(matches, clusters, measured, time.perf_counter() - start)


# --- caching -----------------------------------------------------------------------------


def inputs_key(index: Index, pairs: tuple[Pair, ...] = ()) -> str:
    """A digest of everything the result depends on: the code, the judged pairs and each
    item's review, publication date, kind, id, text and themes. Other edits leave it unchanged."""
    digest = hashlib.sha256(code_version(templates=False).encode())
    digest.update(repr(sorted(pairs, key=repr)).encode())
    for review in sorted(index.reviews, key=lambda r: r.id):
        digest.update(f"\0R{review.id}\0{review.published.first_day}".encode())
        for ref in index.review_items[review.id]:
            digest.update(f"\0{ref.kind}\0{ref.item.id}\0{ref.item.text}\0{','.join(ref.item.themes)}".encode())
    return digest.hexdigest()[:32]


def recurrence(index: Index, cache: RunCache | None = None, pairs: tuple[Pair, ...] = ()) -> Recurrence:
    """:func:`compute`, or its result from the last run when its inputs are unchanged."""
    if cache is None:
        return compute(index, pairs)
    key = inputs_key(index, pairs)
    found = cache.load("recurrence", key)
    if isinstance(found, Recurrence):
        return replace(found, cached=True, seconds=0.0)
    # In a child process: scikit-learn and the comparison's working memory never enlarge
    # the process that goes on to render the site.
    result = in_child(compute, index, pairs)
    cache.store("recurrence", key, result)
    return result

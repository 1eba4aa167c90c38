"""Visibly synthetic review files, made at run time for tests and benchmarks.

``write_corpus(folder, n)`` writes ``n`` review files of realistic size and shape (a
summary of a few paragraphs, 5 to 15 findings, 5 to 15 recommendations, a quarter of
them with a known status, 5 to 20 timeline events, real themes; made-up words drawn as
real words are, and some findings and recommendations rewording a few stock texts, as
lessons recur) into ``folder``, with the theme vocabulary and support file of the
frozen fixtures (tests/fixtures/frozen). Every title says SYNTHETIC; nothing here is
about a real child. Never point it at ``reviews/``. Run as ``python tests/synthetic.py FOLDER N``.
"""

from __future__ import annotations

import random
import shutil
import sys
from pathlib import Path

import yaml

from generator.pipeline import Project
from generator.write import is_owned

REPO = Path(__file__).resolve().parent.parent
# The corpora the tests build, defined here once. Code is tested on the two fixture corpora,
# never on reviews/, which editors change: only the generic content checks
# (tests/content_checks.py) read reviews/, and they work with any set of valid files.
SHIPPED_REVIEWS = REPO / "reviews"
FIXTURES = REPO / "tests" / "fixtures"
SYNTHETIC_REVIEWS = FIXTURES / "synthetic" / "reviews"  # visibly synthetic reviews covering every field
FROZEN_REVIEWS = FIXTURES / "frozen" / "reviews"  # exact copies of reviews/ at one commit (see its README)
SCHEMA_LINE = "# yaml-language-server: $schema=../docs/schema/review.schema.json\n"
WORDS = [
    "agency",
    "assessment",
    "referral",
    "school",
    "health",
    "visitor",
    "police",
    "social",
    "worker",
    "plan",
    "conference",
    "supervision",
    "parent",
    "carer",
    "partner",
    "father",
    "mother",
    "child",
    "baby",
    "injury",
    "bruising",
    "neglect",
    "school",
    "nursery",
    "GP",
    "hospital",
    "strategy",
    "meeting",
    "threshold",
    "concern",
    "record",
    "chronology",
    "information",
    "sharing",
    "curiosity",
    "voice",
    "home",
    "visit",
    "appointment",
    "missed",
    "escalation",
    "challenge",
    "housing",
    "substance",
    "alcohol",
    "mental",
    "health",
    "domestic",
    "abuse",
    "review",
    "learning",
    "practice",
    "system",
]
NATIONS = ["england", "wales", "scotland", "northern-ireland"]
TYPES = {
    "england": ["serious-case-review", "child-safeguarding-practice-review"],
    "wales": ["child-practice-review-concise", "child-practice-review-extended"],
    "scotland": ["significant-case-review", "learning-review"],
    "northern-ireland": ["case-management-review"],
}
OUTCOMES = ["died", "seriously-harmed", "harmed"]


def copy_project(dest: Path, with_reviews: bool = True, reviews: Path | None = None) -> Project:
    """A copy of the project (config, hand-written docs) to build in, with the review files,
    theme vocabulary and support file of ``reviews``: by default the synthetic fixtures.
    With ``with_reviews=False``, only the vocabulary and support file, by default those of
    the frozen copies (the realistic vocabulary, fixed), for tests that write their own
    reviews with real theme ids."""
    if reviews is None:
        reviews = SYNTHETIC_REVIEWS if with_reviews else FROZEN_REVIEWS
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copy(REPO / "mkdocs.yml", dest / "mkdocs.yml")
    shutil.copytree(REPO / "overrides", dest / "overrides")
    (dest / "docs").mkdir(exist_ok=True)
    for src in (REPO / "docs").iterdir():  # the hand-written pages and assets, not generated ones
        if is_owned(src.name):
            continue
        if src.is_dir():
            shutil.copytree(src, dest / "docs" / src.name)
        else:
            shutil.copy(src, dest / "docs" / src.name)
    (dest / "reviews").mkdir(exist_ok=True)
    for src in Path(reviews).glob("*.yaml"):
        # Without the reviews, their judged pairs would only name reviews that are not there.
        if with_reviews or (src.name.startswith("_") and src.name != "_pairs.yaml"):
            shutil.copy(src, dest / "reviews" / src.name)
    return Project(dest)


# Made-up words ("kolibe", "tasu"...), drawn with Zipf's law as real words are, so that
# texts overlap about as much as real ones: a few words are everywhere, most are rare.
_SYLLABLES = [c + v for c in "bdfgklmnprstvz" for v in "aeiou"]


def _lexicon(size: int = 4000) -> tuple[list[str], list[float]]:
    rng = random.Random(7)
    words: dict[str, None] = {}
    while len(words) < size:
        words["".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 3)))] = None
    cumulative, total = [], 0.0
    for rank in range(1, size + 1):
        total += 1.0 / rank
        cumulative.append(total)
    return list(words), cumulative


LEXICON, _CUMULATIVE = _lexicon()
RECURRING_SHARE = 0.15  # findings and recommendations that reword one of a few stock texts
_STOCK = [" ".join(random.Random(100 + i).choices(LEXICON, cum_weights=_CUMULATIVE, k=14)) for i in range(40)]


def _sentence(rng: random.Random, lo: int = 8, hi: int = 22) -> str:
    count = rng.randint(lo, hi)
    domain = [rng.choice(WORDS) for _ in range(count // 2)]
    made_up = rng.choices(LEXICON, cum_weights=_CUMULATIVE, k=count - len(domain))
    words = domain + made_up
    rng.shuffle(words)
    return " ".join(words).capitalize() + "."


def _item_text(rng: random.Random) -> str:
    """Usually new text; sometimes a rewording of a stock text, as lessons recur."""
    if rng.random() < RECURRING_SHARE:
        words = rng.choice(_STOCK).split()
        for i in rng.sample(range(len(words)), 3):
            words[i] = rng.choice(WORDS)
        return " ".join(words).capitalize() + "."
    return _text(rng, rng.randint(2, 4))


def _text(rng: random.Random, sentences: int) -> str:
    return " ".join(_sentence(rng) for _ in range(sentences))


def synthetic_review(number: int, theme_ids: list[str], rng: random.Random) -> dict:
    nation = rng.choice(NATIONS)
    year = rng.randint(2008, 2025)
    incident = year - rng.randint(1, 3)
    review_id = f"synthetic-review-{number:05d}"

    def items(prefix: str, count: int) -> list[dict]:
        return [
            {
                "id": f"{prefix}{i}",
                "text": _item_text(rng),
                "themes": rng.sample(theme_ids, rng.randint(1, 4)),
                "sources": ["s1"],
            }
            for i in range(1, count + 1)
        ]

    events = sorted(f"{incident - 2 + (m // 12)}-{m % 12 + 1:02d}" for m in rng.sample(range(30), rng.randint(5, 20)))
    recommendations = items("r", rng.randint(5, 15))
    for rec in recommendations:
        rec["addressed_to"] = [f"Synthetic agency {rng.randint(1, 9)}"]
        if rng.random() < 0.25:  # a quarter with a known status, as evidence is published
            rec["status"] = {
                "value": rng.choice(["accepted", "in-progress", "implemented", "not-accepted"]),
                "date": str(min(year + 1, 2025)),
                "evidence": f"https://example.org/synthetic/{number}/progress",
                "note": "Synthetic progress report.",
            }
    return {
        "id": review_id,
        "title": f"SYNTHETIC REVIEW {number:05d}: not a real case",
        "short_title": f"Synthetic child {number:05d}",
        "review_types": [rng.choice(TYPES[nation])],
        "nation": nation,
        "areas": [f"Synthetic area {rng.randint(1, 150):03d}"],
        "credits": [
            {
                "name": f"Synthetic Safeguarding Partnership {rng.randint(1, 150):03d}",
                "kind": "organisation",
                "roles": ["commissioned"],
                "sources": ["s1"],
            }
        ],
        "published": f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
        "content_note": "Synthetic test content: this review does not exist.",
        "summary": "\n\n".join(_text(rng, rng.randint(3, 6)) for _ in range(rng.randint(2, 4))),
        "subjects": [
            {
                "pseudonym": f"Child {number:05d}",
                "age": f"{rng.randint(1, 16)} years",
                "outcome": rng.choice(OUTCOMES),
                "incident_date": str(incident),
                "sources": ["s1"],
            }
        ],
        "timeline": [{"date": d, "text": _sentence(rng), "sources": ["s1"]} for d in events],
        "findings": items("f", rng.randint(5, 15)),
        "recommendations": recommendations,
        "sources": [
            {
                "id": "s1",
                "title": f"Synthetic source {number}",
                "publisher": "Synthetic publisher",
                "url": f"https://example.org/synthetic/{number}",
            }
        ],
    }


def write_corpus(folder: Path, count: int, seed: int = 1) -> list[Path]:
    """Write ``count`` synthetic reviews, the vocabulary and the support file into ``folder``."""
    folder = Path(folder)
    if folder.resolve() == SHIPPED_REVIEWS.resolve():
        raise ValueError("synthetic reviews never go into reviews/")
    folder.mkdir(parents=True, exist_ok=True)
    for name in ("_themes.yaml", "_support.yaml"):  # a realistic vocabulary, fixed: the frozen copy's
        shutil.copy(FROZEN_REVIEWS / name, folder / name)
    themes = [t["id"] for t in yaml.safe_load((FROZEN_REVIEWS / "_themes.yaml").read_text())["themes"]]
    rng = random.Random(seed)
    paths = []
    for number in range(1, count + 1):
        data = synthetic_review(number, themes, rng)
        path = folder / f"{data['id']}.yaml"
        path.write_text(SCHEMA_LINE + yaml.safe_dump(data, sort_keys=False, width=100), encoding="utf-8")
        paths.append(path)
    return paths


if __name__ == "__main__":
    target, n = Path(sys.argv[1]), int(sys.argv[2])
    write_corpus(target, n)
    print(f"wrote {n} synthetic reviews to {target}")

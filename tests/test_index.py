"""Stage 4, index: themes to items and reviews, co-occurrence, facets, related reviews."""

from __future__ import annotations

from conftest import SYNTHETIC_REVIEWS, synthetic_review

from generator.index import build_index
from generator.model import Review
from generator.slugs import slugify
from generator.validate import check

VOCAB = check([SYNTHETIC_REVIEWS / "_themes.yaml"], root=SYNTHETIC_REVIEWS.parent).vocabulary


def review(review_id, themes_by_item, **changes):
    data = synthetic_review(review_id, **changes)
    data["findings"] = [
        {"id": f"f{i}", "text": "x", "themes": t, "sources": ["s1"]} for i, t in enumerate(themes_by_item, 1)
    ]
    data["recommendations"] = []
    return Review.model_validate(data)


def test_theme_items_reviews_and_cooccurrence():
    a = review("synthetic-a", [["domestic-abuse", "unseen-men"], ["domestic-abuse"]], published="2019")
    b = review("synthetic-b", [["domestic-abuse", "neglect"]], published="2021-05")
    index = build_index([a, b], VOCAB)
    assert [r.id for r in index.reviews] == ["synthetic-b", "synthetic-a"]  # newest first
    items = index.theme_items["domestic-abuse"]
    assert [(i.review.id, i.anchor) for i in items] == [
        ("synthetic-b", "finding-f1"),
        ("synthetic-a", "finding-f1"),
        ("synthetic-a", "finding-f2"),
    ]
    assert [r.id for r in index.theme_reviews["domestic-abuse"]] == ["synthetic-b", "synthetic-a"]
    co = {t.id: n for t, n in index.cooccurrence["domestic-abuse"]}
    assert co == {"unseen-men": 1, "neglect": 1}
    assert index.count("finding") == 3


def test_related_reviews_weight_rare_themes():
    base = review("synthetic-base", [["domestic-abuse", "young-carers"]])
    common = review("synthetic-common", [["domestic-abuse"]])
    rare = review("synthetic-rare", [["young-carers"]])
    others = [review(f"synthetic-other-{i}", [["domestic-abuse"]]) for i in range(4)]
    index = build_index([base, common, rare, *others], VOCAB)
    related = index.related["synthetic-base"]
    assert related[0].review.id == "synthetic-rare"  # one rare shared theme beats one common one
    assert [t.id for t in related[0].shared] == ["young-carers"]
    assert len(related) == 5


def test_see_also_comes_first():
    a = review("synthetic-a", [["neglect"]], see_also=["synthetic-c"])
    b = review("synthetic-b", [["neglect"]])
    c = review("synthetic-c", [["adolescents"]])
    assert [r.review.id for r in build_index([a, b, c], VOCAB).related["synthetic-a"]] == ["synthetic-c", "synthetic-b"]


def test_facets():
    a = review("synthetic-a", [["neglect"]], areas=["Ynys Môn", "Testshire"], published="2019")
    index = build_index([a], VOCAB)
    facets = {f.key: {v.key: v.label for v in f.values} for f in index.facets}
    assert facets["year"] == {"2019": "2019"}
    assert facets["nation"] == {"wales": "Wales"}
    assert facets["area"] == {"testshire": "Testshire", "ynys-mon": "Ynys Môn"}
    assert facets["outcome"] == {"seriously-harmed": "Seriously harmed and survived"}
    assert facets["type"] == {"child-safeguarding-practice-review": "Child safeguarding practice review (local)"}


def test_slugify():
    assert slugify("Cwm Taf Morgannwg") == "cwm-taf-morgannwg"
    assert slugify("Brighton & Hove") == "brighton-hove"

"""Real reviews as rendered, on the frozen copies in tests/fixtures/frozen (never on
reviews/, which editors change): a handful of key facts per review, taken from the fact
sheets in shared/sources, checked on the built pages; and theme pages that set findings
from several reviews side by side. The checks that hold for any set of reviews, and so run
on reviews/ itself, are in content_checks.py and test_reviews.py."""

from __future__ import annotations

from urllib.parse import urljoin, urlsplit

import pytest
from conftest import FROZEN_REVIEWS
from helpers import html, text

from generator.validate import check, review_files

KEY_FACTS = {
    "ayeeshia-jayne-smith-derbyshire-scr-2017": [
        "Serious case review",
        "Derbyshire Safeguarding Children Board",
        "5 September 2017",
        "21 months",
        "1 May 2014",
        "Jenny Myers",
        "minimum term of 24 years",
        "cut from 24 years to 19 years",
    ],
    "daniel-pelka-coventry-scr-2013": [
        "Serious case review",
        "Coventry Safeguarding Children Board",
        "17 September 2013",
        "Born 15 July 2007",
        "3 March 2012",
        "Ron Lock",
        "Dr Neil Fraser",
        "minimum term of 30 years",
        "Recommendations made 15",
    ],
    "peter-connelly-baby-p-haringey-scrs": [
        "Serious case review",
        "Haringey Local Safeguarding Children Board",
        "26 October 2010",
        "17 months",
        "Born 1 March 2006",
        "3 August 2007",
        "Graham Badman",
        "Sharon Shoesmith",
        "could and should have been prevented",
        "Reviews in this entry 2",
    ],
    "khyra-ishaq-birmingham-scr-2010": [
        "Serious case review",
        "Birmingham Safeguarding Children Board",
        "27 July 2010",
        "Age: 7 years",
        "17 May 2008",
        "Recommendations made 18",
        "Sentenced to 15 years",
    ],
    "arthur-labinjo-hughes-star-hobson-national-review-2022": [
        "National child safeguarding practice review",
        "Child Safeguarding Practice Review Panel",
        "26 May 2022",
        "Annie Hudson",
        "Arthur Labinjo-Hughes",
        "Star Hobson",
        "Age: 6 years",
        "Age: 16 months",
        "22 September 2020",
        "Recommendations made 14",
        "minimum term of 29 years",
        "increased it to 24 years",
    ],
    "logan-mwangi-cwm-taf-morgannwg-cpr-2022": [
        "Child practice review (extended)",
        "Wales",
        "Cwm Taf Morgannwg Safeguarding Board",
        "24 November 2022",
        "Jan Pickles",
        "“Child T”",
        "Age: 5 years",
        "minimum term of 29 years",
        "minimum term of 28 years",
    ],
    "myth-of-invisible-men-national-review-2021": [
        "National child safeguarding practice review",
        "Thematic review",
        "Child Safeguarding Practice Review Panel",
        "16 September 2021",
        "Cases reviewed 23",
        "Recommendations made 3",
        "Not stated in our sources",
    ],
}


def test_key_facts_name_frozen_reviews():
    assert set(KEY_FACTS) <= {p.stem for p in review_files(FROZEN_REVIEWS)}


@pytest.mark.parametrize("review_id", sorted(KEY_FACTS))
def test_key_facts_are_rendered(fixture_site, review_id):
    page = text(html(fixture_site, f"reviews/{review_id}/"))
    missing = [fact for fact in KEY_FACTS[review_id] if fact not in page]
    assert missing == []


def test_unknown_recommendations_are_said_not_invented(fixture_site):
    logan = text(html(fixture_site, "reviews/logan-mwangi-cwm-taf-morgannwg-cpr-2022/"))
    assert "Their number and full text were not available in our sources" in logan
    peter = text(html(fixture_site, "reviews/peter-connelly-baby-p-haringey-scrs/"))
    assert "The text of the two reviews' recommendations was not available" in peter
    assert "No recommendations are recorded" not in peter


def test_disputed_facts_are_shown(fixture_site):
    peter = text(html(fixture_site, "reviews/peter-connelly-baby-p-haringey-scrs/"))
    assert "Where sources disagree" in peter and "fifteen months" in peter


def test_theme_pages_set_several_reviews_side_by_side(fixture_site):
    result = check([FROZEN_REVIEWS], root=FROZEN_REVIEWS.parent)
    from generator.index import build_index

    index = build_index(result.reviews, result.vocabulary)
    shared = [t for t in index.themes if len(index.theme_reviews[t.id]) >= 2]
    assert len(shared) >= 10
    for theme in shared:
        page = html(fixture_site, f"themes/{theme.id}/")
        base = f"https://x/themes/{theme.id}/"
        linked = {}
        for a in page.select("article a.cr-item-link"):
            url = urljoin(base, a["href"])
            review_id = urlsplit(url).path.strip("/").split("/")[1]
            linked.setdefault(review_id, []).append(urlsplit(url).fragment)
        expected = {r.id for r in index.theme_reviews[theme.id]}
        assert set(linked) == expected, theme.id
        for review_id, anchors in linked.items():
            target = html(fixture_site, f"reviews/{review_id}/")
            for anchor in anchors:
                assert target.find(id=anchor) is not None, (theme.id, review_id, anchor)


def test_vocabulary_covers_terms_the_fact_sheets_use():
    vocabulary = check([FROZEN_REVIEWS / "_themes.yaml"], root=FROZEN_REVIEWS.parent).vocabulary
    from generator.validate import theme_resolver

    terms = theme_resolver(vocabulary)
    for term, theme in [
        ("rule of optimism", "over-optimism"),
        ("domestic violence", "domestic-abuse"),
        ("hidden men", "unseen-men"),
        ("did not attend", "was-not-brought"),
        ("disguised compliance", "family-engagement"),
        ("home education", "children-not-in-school"),
        ("supervision order", "child-protection-planning"),
        ("information seeking", "information-sharing"),
        ("MARAC", "marac-and-multi-agency-arrangements"),
        ("lockdown", "covid-19"),
    ]:
        assert terms.get(term.casefold()) == theme, term

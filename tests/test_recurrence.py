"""Learning across reviews (issue #8): similar items on review pages, recurring
recommendations, recommendation status pages, charts of themes over time, and the
similarity step's cache. Read from the built site of the frozen copies of real reviews
(tests/fixtures/frozen, on which the thresholds were tuned), and from synthetic reviews
where a case needs controlling."""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
import yaml
from conftest import FROZEN_REVIEWS, synthetic_review, write_review
from helpers import html, text

from generator import recurrence as method
from generator.index import build_index
from generator.pipeline import Project, check_project, generate

REC_LINK = "article li > a[href*='#recommendation-']"  # one per recommendation listed
# Floors, not the measured figures (0.75 and 0.71 on the frozen copies' 40 pairs when they were
# set; 0.67 and 0.67 on the 171 pairs of all 16 shipped reviews): a change to the method that
# falls below them must say why on the method page.
PRECISION_FLOOR = 0.6  # of the judged pairs shown as similar, the share judged the same
RECALL_FLOOR = 0.6  # of the pairs judged the same, the share shown


@pytest.fixture(scope="module")
def frozen_index():
    checked = check_project(Project(FROZEN_REVIEWS.parent))
    return build_index(checked.reviews, checked.vocabulary)


def test_the_method_agrees_with_the_judged_pairs(frozen_index):
    checked = check_project(Project(FROZEN_REVIEWS.parent))
    result = method.compute(frozen_index, tuple(checked.pairs))
    agreement = result.agreement
    assert agreement.pairs >= 40 and agreement.judged_same >= 20
    assert agreement.precision >= PRECISION_FLOOR and agreement.recall >= RECALL_FLOOR
    # Sharing themes is never enough: a pair with no words in common is not similar.
    assert not method.similar_enough(method.Match(("a", "finding", "f"), 0.9, 0.0, 1.0))


def test_every_review_page_shows_similar_items_from_other_reviews(fixture_site):
    site = Path(fixture_site.site)
    reviews = sorted(
        p.parent.name
        for p in (site / "reviews").glob("*/index.html")
        if "http-equiv" not in p.read_text(encoding="utf-8")
    )
    assert len(reviews) == 7
    for review in reviews:
        page = html(fixture_site, f"reviews/{review}/")
        blocks = page.select(".cr-similar")
        assert blocks, f"{review}: no similar items shown"
        for block in blocks:
            assert block.get("data-pagefind-ignore") is not None  # other reviews' text is not indexed here
            heading = block.find("p").get_text(strip=True)
            assert heading in {"Also found in:", "Made before in:", "Also made in:"}
            links = block.select("a[href]")
            assert links
            for a in links:
                target = urlsplit(urljoin(f"https://x/reviews/{review}/", a["href"]))
                other = target.path.strip("/").split("/")[1]
                assert other != review, f"{review}: an item is shown as similar to its own review"
                assert re.fullmatch(r"(finding|recommendation)-.+", target.fragment)
                assert re.search(r"\((19|20)\d\d\), (finding|recommendation) \d+$", a.get_text(strip=True))
                assert target.fragment in {t["id"] for t in html(fixture_site, f"reviews/{other}/").select("[id]")}


def test_made_before_lists_only_earlier_reviews(fixture_site):
    page = html(fixture_site, "reviews/logan-mwangi-cwm-taf-morgannwg-cpr-2022/")
    before = [b for b in page.select(".cr-similar") if b.find("p").get_text(strip=True) == "Made before in:"]
    assert before, "Logan Mwangi's information-sharing recommendation echoes Daniel Pelka's (2013)"
    for block in before:
        for a in block.select("a"):
            assert int(re.search(r"\((\d{4})\)", a.get_text()).group(1)) <= 2022
    assert "Daniel Pelka (2013), recommendation 1" in text(page)


def test_recurring_page_lists_multi_review_groups(fixture_site):
    page = html(fixture_site, "learning/recurring/")
    groups = page.select("article h2[id^=group-]")
    assert groups, "no recurring recommendations group"
    for heading in groups:
        match = re.match(r"Group (\d+): (\d+) reviews, (\d{4})(?: to (\d{4}))?", heading.get_text(strip=True))
        assert match, heading.get_text()
        items = heading.find_next("ul").select("li")
        reviews = {urlsplit(li.a["href"]).path for li in items}
        assert len(reviews) == int(match.group(2)) >= 2
        found_years = sorted(int(re.search(r"\((\d{4})\)", li.a.get_text()).group(1)) for li in items)
        assert found_years[0] == int(match.group(3))
        assert found_years[-1] == int(match.group(4) or match.group(3))
        for li in items:
            assert "Status:" in li.get_text()
    # The strongest recurrence in the frozen copies: reviewing how agencies share information.
    first = groups[0].find_next("ul").get_text(" ")
    assert "Daniel Pelka (2013)" in first and "Logan Mwangi (2022)" in first


def test_method_page_states_the_thresholds(fixture_site):
    words = text(html(fixture_site, "learning/method/"))
    assert f"a score of at least {method.THRESHOLD}" in words
    assert f"at least {method.MIN_TEXT}" in words
    assert re.search(r"Precision: of the judged pairs the method shows as similar, \d+% \(\d+ of \d+\)", words)
    assert re.search(r"Editors have judged \d+ pairs", words)


def _synthetic_items(tmp_path: Path, texts: dict[str, list[str]]) -> Project:
    from synthetic import copy_project

    project = copy_project(tmp_path)
    for path in project.reviews.glob("*.yaml"):
        if not path.name.startswith("_"):
            path.unlink()
    for n, (review_id, recs) in enumerate(texts.items()):
        write_review(
            project.reviews,
            synthetic_review(
                review_id,
                published=f"{2020 + n}-01-01",
                findings=[
                    {
                        "id": "f1",
                        "text": f"Synthetic finding number {n} about topic {review_id}.",
                        "themes": ["neglect"],
                        "sources": ["s1"],
                    }
                ],
                recommendations=[
                    {"id": f"r{i}", "text": t, "themes": ["information-sharing"], "sources": ["s1"]}
                    for i, t in enumerate(recs, 1)
                ],
            ),
        )
    return project


def test_near_duplicate_recommendations_are_grouped_and_others_are_not(tmp_path):
    project = _synthetic_items(
        tmp_path,
        {
            "synthetic-a": [
                "Health visitors must share records of missed appointments with social workers.",
                "Fund a public awareness campaign about bruising in babies.",
            ],
            "synthetic-b": ["Share records of missed health visitor appointments with social workers every month."],
            "synthetic-c": ["Police should check the criminal records of new partners."],
        },
    )
    checked = check_project(project)
    assert not checked.errors, checked.problems
    result = method.compute(build_index(checked.reviews, checked.vocabulary))
    assert [[k[0] for k in c.keys] for c in result.clusters] == [["synthetic-a", "synthetic-b"]]
    words = result.clusters[0].words
    assert len(words) == method.CLUSTER_WORDS and "appointments" in words
    assert set(words) <= {
        "health",
        "visitor",
        "visitors",
        "share",
        "records",
        "missed",
        "appointments",
        "social",
        "workers",
    }
    similar = result.matches[("synthetic-b", "recommendation", "r1")]

    assert [m.key for m in similar] == [("synthetic-a", "recommendation", "r1")]
    assert ("synthetic-c", "recommendation", "r1") not in result.matches
    assert method.compute(build_index(checked.reviews, checked.vocabulary)).matches == result.matches


def test_similarity_is_cached_by_content(tmp_path):
    project = _synthetic_items(
        tmp_path,
        {
            "synthetic-a": ["Health visitors must share records of missed appointments with social workers."],
            "synthetic-b": ["Share records of missed health visitor appointments with social workers."],
        },
    )
    first = generate(project)
    assert not first.similarity_cached
    path = project.reviews / "synthetic-a.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["title"] = "SYNTHETIC TEST REVIEW A, RETITLED"
    write_review(project.reviews, data)
    retitled = generate(project)
    assert retitled.written.written and retitled.similarity_cached  # pages changed, items did not
    data["recommendations"][0]["text"] = "Police should check the criminal records of new partners."
    write_review(project.reviews, data)
    changed = generate(project)
    assert not changed.similarity_cached
    page = (project.docs / "reviews" / "synthetic-b.md").read_text(encoding="utf-8")
    assert "Made before in" not in page


def test_status_is_shown_and_filterable(fixture_site):
    accepted = html(fixture_site, "learning/recommendations/accepted/")
    items = accepted.select(REC_LINK)
    assert [a["href"].split("#")[1] for a in items] == ["recommendation-national-information-sharing"]
    assert '1 recommendation with the status "Accepted"' in text(accepted)
    overview = html(fixture_site, "learning/recommendations/")
    counts = {
        row.select("td")[0].get_text(strip=True): int(row.select("td")[1].get_text())
        for row in overview.select(".cr-filter-counts table")[0].select("tbody tr")
    }
    assert counts["Any status"] == len(overview.select(REC_LINK)) == 26
    assert counts["Accepted"] == 1 and counts["Not known"] == 25 and counts["Implemented"] == 0
    combined = html(fixture_site, "learning/recommendations/accepted/information-sharing/")
    assert len(combined.select(REC_LINK)) == 1
    theme = text(html(fixture_site, "themes/information-sharing/"))
    assert "Recommendations by status: Not known: 5, Accepted: 1 ." in theme  # (link text, then the full stop)
    assert "Status: Accepted (29 November 2022)" in theme
    assert "Status: Not known" in theme
    form = overview.select_one("form.cr-filter")
    assert form.has_attr("hidden")  # shown by its script; without it, the tables link every page
    assert form["data-choices"] == "../../learning/recommendations/choices.json"
    nested = html(fixture_site, "learning/recommendations/accepted/").select_one("form.cr-filter")
    assert nested["data-choices"] == "../../../learning/recommendations/choices.json"
    choices_file = urljoin("https://x/learning/recommendations/", form["data-choices"])
    choices = json.loads((Path(fixture_site.site) / urlsplit(choices_file).path.lstrip("/")).read_text())
    assert choices["accepted/information-sharing/"] == "accepted/information-sharing/"
    # Every recommendation on unseen men is "not known": that choice shares the theme's page.
    assert choices["not-known/unseen-men/"] == "../../themes/unseen-men/"
    assert choices["all/information-sharing/"] == "../../themes/information-sharing/"
    for page in choices.values():
        assert (Path(fixture_site.site) / "learning" / "recommendations" / page / "index.html").resolve().exists()


def test_theme_charts_match_their_tables(fixture_site):
    for theme, raising in (("domestic-abuse", 4), ("unseen-men", 4), ("risk-assessment", 7)):
        page = html(fixture_site, f"themes/{theme}/")
        figure = page.select_one("figure.cr-chart")
        svg = figure.select_one("svg")
        assert svg["role"] == "img"
        assert page.find(id=svg["aria-labelledby"]).get_text().startswith("Reviews raising ")
        assert len(svg.select("rect.cr-chart-bar")) == len(re.findall(r"\d{4}: \d+", figure.figcaption.get_text()))
        caption = dict(re.findall(r"(\d{4}): (\d+)", figure.figcaption.get_text()))
        table = page.select_one("details.cr-chart-table table")
        rows = {r.select("td")[0].get_text(): r.select("td")[1].get_text() for r in table.select("tbody tr")}
        assert {y: n for y, n in rows.items() if n != "0"} == caption
        assert sum(int(n) for n in rows.values()) == raising
        assert figure.figcaption.get_text().startswith(f"{raising} reviews in all")


def test_cooccurrence_gives_counts_and_shares(fixture_site):
    page = html(fixture_site, "themes/domestic-abuse/")
    table = page.select_one(".cr-cooccurrence table")
    headers = [th.get_text(strip=True) for th in table.select("th")]
    assert headers == ["Theme", "Reviews raising both", "Share of the reviews raising Domestic abuse"]
    for row in table.select("tbody tr"):
        theme, both, share = (td.get_text(strip=True) for td in row.select("td"))
        assert share == f"{round(100 * int(both) / 4)}%"


def test_themes_over_time_compares_top_themes(fixture_site):
    page = html(fixture_site, "learning/themes-over-time/")
    charts = page.select("figure.cr-chart")
    assert len(charts) == 1 + 8
    table = page.select(".cr-wide-table table")[0]
    header = [th.get_text(strip=True) for th in table.select("th")]
    assert header[:2] == ["Year", "All reviews"] and len(header) == 10
    words = text(page)
    assert "Reviews raising all three" in words


@pytest.mark.browser
def test_filter_form_goes_to_the_chosen_page_by_keyboard(fixture_site):
    from browser import chromium, serve_site

    with chromium() as browser, serve_site(fixture_site) as base:
        page = browser.new_page()
        page.goto(base + "learning/recommendations/")
        form = page.locator("form.cr-filter")
        assert form.is_visible()  # its script revealed it
        page.focus("#cr-filter-status")
        page.select_option("#cr-filter-status", "accepted")
        page.select_option("#cr-filter-theme", "information-sharing")
        page.focus("#cr-filter-theme")
        page.keyboard.press("Tab")  # to the Show button
        assert page.evaluate("document.activeElement.textContent") == "Show"
        page.keyboard.press("Enter")
        page.wait_for_url("**/learning/recommendations/accepted/information-sharing/")
        assert page.locator(REC_LINK).count() == 1
        # A combination with no recommendation: the form says so and stays on the page.
        page.select_option("#cr-filter-status", "implemented")
        page.select_option("#cr-filter-theme", "unseen-men")
        page.click("form.cr-filter button")
        message = page.locator(".cr-filter-message")
        message.wait_for(state="visible")
        assert "No recommendation on Unseen men" in message.inner_text()
        assert page.url.endswith("/accepted/information-sharing/")
        # From a page below the first, the form still finds its pages.
        page.select_option("#cr-filter-status", "not-known")
        page.select_option("#cr-filter-theme", "")
        page.click("form.cr-filter button")
        page.wait_for_url("**/learning/recommendations/not-known/")

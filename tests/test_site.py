"""End to end: reviews become a site that `mkdocs build --strict` accepts, and the built
HTML carries a review's facts and cross-links. On the fixtures (tests/fixtures): the frozen
copies of real reviews (``fixture_site``) and the synthetic reviews; never reviews/."""

from __future__ import annotations

import shutil
from urllib.parse import urljoin, urlsplit

import pytest
from conftest import copy_project, synthetic_review, write_review
from helpers import check_links, html, text

from generator.errors import CheckFailed
from generator.pipeline import BuildFailed, build, generate

AJS = "ayeeshia-jayne-smith-derbyshire-scr-2017"


@pytest.fixture(scope="module")
def review_page(fixture_site):
    return html(fixture_site, f"reviews/{AJS}/")


def section(soup, heading: str) -> str:
    """Text from the h2 called ``heading`` to the next h2."""
    h2 = next(h for h in soup.select("article h2") if heading in h.get_text())
    parts = []
    for sibling in h2.find_next_siblings():
        if sibling.name == "h2":
            break
        parts.append(sibling.get_text(" "))
    return " ".join(" ".join(parts).split())


def test_key_facts(review_page):
    facts = section(review_page, "Key facts")
    for fact in [
        "Serious Case Review ADS14 'Polly'",
        "Serious case review",
        "England",
        "Derbyshire",
        "Derbyshire Safeguarding Children Board",
        "Jenny Myers (lead reviewer and independent author)",
        "5 September 2017",
        "Recommendations made 9",
    ]:
        assert fact in facts


def test_subject_and_summary(review_page):
    who = section(review_page, "Who the review is about")
    for fact in ["Ayeeshia-Jayne Smith", "“Polly”", "21 months", "1 May 2014", "Died", "15 July 2012"]:
        assert fact in who
    summary = section(review_page, "Summary")
    for fact in [
        "Burton-upon-Trent",
        "Kathryn Smith",
        "Matthew Rigby",
        "30 April 2014",
        "could not have been predicted",
    ]:
        assert fact in summary


def test_timeline_is_a_table_in_date_order(review_page):
    h2 = next(h for h in review_page.select("article h2") if h.get_text(strip=True).startswith("Timeline"))
    table = h2.find_next("table")
    rows = [[c.get_text(" ", strip=True) for c in tr.find_all("td")] for tr in table.select("tbody tr")]
    dates = [r[0] for r in rows]
    assert dates[:5] == ["2012", "July 2012", "May 2013", "October 2013", "January to April 2014"]
    assert "30 April 2014" in dates and "1 May 2014" in dates
    assert dates.index("30 April 2014") + 1 == dates.index("1 May 2014")
    assert any("supervision order" in r[1] for r in rows)


def test_findings_recommendations_proceedings(review_page):
    findings = review_page.select("h3[id^=finding-]")
    assert [h["id"] for h in findings] == [f"finding-f{i}" for i in range(1, 9)]
    recs = section(review_page, "Recommendations")
    # The editor's note gives the count, so the page does not repeat it (issue 13).
    assert "The review made nine recommendations" in recs and "recorded here" not in recs
    assert "at least six months" in recs and "Parental mental health" in recs
    assert review_page.select_one("#recommendation-r1") is not None
    proceedings = section(review_page, "Legal and coronial outcomes")
    for fact in [
        "minimum term of 24 years",
        "cut from 24 years to 19 years",
        "three years and six months",
        "causing or allowing the death of a child",
        "Birmingham Crown Court",
    ]:
        assert fact in proceedings


def test_sources_are_listed_and_cited(review_page):
    sources = review_page.select("ol.cr-sources li")
    assert len(sources) == 20
    ids = {li["id"] for li in sources}
    cited = {a["href"][1:] for a in review_page.select(".cr-cite a")}
    assert cited <= ids
    assert "source-bbc-2017" in cited
    link = review_page.select_one("#source-communitycare-2017 a")
    assert link["href"].startswith("http://www.communitycare.co.uk/2017/09/06/")


def test_content_note_comes_before_the_summary(review_page):
    note = review_page.select_one(".cr-content-note")
    summary = next(h for h in review_page.select("article h2") if "Summary" in h.get_text())
    assert note is not None and "Content note" in note.get_text()
    assert note.sourceline < summary.sourceline
    assert note.find("a", href=lambda h: h and h.endswith("#support"))


def test_edit_link_and_citation(review_page):
    edit = review_page.find("a", string="Edit this entry")
    assert edit["href"].endswith(f"/edit/main/reviews/{AJS}.yaml")
    h2 = next(h for h in review_page.select("article h2") if "Cite this page" in h.get_text())
    cite = h2.find_next("p").get_text()
    assert cite.startswith("Jenny Myers (2017). Serious Case Review ADS14 'Polly'.")


def test_theme_page_deep_links_to_the_finding(fixture_site):
    page = html(fixture_site, "themes/professional-curiosity/")
    links = [a["href"] for a in page.select("article a") if "#finding-" in a.get("href", "")]
    assert links, "the theme page links no finding"
    for href in links:
        target_url = urljoin("https://x/themes/professional-curiosity/", href)
        path, fragment = urlsplit(target_url).path, urlsplit(target_url).fragment
        target = html(fixture_site, path.lstrip("/"))
        assert target.find(id=fragment) is not None, href
    body = text(page)
    assert "Professionals were not curious enough" in body  # the finding is quoted


def test_every_internal_link_resolves(fixture_site, synthetic_site):
    """Every relative link in every built page reaches a file, and its anchor exists."""
    assert check_links(fixture_site) > 60
    assert check_links(synthetic_site) > 40


def test_home_page(fixture_site):
    page = text(html(fixture_site, ""))
    assert "7 reviews" in page and "findings and" in page
    assert "Ayeeshia-Jayne Smith" in page
    for heading in ["Harm", "The child", "Family context", "Practice", "System", "Where to find support"]:
        assert heading in page
    assert "116 123" in page  # from the support file of the frozen copies


def test_browse_pages(fixture_site):
    for path in [
        "browse/year/2017/",
        "browse/nation/england/",
        "browse/type/serious-case-review/",
        "browse/area/derbyshire/",
        "browse/outcome/died/",
    ]:
        assert "Ayeeshia-Jayne Smith" in text(html(fixture_site, path)), path


def test_no_web_fonts_or_external_scripts(fixture_site):
    page = html(fixture_site, f"reviews/{AJS}/")
    assert not page.select('link[href*="fonts.googleapis"]')
    for script in page.select("script[src]"):
        assert not script["src"].startswith(("http:", "https:", "//")), script["src"]


def test_second_generate_writes_nothing(tmp_path):
    project = copy_project(tmp_path)
    first = generate(project)
    assert len(first.written.written) > 40
    mtimes = {p: p.stat().st_mtime_ns for p in project.docs.rglob("*.md")}
    second = generate(project)
    assert second.written.written == [] and second.written.removed == []
    assert {p: p.stat().st_mtime_ns for p in project.docs.rglob("*.md")} == mtimes
    shutil.rmtree(project.root / ".cache")  # without the cache, every page is rendered again...
    third = generate(project)
    assert third.written.written == [] and third.written.removed == []  # ...and none differs
    assert {p: p.stat().st_mtime_ns for p in project.docs.rglob("*.md")} == mtimes


@pytest.mark.build
def test_failed_check_leaves_site_and_docs_untouched(tmp_path):
    project = copy_project(tmp_path)
    build(project)
    before = {p: p.read_bytes() for p in list(project.site.rglob("*")) + list(project.docs.rglob("*")) if p.is_file()}
    write_review(project.reviews, synthetic_review(published="2020-02-30"))
    with pytest.raises(CheckFailed):
        build(project)
    after = {p: p.read_bytes() for p in list(project.site.rglob("*")) + list(project.docs.rglob("*")) if p.is_file()}
    assert after == before


@pytest.mark.build
def test_failed_mkdocs_build_rolls_back(tmp_path):
    project = copy_project(tmp_path)
    build(project)
    before = {p: p.read_bytes() for p in list(project.site.rglob("*")) + list(project.docs.rglob("*")) if p.is_file()}
    write_review(project.reviews, synthetic_review())  # valid: generation would change pages
    (project.docs / "about.md").write_text("# About\n\n[broken](missing-page.md)\n")
    before[project.docs / "about.md"] = (project.docs / "about.md").read_bytes()
    with pytest.raises(BuildFailed, match="missing-page.md"):
        build(project)
    after = {p: p.read_bytes() for p in list(project.site.rglob("*")) + list(project.docs.rglob("*")) if p.is_file()}
    assert after == before
    assert not (tmp_path / ".site-new").exists()


@pytest.mark.build
def test_renamed_review_keeps_its_old_address(tmp_path):
    project = copy_project(tmp_path, with_reviews=False)
    write_review(project.reviews, synthetic_review("synthetic-new-id", redirect_from=["synthetic-old-id"]))
    build(project)
    old = html(project, "reviews/synthetic-old-id/")
    refresh = old.find("meta", attrs={"http-equiv": "refresh"})["content"]
    assert refresh == "0; url=../synthetic-new-id/"
    assert old.find("a")["href"] == "../synthetic-new-id/"
    assert (project.site / "reviews" / "synthetic-new-id" / "index.html").exists()
    assert old.find("link", rel="canonical")["href"].endswith("/reviews/synthetic-new-id/")


def test_redirect_cannot_shadow_a_review(tmp_path):
    project = copy_project(tmp_path, with_reviews=False)
    write_review(project.reviews, synthetic_review("synthetic-a", redirect_from=["synthetic-b"]))
    write_review(project.reviews, synthetic_review("synthetic-b"))
    with pytest.raises(CheckFailed) as exc:
        generate(project)
    assert [p.message for p in exc.value.problems] == ["'synthetic-b' is the id of a review that exists"]


@pytest.mark.build
def test_build_never_writes_to_reviews(tmp_path):
    project = copy_project(tmp_path)
    before = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in project.reviews.rglob("*")}
    build(project)
    build(project)
    assert {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in project.reviews.rglob("*")} == before

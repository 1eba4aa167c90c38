"""A small site built from two synthetic reviews, for the browser tests of search, reflow
and the quick exit, so that they do not depend on which reviews are shipped. It is built
once per test session, in pytest's base temporary folder, and reused by every module that
asks for it (import the fixtures ``fixture_site`` and ``fixture_base`` into the module;
``browser`` is one headless Chromium per module).

Review A has a made-up word that occurs only inside its second recommendation, another only
in its source list and another only in who commissioned it (key facts and "Cite this page").
Review B shares one theme with A, so B's "Related reviews" list names A and that theme; B's
own words name neither.
"""

from __future__ import annotations

import pytest
from browser import chromium, require_browser, serve_site
from conftest import copy_project, synthetic_review, write_review

from generator.pipeline import Project, build

RECOMMENDATION_WORD = "quillowick"  # only in review A, recommendation 2
SOURCE_WORD = "zentrawood"  # only in review A's source list
CITATION_WORD = "brackenfold"  # only in review A's key facts and citation
NAME_A = "Synthetic child Vexmoor"  # review A's name: in B only in its related list
SHARED_THEME = ("professional-curiosity", "Professional curiosity")
REVIEW_A = "synthetic-search-a"
REVIEW_B = "synthetic-search-b"

# Every kind of page a reader meets, as paths from the site's root.
PAGE_TYPES = {
    "review": f"reviews/{REVIEW_A}/",
    "theme": f"themes/{SHARED_THEME[0]}/",
    "listing": "reviews/",
    "search": "search/",
    "home": "",
    "404": "404.html",
}


def reviews() -> list[dict]:
    source = [
        {
            "id": "s1",
            "title": f"Synthetic source {SOURCE_WORD.capitalize()}",
            "publisher": "Test",
            "url": "https://example.org/a",
        }
    ]
    a = synthetic_review(
        REVIEW_A,
        short_title=NAME_A,
        credits=[
            {
                "name": f"Synthetic {CITATION_WORD.capitalize()} Partnership",
                "kind": "organisation",
                "roles": ["commissioned"],
                "sources": ["s1"],
            }
        ],
        findings=[
            {
                "id": "f1",
                "text": "A synthetic finding about record keeping.",
                "themes": [SHARED_THEME[0]],
                "sources": ["s1"],
            }
        ],
        recommendations=[
            {
                "id": "r1",
                "text": "A first synthetic recommendation.",
                "themes": ["information-sharing"],
                "sources": ["s1"],
            },
            {
                "id": "r2",
                "text": f"Agencies should adopt the {RECOMMENDATION_WORD} checklist.",
                "themes": ["information-sharing"],
                "sources": ["s1"],
            },
        ],
        sources=source,
    )
    b = synthetic_review(
        REVIEW_B,
        short_title="Synthetic child Orrinby",
        nation="england",
        areas=["Mockford"],
        review_types=["serious-case-review"],
        published="2021-05-01",
        findings=[
            {"id": "f1", "text": "A synthetic finding about records.", "themes": [SHARED_THEME[0]], "sources": ["s1"]}
        ],
        recommendations=[
            {"id": "r1", "text": "A synthetic recommendation on training.", "themes": ["neglect"], "sources": ["s1"]}
        ],
        sources=[
            {"id": "s1", "title": "Another synthetic source", "publisher": "Test", "url": "https://example.org/b"}
        ],
    )
    return [a, b]


def build_fixture_site(folder) -> Project:
    """Build the fixture site into ``folder``, unless an earlier test already did."""
    project = Project(folder)
    if not (project.site / "pagefind" / "pagefind.js").exists():
        copy_project(folder, with_reviews=False)
        for review in reviews():
            write_review(project.reviews, review)
        build(project)
    return project


@pytest.fixture(scope="session")
def fixture_site(tmp_path_factory) -> Project:
    return build_fixture_site(tmp_path_factory.getbasetemp() / "fixture-site")


@pytest.fixture(scope="module")
def browser():
    require_browser()
    with chromium() as instance:
        yield instance


@pytest.fixture(scope="module")
def fixture_base(fixture_site, browser):
    """The fixture site's address, served as it will be published (under its site_url path)."""
    with serve_site(fixture_site) as url:
        yield url

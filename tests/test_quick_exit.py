"""The quick exit ("Exit this page", after the GOV.UK pattern) on every kind of page, in a
real browser: by mouse, by keyboard (Enter and Space) and by Shift pressed three times it
replaces the page with the neutral site, and Back does not return to it; its name and
role reach assistive technology; its progress is announced; without JavaScript it is a
plain link; and the neutral site is never contacted unless the exit is used. The neutral
site is answered by the test, so nothing leaves the machine."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
import yaml
from fixture_sites import PAGE_TYPES, browser, fixture_base, fixture_site  # noqa: F401  (fixtures)

pytestmark = pytest.mark.browser

NAME = "Emergency Exit this page"
NEUTRAL_PAGE = "<!doctype html><title>Neutral</title><p>A neutral page.</p>"


@pytest.fixture(scope="module")
def neutral(fixture_site) -> str:
    """The address the quick exit goes to, from mkdocs.yml."""
    config = yaml.safe_load(fixture_site.config.read_text(encoding="utf-8"))
    return config["extra"]["quick_exit"]["url"]


def new_page(browser, neutral, **options):
    context = browser.new_context(**options)
    context.route(
        lambda url: url.startswith(neutral),
        lambda route: route.fulfill(status=200, content_type="text/html", body=NEUTRAL_PAGE),
    )
    return context, context.new_page()


def tab_to_exit(page):
    for _ in range(25):
        page.keyboard.press("Tab")
        if page.evaluate("!!document.activeElement.closest('[data-cr-exit]')"):
            return
    raise AssertionError("the quick exit cannot be reached with Tab")


@pytest.mark.parametrize("how", ["mouse", "Enter", "Space", "Shift x3"])
@pytest.mark.parametrize("kind", list(PAGE_TYPES))
def test_exit_replaces_the_page(browser, fixture_base, neutral, kind, how):
    context, page = new_page(browser, neutral, viewport={"width": 1280, "height": 800})
    before = fixture_base + "about/"
    page.goto(before)
    page.goto(fixture_base + PAGE_TYPES[kind])
    page.wait_for_load_state("load")
    with page.expect_navigation(url=lambda url: url.startswith(neutral)):
        if how == "mouse":
            page.get_by_role("button", name=NAME, exact=True).click()
        elif how == "Shift x3":
            for _ in range(3):
                page.keyboard.press("Shift")
        else:
            tab_to_exit(page)
            page.keyboard.press(how)
    assert page.url.startswith(neutral)
    assert page.inner_text("p") == "A neutral page."
    page.go_back()
    assert page.url == before, "Back must not return to the page that was left"
    context.close()


@pytest.mark.parametrize("kind", list(PAGE_TYPES))
def test_exit_is_a_named_visible_button_on_every_page(browser, fixture_base, neutral, kind):
    for width in (320, 1280):
        context, page = new_page(browser, neutral, viewport={"width": width, "height": 700})
        requests = []
        page.on("request", lambda r, requests=requests: requests.append(r.url))
        page.goto(fixture_base + PAGE_TYPES[kind])
        page.wait_for_load_state("networkidle")
        button = page.get_by_role("button", name=NAME, exact=True)
        assert button.count() == 1 and button.is_visible()
        assert f'button "{NAME}"' in button.aria_snapshot()
        box = button.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= width and box["height"] >= 24
        page.mouse.wheel(0, 5000)  # it stays on screen as the page scrolls
        page.wait_for_timeout(100)
        assert 0 <= button.bounding_box()["y"] < 100
        assert button.get_attribute("href") == neutral
        assert "noreferrer" in button.get_attribute("rel")
        assert not any(urlsplit(u).netloc == urlsplit(neutral).netloc for u in requests), (
            "the neutral site must not be contacted unless the exit is used"
        )
        context.close()


def test_shift_presses_are_announced_and_expire(browser, fixture_base, neutral):
    context, page = new_page(browser, neutral)
    page.clock.install()
    page.goto(fixture_base + PAGE_TYPES["review"])
    status = page.locator("[data-cr-exit] [role='status']")
    page.keyboard.press("Shift")
    assert status.inner_text() == "Shift, press 2 more times to exit."
    page.keyboard.press("Shift")
    assert status.inner_text() == "Shift, press 1 more time to exit."
    page.clock.run_for(6000)  # more than five seconds: the count starts again
    assert status.inner_text() == "Exit this page expired."
    page.keyboard.press("Shift")
    assert status.inner_text() == "Shift, press 2 more times to exit."
    assert page.url == fixture_base + PAGE_TYPES["review"]
    context.close()


def test_shift_used_for_capitals_does_not_exit(browser, fixture_base, neutral):
    context, page = new_page(browser, neutral)
    page.goto(fixture_base + PAGE_TYPES["search"])
    page.wait_for_selector("#cr-filter-nation", state="attached")  # the search page is ready
    page.focus("#cr-search-q")
    for _ in range(3):
        page.keyboard.press("Shift+A")
    page.wait_for_timeout(300)
    assert page.url.split("?")[0] == fixture_base + PAGE_TYPES["search"]
    assert page.input_value("#cr-search-q") == "AAA"
    context.close()


@pytest.mark.parametrize("kind", ["review", "404"])
def test_without_javascript_the_exit_is_a_plain_link(browser, fixture_base, neutral, kind):
    context, page = new_page(browser, neutral, java_script_enabled=False)
    page.goto(fixture_base + PAGE_TYPES[kind])
    tab_to_exit(page)
    with page.expect_navigation(url=lambda url: url.startswith(neutral)):
        page.keyboard.press("Enter")
    assert page.inner_text("p") == "A neutral page."
    context.close()

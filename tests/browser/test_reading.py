"""Reading on a phone (issue 17): articles reflow at 200% text, the contents fold away, and
codes and phone numbers stay whole on one line."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from education.models import Article
from tests.browser.conftest import Visitor, check_accessibility
from tests.browser.test_printout import open_result
from tests.factories import make_answers

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MAIN_ARTICLE = "/learn/opioid-induced-hyperalgesia/"


def set_text_size(page: Page, percent: int) -> None:
    """Chromium's own text-size setting (as in its Appearance settings): the default font
    grows, so rem, em and em-based media queries all follow, as they do for a reader."""
    cdp = page.context.new_cdp_session(page)
    cdp.send(
        "Page.setFontSizes",
        {"fontSizes": {"standard": 16 * percent // 100, "fixed": 13 * percent // 100}},
    )


def scroll_width(page: Page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def test_every_article_reflows_at_200_percent_text_on_a_390_px_phone(
    page: Page, live_server, seed_content
):
    page.set_viewport_size({"width": 390, "height": 844})
    articles = list(Article.objects.published())
    assert len(articles) >= 4
    set_text_size(page, 200)
    for article in articles:
        page.goto(live_server.url + article.get_absolute_url())
        assert page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)") >= 32
        assert scroll_width(page) <= 390, article.slug
    # The article with a table turns its rows into blocks.
    page.goto(live_server.url + "/learn/pain-care-beyond-opioids/")
    expect(page.locator(".article-body table")).to_be_visible()
    assert (
        page.evaluate("getComputedStyle(document.querySelector('.article-body td')).display")
        == "block"
    )


def test_the_contents_fold_away_on_a_phone_and_open_without_javascript(
    browser, live_server, seed_content
):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(live_server.url + MAIN_ARTICLE)
    toc = page.locator("nav.toc-folded")
    expect(toc).to_be_visible()
    first_link = toc.get_by_role("link").first
    expect(first_link).to_be_hidden()
    toc.get_by_text("On this page").click()
    expect(first_link).to_be_visible()
    first_link.click()
    assert "#" in page.url
    context.close()


def test_the_contents_show_in_full_on_a_desktop(visitor: Visitor, seed_content):
    page = visitor.page
    page.set_viewport_size({"width": 1280, "height": 900})
    visitor.goto(MAIN_ARTICLE)
    expect(page.locator("nav.toc-folded")).to_be_hidden()
    links = page.get_by_role("navigation", name="On this page").get_by_role("link")
    assert links.count() >= 4
    expect(links.first).to_be_visible()
    expect(links.last).to_be_visible()
    page.set_viewport_size({"width": 390, "height": 844})
    check_accessibility(page)


def one_line_each(page: Page, selector: str) -> list[str]:
    """The text of every element matched that a line break splits in two."""
    return page.evaluate(
        """s => [...document.querySelectorAll(s)]
          .filter(e => e.getClientRects().length > 1 || e.scrollWidth > e.clientWidth + 1
                       && getComputedStyle(e).display !== 'inline')
          .map(e => e.textContent)""",
        selector,
    )


@pytest.mark.parametrize("country", ["US", "GB"])
def test_phone_numbers_never_break_across_lines_at_320_px(visitor: Visitor, settings, country):
    settings.OIH_COUNTRY = country
    page = visitor.page
    page.set_viewport_size({"width": 320, "height": 700})
    visitor.goto("/help/")
    # Every number with a space or a hyphen in it is kept whole (US 1-800-..., GB 116 123).
    numbers = page.locator(".help-lines .unbroken")
    assert numbers.count() == (2 if country == "US" else 1)
    assert one_line_each(page, ".unbroken") == []
    assert scroll_width(page) <= 320


def test_the_reference_code_and_key_never_break_at_320_px(page: Page, live_server):
    page.set_viewport_size({"width": 320, "height": 700})
    open_result(page, live_server.url, make_answers(control="yes", self_harm="recent"))
    for selector in (".reference-code", ".deletion-key", ".unbroken"):
        expect(page.locator(f"{selector} >> visible=true").first).to_be_visible()
        assert one_line_each(page, selector) == [], selector
    assert scroll_width(page) <= 320


# The smallest phones in use, and common ones; the link to the other language sits under
# the header so that its three parts keep one row. Where Spanish's longer words leave too
# little room (320 to 360 px), its two page links stack beside the name and the help button.
@pytest.mark.parametrize(
    ("path", "width"),
    [("/", 320), ("/", 390), ("/es/", 320), ("/es/", 360), ("/es/", 390)],
)
def test_the_header_stays_on_one_row_on_a_phone(visitor: Visitor, path, width):
    page = visitor.page
    page.set_viewport_size({"width": width, "height": 700})
    visitor.goto(path)
    parts = page.locator(".site-header nav > *")
    boxes = [parts.nth(n).bounding_box() for n in range(parts.count())]
    assert len(boxes) == 3  # the name, the page links (self-check, learn), get help
    tops = [box["y"] for box in boxes]
    bottoms = [box["y"] + box["height"] for box in boxes]
    # One row: every part overlaps every other vertically.
    assert max(tops) < min(bottoms), boxes
    assert scroll_width(page) <= width
    links = page.locator(".site-header nav a")
    assert links.count() == 4
    for n in range(links.count()):
        box = links.nth(n).bounding_box()
        # Every link a target of at least 24 by 24 px (WCAG 2.5.8), inside the screen, its
        # words no smaller than 14 px.
        assert min(box["width"], box["height"]) >= 24, box
        assert box["x"] >= 0, box
        assert box["x"] + box["width"] <= width, box
        font_size = links.nth(n).evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
        assert font_size >= 14


def test_the_reading_column_is_about_70_characters_on_a_desktop(visitor: Visitor, seed_content):
    page = visitor.page
    page.set_viewport_size({"width": 1440, "height": 900})
    visitor.goto(MAIN_ARTICLE)
    # Characters per line of the first long paragraph: its width over the average width of
    # its own characters.
    per_line = page.evaluate(
        """() => {
          const p = [...document.querySelectorAll('.article-body p')]
            .find(e => e.textContent.length > 300);
          const lines = Math.round(
            p.getBoundingClientRect().height / parseFloat(getComputedStyle(p).lineHeight));
          return p.textContent.length / lines;
        }"""
    )
    assert 55 <= per_line <= 80, per_line
    for selector in ("main .lead", "main p"):
        weights = page.evaluate(
            "s => [...document.querySelectorAll(s)].map(e => getComputedStyle(e).fontWeight)",
            selector,
        )
        assert all(int(weight) >= 400 for weight in weights), (selector, weights)


@pytest.mark.parametrize("language", ["", "/es"])
def test_the_main_pages_reflow_at_200_percent_text_on_a_320_px_phone(
    page: Page, live_server, seed_content, language
):
    """The large buttons too: Spanish "Empezar la autoevaluación" once pushed the home page
    to 397 px."""
    page.set_viewport_size({"width": 320, "height": 700})
    set_text_size(page, 200)
    overflowing = {}
    for path in ["/", "/learn/", "/check/", "/check/how-it-works/", "/help/", "/privacy/"]:
        assert page.goto(live_server.url + language + path).ok, path
        if scroll_width(page) > 320:
            overflowing[language + path] = scroll_width(page)
    assert overflowing == {}

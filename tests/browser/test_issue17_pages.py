"""Issue 17 in a browser: the result's first box, question pages on a small phone, the
focus ring and the error summary, dark mode, article tables, and the site's own pages."""

from __future__ import annotations

import pytest
from django.db import connection
from playwright.sync_api import Page, expect

from tests.browser.conftest import Visitor, check_accessibility
from tests.browser.test_self_check import answer_with_mouse, start_check, submit_answers
from tests.factories import NO_PATTERN, POSSIBLE_OIH, make_answers

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_site_pages_pass_axe_in_light_and_dark(visitor: Visitor, scheme):
    visitor.page.emulate_media(color_scheme=scheme)
    for path in ("/about/", "/privacy/", "/contact/"):
        visitor.goto(path)
        expect(visitor.page.get_by_role("heading", level=1)).to_be_visible()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_result_box_shows_first_with_a_number_to_tap(visitor: Visitor, scheme):
    page = visitor.page
    page.set_viewport_size({"width": 390, "height": 844})
    page.emulate_media(color_scheme=scheme)
    start_check(visitor, "Only show me my result")
    answer_with_mouse(visitor, make_answers(self_harm="recent"))
    submit_answers(visitor)
    box = page.locator(".urgency-box")
    expect(box).to_contain_text("Urgent: today")
    expect(box.get_by_role("link", name="Call or text 988")).to_be_in_viewport()
    expect(page.locator(".result-help a[href='tel:911']")).to_be_visible()


def test_the_0_to_10_scale_sits_in_two_rows_of_big_targets_at_320_px(visitor: Visitor):
    page = visitor.page
    page.set_viewport_size({"width": 320, "height": 700})
    start_check(visitor, "Only show me my result")
    answers = make_answers()
    scale = {"pain_average", "pain_enjoyment", "pain_activity"}
    before = {key: value for key, value in answers.items() if key not in scale}
    answer_with_mouse(visitor, before)
    assert page.url.endswith("/check/pain_average/"), page.url
    tiles = page.locator(".scale-field .form-check")
    boxes = [tiles.nth(n).bounding_box() for n in range(tiles.count())]
    assert len(boxes) == 11
    rows = sorted({round(box["y"]) for box in boxes})
    assert len(rows) == 2
    assert all(box["height"] >= 44 and box["width"] >= 44 for box in boxes)
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    check_accessibility(page)


def test_after_a_failed_submit_focus_is_on_the_error_summary(visitor: Visitor):
    page = visitor.page
    visitor.goto("/check/")
    visitor.click_and_check("Start")
    assert page.title().startswith("Error:")
    expect(page.locator(".error-summary")).to_be_focused()
    # Its link takes the keyboard to the first choice.
    page.locator(".error-summary a").first.click()
    expect(page.locator("#id_privacy_0")).to_be_focused()


def test_our_focus_ring_wins_on_radios_and_buttons(visitor: Visitor):
    page = visitor.page
    visitor.goto("/check/")
    page.locator("#id_privacy_0").focus()
    page.keyboard.press("ArrowDown")  # keyboard focus, so :focus-visible applies
    for selector in ("#id_privacy_1", "button[type=submit]"):
        if selector.startswith("button"):
            page.keyboard.press("Tab")
        page.wait_for_timeout(300)  # Bootstrap animates the shadow of buttons
        style = page.evaluate(
            "s => { const e = document.querySelector(s); const c = getComputedStyle(e);"
            " return [document.activeElement === e, c.outlineColor, c.outlineWidth,"
            " c.boxShadow]; }",
            selector,
        )
        focused, outline_colour, outline_width, shadow = style
        assert focused, selector
        assert outline_colour == "rgb(255, 191, 71)", (selector, style)
        assert outline_width == "3px", (selector, style)
        assert "rgb(11, 12, 12)" in shadow, (selector, style)


def test_article_tables_reflow_on_a_narrow_screen(visitor: Visitor, seed_content):
    page = visitor.page
    # 195 CSS px is a 390 px phone with text at 200%.
    page.set_viewport_size({"width": 195, "height": 800})
    page.goto(visitor.base_url + "/learn/pain-care-beyond-opioids/")
    expect(page.locator(".article-body table")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 195
    assert (
        page.evaluate("getComputedStyle(document.querySelector('.article-body td')).display")
        == "block"
    )


def test_a_no_pattern_result_passes_axe_in_the_dark(visitor: Visitor):
    visitor.page.emulate_media(color_scheme="dark")
    start_check(visitor, "Save my answers")
    answer_with_mouse(visitor, NO_PATTERN)
    submit_answers(visitor)
    expect(visitor.page.locator(".against-list")).to_be_visible()


def test_a_possible_oih_result_passes_axe_on_a_phone(visitor: Visitor):
    visitor.page.set_viewport_size({"width": 390, "height": 844})
    start_check(visitor, "Save my answers")
    answer_with_mouse(visitor, POSSIBLE_OIH)
    submit_answers(visitor)
    expect(visitor.page.locator(".urgency-box-soon")).to_be_visible()


def test_the_start_page_offers_to_continue(visitor: Visitor, page: Page):
    start_check(visitor, "Only show me my result")
    visitor.goto("/check/")
    visitor.page.get_by_role("link", name="Continue your check").click()
    visitor.check()
    assert "/check/breathing/" in visitor.page.url


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_search_results_pass_axe_found_as_typed_or_close(visitor: Visitor, seed_content, scheme):
    visitor.page.emulate_media(color_scheme=scheme)
    visitor.goto("/learn/search/?q=naloxone")
    expect(visitor.page.get_by_role("status")).to_contain_text("articles found")
    visitor.goto("/learn/search/?q=hyperalgsia")
    if connection.vendor == "postgresql":  # SQLite finds words only as typed (README)
        expect(visitor.page.get_by_role("status")).to_contain_text("close to them")

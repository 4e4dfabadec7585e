"""An editor writes in the article form with its live preview, reads the history word by
word, compares two versions and reverts one. Axe scans every staff page on the way, and
nothing on them is cut off at 1280 px or on a tablet."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from education.models import Article
from tests.browser.conftest import Visitor, log_in
from tests.browser.test_csp import RECORD_VIOLATIONS, violations
from tests.education.factories import MAIN_ARTICLE
from tests.screening.staff import PASSWORD, make_editor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1280, "height": 900}
TABLET = {"width": 768, "height": 1024}
OLD_SENTENCE = "Your pain is real, and it deserves care."
NEW_SENTENCE = "Your pain is real, and people who listen can help."


@pytest.fixture
def editor(seed_content, browser: Browser, live_server):
    """A separate browser at 1280 px, signed in as a content editor; its pages are checked."""
    person = make_editor(password=PASSWORD)
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    log_in(page, live_server.url, person, PASSWORD, next_path="/admin/")
    expect(page.get_by_role("link", name="Articles", exact=True)).to_be_visible()
    visitor = Visitor(page, live_server.url)
    yield visitor
    visitor.finish()
    context.close()


def no_sideways_scroll(page: Page) -> bool:
    return page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )


def box(page: Page, selector: str) -> dict[str, float]:
    found = page.locator(selector).first.bounding_box()
    assert found is not None, selector
    return found


def test_an_editor_writes_with_the_live_preview_and_reverts_through_the_history(editor: Visitor):
    page = editor.page
    page.add_init_script(RECORD_VIOLATIONS)
    main = Article.objects.get(slug=MAIN_ARTICLE, language="en")

    editor.check()  # the staff index, where signing in led
    editor.goto("/admin/education/article/add/")
    expect(page.locator(".reading-grade")).to_have_text("Reading grade: write some text to see it.")

    # The article list: its filter links are big enough to hit.
    editor.goto("/admin/education/article/")
    heights = page.locator("#changelist-filter a").evaluate_all(
        "links => links.map(link => link.getBoundingClientRect().height)"
    )
    assert heights
    assert min(heights) >= 24

    page.get_by_role("link", name=main.title, exact=True).click()
    editor.check()

    # Title and summary take the row; the body and its preview sit side by side.
    fieldset = box(page, "fieldset.module.aligned")
    assert box(page, "#id_title")["width"] > 0.8 * fieldset["width"]
    assert box(page, "#id_summary")["width"] > 0.8 * fieldset["width"]
    body, preview = box(page, "#id_body"), box(page, ".body-preview")
    assert body["height"] >= 500
    assert preview["x"] >= body["x"] + body["width"]
    assert abs(preview["y"] - body["y"]) < 40
    expect(page.locator(".reading-grade")).to_contain_text("Reading grade")
    expect(page.locator(".body-preview-note")).to_have_text("Updated as you type.")
    for size in (DESKTOP, TABLET):
        page.set_viewport_size(size)
        assert no_sideways_scroll(page), f"the form scrolls sideways at {size['width']} px"
        references = page.locator("#references-group table")
        assert references.evaluate("t => t.getBoundingClientRect().right <= innerWidth")
    page.set_viewport_size(DESKTOP)

    # Typing updates the preview and the grade; a title line is caught before saving.
    text = page.locator("#id_body")
    edited = text.input_value().replace(OLD_SENTENCE, NEW_SENTENCE)
    text.fill(edited)
    article = page.locator(".body-preview-article")
    expect(article).to_contain_text(NEW_SENTENCE)
    expect(article).not_to_contain_text(OLD_SENTENCE)
    text.fill("# A title line\n\n" + edited)
    expect(page.locator(".body-preview-problems")).to_contain_text("makes a title")
    # The endpoint answered 400 with the message, as it should: not a failure here.
    editor.failed_requests.remove(f"400 {editor.base_url}/admin/education/article/preview-body/")
    text.fill("Prolonged administration of opioid analgesics precipitates sensitisation.")
    expect(page.locator(".reading-grade")).to_contain_text("above grade 8")
    expect(page.locator(".body-preview-problems")).to_be_hidden()
    text.fill(edited)
    expect(page.locator(".reading-grade")).to_contain_text("plain enough")
    editor.check()
    assert violations(page) == [], "the live preview broke a CSP rule"
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    editor.check()
    # The article is live, so the change is a draft until published (test_editor.py).
    page.get_by_role("link", name="Publish or schedule").click()
    page.get_by_role("button", name="Publish").click()
    page.get_by_role("button", name="Publish without a review").click()
    expect(page.locator(".messagelist")).to_contain_text("Published")

    # The history, word by word.
    page.get_by_role("link", name="History").first.click()
    editor.check()
    latest = page.locator("#change-history tbody tr").first
    # The seeded headings' ids arrived without a history version, so they show as added too.
    expect(latest.locator("ins", has_text="listen").first).to_be_visible()
    expect(latest.locator("del", has_text="deserves").first).to_be_visible()

    # Two versions compared.
    page.get_by_role("button", name="Compare").click()
    editor.check()
    expect(page.get_by_role("heading", name="Body")).to_be_visible()

    # Revert asks first, then says which version came back.
    page.go_back()
    page.get_by_role("link", name="Revert to this version…").first.click()
    editor.check()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Revert to the version of")
    # By keyboard: Tab reaches the button, Enter presses it.
    confirm = page.get_by_role("button", name=re.compile("^Yes, revert to the version of"))
    for _ in range(40):
        page.keyboard.press("Tab")
        if confirm.evaluate("button => button === document.activeElement"):
            break
    page.keyboard.press("Enter")
    expect(page.locator(".messagelist")).to_contain_text(
        re.compile(r"Reverted to the version of .+\.")
    )
    editor.check()
    # A live article's revert brings the old words back as a draft, for review and publishing.
    main.refresh_from_db()
    assert OLD_SENTENCE in main.draft.body

    # A version's own page.
    page.get_by_role("link", name="History").first.click()
    page.locator("#change-history tbody tr").nth(1).get_by_role("link").first.click()
    editor.check()
    expect(page.get_by_role("link", name="Revert to this version…")).to_be_visible()


def test_without_javascript_the_form_shows_the_opened_text_and_still_saves(
    seed_content, browser: Browser, live_server
):
    person = make_editor(password=PASSWORD)
    signing_in = browser.new_context()
    log_in(signing_in.new_page(), live_server.url, person, PASSWORD, next_path="/admin/")
    context = browser.new_context(
        viewport=DESKTOP, java_script_enabled=False, storage_state=signing_in.storage_state()
    )
    signing_in.close()
    try:
        page = context.new_page()
        main = Article.objects.get(slug=MAIN_ARTICLE, language="en")
        page.goto(f"{live_server.url}/admin/education/article/{main.pk}/change/")
        expect(page.locator(".body-preview-note")).to_contain_text("when this page opened")
        expect(page.locator(".body-preview-article")).to_contain_text(OLD_SENTENCE)
        expect(page.locator(".reading-grade")).to_contain_text("plain enough")
        text = page.locator("#id_body")
        text.fill(text.input_value().replace(OLD_SENTENCE, NEW_SENTENCE))
        page.get_by_role("button", name="Save and continue editing").click()
        expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
        # The page that comes back previews the saved words.
        expect(page.locator(".body-preview-article")).to_contain_text(NEW_SENTENCE)
    finally:
        context.close()

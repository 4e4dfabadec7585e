"""An editor drafts, previews, reviews, schedules and publishes articles in the admin; a
reader sees the result only once it is published.

Axe runs on every public page the reader visits (article list, article, search results),
on the editor's preview, and on the staff pages of the journey: the article's form, the
publish page and its confirmation.
"""

from __future__ import annotations

import datetime
import io
import re
from http import HTTPStatus
from unittest import mock

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from education.models import Article, ArticleDraft
from tests.browser.conftest import Visitor, check_accessibility, log_in
from tests.education.factories import MAIN_ARTICLE
from tests.screening.staff import PASSWORD, make_editor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OLD_SENTENCE = "Your pain is real, and it deserves care."
NEW_SENTENCE = "Your pain is real, and it deserves care from people who listen."
NEW_SOURCE = "Chu LF, Angst MS, Clark D. Opioid-induced hyperalgesia in humans. Clin J Pain. 2008."


def open_article_in_admin(page: Page, title: str) -> None:
    page.goto("/admin/education/article/")
    page.get_by_role("link", name=title, exact=True).click()
    expect(page.locator("#id_body")).to_be_visible()


def test_an_editor_drafts_a_live_article_previews_it_records_a_review_and_schedules_it(
    editor_page: Page, visitor: Visitor
):
    main = Article.objects.get(slug=MAIN_ARTICLE, language="en")
    open_article_in_admin(editor_page, main.title)
    check_accessibility(editor_page)
    body = editor_page.locator("#id_body")
    assert OLD_SENTENCE in body.input_value()
    body.fill(body.input_value().replace(OLD_SENTENCE, NEW_SENTENCE))
    # A new source joins the draft too.
    editor_page.get_by_role("button", name="Add another Reference").click()
    editor_page.get_by_label("Citation, new row").filter(visible=True).fill(NEW_SOURCE)
    editor_page.get_by_role("button", name="Save and continue editing").click()
    expect(editor_page.locator(".messagelist")).to_contain_text("saved as a draft")
    expect(editor_page.locator(".field-publishing")).to_contain_text("Live, with a draft")

    # A reader, in another browser with no login, still gets the live words.
    visitor.goto("/learn/")
    visitor.page.get_by_role("link", name=main.title).click()
    visitor.check()
    expect(visitor.page.locator(".article-body")).to_contain_text(OLD_SENTENCE)
    expect(visitor.page.locator(".article-body")).not_to_contain_text(NEW_SENTENCE)
    expect(visitor.page.locator(".references")).not_to_contain_text(NEW_SOURCE)

    # The preview opens in a new tab and shows the draft as readers will see it.
    with editor_page.context.expect_page() as new_tab:
        editor_page.get_by_role("link", name=re.compile("Preview as readers will see it")).click()
    preview = new_tab.value
    preview.wait_for_load_state()
    expect(preview.get_by_role("status")).to_contain_text("Draft of a live article")
    expect(preview.locator(".article-body")).to_contain_text(NEW_SENTENCE)
    expect(preview.locator(".references")).to_contain_text(NEW_SOURCE)
    check_accessibility(preview)
    preview.close()

    # A clinician has reviewed the draft: the editor records the review with the draft.
    editor_page.get_by_label("Medical reviewer").fill("Dr Ana Reyes")
    editor_page.get_by_label("Credentials").fill("MD, pain medicine")
    editor_page.get_by_label("Reviewed on").fill(timezone.localdate().isoformat())
    editor_page.get_by_role("button", name="Save and continue editing").click()
    expect(editor_page.locator(".messagelist")).to_contain_text("saved as a draft")
    expect(editor_page.locator("#id_body")).to_have_value(re.compile(re.escape(NEW_SENTENCE)))

    # Scheduled for two hours from now, on the publish page.
    editor_page.get_by_role("link", name="Publish or schedule").click()
    expect(editor_page.get_by_text("Medically reviewed by Dr Ana Reyes")).to_be_visible()
    check_accessibility(editor_page)
    when = timezone.localtime(timezone.now() + datetime.timedelta(hours=2))
    editor_page.get_by_label("At a date and time").check()
    editor_page.get_by_label("Date:", exact=True).fill(when.date().isoformat())
    editor_page.get_by_label("Time:", exact=True).fill(when.strftime("%H:%M"))
    editor_page.get_by_role("button", name="Publish").click()
    expect(editor_page.locator(".messagelist")).to_contain_text("Scheduled")
    expect(editor_page.locator(".field-publishing")).to_contain_text("Scheduled to publish")
    check_accessibility(editor_page)

    visitor.goto(f"/learn/{MAIN_ARTICLE}/")
    expect(visitor.page.locator(".article-body")).to_contain_text(OLD_SENTENCE)

    # The clock reaches the time; the timer's command runs.
    with mock.patch("django.utils.timezone.now", return_value=when + datetime.timedelta(minutes=1)):
        call_command("publish_scheduled", stdout=io.StringIO())
    visitor.goto(f"/learn/{MAIN_ARTICLE}/")
    expect(visitor.page.locator(".article-body")).to_contain_text(NEW_SENTENCE)
    expect(visitor.page.locator(".references")).to_contain_text(NEW_SOURCE)
    expect(visitor.page.locator(".review-status")).to_contain_text(
        "Medically reviewed by Dr Ana Reyes, MD, pain medicine"
    )

    # The reader's search finds the new words too.
    visitor.goto("/learn/search/")
    visitor.page.get_by_role("searchbox", name="Search the articles").fill("listen")
    visitor.page.get_by_role("button", name="Search").click()
    visitor.check()
    expect(visitor.page.get_by_role("status")).to_have_text("1 article found")
    expect(visitor.page.get_by_role("link", name=main.title)).to_be_visible()


def test_a_draft_stays_hidden_until_the_editor_publishes_it(
    editor_page: Page, visitor: Visitor, browser: Browser, live_server
):
    title = "Sleep when pain keeps you up"
    editor_page.goto("/admin/education/article/add/")
    # Typed key by key: the admin fills the slug from the title on each key press.
    editor_page.locator("#id_title").press_sequentially(title)
    expect(editor_page.locator("#id_slug")).to_have_value("sleep-when-pain-keeps-you-up")
    editor_page.locator("#id_summary").fill("Simple ways to sleep better when you have pain.")
    editor_page.locator("#id_body").fill(
        "Pain can make sleep hard.\n\n## What can help\n\nA calm, dark room helps many people.\n"
    )
    editor_page.get_by_role("button", name="Save", exact=True).click()
    expect(editor_page.locator(".messagelist")).to_contain_text("was added successfully")
    article = Article.objects.get(slug="sleep-when-pain-keeps-you-up", language="en")
    assert article.status == Article.Status.DRAFT

    # Another browser, not logged in: the draft does not exist for readers.
    reader = browser.new_context(base_url=live_server.url)
    response = reader.new_page().goto(article.get_absolute_url())
    assert response is not None
    assert response.status == HTTPStatus.NOT_FOUND
    reader.close()
    visitor.goto("/learn/")
    expect(visitor.page.get_by_role("link", name=title)).to_have_count(0)

    # No reviewer has read it: publishing asks first, and names the risk.
    open_article_in_admin(editor_page, title)
    editor_page.get_by_role("link", name="Publish or schedule").click()
    editor_page.get_by_role("button", name="Publish").click()
    expect(editor_page.get_by_role("alert")).to_contain_text(
        "This text has not been medically reviewed since it last changed."
    )
    check_accessibility(editor_page)
    editor_page.get_by_role("button", name="Publish without a review").click()
    expect(editor_page.locator(".messagelist")).to_contain_text("Published")

    visitor.goto("/learn/")
    visitor.page.get_by_role("link", name=title).click()
    visitor.check()
    expect(visitor.page.get_by_role("heading", level=1)).to_have_text(title)
    expect(visitor.page.locator("nav.toc").last).to_contain_text("What can help")


def test_an_editor_schedules_a_draft_with_the_keyboard_and_no_javascript(
    seed_content, browser: Browser, live_server
):
    main = Article.objects.get(slug=MAIN_ARTICLE, language="en")
    ArticleDraft.objects.create(
        article=main, title=main.title, summary=main.summary, body=main.body + "\n\nNew words.\n"
    )
    editor = make_editor(password=PASSWORD)
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    try:
        log_in(page, live_server.url, editor, PASSWORD, next_path="/admin/")
        page.goto(f"/admin/education/article/{main.pk}/publish/")
        when = timezone.localtime(timezone.now() + datetime.timedelta(days=1))
        page.get_by_label("Now").focus()
        page.keyboard.press("ArrowDown")  # the radio group moves to "At a date and time"
        expect(page.get_by_label("At a date and time")).to_be_checked()
        page.keyboard.press("Tab")
        expect(page.get_by_label("Date:", exact=True)).to_be_focused()
        page.get_by_label("Date:", exact=True).fill(when.date().isoformat())
        # Tab steps through the date's own parts first; the time field is next after them.
        page.get_by_label("Time:", exact=True).fill(when.strftime("%H:%M"))
        page.keyboard.press("Enter")  # submits the form
        # No review: the confirmation page, then its first button by the keyboard.
        expect(page.get_by_role("alert")).to_contain_text("not been medically reviewed")
        page.get_by_role("button", name="Schedule without a review").focus()
        page.keyboard.press("Enter")
        expect(page.locator(".messagelist")).to_contain_text("Scheduled")
    finally:
        context.close()
    main.refresh_from_db()
    assert main.publish_at is not None
    assert "New words." not in main.body

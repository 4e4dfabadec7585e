"""An editor changes and publishes articles in the admin; a reader sees the result.

Axe runs on every public page the reader visits (article list, article, search results)
and on the editor's preview, which is the public template. The Django admin pages are
Django's own and are not scanned.
"""

from __future__ import annotations

import re
from http import HTTPStatus

import pytest
from playwright.sync_api import Browser, Page, expect

from education.models import Article
from tests.browser.conftest import Visitor, check_accessibility
from tests.education.factories import MAIN_ARTICLE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OLD_SENTENCE = "Your pain is real, and it deserves care."
NEW_SENTENCE = "Your pain is real, and it deserves care from people who listen."


def open_article_in_admin(page: Page, title: str) -> None:
    page.goto("/admin/education/article/")
    page.get_by_role("link", name=title, exact=True).click()
    expect(page.locator("#id_body")).to_be_visible()


def test_an_editor_edits_the_main_article_previews_it_and_a_reader_sees_it(
    editor_page: Page, visitor: Visitor
):
    main = Article.objects.get(slug=MAIN_ARTICLE, language="en")
    open_article_in_admin(editor_page, main.title)
    body = editor_page.locator("#id_body")
    assert OLD_SENTENCE in body.input_value()
    body.fill(body.input_value().replace(OLD_SENTENCE, NEW_SENTENCE))
    editor_page.get_by_role("button", name="Save and continue editing").click()
    expect(editor_page.locator(".messagelist")).to_contain_text("was changed successfully")

    # The preview opens in a new tab and shows the article as readers will see it.
    with editor_page.context.expect_page() as new_tab:
        editor_page.get_by_role("link", name=re.compile("Preview as readers will see it")).click()
    preview = new_tab.value
    preview.wait_for_load_state()
    expect(preview.get_by_role("status")).to_contain_text("Preview for editors")
    expect(preview.locator(".article-body")).to_contain_text(NEW_SENTENCE)
    check_accessibility(preview)

    # A reader, in another browser with no login, sees the change.
    visitor.goto("/learn/")
    visitor.page.get_by_role("link", name=main.title).click()
    visitor.check()
    assert visitor.page.url.endswith(f"/learn/{MAIN_ARTICLE}/")
    expect(visitor.page.locator(".article-body")).to_contain_text(NEW_SENTENCE)
    expect(visitor.page.locator(".article-body")).not_to_contain_text(OLD_SENTENCE)
    expect(visitor.page.locator(".review-status")).to_contain_text("Not yet medically reviewed")

    # The reader's search finds it too.
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
    editor_page.locator("#id_status").select_option(label="Draft")
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

    open_article_in_admin(editor_page, title)
    editor_page.locator("#id_status").select_option(label="Published")
    editor_page.get_by_role("button", name="Save", exact=True).click()
    expect(editor_page.locator(".messagelist")).to_contain_text("was changed successfully")

    visitor.goto("/learn/")
    visitor.page.get_by_role("link", name=title).click()
    visitor.check()
    expect(visitor.page.get_by_role("heading", level=1)).to_have_text(title)
    expect(visitor.page.locator("nav.toc")).to_contain_text("What can help")

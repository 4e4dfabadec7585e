"""An editor records a medical review from the review page; a reader sees it at once.

Axe runs on the review page (empty form, a refused form, and after the review) and on the
pages the reader visits.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

from education.models import Article
from tests.browser.conftest import Visitor, check_accessibility, log_in
from tests.education.factories import MAIN_ARTICLE
from tests.screening.staff import PASSWORD, make_editor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def editor_page(seed_content, browser: Browser, live_server) -> Page:
    """A separate browser, signed in to the admin as a content editor (both steps)."""
    editor = make_editor(password=PASSWORD)
    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    log_in(page, live_server.url, editor, PASSWORD, next_path="/admin/")
    expect(page.get_by_role("link", name="Articles")).to_be_visible()
    yield page
    context.close()


def test_an_editor_records_a_review_from_the_list_and_the_reader_sees_it(
    editor_page: Page, visitor: Visitor
):
    main = Article.objects.get(slug=MAIN_ARTICLE)
    visitor.goto(main.get_absolute_url())
    expect(visitor.page.locator(".review-status")).to_contain_text("Not yet medically reviewed")

    # From the article list, by keyboard-visible link, to the review page.
    editor_page.goto("/admin/education/article/")
    expect(editor_page.locator("td.field-medical_review").first).to_contain_text("not reviewed")
    editor_page.get_by_role("link", name="Articles needing review").click()
    expect(editor_page.get_by_role("heading", level=1)).to_have_text(
        "Articles needing a medical review"
    )
    check_accessibility(editor_page)

    form = editor_page.get_by_role("group", name=f"Record a review of “{main.title}”")
    form.get_by_label("Medical reviewer").fill("Dr Ana Reyes")
    form.get_by_label("Credentials").fill("MD, pain medicine")
    # Forgetting to confirm: refused, with the reason beside the box.
    section = editor_page.locator(f"#article-{main.pk}")
    section.get_by_role("button", name="Record this review").click()
    expect(editor_page.get_by_role("alert")).to_contain_text("The review was not recorded")
    expect(editor_page.locator(f"#article-{main.pk}")).to_contain_text("Tick this box")
    check_accessibility(editor_page)
    main.refresh_from_db()
    assert not main.is_reviewed

    form = editor_page.get_by_role("group", name=f"Record a review of “{main.title}”")
    form.get_by_label("This clinician reviewed the article as it is now.").check()
    editor_page.locator(f"#article-{main.pk}").get_by_role(
        "button", name="Record this review"
    ).click()
    expect(editor_page.locator(".messagelist")).to_contain_text(
        f"Recorded the medical review of “{main.title}” by Dr Ana Reyes"
    )
    expect(editor_page.locator(f"#article-{main.pk}")).to_have_count(0)
    check_accessibility(editor_page)

    # The reader's article page and home page show the review at once (the cache cleared).
    visitor.goto(main.get_absolute_url())
    status = visitor.page.locator(".review-status")
    expect(status).to_contain_text("Medically reviewed by Dr Ana Reyes, MD, pain medicine")
    expect(status).to_contain_text("Next review due")
    visitor.goto("/")
    expect(visitor.page.locator(".review-summary")).to_contain_text(
        "Our articles were last medically reviewed on"
    )

"""An editor records a medical review from the review page; a reader sees it at once.

Axe runs on the review page (empty form, a refused form, and after the review) and on the
pages the reader visits.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from education.models import Article
from tests.browser.conftest import Visitor, check_accessibility
from tests.education.factories import MAIN_ARTICLE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_editor_records_a_review_from_the_list_and_the_reader_sees_it(
    editor_page: Page, visitor: Visitor
):
    main = Article.objects.get(slug=MAIN_ARTICLE, language="en")
    visitor.goto(main.get_absolute_url())
    expect(visitor.page.locator(".review-status")).to_contain_text("Not yet medically reviewed")

    # The first page says how many articles need a review; the article list says each
    # one's review in words and leads to the review page.
    editor_page.goto("/admin/")
    expect(editor_page.locator(".review-summary-panel")).to_contain_text(
        "8 articles need a medical review."
    )
    check_accessibility(editor_page)
    editor_page.get_by_role("link", name="Articles", exact=True).click()
    expect(editor_page.locator("td.field-medical_review").first).to_contain_text("not reviewed")
    check_accessibility(editor_page)
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

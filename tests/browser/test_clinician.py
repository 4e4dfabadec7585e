"""A clinician finds, reads and reviews the screening a patient was just shown.

Axe scans the patient's pages only: the admin's pages are Django's own.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, expect

from screening.explain import CLINICIAN_FINDINGS
from screening.models import ReviewStatus, Screening
from screening.questionnaire import QUESTIONS
from screening.rules import Finding
from tests.browser.conftest import Visitor, log_in
from tests.browser.test_self_check import answer_with_mouse, start_check, submit_answers
from tests.factories import POSSIBLE_OIH
from tests.screening.staff import PASSWORD, make_clinician

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_clinician_finds_reads_and_reviews_a_patients_screening(
    seed_content, visitor: Visitor, browser: Browser, live_server
):
    # The patient saves a check and is shown its reference code.
    start_check(visitor, "Save my answers")
    answer_with_mouse(visitor, POSSIBLE_OIH)
    submit_answers(visitor)
    shown_code = visitor.page.locator(".reference-code").inner_text().strip()
    screening = Screening.objects.get()
    assert shown_code == screening.display_reference

    clinician = make_clinician(password=PASSWORD)
    context = browser.new_context()
    try:
        page = context.new_page()
        log_in(page, live_server.url, clinician, PASSWORD)
        expect(page.get_by_role("heading", name="Site administration")).to_be_visible()
        page.locator("#screening-screening").get_by_role("link", name="Screenings").click()

        # The patient reads the code over the phone; the clinician types it loosely.
        typed = shown_code.lower().replace("-", " ")
        page.locator("#searchbar").fill(typed)
        page.get_by_role("button", name="Search").click()
        rows = page.locator("#result_list tbody tr")
        expect(rows).to_have_count(1)
        expect(rows).to_contain_text("Possible OIH pattern")
        rows.get_by_role("link", name=shown_code).click()

        # The answers in the patient's words, and the findings in clinical terms.
        answers = page.locator("table.answers")
        for question in QUESTIONS:
            if question.id in POSSIBLE_OIH:
                row = answers.locator("tr", has_text=str(question.text))
                for label in question.answer_labels(POSSIBLE_OIH[question.id]):
                    expect(row).to_contain_text(label)
        expect(answers).to_contain_text("Skipped (not shown to the patient)")
        findings = page.locator("ul.findings")
        expect(findings).to_contain_text(str(CLINICIAN_FINDINGS[Finding.WORSE_AFTER_INCREASE]))
        expect(findings).to_contain_text(str(CLINICIAN_FINDINGS[Finding.TOUCH_HURTS]))

        page.get_by_label("Review status").select_option(label="Reviewed")
        page.get_by_label("Review note").fill("Talked it through on the phone.")
        page.get_by_role("button", name="Save", exact=True).click()

        expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
        expect(page.locator("#result_list")).to_contain_text("Reviewed")
    finally:
        context.close()

    screening.refresh_from_db()
    assert screening.review_status == ReviewStatus.REVIEWED
    assert screening.reviewed_by == clinician
    assert screening.reviewed_at is not None
    assert screening.review_note == "Talked it through on the phone."

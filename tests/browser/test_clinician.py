"""A clinician works the summary, then the queue, reviews one screening after another, and
finds the screening a patient was just shown by its reference code.

Axe scans every page, the patient's and the staff pages alike.
"""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, expect

from screening.explain import CLINICIAN_FINDINGS
from screening.models import ReviewNote, ReviewStatus, Screening, Urgency
from screening.questionnaire import QUESTIONS
from screening.rules import Finding
from tests.browser.conftest import Visitor, log_in
from tests.browser.test_self_check import answer_with_mouse, start_check, submit_answers
from tests.factories import POSSIBLE_OIH, make_answers, make_screening
from tests.screening.staff import PASSWORD, make_clinician

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_clinician_works_the_summary_and_the_queue_then_finds_a_patients_screening(
    seed_content, visitor: Visitor, browser: Browser, live_server
):
    # The patient saves a check and is shown its reference code.
    start_check(visitor, "Save my answers")
    answer_with_mouse(visitor, POSSIBLE_OIH)
    submit_answers(visitor)
    shown_code = visitor.page.locator(".reference-code").inner_text().strip()
    screening = Screening.objects.get()
    assert shown_code == screening.display_reference

    # Waiting already: an emergency from yesterday and a same-day screening.
    hour = datetime.timedelta(hours=1)
    emergency = make_screening(answers=make_answers(self_harm="now"), country="GB")
    Screening.objects.filter(pk=emergency.pk).update(created_at=timezone.now() - 26 * hour)
    today = make_screening(urgency=Urgency.TODAY, created_at=timezone.now() - 3 * hour)

    clinician = make_clinician(password=PASSWORD)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        staff = Visitor(page, live_server.url)
        log_in(page, live_server.url, clinician, PASSWORD)

        # The summary: what waits, by urgency; the oldest emergency and how long it waited.
        expect(page.get_by_role("heading", name="Screenings waiting for review")).to_be_visible()
        staff.check()
        oldest = page.locator("table.summary-oldest")
        expect(oldest).to_contain_text(emergency.display_reference)
        expect(oldest).to_contain_text("1 day")
        expect(page.locator("table.summary-weeks tbody tr")).to_have_count(12)
        page.locator(".summary-counts a.urgency-0").click()

        # The queue of unreviewed emergencies: a badge in words, nothing cut off at 1280 px.
        staff.check()
        rows = page.locator("#result_list tbody tr")
        expect(rows).to_have_count(1)
        expect(rows.locator(".urgency")).to_have_text("Emergency")
        results = page.locator("#changelist .results")
        fits = "e => e.scrollWidth <= e.clientWidth"
        assert results.evaluate(fits), "the queue is cut off at 1280 px"
        page.set_viewport_size({"width": 768, "height": 1024})  # a tablet, upright
        assert results.evaluate(fits), "the queue is cut off on a tablet"
        page.set_viewport_size({"width": 1280, "height": 900})
        rows.get_by_role("link", name=emergency.display_reference).click()

        # The emergency screening: the review first, and what the patient was told to do.
        staff.check()
        expect(page.locator(".emergency-shown")).to_contain_text("call 999")
        expect(page.locator(".emergency-shown")).to_contain_text("Samaritans")
        expect(page.get_by_role("link", name="Download FHIR QuestionnaireResponse")).to_be_visible()
        page.get_by_label("Review status").select_option(label="Needs follow-up")
        page.get_by_label("Add a note").fill("Rang the patient: safe, seen by the GP today.")
        page.get_by_role("button", name="Save and next").first.click()

        # Next in the queue's order: the same-day screening, then the patient's.
        staff.check()
        expect(page.locator(".messagelist")).to_contain_text(f"Saved {emergency.display_reference}")
        expect(page.locator("h2", has_text=today.display_reference)).to_be_visible()
        assert page.url.endswith(f"/{today.pk}/change/")
        page.get_by_label("Review status").select_option(label="Reviewed")
        page.get_by_role("button", name="Save and next").first.click()
        staff.check()
        assert page.url.endswith(f"/{screening.pk}/change/")

        # The patient reads the code over the phone with one character misheard; the
        # clinician types it loosely and still finds it.
        page.goto(f"{live_server.url}/admin/screening/screening/")
        staff.check()
        misheard = shown_code[:-1] + ("A" if shown_code[-1] != "A" else "C")
        page.locator("#searchbar").fill(misheard.lower().replace("-", " "))
        page.get_by_role("button", name="Search").click()
        staff.check()
        rows = page.locator("#result_list tbody tr")
        expect(rows).to_have_count(1)
        expect(rows).to_contain_text("Possible OIH pattern")
        rows.get_by_role("link", name=shown_code).click()
        staff.check()

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
        page.get_by_label("Add a note").fill("Talked it through on the phone.")
        page.get_by_role("button", name="Save", exact=True).first.click()

        expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
        expect(page.locator("#result_list")).to_contain_text("Reviewed")
        staff.check()
        staff.finish()
    finally:
        context.close()

    screening.refresh_from_db()
    assert screening.review_status == ReviewStatus.REVIEWED
    assert screening.reviewed_by == clinician
    assert screening.reviewed_at is not None
    assert screening.review_note == "Talked it through on the phone."
    emergency.refresh_from_db()
    assert emergency.review_status == ReviewStatus.FOLLOW_UP
    assert ReviewNote.objects.get(screening=emergency).author == clinician

"""Whole self-checks, as patients run them in a browser."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from screening import questionnaire
from screening.models import Screening
from tests.browser.conftest import Keyboard, Visitor
from tests.factories import NO_PATTERN, POSSIBLE_OIH, SOME_FEATURES, make_answers

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def labels_for(question_id: str, value: Any) -> list[str]:
    question = questionnaire.get(question_id)
    return question.answer_labels(value)


def current_question(page: Page) -> str | None:
    match = re.search(r"/check/([a-z0-9_]+)/", page.url)  # in any language
    if match and questionnaire.get(match.group(1)):
        return match.group(1)
    return None


def start_check(visitor: Visitor, privacy_label: str) -> None:
    visitor.goto("/")
    visitor.page.get_by_role("link", name="Start the self-check").click()
    visitor.check()
    visitor.page.get_by_label(privacy_label).check()
    visitor.click_and_check("Start")


def answer_with_mouse(visitor: Visitor, answers: dict[str, Any]) -> None:
    """Answer question pages until the check leaves them or reaches one not in ``answers``."""
    page = visitor.page
    while (question_id := current_question(page)) in answers:
        for label in labels_for(question_id, answers[question_id]):
            page.get_by_label(label, exact=True).check()
        visitor.click_and_check("Continue")


def submit_answers(visitor: Visitor) -> None:
    expect(visitor.page.get_by_role("heading", name="Check your answers")).to_be_visible()
    visitor.click_and_check("Submit and see my result")


# One of the longest results: the pattern, withdrawal between doses and severe pain.
LONG_RESULT = {
    **POSSIBLE_OIH,
    "worst_time": "before_next_dose",
    "pain_average": 8,
    "pain_enjoyment": 7,
    "pain_activity": 7,
}


def test_possible_oih_journey_saves_and_shows_a_reference_code(visitor: Visitor):
    start_check(visitor, "Save my answers")
    answer_with_mouse(visitor, LONG_RESULT)
    submit_answers(visitor)
    page = visitor.page
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Talk to your doctor in the next 2 or 3 days"
    )
    expect(
        page.get_by_text("You said your pain got worse after your dose went up.")
    ).to_be_visible()
    screening = Screening.objects.get()
    assert screening.pattern == "possible_oih"
    expect(page.locator(".reference-code")).to_have_text(screening.display_reference)

    # The print layout is a one-page summary without the site's navigation.
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    pdf = page.pdf(format="Letter")
    assert len(re.findall(rb"/Type\s*/Page(?!s)", pdf)) == 1
    page.emulate_media(media="screen")

    # Deleting removes the screening.
    page.get_by_role("link", name="Delete my answers").click()
    visitor.check()
    visitor.click_and_check("Yes, delete my answers")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your answers are gone")
    assert Screening.objects.count() == 0


def test_some_features_journey_by_keyboard_only(visitor: Visitor):
    page = visitor.page
    visitor.goto("/check/")
    keyboard = Keyboard(visitor)
    keyboard.choose("Only show me my result. Nothing is saved for my care team.")
    keyboard.submit("Start")
    while (question_id := current_question(page)) is not None:
        for label in labels_for(question_id, SOME_FEATURES[question_id]):
            keyboard.choose(label)
        keyboard.submit("Continue")
    keyboard.submit("Submit and see my result")
    expect(page.get_by_role("heading", level=1)).to_have_text("Talk about this at your next visit")
    expect(page.get_by_text("Some of your answers match features")).to_be_visible()
    assert Screening.objects.count() == 0


def test_no_pattern_journey_without_javascript(browser: Browser, live_server, page: Page):
    context = browser.new_context(java_script_enabled=False)
    visitor = Visitor(context.new_page(), live_server.url, scan_page=page)
    page = visitor.page
    start_check(visitor, "Save my answers")
    # Without JavaScript the server still refuses "None of these" with another answer.
    answer_with_mouse(visitor, {"breathing": "no", "self_harm": "no"})
    page.get_by_label("A fever in the last few days", exact=True).check()
    page.get_by_label("None of these", exact=True).check()
    visitor.click_and_check("Continue")
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    page.get_by_role("link", name=re.compile("can't be ticked together")).click()
    page.get_by_label("A fever in the last few days", exact=True).uncheck()
    visitor.click_and_check("Continue")
    answer_with_mouse(visitor, NO_PATTERN)
    submit_answers(visitor)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Keep talking with your care team about your pain"
    )
    expect(page.get_by_text("Your pain is still real", exact=False)).to_be_visible()
    expect(page.get_by_role("button", name="Print or save this page")).to_be_hidden()
    assert Screening.objects.get().pattern == "no_pattern"
    visitor.finish()
    context.close()


def test_a_missing_answer_is_named_beside_the_question_on_every_kind_of_page(visitor: Visitor):
    start_check(visitor, "Only show me my result")
    page = visitor.page
    answers = make_answers()
    # One question of each kind: one answer, several answers, a number from 0 to 10.
    for question_id in ("breathing", "new_symptoms", "pain_average"):
        before = {q: value for q, value in answers.items() if q != question_id}
        answer_with_mouse(visitor, before)
        assert current_question(page) == question_id
        visitor.click_and_check("Continue")
        expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
        expect(page.locator(f"#id_{question_id}_error")).to_be_visible()
        for label in labels_for(question_id, answers[question_id]):
            page.get_by_label(label, exact=True).check()
        visitor.click_and_check("Continue")


def test_emergency_journey_stops_at_once(visitor: Visitor):
    start_check(visitor, "Only show me my result")
    answer_with_mouse(visitor, make_answers(breathing="overdose_signs"))
    page = visitor.page
    assert page.url.endswith("/check/emergency/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Get emergency help now")
    expect(page.get_by_role("link", name="Call 911")).to_have_attribute("href", "tel:911")
    expect(page.get_by_text("Give naloxone if you have it.")).to_be_visible()
    expect(page.get_by_text("Stay with them until help arrives.", exact=False)).to_be_visible()
    # Nothing more is asked: the check's pages lead back to this page.
    page.goto(visitor.base_url + "/check/self_harm/")
    assert page.url.endswith("/check/emergency/")


def test_none_of_these_clears_other_ticks_with_javascript(visitor: Visitor):
    start_check(visitor, "Only show me my result")
    answer_with_mouse(visitor, {"breathing": "no", "self_harm": "no"})
    page = visitor.page
    page.get_by_label("A fever in the last few days", exact=True).check()
    page.get_by_label("None of these", exact=True).check()
    expect(page.get_by_label("A fever in the last few days", exact=True)).not_to_be_checked()
    page.get_by_label("A fall or an injury in the last few days", exact=True).check()
    expect(page.get_by_label("None of these", exact=True)).not_to_be_checked()


def test_near_miss_overdose_journey_asks_the_v2_questions_and_says_today(visitor: Visitor):
    start_check(visitor, "Only show me my result")
    page = visitor.page
    answers = make_answers(oud_treatment="yes", sedation_episodes="yes")
    answer_with_mouse(visitor, {k: v for k, v in answers.items() if k != "overdose_risk"})
    assert current_question(page) == "overdose_risk"
    # "None of these" stands alone, with JavaScript as without it.
    page.get_by_label("I take gabapentin or pregabalin", exact=True).check()
    page.get_by_label("None of these", exact=True).check()
    expect(page.get_by_label("I take gabapentin or pregabalin", exact=True)).not_to_be_checked()
    page.get_by_label("I drink alcohol on most days", exact=True).check()
    expect(page.get_by_label("None of these", exact=True)).not_to_be_checked()
    visitor.click_and_check("Continue")
    answer_with_mouse(visitor, answers)
    submit_answers(visitor)
    expect(page.get_by_role("heading", level=1)).to_have_text("Get help today")
    notes = page.locator("#next-heading ~ .alert")
    expect(notes.first).to_contain_text("Stay on your methadone or buprenorphine treatment.")
    expect(page.get_by_text("Tell them about the times you were hard to wake.")).to_be_visible()
    expect(page.get_by_text("Ask whether your medicines are safe together.")).to_be_visible()


def test_saved_answers_are_deleted_later_with_the_code_and_the_key(visitor: Visitor):
    start_check(visitor, "Save my answers")
    answer_with_mouse(visitor, SOME_FEATURES)
    submit_answers(visitor)
    page = visitor.page
    code = page.locator(".reference-code").inner_text()
    key = page.locator(".deletion-key").inner_text()
    page.context.clear_cookies()  # another day: the session is long gone
    visitor.goto("/")
    page.get_by_role("link", name="Delete my saved answers").click()
    visitor.check()
    visitor.click_and_check("Delete my saved answers")  # empty: the errors are named
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    page.get_by_label("Reference code").fill(code)
    page.get_by_label("Deletion key").fill(key.lower())
    visitor.click_and_check("Delete my saved answers")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your request was done")
    assert Screening.objects.count() == 0


def test_get_help_is_one_step_away_on_every_page(visitor: Visitor):
    for path in ["/", "/check/", "/help/", "/check/emergency/"]:
        visitor.goto(path)
        link = visitor.page.get_by_role("link", name="Get help now")
        expect(link).to_have_attribute("href", "/help/")


def test_how_the_check_works_is_one_click_from_the_start_and_keeps_version_1(visitor: Visitor):
    visitor.goto("/check/")
    visitor.page.get_by_role("link", name="See how the check works: every rule, and why").click()
    visitor.check()
    page = visitor.page
    expect(page.get_by_role("heading", name="How this check works", level=1)).to_be_visible()
    expect(page.get_by_role("heading", name="Rule 1: Signs of an emergency")).to_be_visible()
    page.get_by_role("link", name=re.compile("^Version 1, from")).click()
    visitor.check()
    expect(page.get_by_text("These rules are no longer used for new checks.")).to_be_visible()
    assert visitor.scanned == ["/check/", "/check/how-it-works/", "/check/how-it-works/version-1/"]

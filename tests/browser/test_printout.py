"""The printout of a result: one page for the doctor, on Letter and on A4, in print large
enough to read (issue 17)."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import Page, expect

from screening import flow
from screening.models import Screening
from tests.factories import make_answers, submit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The longest result a person can get without an emergency: every question asked, every
# box ticked that adds a finding or a note, so every note and point shows.
LONGEST = make_answers(
    self_harm="recent",
    new_symptoms=["fever", "fall_injury"],
    oud_treatment="yes",
    pain_context="yes",
    dose_change=["raised", "took_more", "lowered"],
    after_increase="worse",
    after_decrease="worse",
    pain_spread="yes",
    touch_hurts="yes",
    worst_time="missed_or_lowered",
    withdrawal_signs="yes",
    sedation_episodes="yes",
    overdose_risk=["sedative", "gabapentinoid", "alcohol", "sleep_apnea", "past_overdose"],
    health_change="yes",
    control="yes",
    pain_average=9,
    pain_enjoyment=10,
    pain_activity=10,
)


def open_result(page: Page, base_url: str, answers: dict) -> Client:
    """Run the check in-process (saved), then open its result in the browser's session."""
    client = Client()
    submit(client, answers, privacy="save")
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": base_url}])
    page.goto(base_url + "/check/result/")
    return client


def pdf_pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?!s)", pdf))


@pytest.mark.parametrize("country", ["US", "GB"])
def test_the_longest_result_fits_one_page_of_each_paper_size(
    page: Page, live_server, settings, country
):
    settings.OIH_COUNTRY = country
    open_result(page, live_server.url, LONGEST)
    page.emulate_media(media="print")
    for paper in ("Letter", "A4"):
        assert pdf_pages(page.pdf(format=paper)) == 1, paper


def test_the_printout_holds_what_the_doctor_needs(page: Page, live_server):
    client = open_result(page, live_server.url, LONGEST)
    page.emulate_media(media="print")
    # What the doctor needs is there: where and when, the code, how soon, the findings,
    # every question with its answer, the points to raise, the emergency number.
    screening = Screening.objects.get()
    header = page.locator(".print-header")
    expect(header).to_contain_text(live_server.url)
    expect(header).to_contain_text("Check done")
    expect(page.locator(".reference-code")).to_have_text(screening.display_reference)
    expect(page.locator(".urgency-label")).to_contain_text("today")
    handover = page.locator(".print-handover")
    expect(handover).to_contain_text("Near-miss overdose in the past month")
    expect(handover).to_contain_text("Allodynia")
    rows = flow.answer_rows(LONGEST)
    expect(handover.locator(".print-answers > div")).to_have_count(len(rows))
    for row in rows:
        expect(handover).to_contain_text(str(row.question.short))
        for label in row.labels:
            expect(handover).to_contain_text(label)
    expect(page.get_by_text("Points to raise with your doctor")).to_be_visible()
    expect(page.get_by_text("Ask whether your medicines are safe together.")).to_be_visible()
    expect(header).to_contain_text("In an emergency, call 911. 988 Suicide & Crisis Lifeline: 988.")
    # Advice to the patient stays on the screen.
    expect(page.get_by_text("Keep naloxone at home")).to_be_hidden()
    assert client.session[flow.RESULT_KEY]["answers"] == LONGEST


def test_no_printed_text_is_smaller_than_11_pt(page: Page, live_server):
    open_result(page, live_server.url, LONGEST)
    page.emulate_media(media="print")
    # Every element that shows text of its own, with its computed size in CSS px.
    sizes = page.evaluate(
        """() => [...document.querySelectorAll('body *')]
          .filter(e => e.offsetParent !== null || getComputedStyle(e).position === 'fixed')
          .filter(e => [...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim()))
          .map(e => [e.tagName + '.' + e.className, e.textContent.trim().slice(0, 40),
                     parseFloat(getComputedStyle(e).fontSize)])"""
    )
    assert len(sizes) > 60
    # 11 pt is 11 * 96 / 72 CSS px.
    small = [entry for entry in sizes if entry[2] < 11 * 96 / 72 - 0.01]
    assert small == []

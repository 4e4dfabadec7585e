"""The Content Security Policy breaks nothing: a walk through the site records no violation."""

from __future__ import annotations

from base64 import b32decode

import pytest
from django_otp.oath import TOTP
from playwright.sync_api import Page

from education.models import Article
from screening.models import Screening
from tests.browser.conftest import Visitor
from tests.browser.test_self_check import answer_with_mouse, start_check, submit_answers
from tests.factories import POSSIBLE_OIH
from tests.screening.staff import PASSWORD, make_superuser

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Runs before any page script, outside the page's CSP, and records what the CSP blocked.
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(event.violatedDirective + " " + event.blockedURI);
});
"""


def violations(page: Page) -> list[str]:
    return page.evaluate("window.__cspViolations || []")


def test_a_walk_through_patient_pages_articles_and_the_admin_breaks_no_csp_rule(
    seed_content, visitor: Visitor, live_server
):
    page = visitor.page
    page.add_init_script(RECORD_VIOLATIONS)
    console: list[str] = []
    page.on("console", lambda message: console.append(message.text))
    seen: list[str] = []

    def look() -> None:
        seen.extend(f"{page.url}: {violation}" for violation in violations(page))

    start_check(visitor, "Save my answers")
    look()
    answer_with_mouse(visitor, POSSIBLE_OIH)
    look()
    submit_answers(visitor)
    look()
    page.get_by_role("button", name="Print or save this page").wait_for()
    code = Screening.objects.get().reference_code

    for path in [
        "/learn/",
        "/learn/opioid-induced-hyperalgesia/",
        "/learn/search/?q=pain",
        "/check/how-it-works/",
    ]:
        page.goto(live_server.url + path)
        look()

    # Permissions are not the point here (tests/screening/test_admin.py covers them).
    # A new staff member: the login page, then setting up the authenticator app.
    make_superuser("csp-staff", password=PASSWORD, authenticator=False)
    page.goto(live_server.url + "/admin/login/")
    look()
    page.fill("#id_username", "csp-staff")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.locator(".two-step-key").wait_for()
    look()
    key = page.locator(".two-step-key").inner_text().replace(" ", "")
    page.fill("#id_otp_token", f"{TOTP(b32decode(key)).token():06d}")
    page.get_by_role("button", name="Finish set-up").click()
    page.wait_for_load_state()
    look()
    main = Article.objects.get(slug="opioid-induced-hyperalgesia", language="en")
    page.goto(live_server.url + f"/admin/education/article/{main.pk}/history/")
    page.locator("#change-history").wait_for()
    look()
    page.goto(live_server.url + f"/admin/education/article/{main.pk}/publish/")
    look()
    page.goto(live_server.url + "/admin/education/article/reviews/")
    page.locator(".review-entry").first.wait_for()
    look()
    page.goto(live_server.url + f"/admin/screening/screening/?q={code}")
    look()
    page.get_by_role("link", name=Screening.objects.get().display_reference).click()
    page.wait_for_load_state()
    look()

    assert seen == []
    assert [text for text in console if "Content Security Policy" in text] == []

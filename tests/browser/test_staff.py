"""A new staff member's first sign-in, and what someone guessing passwords sees."""

from __future__ import annotations

from base64 import b32decode

import pytest
from django_otp.oath import TOTP
from playwright.sync_api import Page, expect

from tests.browser.conftest import check_accessibility
from tests.screening.staff import PASSWORD, make_clinician

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_new_clinician_sets_up_an_authenticator_app_at_first_sign_in(
    seed_content, page: Page, live_server
):
    newcomer = make_clinician("newcomer", password=PASSWORD, authenticator=False)
    page.goto(f"{live_server.url}/admin/login/")
    check_accessibility(page)
    expect(page.get_by_role("heading", name="Staff sign-in", level=1)).to_be_visible()
    page.get_by_label("Username").fill(newcomer.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()

    expect(page.get_by_role("heading", name="Set up your authenticator app")).to_be_visible()
    expect(page.get_by_role("figure")).to_contain_text("QR code")
    check_accessibility(page)
    # On a 320 px phone the QR code fits the screen.
    page.set_viewport_size({"width": 320, "height": 640})
    qr = page.locator(".two-step-qr svg").bounding_box()
    assert qr["x"] >= 0
    assert qr["x"] + qr["width"] <= 320
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    page.set_viewport_size({"width": 1280, "height": 720})

    # The clinician types the key into their app instead of scanning; the app shows a code.
    key = page.locator(".two-step-key").inner_text()
    code = f"{TOTP(b32decode(key.replace(' ', ''))).token():06d}"
    page.get_by_label("6-digit code from your authenticator app").fill(code)
    page.get_by_role("button", name="Finish set-up").click()

    # Next, the recovery codes, shown this once.
    expect(page.get_by_role("heading", name="Recovery codes")).to_be_visible()
    expect(page.get_by_text("Your authenticator app is set up")).to_be_visible()
    expect(page.locator(".recovery-codes li")).to_have_count(10)
    check_accessibility(page)
    page.get_by_role("link", name="Go to the staff pages").click()
    expect(page.get_by_role("heading", name="Site administration")).to_be_visible()


def test_someone_guessing_a_password_is_stopped_with_a_clear_message(
    seed_content, page: Page, live_server
):
    nurse = make_clinician("nurse", password=PASSWORD)
    page.goto(f"{live_server.url}/admin/login/")
    for _ in range(5):
        page.get_by_label("Username").fill(nurse.username)
        page.get_by_label("Password").fill("a guess at the password")
        page.get_by_label("6-digit code from your authenticator app").fill("123456")
        page.get_by_role("button", name="Log in").click()
        page.wait_for_load_state()

    expect(page.get_by_role("heading", name="Sign-in paused")).to_be_visible()
    expect(page.get_by_role("alert")).to_contain_text("paused for 30 minutes")
    check_accessibility(page)


def field_fits(page: Page, selector: str) -> bool:
    """The field shows its whole text height and lies within its row."""
    return page.locator(selector).evaluate(
        """e => {
            const box = e.getBoundingClientRect(), row = e.parentElement.getBoundingClientRect();
            const size = parseFloat(getComputedStyle(e).fontSize);
            return e.clientHeight >= size && box.right <= row.right + 1 && box.left >= row.left;
        }"""
    )


def test_the_sign_in_page_reads_well_at_twice_the_text_size(seed_content, page: Page, live_server):
    page.goto(f"{live_server.url}/admin/login/")
    help_text = page.locator("#id_otp_token_helptext")
    assert float(help_text.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")) >= 13
    # The reader's browser set to 200% text (set through the CSSOM, which the CSP allows).
    page.evaluate("document.documentElement.style.fontSize = '200%'")
    for field in ("#id_username", "#id_password", "#id_otp_token"):
        assert field_fits(page, field), field
    check_accessibility(page)

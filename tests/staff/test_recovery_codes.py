"""Recovery codes: shown once at set-up, each signs in once in place of the app's code,
and every use is in the audit trail."""

from __future__ import annotations

import re
from http import HTTPStatus

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from screening.models import AuditEvent
from staff import services
from tests.screening.staff import (
    PASSWORD,
    app_of,
    code_now,
    log_in,
    make_clinician,
    sign_in,
)
from tests.staff.test_sign_in import code_from_setup_page, start_setup

pytestmark = pytest.mark.django_db

INDEX = "/admin/"
CODES = "/admin/recovery-codes/"
WRONG = "That did not work"
SHOWN = re.compile(r"<code>([a-z2-7]{4}-[a-z2-7]{4})</code>")


@pytest.fixture
def nurse() -> User:
    return make_clinician("nurse", password=PASSWORD)


@pytest.fixture
def codes(nurse) -> list[str]:
    return services.recovery_codes_replace(user=nurse)


def test_set_up_ends_with_ten_recovery_codes_shown_once():
    newcomer = make_clinician("newcomer", password=PASSWORD, authenticator=False)
    client = Client()
    page = start_setup(client, newcomer)
    response = client.post("/admin/two-step/", {"otp_token": code_from_setup_page(page)})
    assertRedirects(response, CODES, fetch_redirect_response=False)
    page = client.get(CODES)
    shown = SHOWN.findall(page.text)
    assert len(shown) == 10
    assert "no-store" in page["Cache-Control"]
    stored = set(StaticToken.objects.filter(device__user=newcomer).values_list("token", flat=True))
    assert {code.replace("-", "") for code in shown} == stored
    # Once: a reload shows how many are left, not the codes.
    again = client.get(CODES)
    assert SHOWN.findall(again.text) == []
    assertContains(again, "You have 10 unused recovery codes")


def test_a_recovery_code_signs_in_once_and_the_use_is_audited(nurse, codes):
    assertRedirects(log_in(Client(), nurse, code=codes[0]), INDEX)
    event = AuditEvent.objects.get(action=AuditEvent.Action.RECOVERY_CODE_USED)
    assert event.actor == "nurse"
    assert "9 left" in event.detail
    assert codes[0] not in event.detail
    # The same code again: refused, and counted as a failed sign-in.
    assertContains(log_in(Client(), nurse, code=codes[0]), WRONG)
    assert AuditEvent.objects.filter(action=AuditEvent.Action.RECOVERY_CODE_USED).count() == 1


@pytest.mark.parametrize("typed", ["{upper}", "{first}-{rest}", " {first} {rest} "])
def test_a_recovery_code_may_be_typed_as_people_type_it(nurse, codes, typed):
    code = codes[1]
    text = typed.format(upper=code.upper(), first=code[:4], rest=code[4:])
    assertRedirects(log_in(Client(), nurse, code=text), INDEX)


def test_a_recovery_code_needs_the_password(nurse, codes):
    assertContains(log_in(Client(), nurse, password="wrong", code=codes[0]), WRONG)
    assert StaticToken.objects.filter(token=codes[0]).exists()


def test_another_staff_members_recovery_code_does_not_work(nurse, codes):
    colleague = make_clinician("colleague", password=PASSWORD)
    assertContains(log_in(Client(), colleague, code=codes[0]), WRONG)
    assert StaticToken.objects.filter(token=codes[0]).exists()


def test_wrong_recovery_codes_count_toward_the_pause(nurse, codes):
    responses = [log_in(Client(), nurse, code="abcd-efgh") for _ in range(5)]
    assert responses[-1].status_code == HTTPStatus.TOO_MANY_REQUESTS


def test_new_codes_replace_the_old_ones(nurse, codes):
    client = Client()
    sign_in(client, nurse)
    response = client.post(CODES)
    assertRedirects(response, CODES, fetch_redirect_response=False)
    new = [code.replace("-", "") for code in SHOWN.findall(client.get(CODES).text)]
    assert len(new) == 10
    assert set(new).isdisjoint(codes)
    assertRedirects(log_in(Client(), nurse, code=new[0]), INDEX)
    assertContains(log_in(Client(), nurse, code=codes[2]), WRONG)
    assert AuditEvent.objects.filter(action=AuditEvent.Action.RECOVERY_CODES_MADE).count() == 2


def test_the_recovery_codes_page_needs_a_full_sign_in(nurse, codes):
    anonymous = Client()
    assert anonymous.get(CODES)["Location"].startswith("/admin/login/")
    assert anonymous.post(CODES)["Location"].startswith("/admin/login/")
    password_only = Client()
    password_only.force_login(nurse)
    assert password_only.get(CODES)["Location"].startswith("/admin/login/")
    assert StaticToken.objects.filter(device__user=nurse).count() == 10


def test_the_staff_pages_link_to_the_recovery_codes(nurse):
    client = Client()
    sign_in(client, nurse)
    assertContains(client.get(INDEX), f'href="{CODES}"')
    assertNotContains(Client().get("/admin/login/"), f'href="{CODES}"')


def test_after_a_reset_of_the_app_the_next_sign_in_sets_up_a_new_one(nurse, codes):
    """An administrator deletes the lost app; the recovery codes do not block a new one."""
    TOTPDevice.objects.filter(user=nurse).delete()
    response = log_in(Client(), nurse, code="")
    assertRedirects(response, "/admin/two-step/", fetch_redirect_response=False)


def test_the_app_still_signs_in_beside_recovery_codes(nurse, codes):
    assertRedirects(log_in(Client(), nurse, code=code_now(app_of(nurse))), INDEX)
    assert StaticToken.objects.filter(device__user=nurse).count() == 10

"""Staff sign in with two steps (password, then an authenticator app's code); guessing stops."""

from __future__ import annotations

import datetime
import re
from base64 import b32decode
from http import HTTPStatus

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import User
from django.db import connection
from django.db.models import QuerySet
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from education.models import Article
from tests.education.factories import make_article
from tests.factories import make_answers, walk
from tests.races import all_at_once
from tests.screening.staff import (
    PASSWORD,
    app_of,
    code_now,
    log_in,
    make_clinician,
    make_staff,
    sign_in,
)

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/"
INDEX = "/admin/"
SETUP = "/admin/two-step/"
QUEUE = "/admin/screening/screening/"
WRONG = "That did not work"
PAUSED = "signing in is paused for 30 minutes"


def is_signed_in(client: Client) -> bool:
    return client.get(QUEUE).status_code == HTTPStatus.OK


@pytest.fixture
def nurse() -> User:
    return make_clinician("nurse", password=PASSWORD)


# --- Two steps ------------------------------------------------------------------------------


def test_the_password_and_the_current_code_open_the_admin(client, nurse):
    response = log_in(client, nurse, code=code_now(app_of(nurse)))
    assertRedirects(response, INDEX)
    assert is_signed_in(client)


def test_the_login_page_asks_for_the_code(client):
    response = client.get(LOGIN)
    assertContains(response, "6-digit code from your authenticator app")
    assertContains(response, 'autocomplete="one-time-code"')
    assertContains(response, 'aria-describedby="id_otp_token_helptext"')
    assertContains(response, 'id="id_otp_token_helptext"')


@pytest.mark.parametrize("code", [None, "", "000000", "12345", "not a code", "9" * 16])
def test_the_password_alone_or_with_a_wrong_code_opens_nothing(client, nurse, code):
    if code == "000000" and code_now(app_of(nurse)) == code:
        code = "111111"
    response = log_in(client, nurse, code=code)
    assert response.status_code == HTTPStatus.OK
    assertContains(response, WRONG)
    assert not is_signed_in(client)


def test_a_wrong_code_gets_the_same_words_as_a_wrong_password(client, nurse):
    wrong_password = log_in(
        client, nurse, password="not the password", code=code_now(app_of(nurse))
    )
    wrong_code = log_in(Client(), nurse, code="000001")
    assert wrong_password.status_code == wrong_code.status_code == HTTPStatus.OK
    errors = [
        re.findall(r'<p class="errornote"[^>]*>(.*?)</p>', r.text, re.S)
        for r in (wrong_password, wrong_code)
    ]
    assert errors[0] == errors[1] != []


def test_a_code_works_only_once(nurse):
    code = code_now(app_of(nurse))
    first = Client()
    assertRedirects(log_in(first, nurse, code=code), INDEX)
    second = Client()
    response = log_in(second, nurse, code=code)
    assertContains(response, WRONG)
    assert not is_signed_in(second)


def test_spaces_and_dashes_in_a_typed_code_are_fine(client, nurse):
    code = code_now(app_of(nurse))
    assertRedirects(log_in(client, nurse, code=f"{code[:3]} - {code[3:]}"), INDEX)


def test_another_staff_members_code_does_not_work(client, nurse):
    other = make_clinician("other")
    response = log_in(client, nurse, code=code_now(app_of(other)))
    assertContains(response, WRONG)


def test_the_session_key_changes_at_sign_in(client, nurse):
    walk(client, make_answers(), privacy="show_only")  # a session from before signing in
    before = client.cookies["sessionid"].value
    log_in(client, nurse, code=code_now(app_of(nurse)))
    after = client.cookies["sessionid"].value
    assert after
    assert after != before
    stale = Client()
    stale.cookies["sessionid"] = before
    assert stale.get(QUEUE).status_code == HTTPStatus.FOUND


def test_a_session_signed_in_with_the_password_only_cannot_open_staff_pages(client):
    """Even a session that skipped the second step (say, a stolen password) sees nothing."""
    nurse = make_clinician("nurse")
    client.force_login(nurse)
    draft = make_article(status=Article.Status.DRAFT, title="Not yet public")
    for url in [INDEX, QUEUE, f"{QUEUE}export/", f"/learn/preview/{draft.pk}/"]:
        response = client.get(url)
        assert response.status_code == HTTPStatus.FOUND, url
        assert response["Location"].startswith(LOGIN), url
        assertNotContains(response, "Not yet public", status_code=HTTPStatus.FOUND)


def test_the_session_cookie_is_http_only_and_same_site(client, nurse):
    log_in(client, nurse, code=code_now(app_of(nurse)))
    cookie = client.cookies["sessionid"]
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"


# --- First sign-in: setting up the app ------------------------------------------------------


def key_on(html: str) -> str:
    return re.search(r'<code class="two-step-key">([A-Z2-7 ]+)</code>', html).group(1)


def code_from_setup_page(html: str) -> str:
    """What the new staff member's app would show after they typed the key on the page."""
    secret = b32decode(key_on(html).replace(" ", ""))
    return f"{TOTP(secret).token():06d}"


@pytest.fixture
def newcomer() -> User:
    return make_clinician("newcomer", password=PASSWORD, authenticator=False)


def start_setup(client: Client, user: User) -> str:
    """Sign in with the password alone; return the set-up page it leads to."""
    assertRedirects(log_in(client, user, code=""), SETUP, fetch_redirect_response=False)
    return client.get(SETUP).text


def test_a_newcomer_signs_in_with_the_password_and_is_sent_to_set_up_the_app(client, newcomer):
    page = start_setup(client, newcomer)
    assert "Set up your authenticator app" in page
    assert '<svg aria-hidden="true"' in page
    assert len(key_on(page).replace(" ", "")) == 32
    assert not is_signed_in(client)
    # Nothing is stored until the first code proves the app works.
    assert not TOTPDevice.objects.filter(user=newcomer).exists()


def test_each_password_sign_in_gets_its_own_key_and_keeps_it_on_reload(newcomer):
    mine, someone_else = Client(), Client()
    first = key_on(start_setup(mine, newcomer))
    assert key_on(mine.get(SETUP).text) == first
    assert key_on(start_setup(someone_else, newcomer)) != first


def test_a_wrong_first_code_sets_up_nothing(client, newcomer):
    page = start_setup(client, newcomer)
    wrong = "000000" if code_from_setup_page(page) != "000000" else "111111"
    response = client.post(SETUP, {"otp_token": wrong})
    assertContains(response, "That code did not match")
    assertContains(response, 'id="id_otp_token_error"')
    assert not TOTPDevice.objects.filter(user=newcomer).exists()
    assert not is_signed_in(client)


def test_the_first_code_saves_the_app_and_opens_the_admin(client, newcomer):
    page = start_setup(client, newcomer)
    before = client.cookies["sessionid"].value
    code = code_from_setup_page(page)
    assertRedirects(client.post(SETUP, {"otp_token": code}), "/admin/recovery-codes/")
    assert client.cookies["sessionid"].value != before
    assert is_signed_in(client)
    assert TOTPDevice.objects.filter(user=newcomer, confirmed=True).count() == 1
    # Set up once: the page does not offer a new key to someone who has an app.
    assertRedirects(client.get(SETUP), INDEX)
    # The code that finished the set-up has been used.
    assertContains(log_in(Client(), newcomer, code=code), WRONG)


def test_after_set_up_the_password_alone_no_longer_opens_anything(client, newcomer):
    client.post(SETUP, {"otp_token": code_from_setup_page(start_setup(client, newcomer))})
    later = Client()
    assertContains(log_in(later, newcomer, code=""), WRONG)
    assert later.get(SETUP)["Location"] == LOGIN
    assert not is_signed_in(later)


def test_the_set_up_page_lasts_ten_minutes(client, newcomer):
    start_setup(client, newcomer)
    session = client.session
    session["staff_setup"]["since"] -= 11 * 60
    session.save()
    response = client.get(SETUP, follow=True)
    assertContains(response, "Sign in again to set up your authenticator app")
    assert "two-step-key" not in response.text


def test_after_a_reset_an_old_session_cannot_set_up_an_app(nurse):
    """A stolen, still-open session must not be able to claim the account's new app."""
    old = Client()
    sign_in(old, nurse)
    TOTPDevice.objects.filter(user=nurse).delete()  # the superuser resets the lost phone
    assert not is_signed_in(old)
    response = old.get(SETUP)
    assert response["Location"] == LOGIN
    assert "two-step-key" not in old.get(SETUP, follow=True).text
    # The owner signs in with the password and sets up their new phone.
    assert key_on(start_setup(Client(), nurse))


def test_someone_half_way_through_signing_in_can_sign_out(client, newcomer):
    start_setup(client, newcomer)
    client.post("/admin/logout/")
    assert client.get(SETUP)["Location"] == LOGIN
    assert "_auth_user_id" not in client.session


def test_the_set_up_page_is_only_for_signed_in_staff(client):
    assert client.get(SETUP)["Location"] == LOGIN
    client.force_login(User.objects.create_user("someone"))
    assert client.get(SETUP)["Location"] == LOGIN
    assert not TOTPDevice.objects.exists()


def test_a_verified_staff_member_is_not_offered_a_new_key(client, nurse):
    sign_in(client, nurse)
    assertRedirects(client.get(SETUP), INDEX)
    assert TOTPDevice.objects.filter(user=nurse).count() == 1


def test_a_verified_clinician_gets_a_plain_refusal_for_an_article_preview(client, nurse):
    sign_in(client, nurse)
    draft = make_article(status=Article.Status.DRAFT, title="Not yet public")
    response = client.get(f"/learn/preview/{draft.pk}/")
    assert response.status_code == HTTPStatus.FORBIDDEN
    assertNotContains(response, "Not yet public", status_code=HTTPStatus.FORBIDDEN)


# --- Lockout --------------------------------------------------------------------------------


def fail(client: Client, user: User, times: int, **extra) -> list:
    return [
        log_in(client, user, password="a wrong password", code="000000", **extra)
        for _ in range(times)
    ]


def test_five_failed_sign_ins_pause_the_account_for_30_minutes(client, nurse):
    responses = fail(client, nurse, 5)
    assert [r.status_code for r in responses[:4]] == [HTTPStatus.OK] * 4
    locked = responses[4]
    assert locked.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert locked["Retry-After"] == str(30 * 60)
    assertContains(locked, PAUSED, status_code=HTTPStatus.TOO_MANY_REQUESTS)
    assertContains(locked, "ask an administrator", status_code=HTTPStatus.TOO_MANY_REQUESTS)
    # The right password and code do not help while the pause lasts.
    response = log_in(client, nurse, code=code_now(app_of(nurse)))
    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert not is_signed_in(client)


def test_wrong_codes_count_as_failed_sign_ins(client, nurse):
    responses = [log_in(client, nurse, code="000000" if i % 2 else "") for i in range(5)]
    assert responses[-1].status_code == HTTPStatus.TOO_MANY_REQUESTS


def test_the_pause_is_for_that_account_from_that_address_only(nurse):
    fail(Client(), nurse, 5)
    elsewhere = Client(REMOTE_ADDR="203.0.113.9")
    assertRedirects(log_in(elsewhere, nurse, code=code_now(app_of(nurse))), INDEX)
    colleague = make_clinician("colleague", password=PASSWORD)
    assertRedirects(log_in(Client(), colleague, code=code_now(app_of(colleague))), INDEX)


def test_the_pause_ends_after_30_minutes(client, nurse):
    fail(client, nurse, 5)
    AccessAttempt.objects.update(
        attempt_time=datetime.datetime.now(datetime.UTC) - datetime.timedelta(minutes=31)
    )
    assertRedirects(log_in(client, nurse, code=code_now(app_of(nurse))), INDEX)


def test_a_successful_sign_in_clears_earlier_failures(client, nurse):
    fail(client, nurse, 4)
    assertRedirects(log_in(client, nurse, code=code_now(app_of(nurse))), INDEX)
    client.post("/admin/logout/")
    responses = fail(client, nurse, 4)
    assert all(r.status_code == HTTPStatus.OK for r in responses)


def test_the_lockout_store_holds_no_password_or_code(client, nurse):
    fail(client, nurse, 2)
    attempt = AccessAttempt.objects.get()
    assert "a wrong password" not in attempt.post_data
    assert "000000" not in attempt.post_data


def test_a_failure_whose_record_vanished_mid_write_is_still_counted(client, nurse, monkeypatch):
    """The race of a wrong and a right sign-in, played out in order.

    The wrong one's insert collides with a row, and by the time it looks again a right
    sign-in has cleared it: here, the look misses twice while the row is still there.
    """
    fail(client, nurse, 1)
    real_get = QuerySet.get
    misses = iter([True, True])

    def get(queryset, *args, **kwargs):
        if queryset.model is AccessAttempt and next(misses, False):
            raise AccessAttempt.DoesNotExist
        return real_get(queryset, *args, **kwargs)

    monkeypatch.setattr(QuerySet, "get", get)
    [response] = fail(client, nurse, 1)
    assertContains(response, WRONG)
    assert next(misses, "both used") == "both used"
    assert AccessAttempt.objects.get().failures_since_start == 2


@pytest.mark.django_db(transaction=True)
def test_one_code_sent_twice_at_the_same_moment_signs_in_once():
    """The device row is locked while a code is checked (PostgreSQL; SQLite serialises)."""
    if connection.vendor != "postgresql":
        pytest.skip("The race needs PostgreSQL's row locks.")
    nurse = make_staff("racer", password=PASSWORD)  # no group: a flush may have dropped them
    code = code_now(app_of(nurse))
    statuses = all_at_once(lambda: log_in(Client(), nurse, code=code).status_code, times=5)
    assert sorted(statuses) == [HTTPStatus.OK] * 4 + [HTTPStatus.FOUND]


@pytest.mark.django_db(transaction=True)
def test_wrong_sign_ins_at_the_same_moment_each_count_toward_the_pause():
    """Guesses sent together are not lost to a race: each is a form error and each counts."""
    if connection.vendor != "postgresql":
        pytest.skip("The race needs PostgreSQL's row locks.")
    nurse = make_staff("guessed", password=PASSWORD)
    statuses = all_at_once(lambda: fail(Client(), nurse, 1)[0].status_code)
    assert statuses == [HTTPStatus.OK] * 4
    assert AccessAttempt.objects.get(username="guessed").failures_since_start == 4


# --- Many accounts from one address -----------------------------------------------------


def spray(client: Client, usernames: list[str], tries: int) -> list:
    """A few wrong passwords for each of many accounts, the way password spraying goes."""
    return [
        client.post(LOGIN, {"username": name, "password": f"Summer202{n}!", "otp_token": ""})
        for n in range(tries)
        for name in usernames
    ]


def test_trying_a_few_passwords_on_many_accounts_pauses_the_address(nurse):
    usernames = [f"staff{n}" for n in range(25)]
    responses = spray(Client(REMOTE_ADDR="203.0.113.50"), usernames, tries=4)
    statuses = [r.status_code for r in responses]
    # No account reached five; the address reached twenty.
    assert statuses[:19] == [HTTPStatus.OK] * 19
    assert set(statuses[19:]) == {HTTPStatus.TOO_MANY_REQUESTS}
    paused = responses[19]
    assertContains(paused, PAUSED, status_code=HTTPStatus.TOO_MANY_REQUESTS)
    assert paused["Retry-After"] == str(30 * 60)
    # Nobody signs in from there while it lasts, not even with the right password and code.
    there = Client(REMOTE_ADDR="203.0.113.50")
    response = log_in(there, nurse, code=code_now(app_of(nurse)))
    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
    # From anywhere else, the nurse signs in as usual.
    assertRedirects(log_in(Client(), nurse, code=code_now(app_of(nurse))), INDEX)


def test_the_address_pause_ends_after_30_minutes(nurse):
    spray(Client(REMOTE_ADDR="203.0.113.50"), [f"staff{n}" for n in range(10)], tries=2)
    AccessAttempt.objects.update(
        attempt_time=datetime.datetime.now(datetime.UTC) - datetime.timedelta(minutes=31)
    )
    there = Client(REMOTE_ADDR="203.0.113.50")
    assertRedirects(log_in(there, nurse, code=code_now(app_of(nurse))), INDEX)


def test_a_few_failures_by_colleagues_behind_one_address_pause_nobody(nurse):
    """A clinic's staff share its address: their everyday mistakes stay under the limit."""
    clinic = Client(REMOTE_ADDR="203.0.113.60")
    responses = spray(clinic, [f"colleague{n}" for n in range(6)], tries=3)
    assert {r.status_code for r in responses} == {HTTPStatus.OK}
    assertRedirects(log_in(clinic, nurse, code=code_now(app_of(nurse))), INDEX)


def test_sign_in_log_lines_name_no_address_or_browser(nurse, caplog):
    client = Client(REMOTE_ADDR="203.0.113.70", HTTP_USER_AGENT="Browser/secret-agent")
    fail(client, nurse, 5)
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "AXES" in logged
    assert "nurse" in logged
    assert "203.0.113.70" not in logged
    assert "secret-agent" not in logged

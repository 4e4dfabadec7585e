"""Kept question pages: fast, yet each patient's own page (screening/questioncache.py)."""

from __future__ import annotations

import re
from collections import Counter
from http import HTTPStatus

import pytest
from django.db import OperationalError
from django.middleware.csrf import CSRF_ALLOWED_CHARS, _unmask_cipher_token
from django.test import Client
from pytest_django.asserts import assertContains, assertRedirects

from oih_site import sessions
from screening import questioncache, views
from tests.factories import expire_all_sessions

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def token_in(response) -> str:
    return TOKEN.search(response.content.decode())[1]


def patient() -> Client:
    """A browser that starts a check the way a person does, CSRF checks and all."""
    browser = Client(enforce_csrf_checks=True)
    start_page = browser.get("/check/")
    browser.post("/check/", {"privacy": "show_only", "csrfmiddlewaretoken": token_in(start_page)})
    return browser


def answer(browser: Client, question_id: str, value: str):
    page = browser.get(f"/check/{question_id}/")
    return browser.post(
        f"/check/{question_id}/", {question_id: value, "csrfmiddlewaretoken": token_in(page)}
    )


def checked(response, name: str) -> list[str]:
    inputs = re.findall(r"<input[^>]*>", response.content.decode())
    return [
        re.search(r'value="([^"]*)"', tag)[1]
        for tag in inputs
        if f'name="{name}"' in tag and re.search(r"\schecked\b", tag)
    ]


def test_a_page_seen_before_is_sent_from_memory_with_a_fresh_token_that_works(
    django_assert_num_queries,
):
    browser = patient()
    first = browser.get("/check/breathing/")
    with django_assert_num_queries(1):  # the session, and nothing else
        again = browser.get("/check/breathing/")
    assert again.content.decode().replace(token_in(again), "") == first.content.decode().replace(
        token_in(first), ""
    )
    # A new mask of the same secret each time, as Django does against BREACH.
    assert token_in(again) != token_in(first)
    response = browser.post(
        "/check/breathing/", {"breathing": "no", "csrfmiddlewaretoken": token_in(again)}
    )
    assertRedirects(response, "/check/self_harm/", fetch_redirect_response=False)


def test_a_page_from_memory_has_the_same_headers_and_keeps_the_csrf_cookie():
    browser = patient()
    cookie = browser.cookies["csrftoken"].value
    first = browser.get("/check/breathing/")
    again = browser.get("/check/breathing/")
    for header in ("Content-Type", "Cache-Control", "Expires", "Vary", "X-Frame-Options"):
        assert again[header] == first[header], header
    assert "no-store" in again["Cache-Control"]
    assert int(again["Content-Length"]) == len(again.content)
    # The view renews the year-long cookie; a page from memory leaves the browser's alone.
    assert first.cookies["csrftoken"].value == cookie
    assert "csrftoken" not in again.cookies
    assert browser.cookies["csrftoken"].value == cookie


def test_a_token_from_memory_is_the_secret_under_a_fair_new_mask():
    secret = "aZ09" * 8
    tokens = [questioncache.masked_token(secret) for _ in range(10_000)]
    assert {_unmask_cipher_token(token) for token in tokens} == {secret}
    assert len(set(tokens)) == len(tokens)
    # Every character is as likely in a mask: about 5,160 of each, give or take 1.5%. Taking
    # random bytes modulo 62 would make the first eight a quarter likelier than the rest.
    counts = Counter("".join(token[:32] for token in tokens))
    assert set(counts) == set(CSRF_ALLOWED_CHARS)
    assert max(counts.values()) < 1.15 * min(counts.values())


def test_each_patient_sees_their_own_earlier_answer():
    worried, calm = patient(), patient()
    answer(worried, "breathing", "no")
    answer(calm, "breathing", "no")
    answer(worried, "self_harm", "recent")
    answer(calm, "self_harm", "no")
    for _ in range(2):  # the second time from memory
        assert checked(worried.get("/check/self_harm/"), "self_harm") == ["recent"]
        assert checked(calm.get("/check/self_harm/"), "self_harm") == ["no"]


def test_a_kept_page_is_never_shown_out_of_turn():
    ahead, behind = patient(), patient()
    answer(ahead, "breathing", "no")
    ahead.get("/check/self_harm/")
    ahead.get("/check/self_harm/")
    assertRedirects(
        behind.get("/check/self_harm/"), "/check/breathing/", fetch_redirect_response=False
    )


def test_a_kept_page_is_never_shown_once_the_session_has_ended():
    browser = patient()
    browser.get("/check/breathing/")
    expire_all_sessions()
    response = browser.get("/check/breathing/")
    assertRedirects(response, "/check/expired/", fetch_redirect_response=False)


def test_changing_an_answer_gets_its_own_page():
    browser = patient()
    answer(browser, "breathing", "no")
    browser.get("/check/breathing/")
    response = browser.get("/check/breathing/?change")
    assertContains(response, "Save and go back to your answers")
    assertContains(response, 'href="/check/answers/"')


def test_nothing_of_the_patient_is_kept_but_the_page():
    browser = patient()
    page = browser.get("/check/breathing/")
    browser.get("/check/breathing/")
    kept = b"".join(kept.content for kept in questioncache.pages._pages.values())
    assert kept
    for secret in (browser.cookies["sessionid"].value, browser.cookies["csrftoken"].value):
        assert secret.encode() not in kept
    assert token_in(page).encode() not in kept


def test_a_signed_in_staff_member_gets_the_page_from_the_view(admin_client):
    admin_client.post("/check/", {"privacy": "show_only"})
    for _ in range(2):
        assert admin_client.get("/check/breathing/").status_code == HTTPStatus.OK
    assert not questioncache.pages._pages


def test_a_page_is_not_kept_when_the_view_showed_another(monkeypatch):
    """As if another tab answered the question between the middleware's read and the view's."""
    browser = patient()
    of = views.QuestionPage.of
    calls = []

    def another_tab_answered(current, check, *, changing):
        calls.append(current)
        page = of(current, check, changing=changing)
        return page if len(calls) == 1 else page._replace(earlier="'no'")

    monkeypatch.setattr(views.QuestionPage, "of", another_tab_answered)
    browser.get("/check/breathing/")
    assert len(calls) == 2
    assert not questioncache.pages._pages


def test_each_site_address_keeps_its_own_pages(settings):
    settings.ALLOWED_HOSTS = ["a.example", "b.example"]
    for host, secure in (("a.example", False), ("b.example", True), ("a.example", False)):
        browser = Client(enforce_csrf_checks=True, HTTP_HOST=host)
        start_page = browser.get("/check/", secure=secure)
        token = token_in(start_page)
        scheme = "https" if secure else "http"
        browser.post(
            "/check/",
            {"privacy": "show_only", "csrfmiddlewaretoken": token},
            secure=secure,
            headers={"referer": f"{scheme}://{host}/check/"},  # Django checks it over HTTPS
        )
        for _ in range(2):
            page = browser.get("/check/breathing/", secure=secure)
            assertContains(page, f'rel="canonical" href="{scheme}://{host}/check/breathing/"')


def test_a_database_outage_on_a_question_page_gets_the_usual_outage_page(monkeypatch):
    browser = patient()
    browser.raise_request_exception = False  # the outage page, as a browser would get it
    elsewhere = browser.get("/check/answers/")  # a page the kept pages never serve

    def down(self):
        raise OperationalError("the database is out of reach")

    monkeypatch.setattr(sessions.SessionStore, "load", down)
    response = browser.get("/check/breathing/")
    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    assertContains(response, "Nothing was saved", status_code=HTTPStatus.SERVICE_UNAVAILABLE)
    outage = browser.get("/check/answers/")
    assert outage.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    for header in ("Vary", "Content-Language", "Retry-After"):
        assert response[header] == outage[header], header
    assert elsewhere.status_code == HTTPStatus.FOUND


def test_with_the_csrf_secret_in_the_session_the_pages_come_from_the_view(settings):
    settings.CSRF_USE_SESSIONS = True
    browser = patient()
    for _ in range(2):
        page = browser.get("/check/breathing/")
        assert page.status_code == HTTPStatus.OK
    response = browser.post(
        "/check/breathing/", {"breathing": "no", "csrfmiddlewaretoken": token_in(page)}
    )
    assertRedirects(response, "/check/self_harm/", fetch_redirect_response=False)
    assert not questioncache.pages._pages

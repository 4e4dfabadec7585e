"""Hostile and malformed requests get a clear 4xx or a form error: never a 500, nothing made."""

from __future__ import annotations

from http import HTTPStatus

import pytest
from django.test import Client
from pytest_django.asserts import assertContains

from screening import flow
from screening.models import Screening
from tests.screening.staff import (
    PASSWORD,
    app_of,
    code_now,
    log_in,
    make_clinician,
    make_superuser,
    sign_in,
)

pytestmark = pytest.mark.django_db

HUGE_ID = "99999999999999999999"
FORM = "application/x-www-form-urlencoded"


@pytest.fixture
def patient() -> Client:
    client = Client(raise_request_exception=False)
    client.post("/check/", {"privacy": "save"})
    return client


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        pytest.param(
            b"breathing=%ff%fe", "application/x-www-form-urlencoded", id="bad-utf8-escape"
        ),
        pytest.param(b"breathing=\xff\xfe", "application/x-www-form-urlencoded", id="raw-bad-utf8"),
        pytest.param(b"breathing=no%00", "application/x-www-form-urlencoded", id="nul-byte"),
        pytest.param(b"--x\r\njunk", "multipart/form-data; boundary=x", id="broken-multipart"),
        pytest.param(b'{"breathing": "no"}', "application/json", id="json-body"),
        pytest.param(b"breathing=no&breathing=now", FORM, id="duplicate-values"),
    ],
)
def test_malformed_answer_bodies_change_nothing(patient, body, content_type):
    response = patient.post("/check/breathing/", data=body, content_type=content_type)
    assertContains(response, "There is a problem")
    assert patient.session[flow.CHECK_KEY]["answers"] == {}
    assert Screening.objects.count() == 0


def test_thousands_of_fields_are_refused(patient):
    response = patient.post("/check/breathing/", {f"f{n}": "x" for n in range(5000)})
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert patient.session[flow.CHECK_KEY]["answers"] == {}


def test_an_oversized_body_is_refused(patient):
    body = b"breathing=" + b"a" * 5_000_000
    response = patient.post("/check/breathing/", data=body, content_type=FORM)
    assert response.status_code == HTTPStatus.REQUEST_ENTITY_TOO_LARGE
    assert patient.session[flow.CHECK_KEY]["answers"] == {}


def test_a_foreign_host_header_is_refused():
    response = Client(raise_request_exception=False).get("/", HTTP_HOST="evil.example")
    assert response.status_code == HTTPStatus.BAD_REQUEST


def test_the_login_page_does_not_redirect_to_another_site():
    client = Client(raise_request_exception=False)
    nurse = make_clinician("nurse", password=PASSWORD)
    response = log_in(
        client, nurse, code=code_now(app_of(nurse)), path="/admin/login/?next=https://evil.example/"
    )
    assert response.status_code == HTTPStatus.FOUND
    assert "evil.example" not in response["Location"]


@pytest.mark.parametrize(
    ("url", "status"),
    [
        (f"/learn/preview/{HUGE_ID}/", HTTPStatus.NOT_FOUND),
        (f"/admin/screening/screening/{HUGE_ID}/fhir/", HTTPStatus.NOT_FOUND),
        # The admin's own answers: back to the index or the list, with a message.
        (f"/admin/screening/screening/{HUGE_ID}/change/", HTTPStatus.FOUND),
        ("/admin/screening/screening/?urgency__exact=abc", HTTPStatus.FOUND),
        ("/admin/screening/screening/?created_at__gte=not-a-date", HTTPStatus.FOUND),
        ("/admin/screening/screening/?p=99999", HTTPStatus.OK),
        ("/admin/screening/screening/?o=99", HTTPStatus.OK),
        ("/admin/screening/screening/?q=%00", HTTPStatus.OK),
        ("/learn/search/?q=%00abc", HTTPStatus.OK),
        ("/learn/search/?q=" + "a" * 10_000, HTTPStatus.OK),
        ("/check/%00/", HTTPStatus.NOT_FOUND),
    ],
)
def test_odd_urls_get_a_page_a_redirect_or_not_found(url, status):
    client = Client(raise_request_exception=False)
    sign_in(client, make_superuser("ops"))
    assert client.get(url).status_code == status


@pytest.mark.parametrize("method", ["put", "patch", "delete", "options"])
def test_wrong_methods_on_the_check_are_refused(patient, method):
    assert getattr(patient, method)("/check/answers/").status_code == HTTPStatus.METHOD_NOT_ALLOWED

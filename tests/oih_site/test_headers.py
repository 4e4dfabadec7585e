"""Every kind of response carries the security headers: pages, errors, the admin, static
files, machine-readable files. A response made by an error path, a middleware or WhiteNoise
is as likely to lose them as a page, so each gets its own case."""

from __future__ import annotations

import re
from collections.abc import Callable
from http import HTTPStatus

import pytest
from django.contrib.staticfiles.storage import staticfiles_storage
from django.db import OperationalError
from django.test import Client

from screening import ratelimit, services
from tests.factories import NO_PATTERN, POSSIBLE_OIH, walk
from tests.screening.staff import PASSWORD, log_in, make_clinician, sign_in

pytestmark = pytest.mark.django_db

ONE_YEAR = 60 * 60 * 24 * 365


def hsts_age(value: str) -> int:
    return int(re.search(r"max-age=(\d+)", value).group(1))


def strict_csp(value: str) -> bool:
    return (
        "default-src 'none'" in value
        and "frame-ancestors 'none'" in value
        and "unsafe-inline" not in value
        and "unsafe-eval" not in value
        and "*" not in value
    )


def denies_features(value: str) -> bool:
    return all(
        f"{feature}=()" in value for feature in ["camera", "microphone", "geolocation", "payment"]
    )


EXPECTED: dict[str, Callable[[str], bool]] = {
    "Content-Security-Policy": strict_csp,
    "Strict-Transport-Security": lambda value: hsts_age(value) >= ONE_YEAR,
    "X-Content-Type-Options": lambda value: value == "nosniff",
    "Referrer-Policy": lambda value: value == "same-origin",
    "Permissions-Policy": denies_features,
    "Cross-Origin-Opener-Policy": lambda value: value == "same-origin",
    "Cross-Origin-Resource-Policy": lambda value: value == "same-origin",
}


@pytest.fixture(autouse=True)
def production_https(settings) -> None:
    """What DJANGO_HTTPS=1 turns on (tests/oih_site/test_settings.py checks that it does)."""
    settings.SECURE_HSTS_SECONDS = ONE_YEAR
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True


def client(**kwargs) -> Client:
    return Client(raise_request_exception=False, **kwargs)


def get(path: str, **extra) -> Callable[[], object]:
    return lambda: client().get(path, secure=True, **extra)


def page_twice(path: str):
    """The second request gets the reading page from the shared cache."""
    c = client()
    c.get(path, secure=True)
    return c.get(path, secure=True)


def question_page():
    c = client()
    started = c.post("/check/", {"privacy": "show_only"}, secure=True)
    return c.get(started["Location"], secure=True)


def result_page():
    c = client()
    walk(c, NO_PATTERN)
    c.post("/check/answers/", secure=True)
    return c.get("/check/result/", secure=True)


def failing_submit(error: Exception):
    def respond(monkeypatch):
        c = client()
        walk(c, POSSIBLE_OIH, privacy="save")

        def broken(**kwargs):
            raise error

        monkeypatch.setattr(services, "screening_submit", broken)
        return c.post("/check/answers/", secure=True)

    return respond


def over_the_limit(monkeypatch):
    c = client()
    walk(c, POSSIBLE_OIH, privacy="save")
    monkeypatch.setattr(ratelimit, "submission_hit", lambda request: 600)
    return c.post("/check/answers/", secure=True)


def csrf_refused():
    return client(enforce_csrf_checks=True).post("/check/", {"privacy": "save"}, secure=True)


def admin_queue():
    c = client()
    sign_in(c, make_clinician())
    return c.get("/admin/screening/screening/", secure=True)


def locked_out():
    nurse = make_clinician("nurse", password=PASSWORD)
    c = client()
    for _ in range(5):
        response = log_in(c, nurse, password="wrong", code="000000", secure=True)
    return response


def static_file():
    return client().get(staticfiles_storage.url("css/site.css"), secure=True)


CASES = {
    "home (rendered)": (get("/"), HTTPStatus.OK),
    "home (cached)": (lambda: page_twice("/"), HTTPStatus.OK),
    "article (cached)": (lambda: page_twice("/learn/opioid-induced-hyperalgesia/"), HTTPStatus.OK),
    "search": (get("/learn/search/?q=pain"), HTTPStatus.OK),
    "start of the check": (get("/check/"), HTTPStatus.OK),
    "question page": (question_page, HTTPStatus.OK),
    "result page": (result_page, HTTPStatus.OK),
    "help lines": (get("/help/"), HTTPStatus.OK),
    "delete saved answers": (get("/delete-saved/"), HTTPStatus.OK),
    "session expired": (get("/check/expired/"), HTTPStatus.OK),
    "not found": (get("/no-such-page/"), HTTPStatus.NOT_FOUND),
    "wrong method": (lambda: client().put("/check/", secure=True), HTTPStatus.METHOD_NOT_ALLOWED),
    "foreign host": (get("/", HTTP_HOST="evil.example"), HTTPStatus.BAD_REQUEST),
    "CSRF refused": (csrf_refused, HTTPStatus.FORBIDDEN),
    "submission limit": (over_the_limit, HTTPStatus.TOO_MANY_REQUESTS),
    "server error": (failing_submit(RuntimeError("boom")), HTTPStatus.INTERNAL_SERVER_ERROR),
    "database down": (failing_submit(OperationalError("down")), HTTPStatus.SERVICE_UNAVAILABLE),
    "admin login": (get("/admin/login/"), HTTPStatus.OK),
    "admin queue": (admin_queue, HTTPStatus.OK),
    "staff lockout": (locked_out, HTTPStatus.TOO_MANY_REQUESTS),
    "static file": (static_file, HTTPStatus.OK),
    "robots.txt": (get("/robots.txt"), HTTPStatus.OK),
    "sitemap": (get("/sitemap.xml"), HTTPStatus.OK),
    "health check": (get("/healthz"), HTTPStatus.OK),
    "FHIR questionnaire": (get("/fhir/Questionnaire/oih-self-check"), HTTPStatus.OK),
}


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_every_kind_of_response_carries_the_security_headers(case, monkeypatch):
    respond, status = CASES[case]
    response = respond(monkeypatch) if "monkeypatch" in respond.__code__.co_varnames else respond()
    assert response.status_code == status
    missing = {
        name for name, ok in EXPECTED.items() if not (name in response and ok(response[name]))
    }
    assert missing == set(), {name: response.get(name) for name in missing}

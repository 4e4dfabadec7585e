"""Every request goes through the whole middleware stack.

No layer answers a page before the session, CSRF and authentication layers have run: a
middleware added later cannot be skipped by a page served early, and Django's own handling
of sessions, tokens and sign-in applies to every page. Caching happens inside the views,
with Django's cache framework (education/views.py), below all of them.
"""

from __future__ import annotations

from http import HTTPStatus

import pytest
from django.http import HttpRequest, HttpResponse
from django.test import Client, RequestFactory
from django.utils.module_loading import import_string

from tests.factories import NO_PATTERN, walk

pytestmark = pytest.mark.django_db

SESSION = "django.contrib.sessions.middleware.SessionMiddleware"
CSRF = "django.middleware.csrf.CsrfViewMiddleware"
AUTHENTICATION = "django.contrib.auth.middleware.AuthenticationMiddleware"

# The whole stack, in order. Changing it is a decision worth a second look: a new layer
# above AUTHENTICATION must pass every page on (the test below checks that it does).
STACK = [
    "screening.middleware.BrowserPolicyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    # Refuses a body over the limit with 413 before anything reads it (issue 16); every
    # page of the site is passed on (the test below).
    "screening.middleware.RequestSizeMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    SESSION,
    "screening.middleware.AddressLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    CSRF,
    AUTHENTICATION,
    "django_otp.middleware.OTPMiddleware",
    "screening.middleware.StaffActivityMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ARTICLE = "/learn/opioid-induced-hyperalgesia/"
# Every page a patient sees, each asked for twice so that cached reading pages are too.
PAGES = [
    "/",
    "/learn/",
    ARTICLE,
    "/learn/search/?q=pain",
    "/help/",
    "/check/",
    "/check/breathing/",
    "/check/answers/",
    "/check/result/",
    "/check/emergency/",
    "/check/delete/",
    "/check/expired/",
    "/check/deleted/",
    "/check/how-it-works/",
    "/delete-saved/",
]


def test_the_middleware_stack_is_this_one(settings):
    assert settings.MIDDLEWARE == STACK


def test_session_csrf_and_authentication_come_before_the_views_and_in_this_order(settings):
    stack = settings.MIDDLEWARE
    assert stack.index(SESSION) < stack.index(CSRF) < stack.index(AUTHENTICATION)


def above_authentication(stack: list[str]) -> list[str]:
    """The layers a request meets before authentication, bar the session and CSRF layers."""
    return [path for path in stack[: stack.index(AUTHENTICATION)] if path not in (SESSION, CSRF)]


@pytest.mark.parametrize("path", PAGES)
@pytest.mark.parametrize("middleware", above_authentication(STACK))
def test_no_layer_above_session_csrf_and_authentication_answers_a_page(settings, middleware, path):
    """Each layer, given a page request as production sees it, hands it on.

    Production (DJANGO_HTTPS=1) redirects plain HTTP to HTTPS before any of this, and
    WhiteNoise answers for static files: neither is a page.
    """
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    passed_on: list[HttpRequest] = []

    def the_layers_below(request: HttpRequest) -> HttpResponse:
        passed_on.append(request)
        return HttpResponse("from below")

    layer = import_string(middleware)(the_layers_below)
    request = RequestFactory().get(
        path,
        HTTP_X_FORWARDED_PROTO="https",
        HTTP_COOKIE="sessionid=abc; csrftoken=" + "x" * 32,
    )
    response = layer(request)
    assert passed_on == [request], f"{middleware} answered {path} itself"
    assert response.content == b"from below"


def went_through_the_stack(response) -> bool:
    """The request reached the view past the session, CSRF and authentication layers."""
    request = response.wsgi_request
    return (
        hasattr(request, "session")
        and getattr(request, "csrf_processing_done", False)
        and hasattr(request, "user")
    )


def test_every_patient_page_goes_through_the_session_csrf_and_authentication_layers():
    patient = Client()
    responses = [patient.post("/check/", {"privacy": "save"})]
    responses += [patient.get(path) for path in PAGES[:7] * 2]
    walk(patient, NO_PATTERN, privacy="save")
    responses += [patient.get("/check/answers/"), patient.post("/check/answers/")]
    responses += [patient.get(path) for path in PAGES * 2]
    responses += [Client().get(path) for path in PAGES[:5] * 2]
    assert {response.status_code for response in responses} <= {HTTPStatus.OK, HTTPStatus.FOUND}
    for response in responses:
        assert went_through_the_stack(response), response.wsgi_request.path

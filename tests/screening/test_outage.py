"""When the database is out of reach: a calm 503, nothing half-written."""

from __future__ import annotations

import os
import re
from http import HTTPStatus

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.core.management import call_command
from django.db import OperationalError, connection, connections
from django.test import Client
from pytest_django.asserts import assertContains, assertRedirects

from screening import services
from screening.models import Screening, normalize_reference
from tests.factories import POSSIBLE_OIH, post_value, question_in, walk
from tests.production import Browser, Server, postgres, production_env

pytestmark = pytest.mark.django_db


def test_a_database_failure_on_submit_gives_a_503_with_the_security_headers(monkeypatch):
    client = Client(raise_request_exception=False)
    walk(client, POSSIBLE_OIH, privacy="save")

    def unreachable(**kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(services, "screening_submit", unreachable)
    response = client.post("/check/answers/")
    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    text = response.content.decode()
    assert "Nothing was saved" in text
    assert "call 911" in text
    assert "default-src 'none'" in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert Screening.objects.count() == 0


@pytest.mark.parametrize(
    ("error", "status"),
    [(OperationalError("connection refused"), 503), (ValueError("bug"), 500)],
    ids=["database down", "a bug"],
)
def test_an_emergency_answer_gets_the_help_even_when_saving_fails(monkeypatch, error, status):
    client = Client(raise_request_exception=False)
    client.post("/check/", {"privacy": "save"})
    client.post("/check/breathing/", {"breathing": "no"})

    def broken(**kwargs):
        raise error

    monkeypatch.setattr(services, "screening_submit", broken)
    response = client.post("/check/self_harm/", {"self_harm": "now"})
    assert response.status_code == status
    text = response.content.decode()
    for phrase in ("Get emergency help now", "call or text 988", "may not have been saved"):
        assert phrase in text
    assert "default-src 'none'" in response["Content-Security-Policy"]
    assert Screening.objects.count() == 0


def test_other_failures_are_a_plain_500(monkeypatch):
    client = Client(raise_request_exception=False)
    walk(client, POSSIBLE_OIH, privacy="save")

    def broken(**kwargs):
        raise ValueError("bug")

    monkeypatch.setattr(services, "screening_submit", broken)
    response = client.post("/check/answers/")
    assert response.status_code == 500
    assert "Something went wrong" in response.content.decode()


def test_healthz_says_ok_or_unavailable_and_nothing_else(client, monkeypatch):
    response = client.get("/healthz")
    assert (response.status_code, response.content) == (200, b"ok\n")

    from django.db.backends.utils import CursorWrapper

    def down(self, sql, params=None):
        raise OperationalError("connection refused")

    monkeypatch.setattr(CursorWrapper, "execute", down)
    response = client.get("/healthz")
    assert (response.status_code, response.content) == (503, b"unavailable\n")


@pytest.mark.django_db(transaction=True)
def test_a_real_postgresql_outage_saves_nothing_and_the_site_recovers_by_itself(tmp_path):
    """Stop the PostgreSQL server under gunicorn just before a patient presses Submit.

    Runs under ``scripts/with-postgres`` (CI does), which provides a server it may stop.
    """
    if connection.vendor != "postgresql" or "PG_DATA" not in os.environ:
        pytest.skip("Needs the throwaway PostgreSQL server of scripts/with-postgres.")
    call_command("collectstatic", interactive=False, verbosity=0)  # DEBUG is off in there
    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    with Server(production_env(url), log=tmp_path / "gunicorn.log") as server:
        patient = Browser(server.port)
        patient.follow("/check/")
        _status, location, _page = patient.request("POST", "/check/", {"privacy": "save"})
        while (question_id := question_in(location)) is not None:
            answer = {question_id: post_value(POSSIBLE_OIH[question_id])}
            _status, location, _page = patient.request("POST", location, answer)
        assert location == "/check/answers/"

        connections.close_all()
        try:
            postgres("stop")
            status, _location, page = patient.request("POST", "/check/answers/")
            assert status == HTTPStatus.SERVICE_UNAVAILABLE
            assert "Nothing was saved" in page
            assert "call 911" in page
            assert "default-src 'none'" in patient.headers["Content-Security-Policy"]
            assert patient.request("GET", "/healthz")[0] == HTTPStatus.SERVICE_UNAVAILABLE
            # An emergency answer still gets the help, though nothing can be saved.
            overdose = {"breathing": "overdose_signs"}
            status, _location, page = patient.request("POST", "/check/breathing/", overdose)
            assert status == HTTPStatus.SERVICE_UNAVAILABLE
            assert "Give naloxone" in page
            assert "may not have been saved" in page
        finally:
            postgres("start")

        # The app servers open new connections by themselves: nobody restarts them.
        healthz = [patient.request("GET", "/healthz")[0] for _ in range(6)]
        assert healthz == [HTTPStatus.OK] * 6
        assert Screening.objects.count() == 0
        # The patient's answers waited in their session: pressing Submit again saves once.
        status, location, _page = patient.request("POST", "/check/answers/")
        assert (status, location) == (HTTPStatus.FOUND, "/check/result/")
        _path, page = patient.follow(location)
    code = re.search(r'class="reference-code[^"]*">\s*([\w-]+)', page).group(1)
    assert list(Screening.objects.values_list("reference_code", flat=True)) == [
        normalize_reference(code)
    ]


def test_a_failure_after_the_save_but_before_the_session_keeps_one_screening(monkeypatch):
    """The narrow window: the row is in, then the database fails on the session write.

    The patient sees the 503 and presses Submit again; the check's one-time token finds the
    row already made, so they get its code and there is still one screening.
    """
    client = Client(raise_request_exception=False)
    walk(client, POSSIBLE_OIH, privacy="save")
    real_save = SessionStore.save

    def save_fails_once_a_screening_exists(self, must_create=False):
        if Screening.objects.exists() and not getattr(self, "failed", False):
            self.failed = True
            raise OperationalError("connection lost")
        return real_save(self, must_create)

    monkeypatch.setattr(SessionStore, "save", save_fails_once_a_screening_exists)
    assert client.post("/check/answers/").status_code == HTTPStatus.SERVICE_UNAVAILABLE
    assert Screening.objects.count() == 1

    monkeypatch.setattr(SessionStore, "save", real_save)
    assertRedirects(client.post("/check/answers/"), "/check/result/")
    screening = Screening.objects.get()
    assertContains(client.get("/check/result/"), screening.display_reference)

"""When the database is out of reach: a calm 503, nothing half-written."""

from __future__ import annotations

import os
import re
from http import HTTPStatus

import pytest
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.db import DatabaseError, OperationalError, connection, connections
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


def saved_check_up_to_submit(server: Server) -> tuple[Browser, str]:
    """A patient over real HTTP who chose to save and answered every question: the next
    step is Submit. Returns the patient and where the last answer led."""
    patient = Browser(server.port)
    patient.follow("/check/")
    _status, location, _page = patient.request("POST", "/check/", {"privacy": "save"})
    while (question_id := question_in(location)) is not None:
        answer = {question_id: post_value(POSSIBLE_OIH[question_id])}
        _status, location, _page = patient.request("POST", location, answer)
    return patient, location


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
        patient, location = saved_check_up_to_submit(server)
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


@pytest.fixture
def session_writes_fail(monkeypatch):
    """Make the database fail when a session is written, as Django's session store meets it.

    Returns a switch: ``fail(True)`` from now on, ``fail(False)`` to heal. The failure is
    raised by the Session row's save, under Django's store, which turns it into
    SessionInterrupted as it would a real one.
    """
    real_save = Session.save
    state = {"failing": False, "error": OperationalError("connection lost")}

    def save(self, *args, **kwargs):
        if state["failing"]:
            raise state["error"]
        return real_save(self, *args, **kwargs)

    monkeypatch.setattr(Session, "save", save)

    def fail(on: bool, error: Exception | None = None) -> None:
        state["failing"] = on
        state["error"] = error or state["error"]

    return fail


def test_a_failed_session_write_after_the_save_gives_the_code_and_keeps_one_screening(
    session_writes_fail,
):
    """The narrow window: the row is in, then the database fails on the session write.

    The patient gets the failure page with their code, not a bare "Bad Request". Pressing
    Submit again finds the row the check's one-time token made: still one screening.
    """
    client = Client(raise_request_exception=False)
    walk(client, POSSIBLE_OIH, privacy="save")
    session_writes_fail(True)
    response = client.post("/check/answers/")
    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    assert response["Retry-After"] == "60"
    assert "no-store" in response["Cache-Control"]
    screening = Screening.objects.get()
    text = response.content.decode()
    assert "Your answers were saved for your care team." in text
    assert screening.display_reference in text
    assert "Nothing was saved" not in text
    assert "call 911" in text

    session_writes_fail(False)
    assertRedirects(client.post("/check/answers/"), "/check/result/")
    assert Screening.objects.get() == screening
    assertContains(client.get("/check/result/"), screening.display_reference)


def test_a_failed_session_write_on_an_emergency_answer_still_gives_the_help(session_writes_fail):
    client = Client(raise_request_exception=False)
    client.post("/check/", {"privacy": "save"})
    client.post("/check/breathing/", {"breathing": "no"})
    session_writes_fail(True)
    response = client.post("/check/self_harm/", {"self_harm": "now"})
    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    text = response.content.decode()
    for phrase in ("Get emergency help now", "call or text 988", "Call 911"):
        assert phrase in text
    # The emergency answer was saved before the session failed: the page gives its code.
    screening = Screening.objects.get()
    assert screening.urgency == 0
    assert screening.display_reference in text


def test_a_failed_session_write_on_a_question_says_nothing_was_saved(session_writes_fail):
    client = Client(raise_request_exception=False)
    client.post("/check/", {"privacy": "save"})
    session_writes_fail(True)
    response = client.post("/check/breathing/", {"breathing": "no"})
    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    assert "Nothing was saved" in response.content.decode()
    assert "Bad Request" not in response.content.decode()
    session_writes_fail(False)
    assertRedirects(client.get("/check/self_harm/"), "/check/breathing/")


def test_a_session_removed_meanwhile_gets_the_sites_page_not_a_bare_400(session_writes_fail):
    client = Client(raise_request_exception=False)
    client.post("/check/", {"privacy": "save"})
    session_writes_fail(True, DatabaseError("Forced update did not affect any rows."))
    response = client.post("/check/breathing/", {"breathing": "no"})
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "Please try again in a minute" in response.content.decode()
    assert "call 911" in response.content.decode()


def test_other_bad_requests_keep_djangos_page(client):
    response = client.get("/check/", HTTP_HOST="attacker.example")
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "Please try again" not in response.content.decode()


# The session write fails on the real server: a trigger refuses every UPDATE of a session,
# as a database going away between the view and the session write would.
FAIL_SESSION_WRITES = """
CREATE FUNCTION oih_test_fail_session_write() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION USING ERRCODE = 'admin_shutdown', MESSAGE = 'test: database going away';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER oih_test_fail_session_write BEFORE UPDATE ON django_session
FOR EACH ROW EXECUTE FUNCTION oih_test_fail_session_write();
"""
HEAL_SESSION_WRITES = """
DROP TRIGGER oih_test_fail_session_write ON django_session;
DROP FUNCTION oih_test_fail_session_write();
"""


@pytest.mark.django_db(transaction=True)
def test_a_real_postgresql_failure_while_writing_the_session_leads_to_the_sites_pages(tmp_path):
    if connection.vendor != "postgresql" or "PG_DATA" not in os.environ:
        pytest.skip("Needs the throwaway PostgreSQL server of scripts/with-postgres.")
    call_command("collectstatic", interactive=False, verbosity=0)
    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    with Server(production_env(url), log=tmp_path / "gunicorn.log") as server:
        patient, location = saved_check_up_to_submit(server)
        # A second patient, who will give an emergency answer while sessions cannot be written.
        other = Browser(server.port)
        other.follow("/check/")
        other.request("POST", "/check/", {"privacy": "save"})
        with connection.cursor() as cursor:
            cursor.execute(FAIL_SESSION_WRITES)
        try:
            status, _location, page = patient.request("POST", "/check/answers/")
            assert status == HTTPStatus.SERVICE_UNAVAILABLE
            assert "Your answers were saved for your care team." in page
            code = re.search(r'class="reference-code">([\w-]+)<', page).group(1)
            assert Screening.objects.get().reference_code == normalize_reference(code)
            status, _location, page = other.request(
                "POST", "/check/breathing/", {"breathing": "overdose_signs"}
            )
            assert status == HTTPStatus.SERVICE_UNAVAILABLE
            assert "Give naloxone" in page
            assert "Call 911" in page
        finally:
            with connection.cursor() as cursor:
                cursor.execute(HEAL_SESSION_WRITES)
        status, location, _page = patient.request("POST", "/check/answers/")
        assert (status, location) == (HTTPStatus.FOUND, "/check/result/")
        _path, page = patient.follow(location)
        assert code in page
    assert Screening.objects.filter(urgency=0).count() == 1
    assert Screening.objects.exclude(urgency=0).count() == 1

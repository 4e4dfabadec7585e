"""Sessions end after 30 minutes without activity, and a patient is told why."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.sessions.models import Session
from django.utils import timezone
from pytest_django.asserts import assertContains, assertRedirects

from screening.models import Screening
from tests.factories import expire_all_sessions, make_answers, walk
from tests.screening.staff import make_clinician, sign_in

pytestmark = pytest.mark.django_db

IDLE_LIMIT = datetime.timedelta(minutes=30)


def session_expiry() -> datetime.datetime:
    return Session.objects.get().expire_date


def test_every_answer_moves_the_expiry_thirty_minutes_ahead(client):
    client.post("/check/", {"privacy": "save"})
    Session.objects.update(expire_date=timezone.now() + datetime.timedelta(minutes=1))
    client.post("/check/breathing/", {"breathing": "no"})
    remaining = session_expiry() - timezone.now()
    assert IDLE_LIMIT - datetime.timedelta(seconds=30) < remaining <= IDLE_LIMIT


def test_an_idle_check_is_cleared_and_the_patient_told_why(client):
    walk(client, make_answers(), privacy="save")
    expire_all_sessions()
    response = client.get("/check/answers/")
    assertRedirects(response, "/check/expired/", fetch_redirect_response=False)
    page = client.get("/check/expired/")
    assertContains(page, "Your answers were cleared")
    assertContains(page, "30 minutes")
    assert "no-store" in page["Cache-Control"]
    # The notice is shown once; after it the check simply starts again.
    assertRedirects(client.get("/check/breathing/"), "/check/")
    assert Screening.objects.count() == 0


def test_opening_the_cleared_notice_again_leaves_a_new_check_alone(client):
    """An old tab showing the notice, reloaded while a new check runs in another tab."""
    walk(client, make_answers(), privacy="save")
    assertContains(client.get("/check/expired/"), "Your answers were cleared")
    assert client.get("/check/answers/").status_code == 200


def test_an_answer_posted_after_expiry_is_not_kept(client):
    client.post("/check/", {"privacy": "save"})
    expire_all_sessions()
    response = client.post("/check/breathing/", {"breathing": "no"})
    assertRedirects(response, "/check/expired/", fetch_redirect_response=False)
    assert not any(
        "breathing" in s.get_decoded().get("oih_check", {}).get("answers", {})
        for s in Session.objects.filter(expire_date__gt=timezone.now())
    )


def test_a_visitor_who_never_started_is_sent_to_the_start(client):
    assertRedirects(client.get("/check/breathing/"), "/check/")


def test_staff_activity_keeps_the_session_alive(client):
    sign_in(client, make_clinician("nurse"))
    Session.objects.update(expire_date=timezone.now() + datetime.timedelta(minutes=2))
    session = client.session
    session["staff_seen"] = 0
    session.save()
    Session.objects.update(expire_date=timezone.now() + datetime.timedelta(minutes=2))
    client.get("/admin/")
    assert session_expiry() - timezone.now() > IDLE_LIMIT - datetime.timedelta(seconds=30)


def test_an_idle_staff_session_ends(client):
    sign_in(client, make_clinician("nurse"))
    expire_all_sessions()
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_the_old_result_page_during_a_new_check_leads_back_to_the_new_check(client):
    walk(client, make_answers(), privacy="show_only")
    client.post("/check/answers/")
    client.post("/check/", {"privacy": "show_only"})
    client.post("/check/breathing/", {"breathing": "no"})
    assertRedirects(client.get("/check/result/"), "/check/self_harm/")
    assert client.session["oih_check"]["answers"] == {"breathing": "no"}


def test_a_made_up_session_cookie_gets_a_fresh_session(client):
    """A stale or forged cookie names no session: the check starts in a new one."""
    client.cookies["sessionid"] = "a" * 32
    response = client.post("/check/", {"privacy": "save"})
    assertRedirects(response, "/check/breathing/", fetch_redirect_response=False)
    assert client.cookies["sessionid"].value != "a" * 32
    assert client.get("/check/breathing/").status_code == 200

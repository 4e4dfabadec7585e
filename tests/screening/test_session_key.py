"""A session cookie planted in a browser before a check opens none of its answers."""

from __future__ import annotations

from http import HTTPStatus

import pytest
from django.test import Client

from tests.factories import POSSIBLE_OIH, walk
from tests.screening.staff import make_clinician, signed_in

pytestmark = pytest.mark.django_db

QUEUE = "/admin/screening/screening/"


def test_starting_a_check_gives_the_session_a_new_key():
    # Someone opens the site and keeps their session cookie...
    attacker = Client()
    attacker.post("/check/", {"privacy": "save"})
    planted = attacker.cookies["sessionid"].value
    # ...and sets it in the patient's browser, who then starts a check of their own.
    patient = Client()
    patient.cookies["sessionid"] = planted
    response = walk(patient, POSSIBLE_OIH, privacy="save")
    assert response["Location"] == "/check/answers/"
    assert patient.cookies["sessionid"].value != planted
    assert patient.post("/check/answers/")["Location"] == "/check/result/"
    assert "Your reference code" in patient.get("/check/result/").content.decode()

    # The planted cookie opens neither the answers nor the result.
    spy = Client()
    spy.cookies["sessionid"] = planted
    assert spy.get("/check/answers/").status_code == HTTPStatus.FOUND
    assert spy.get("/check/result/")["Location"] != "/check/result/"
    assert "Your reference code" not in spy.get("/check/result/", follow=True).content.decode()


def test_a_check_in_progress_and_a_staff_sign_in_survive_a_change_of_secret_key(settings):
    """The old key in DJANGO_SECRET_KEY_FALLBACKS: nobody's check or sign-in is cleared."""
    patient = Client()
    walk(patient, POSSIBLE_OIH, privacy="save")
    nurse = signed_in(make_clinician("nurse"))
    old = settings.SECRET_KEY
    settings.SECRET_KEY = "a-new-key-" + "x" * 50
    settings.SECRET_KEY_FALLBACKS = [old]
    assert patient.get("/check/answers/").status_code == HTTPStatus.OK
    assert nurse.get(QUEUE).status_code == HTTPStatus.OK
    # Without the old key the patient's session, still signed with it, cannot be read.
    # (The staff session was saved again under the new key by that last request.)
    settings.SECRET_KEY_FALLBACKS = []
    assert patient.get("/check/answers/").status_code == HTTPStatus.FOUND

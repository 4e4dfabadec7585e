"""What an outside review found on the failure paths: bodies too large, failure pages a
browser could keep, and the static files' manifest in public."""

from __future__ import annotations

from http import HTTPStatus

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import OperationalError
from django.test import Client

from screening import services
from screening.models import Screening
from tests.factories import POSSIBLE_OIH, walk
from tests.screening.staff import PASSWORD, log_in, make_clinician

pytestmark = pytest.mark.django_db

MB = 1024 * 1024


def never_stored(response) -> bool:
    return "no-store" in response.get("Cache-Control", "")


def test_a_body_over_a_megabyte_is_refused_before_anything_reads_it():
    client = Client()
    response = client.post("/check/", {"privacy": "save", "padding": "x" * (MB + 1)})
    assert response.status_code == HTTPStatus.REQUEST_ENTITY_TOO_LARGE
    assert never_stored(response)
    assert "default-src 'none'" in response["Content-Security-Policy"]


def test_a_file_upload_is_refused_whatever_the_form_says(monkeypatch):
    """Django streams a multipart body's files to disk whatever their size; not here."""
    from django.http.multipartparser import MultiPartParser

    def parsed(*args, **kwargs):
        raise AssertionError("the multipart body was read")

    monkeypatch.setattr(MultiPartParser, "parse", parsed)
    upload = SimpleUploadedFile("big.bin", b"\0" * (2 * MB))
    response = Client().post("/admin/login/", {"username": "x", "file": upload})
    assert response.status_code == HTTPStatus.REQUEST_ENTITY_TOO_LARGE


def test_a_false_length_is_no_way_past_the_limit():
    response = Client().generic(
        "POST", "/check/", b"privacy=save", CONTENT_TYPE="application/x-www-form-urlencoded"
    )
    assert response.status_code != HTTPStatus.REQUEST_ENTITY_TOO_LARGE
    response = Client().post("/check/", {"privacy": "save"}, CONTENT_LENGTH=str(50 * MB))
    assert response.status_code == HTTPStatus.REQUEST_ENTITY_TOO_LARGE


def test_an_ordinary_form_is_well_under_the_limit():
    client = Client()
    response = client.post("/check/", {"privacy": "save"})
    assert response.status_code == HTTPStatus.FOUND


def test_the_database_failure_page_is_never_stored(monkeypatch):
    client = Client(raise_request_exception=False)
    walk(client, POSSIBLE_OIH, privacy="save")

    def unreachable(**kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(services, "screening_submit", unreachable)
    response = client.post("/check/answers/")
    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    assert never_stored(response)


def test_the_server_error_page_is_never_stored(monkeypatch):
    client = Client(raise_request_exception=False)
    walk(client, POSSIBLE_OIH, privacy="save")

    def broken(**kwargs):
        raise ValueError("bug")

    monkeypatch.setattr(services, "screening_submit", broken)
    response = client.post("/check/answers/")
    assert response.status_code == HTTPStatus.INTERNAL_SERVER_ERROR
    assert never_stored(response)


def test_the_saving_paused_page_is_never_stored(settings):
    settings.OIH_SUBMISSIONS_PER_HOUR = 0
    client = Client()
    walk(client, POSSIBLE_OIH, privacy="save")
    response = client.post("/check/answers/")
    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert never_stored(response)
    assert Screening.objects.count() == 0


def test_the_sign_in_paused_page_is_never_stored():
    nurse = make_clinician("nurse", password=PASSWORD)
    client = Client()
    responses = [log_in(client, nurse, password="wrong") for _ in range(5)]
    assert responses[-1].status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert never_stored(responses[-1])


def test_the_static_files_manifest_is_not_served(client):
    assert client.get("/static/staticfiles.json").status_code == HTTPStatus.NOT_FOUND
    # The files it names still are.
    from django.contrib.staticfiles.storage import staticfiles_storage

    assert client.get(staticfiles_storage.url("css/site.css")).status_code == HTTPStatus.OK

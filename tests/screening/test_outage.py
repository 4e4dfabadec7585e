"""When the database is out of reach: a calm 503, nothing half-written."""

from __future__ import annotations

import pytest
from django.db import OperationalError
from django.test import Client

from screening import services
from screening.models import Screening
from tests.factories import POSSIBLE_OIH, walk

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

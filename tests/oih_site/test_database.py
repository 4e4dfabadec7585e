"""PostgreSQL connections: a dead one is replaced before a request uses it (PostgreSQL)."""

from __future__ import annotations

import select
import time

import pytest
from django.db import connection, connections

from oih_site.postgresql import base


@pytest.fixture
def postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("The health check is PostgreSQL's.")


def a_new_request_starts() -> None:
    """What Django does to every connection as a request starts (close_old_connections)."""
    connection.close_if_unusable_or_obsolete()


def backend_pid() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def the_database_ends(pid: int) -> None:
    """As a restart, a failover or an administrator would; returns once the socket shows it."""
    other = connections.create_connection("default")
    with other.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
    other.close()
    select.select([connection.connection.fileno()], [], [], 5)


def later(monkeypatch, seconds: float) -> None:
    """The backend's clock only, moved ``seconds`` ahead."""
    now = time.monotonic() + seconds
    monkeypatch.setattr(base, "monotonic", lambda: now)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("idle", [0.0, base.TRUSTED_FOR], ids=["busy", "idle"])
def test_a_connection_the_database_ended_is_replaced_unnoticed(postgresql, monkeypatch, idle):
    before = backend_pid()
    the_database_ends(before)
    later(monkeypatch, idle)

    a_new_request_starts()
    assert backend_pid() != before


@pytest.mark.django_db(transaction=True)
def test_a_busy_connection_costs_no_extra_round_trip(postgresql, monkeypatch):
    backend_pid()
    checks = []
    monkeypatch.setattr(base.DatabaseWrapper, "is_usable", lambda self: checks.append(1) or True)

    a_new_request_starts()
    backend_pid()
    assert checks == []

    later(monkeypatch, base.TRUSTED_FOR)
    a_new_request_starts()
    backend_pid()
    assert checks == [1]

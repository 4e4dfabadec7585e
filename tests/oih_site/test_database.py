"""PostgreSQL connections: checked before reuse only after they sat idle (PostgreSQL)."""

from __future__ import annotations

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


@pytest.mark.django_db(transaction=True)
def test_a_connection_the_database_dropped_while_idle_is_replaced_unnoticed(
    postgresql, monkeypatch
):
    before = backend_pid()
    # The database ends the connection, as a restart or a failover would.
    other = connections.create_connection("default")
    with other.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [before])
    other.close()
    later = base.time.monotonic() + base.TRUSTED_FOR
    monkeypatch.setattr(base.time, "monotonic", lambda: later)

    a_new_request_starts()
    assert backend_pid() != before


@pytest.mark.django_db(transaction=True)
def test_a_connection_used_a_moment_ago_costs_no_extra_round_trip(postgresql, monkeypatch):
    backend_pid()
    checks = []
    monkeypatch.setattr(base.DatabaseWrapper, "is_usable", lambda self: checks.append(self) or True)

    a_new_request_starts()
    backend_pid()
    assert checks == []

    later = base.time.monotonic() + base.TRUSTED_FOR
    monkeypatch.setattr(base.time, "monotonic", lambda: later)
    a_new_request_starts()
    backend_pid()
    assert checks == [connection]

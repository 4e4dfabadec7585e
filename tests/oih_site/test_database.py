"""PostgreSQL connections: a dead one is replaced before a request uses it (PostgreSQL)."""

from __future__ import annotations

import select

import pytest
from django.db import connection, connections


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


def test_connections_are_kept_and_health_checked(settings):
    assert settings.DATABASES["default"]["CONN_MAX_AGE"] > 0
    assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True


@pytest.mark.django_db(transaction=True)
def test_a_connection_the_database_ended_is_replaced_unnoticed(postgresql):
    before = backend_pid()
    the_database_ends(before)

    a_new_request_starts()
    assert backend_pid() != before

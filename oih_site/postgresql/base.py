"""PostgreSQL through psycopg 3, with a cheaper health check for busy connections.

Django's ``CONN_HEALTH_CHECKS`` sends ``SELECT 1`` before the first query of every request
that reuses a connection. Under load that is one more database round trip per page, which
on a busy server costs about half as much as the page's own query (docs/performance.md).

A connection that ran a query less than ``TRUSTED_FOR`` ago is instead checked by looking
at its socket, without a round trip. When the server ends a connection (a restart, a
failover, an administrator), it sends an error and closes the socket, so a connection
between requests with anything waiting to be read gets Django's ``SELECT 1`` after all, and
is replaced when that fails. A connection idle for longer always gets ``SELECT 1``, which
also finds a network that silently lost it.
"""

import select
from time import monotonic

from django.db.backends.postgresql import base

TRUSTED_FOR = 1.0  # seconds


class DatabaseWrapper(base.DatabaseWrapper):
    last_used: float | None = None

    def close_if_health_check_failed(self) -> None:
        if (
            self.health_check_enabled
            and not self.health_check_done
            and self.connection is not None
            and self.last_used is not None
            and monotonic() - self.last_used < TRUSTED_FOR
            and self._nothing_from_the_server()
        ):
            self.health_check_done = True
        super().close_if_health_check_failed()

    def _nothing_from_the_server(self) -> bool:
        try:
            poll = select.poll()
            poll.register(self.connection.fileno(), select.POLLIN)
            return not poll.poll(0)
        except (OSError, ValueError, base.Database.Error):
            return False

    def _cursor(self, name: str | None = None):
        cursor = super()._cursor(name)
        self.last_used = monotonic()
        return cursor

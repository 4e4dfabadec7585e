"""PostgreSQL through psycopg 3, health-checking only connections that sat idle.

Django's ``CONN_HEALTH_CHECKS`` sends ``SELECT 1`` before the first query of every request
that reuses a connection. Under load that is one more database round trip per page, which
on a busy server costs about half as much as the page's own query (docs/performance.md). A
connection that ran a query less than ``TRUSTED_FOR`` ago is trusted without the check, as
connection pools do (PgBouncer's ``server_check_delay``). One that sat idle longer, for
example while the database restarted, is still checked, and replaced before the request
uses it.
"""

import time

from django.db.backends.postgresql import base

TRUSTED_FOR = 1.0  # seconds


class DatabaseWrapper(base.DatabaseWrapper):
    last_used: float | None = None

    def close_if_health_check_failed(self) -> None:
        if self.last_used is not None and time.monotonic() - self.last_used < TRUSTED_FOR:
            self.health_check_done = True
        super().close_if_health_check_failed()

    def _cursor(self, name: str | None = None):
        cursor = super()._cursor(name)
        self.last_used = time.monotonic()
        return cursor
